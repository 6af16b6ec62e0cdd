"""Write every archived fetch (a candidate page and each file it attaches) as WARC 1.1 records, and every
listing page the walk fetched (start pages, hubs, report columns and their pages, list-API answers).

Runs right after ArchivePipeline (settings ITEM_PIPELINES 250) and writes under the store: DIR/warc/ (see
crawler.archive.warc). Identical payloads already in the WARCs become revisit records, found through the writer's
SQLite payload index, so a run never reads old WARCs. On spider_closed the last file is finished and
DIR/warc/index.cdxj is rebuilt (NIANBAO_WARC_CDXJ); a distributed crawl's worker then uploads its WARCs to
PREFIX/warc/ of the S3 archive (crawler.archive.s3warc).

Listing pages are written from Scrapy's response_received signal, as the server sent them (pages drawn in
Chromium are not: their DOM is not what the server sent); they are not in the store's raw archive.

A WARC that cannot be written is a recorded failure (stage "warc") and a one-line warning, never a dropped
item: the store's raw bytes remain the archive of record.
"""

from __future__ import annotations

import logging

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawler.items import FetchedPage
from crawler.archive.storage import LocalStore, utcnow
from crawler.archive.warc import WarcWriter, write_cdxj
from crawler.ops.resources import store_from_crawler

logger = logging.getLogger(__name__)

# spiders.reports request roles whose pages only the walk uses (articles and attachments arrive as items)
LISTING_ROLES = frozenset({"start", "hub", "column", "api"})


def _headers(headers) -> list[tuple[str, str]]:
    return [(k.decode("latin-1"), v.decode("latin-1")) for k, vs in headers.items() for v in vs]


class WarcPipeline:
    def __init__(self, store: LocalStore, stats, writer: WarcWriter, *, cdxj: bool = True):
        self.store = store
        self.stats = stats
        self.writer = writer
        self.cdxj = cdxj
        self._closed = False

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("NIANBAO_WARC", True):
            raise NotConfigured("NIANBAO_WARC is off")
        store = store_from_crawler(crawler)
        writer = WarcWriter(store.root, max_bytes=settings.getint("NIANBAO_WARC_MAX_BYTES", 1_000_000_000),
                            prefix=settings.get("NIANBAO_WARC_PREFIX") or "nianbao",
                            fsync=settings.getbool("NIANBAO_FSYNC"))
        pipeline = cls(store, crawler.stats, writer, cdxj=settings.getbool("NIANBAO_WARC_CDXJ", True))
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(pipeline.response_received, signal=signals.response_received)
        return pipeline

    def response_received(self, response, request, spider=None) -> None:
        """A listing page (the walk's own fetches: no item carries them) as a request/response pair."""
        if request.meta.get("nianbao_role") not in LISTING_ROLES or request.meta.get("playwright") or self._closed:
            return
        self._write({"url": request.url, "final_url": response.url, "method": request.method,
                     "request_headers": _headers(request.headers), "status": response.status,
                     "headers": _headers(response.headers), "body": response.body, "fetched_at": utcnow()},
                    request.meta.get("nianbao_site"))
        self.stats.inc_value("nianbao/warc/listing_pages")

    def process_item(self, item, spider=None):
        if not isinstance(item, FetchedPage):
            return item
        adapter = ItemAdapter(item)
        self._write(adapter, adapter["site"])
        for attachment in adapter["attachments"]:
            self._write(ItemAdapter(attachment), adapter["site"])
        return item

    def _write(self, fetched: ItemAdapter, site: str | None) -> None:
        url = fetched["final_url"] or fetched["url"]     # the exchange recorded is the one the bytes came from
        try:
            written = self.writer.write_exchange(
                url, fetched.get("method") or "GET", fetched["request_headers"], fetched["status"],
                fetched["headers"], fetched["body"], fetched["fetched_at"])
        except Exception as exc:  # noqa: BLE001 - any WARC trouble must leave the item to the later pipelines
            reason = f"{type(exc).__name__}: {exc}"
            logger.warning("warc: could not write %s: %s", url, reason)
            self.store.record_failure(fetched["url"], "warc", reason, site)
            self.stats.inc_value("nianbao/warc/failures")
            return
        self.stats.inc_value(f"nianbao/warc/{written.record_type}")

    def spider_closed(self, spider=None, reason=None) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self.writer.close()
            if self.cdxj:
                write_cdxj(self.store.root)
            if getattr(self.store, "remote", False):
                # a distributed crawl's WARCs join its archive (export wacz --archive packages them from there)
                from crawler.archive.s3warc import upload_warcs
                upload_warcs(self.store.root, self.store.archive)
        except Exception as exc:  # noqa: BLE001 - the next run finishes and indexes what is left
            logger.warning("warc: could not finish the WARC files: %s: %s", type(exc).__name__, exc)
            self.store.record_failure(str(self.store.root / "warc"), "warc", f"{type(exc).__name__}: {exc}")
