"""The one store a crawl's pipelines share, opened from NIANBAO_STORE and closed when the engine stops."""

from __future__ import annotations

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
        crawler.nianbao_store = store
        crawler.signals.connect(store.close, signal=signals.engine_stopped, weak=False)
    return store
