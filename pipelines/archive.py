"""Archive the exact bytes of each fetched candidate page with its fetch record."""

from __future__ import annotations

from crawler.items import FetchedPage
from crawler.storage import FetchRecord
from pipelines.store import store_from_crawler


def _header(headers, name):
    name = name.lower()
    return next((v for k, v in headers if k.lower() == name), None)


class ArchivePipeline:
    def __init__(self, store, stats):
        self.store = store
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(store_from_crawler(crawler), crawler.stats)

    def process_item(self, item, spider=None):
        if not isinstance(item, FetchedPage):
            return item
        item.sha256 = self.store.put_raw(item.body)
        item.content_type = _header(item.headers, "Content-Type")
        self.store.record_fetch(FetchRecord(
            url=item.url, final_url=item.final_url, method=item.method, status=item.status,
            request_headers=item.request_headers, response_headers=item.headers, fetched_at=item.fetched_at,
            sha256=item.sha256, length=len(item.body), content_type=item.content_type, site=item.site))
        self.stats.inc_value("nianbao/archive/pages")
        return item
