"""Contracts every tradeties service shares: events, topics, settings, codec, errors, retries.

Services import from here and never redefine a topic name, an event field or a setting.
"""
