"""Decode and extract each archived page (crawler.document); unreadable pages become failures."""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from crawler.document import DecodeError, UnsupportedContent, read_document
from crawler.items import FetchedPage
from pipelines.store import StorePipeline


class ExtractPipeline(StorePipeline):
    def process_item(self, item, spider=None):
        if not isinstance(item, FetchedPage):
            return item
        adapter = ItemAdapter(item)
        try:
            doc = read_document(adapter["body"], adapter["content_type"], adapter["final_url"])
        except (DecodeError, UnsupportedContent) as exc:
            stage = "decode" if isinstance(exc, DecodeError) else "extract"
            self.store.record_failure(adapter["url"], stage, str(exc), adapter["site"])
            self.stats.inc_value(f"nianbao/failure/{stage}")
            raise DropItem(f"failed {adapter['url']} [{stage}]: {exc} (raw archived as {adapter['sha256']})",
                           log_level="WARNING")
        adapter["document"] = doc
        adapter["encoding"] = doc.encoding
        adapter["text"] = doc.page.text
        adapter["title"] = doc.meta.title or doc.page.title
        adapter["agency"] = doc.meta.agency
        adapter["year"] = doc.meta.year
        adapter["published"] = doc.meta.published
        adapter["site_name"] = doc.meta.site_name
        return item
