"""tradeties.api: `tradeties api` — search, articles, alerts, watches and their feeds over HTTP, the
server-rendered search page, and `tradeties api deliver` (watch channels to webhooks)."""
