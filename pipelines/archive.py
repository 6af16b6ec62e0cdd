"""Archive the exact bytes of each fetched candidate page with its fetch record."""

from __future__ import annotations

from itemadapter import ItemAdapter

from crawler.items import FetchedPage
from crawler.storage import FetchRecord
from pipelines.store import StorePipeline


def _header(headers, name):
    name = name.lower()
    return next((v for k, v in headers if k.lower() == name), None)


class ArchivePipeline(StorePipeline):
    def process_item(self, item, spider=None):
        if not isinstance(item, FetchedPage):
            return item
        adapter = ItemAdapter(item)
        adapter["sha256"] = self.store.put_raw(adapter["body"])
        adapter["content_type"] = _header(adapter["headers"], "Content-Type")
        self.store.record_fetch(FetchRecord(
            url=adapter["url"], final_url=adapter["final_url"], method=adapter["method"],
            status=adapter["status"], request_headers=adapter["request_headers"],
            response_headers=adapter["headers"], fetched_at=adapter["fetched_at"], sha256=adapter["sha256"],
            length=len(adapter["body"]), content_type=adapter["content_type"], site=adapter["site"]))
        self.stats.inc_value("nianbao/archive/pages")
        return item
