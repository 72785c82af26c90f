"""Delegation alerts: the pure revision rules (`rules`) and reading the alerts topic (`reader`)."""
