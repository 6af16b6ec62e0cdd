"""Base of the pipelines that write to the crawl's one store (crawler.ops.resources.store_from_crawler)."""

from __future__ import annotations

from crawler.archive.storage import LocalStore
from crawler.ops.resources import store_from_crawler


class StorePipeline:
    """Base of the pipelines that write to the crawl's store and count in its stats."""

    def __init__(self, store: LocalStore, stats):
        self.store = store
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(store_from_crawler(crawler), crawler.stats)
