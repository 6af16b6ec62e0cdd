"""The item a crawl hands on after the pipelines: the fed report's feed record, not the FetchedPage.

A FetchedPage carries the raw bodies of the page and its files (bytes), which Scrapy's feed exports cannot
write (`scrapy crawl reports -O items.jsonl` logged "Object of type bytes is not JSON serializable" per item
and wrote nothing). Last in ITEM_PIPELINES, this turns each fed page into the record `nianbao feed` prints
(crawler/schema/report.schema.json: the report's fields, `raw` as sha256/length/kind, no bytes), so -O/FEEDS
write the same lines as the store's feed, in any format Scrapy exports.
"""

from __future__ import annotations

from itemadapter import ItemAdapter

from crawler.archive.feed import build_record
from crawler.items import FetchedPage


class FeedRecordPipeline:
    def process_item(self, item, spider=None):
        if not isinstance(item, FetchedPage):
            return item
        return build_record(item, urls=[ItemAdapter(item)["url"]])
