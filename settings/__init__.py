"""Scrapy settings modules: `settings.default` (embedded: local disk + SQLite) is the only one so far."""
