"""The one store a crawl's pipelines share, opened from NIANBAO_STORE and closed when the engine stops."""

from __future__ import annotations

import os
from datetime import datetime, timezone

from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawler.storage import LocalStore, open_store


def store_from_crawler(crawler) -> LocalStore:
    store = getattr(crawler, "nianbao_store", None)
    if store is None:
        location = crawler.settings.get("NIANBAO_STORE")
        if not location:
            raise NotConfigured("NIANBAO_STORE is empty: nianbao needs a store directory")
        store = open_store(location, fsync=crawler.settings.getbool("NIANBAO_FSYNC"))
        # one id per run, shared by the feed part, the runs table and every event and failure of the run
        store.run_id = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S") + f"-{os.getpid()}"
        crawler.nianbao_store = store
        crawler.signals.connect(store.close, signal=signals.engine_stopped, weak=False)
    return store


class StorePipeline:
    """Base of the pipelines that write to the crawl's store and count in its stats."""

    def __init__(self, store: LocalStore, stats):
        self.store = store
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(store_from_crawler(crawler), crawler.stats)
