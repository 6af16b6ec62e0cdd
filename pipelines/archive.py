"""Archive the exact bytes of each fetched candidate page, and of each file it attaches, with their fetch records.

On a remote store (S3) the uploads run in the reactor's thread pool: an outage that S3Archive waits out slows
the items, not the downloads already under way.
"""

from __future__ import annotations

from itemadapter import ItemAdapter
from twisted.internet.threads import deferToThread

from crawler.items import FetchedPage
from crawler.archive.storage import FetchRecord
from pipelines.store import StorePipeline


def _header(headers, name):
    name = name.lower()
    return next((v for k, v in headers if k.lower() == name), None)


class ArchivePipeline(StorePipeline):
    def process_item(self, item, spider=None):
        if not isinstance(item, FetchedPage):
            return item
        if getattr(self.store, "remote", False):
            return deferToThread(self._archive_item, item)
        return self._archive_item(item)

    def _archive_item(self, item):
        adapter = ItemAdapter(item)
        adapter["sha256"], adapter["content_type"] = self._archive(adapter, adapter["site"])
        for attachment in adapter["attachments"]:
            file = ItemAdapter(attachment)
            file["sha256"], file["content_type"] = self._archive(file, adapter["site"])
            self.stats.inc_value("nianbao/archive/attachments")
        self.stats.inc_value("nianbao/archive/pages")
        return item

    def _archive(self, fetched: ItemAdapter, site: str) -> tuple[str, str | None]:
        sha256 = self.store.put_raw(fetched["body"])
        content_type = _header(fetched["headers"], "Content-Type")
        self.store.record_fetch(FetchRecord(
            url=fetched["url"], final_url=fetched["final_url"], method=fetched.get("method", "GET"),
            status=fetched["status"], request_headers=fetched["request_headers"],
            response_headers=fetched["headers"], fetched_at=fetched["fetched_at"], sha256=sha256,
            length=len(fetched["body"]), content_type=content_type, site=site))
        return sha256, content_type
