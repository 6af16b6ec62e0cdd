"""Scrapy spiders and their small Scrapy-side helpers (middlewares, log formatter)."""
