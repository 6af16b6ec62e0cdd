"""Read each archived page or file as a report document (crawler.read.document), its attachments included;
unreadable reports and attachments become recorded failures.

Reading a file can take seconds (LibreOffice for DOC/WPS, Tesseract for scans): items with files are read
in a worker thread, so downloads go on meanwhile; the tools are subprocesses, so threads run them in
parallel. A plain HTML page is read on the spot (a thread would only add overhead to a few ms of work).
"""

from __future__ import annotations

import logging

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem
from scrapy.utils.defer import deferred_to_future
from twisted.internet.threads import deferToThread

from crawler.read.document import (BadFile, DecodeError, UnsupportedContent, continue_document, filename_of,
                                   introduces_files, read_body, use_attachments)
from crawler.read.encoding import decode_html
from crawler.read.extract import body_lines, extract_continuation
from crawler.read.files import file_kind, read_file
from crawler.read.ocr import set_engine as set_ocr_engine
from crawler.items import FetchedPage
from pipelines.store import StorePipeline

logger = logging.getLogger(__name__)


class ExtractPipeline(StorePipeline):
    @classmethod
    def from_crawler(cls, crawler):
        # the files are read in worker threads, outside any crawler: the OCR engine is the process's
        set_ocr_engine(crawler.settings.get("NIANBAO_OCR_ENGINE"))
        return super().from_crawler(crawler)

    async def process_item(self, item, spider=None):
        if not isinstance(item, FetchedPage):
            return item
        adapter = ItemAdapter(item)
        if adapter["attachments"] or file_kind(adapter["body"], adapter["content_type"], adapter["final_url"]) \
                not in ("html", None):
            return await deferred_to_future(deferToThread(self._read, item, adapter))
        return self._read(item, adapter)

    def _read(self, item, adapter):
        try:
            doc = read_body(adapter["body"], adapter["content_type"], adapter["final_url"],
                            filename_of(adapter["headers"], adapter["final_url"]))
        except (DecodeError, UnsupportedContent, BadFile) as exc:
            stage = {DecodeError: "decode", BadFile: "file"}.get(type(exc), "extract")
            reason = exc.reason if isinstance(exc, BadFile) else str(exc)
            self._fail(adapter["url"], stage, reason, adapter["site"])
            raise DropItem(f"failed {adapter['url']} [{stage}]: {reason} (raw archived as {adapter['sha256']})",
                           log_level="WARNING")
        pages = [a for a in adapter["attachments"] if ItemAdapter(a)["link_kind"] == "page"]
        # the first page's lines, read once: each further page keeps what the first does not also show
        first_lines = set()
        if pages:
            first_lines = set(body_lines(decode_html(adapter["body"], adapter["content_type"] or "").text))
        doc = continue_document(doc, [p for p in (self._read_page(a, adapter["site"], first_lines) for a in pages)
                                      if p])
        # a download link without an extension was a guess: a response that is no file is dropped, not failed
        adapter["attachments"] = [a for a in adapter["attachments"] if not self._not_a_file(a)]
        files = [a for a in adapter["attachments"] if ItemAdapter(a)["link_kind"] != "page"]
        texts = [ft for ft in (self._read_attachment(a, adapter["site"]) for a in files) if ft]
        if files and not texts and introduces_files(doc):
            # the page only points at its report file, and no file could be read: nothing to feed
            reason = "the page only introduces its attachments and none could be read"
            self._fail(adapter["url"], "attachment", reason, adapter["site"])
            raise DropItem(f"failed {adapter['url']} [attachment]: {reason} (raw archived as {adapter['sha256']})",
                           log_level="WARNING")
        doc = use_attachments(doc, texts, adapter["final_url"])
        adapter["document"] = doc
        adapter["encoding"] = doc.encoding
        adapter["raw_kind"] = doc.kind
        adapter["text_source"] = doc.source
        adapter["ocr"] = doc.ocr
        adapter["ocr_confidence"] = doc.ocr_confidence
        adapter["text"] = doc.page.text
        adapter["title"] = doc.meta.title or doc.page.title
        adapter["agency"] = doc.meta.agency
        adapter["year"] = doc.meta.year
        # a file has no byline: the date its listing showed is its publication date (a date in its text is
        # when it was signed); a page's own byline comes first
        if doc.source == "file":
            adapter["published"] = adapter["listed_date"] or doc.meta.published
        else:
            adapter["published"] = doc.meta.published or adapter["listed_date"]
        adapter["site_name"] = doc.meta.site_name
        return item

    @staticmethod
    def _not_a_file(attachment) -> bool:
        file = ItemAdapter(attachment)
        return file["link_kind"] == "maybe" and (file["status"] != 200 or file_kind(
            file["body"], file["content_type"], filename_of(file["headers"], file["final_url"])) in ("html", None))

    def _read_page(self, attachment, site, first_lines: set[str]):
        """A further page of the article: its own text (what the first page does not also show), or None with
        a recorded failure."""
        file = ItemAdapter(attachment)
        file["kind"] = "html"
        try:
            if file["status"] != 200:
                raise UnsupportedContent(f"HTTP {file['status']}")
            decoded = decode_html(file["body"], file["content_type"] or "")
        except (DecodeError, UnsupportedContent) as exc:
            file["error"] = str(exc)
            self._fail(file["url"], "attachment", f"page of the article unreadable: {file['error']}", site)
            return None
        page = extract_continuation(decoded.text, first_lines, file["final_url"])
        file["text"] = page.text
        self.stats.inc_value("nianbao/attachment/page")
        return page

    def _read_attachment(self, attachment, site):
        """The attachment's text (also kept on the attachment), or None with a recorded failure."""
        file = ItemAdapter(attachment)
        name = filename_of(file["headers"], file["final_url"])
        if file["status"] != 200:
            file["error"] = f"HTTP {file['status']}"
        else:
            try:
                ft = read_file(file["body"], file["content_type"], name)
            except BadFile as exc:
                file["error"] = exc.reason
            else:
                file["kind"], file["text"] = ft.kind, ft.text
                file["ocr"], file["ocr_confidence"] = ft.ocr, ft.ocr_confidence
                self.stats.inc_value(f"nianbao/attachment/{ft.kind}")
                return ft
        reason = f"{file['error']} (bytes archived as {file['sha256']})"
        logger.warning("nianbao: attachment %s of %s unreadable: %s", file["url"], site, reason)
        self._fail(file["url"], "attachment", reason, site)
        return None

    def _fail(self, url, stage, reason, site):
        self.store.record_failure(url, stage, reason, site)
        self.stats.inc_value(f"nianbao/failure/{stage}")
