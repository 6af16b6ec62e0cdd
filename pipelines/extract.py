"""Decode and extract each archived page (crawler.document); unreadable pages become failures."""

from __future__ import annotations

from scrapy.exceptions import DropItem

from crawler.document import DecodeError, UnsupportedContent, read_document
from crawler.items import FetchedPage
from pipelines.store import store_from_crawler


class ExtractPipeline:
    def __init__(self, store, stats):
        self.store = store
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(store_from_crawler(crawler), crawler.stats)

    def process_item(self, item, spider=None):
        if not isinstance(item, FetchedPage):
            return item
        try:
            doc = read_document(item.body, item.content_type, item.final_url)
        except (DecodeError, UnsupportedContent) as exc:
            stage = "decode" if isinstance(exc, DecodeError) else "extract"
            self.store.record_failure(item.url, stage, str(exc), item.site)
            self.stats.inc_value(f"nianbao/failure/{stage}")
            raise DropItem(f"failed {item.url} [{stage}]: {exc} (raw archived as {item.sha256})",
                           log_level="WARNING")
        item.document = doc
        item.encoding = doc.encoding
        item.text = doc.page.text
        item.title = doc.meta.title or doc.page.title
        item.agency = doc.meta.agency
        item.year = doc.meta.year
        item.published = doc.meta.published
        item.site_name = doc.meta.site_name
        return item
