"""Claim each new report in the store and append its line to the feed (DIR/feed/<run>.jsonl)."""

from __future__ import annotations

import os
from datetime import datetime, timezone

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import DropItem

from crawler.feed import FeedError, FeedWriter, build_record, validate_record
from crawler.items import FetchedPage
from pipelines.store import store_from_crawler


class FeedPipeline:
    def __init__(self, store, stats):
        self.store = store
        self.stats = stats
        run_id = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S") + f"-{os.getpid()}"
        self.writer = FeedWriter(store.root / "feed", run_id)

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(store_from_crawler(crawler), crawler.stats)
        crawler.signals.connect(pipeline.writer.close, signal=signals.spider_closed, weak=False)
        return pipeline

    def process_item(self, item, spider=None):
        if not isinstance(item, FetchedPage):
            return item
        adapter = ItemAdapter(item)
        record = build_record(item, urls=[adapter["url"]])
        try:
            validate_record(record)
        except FeedError as exc:
            self.store.record_failure(adapter["url"], "feed", str(exc), adapter["site"])
            self.stats.inc_value("nianbao/failure/feed")
            raise DropItem(f"failed {adapter['url']} [feed]: {exc}", log_level="WARNING")
        # validated before the claim, so that a broken record never takes the report's id
        if not self.store.claim_report(adapter["report_id"], adapter["url"], adapter["sha256"],
                                       title=adapter["title"], agency=adapter["agency"], year=adapter["year"],
                                       published=adapter["published"], site=adapter["site"],
                                       signature=adapter["signature"]):
            self.stats.inc_value("nianbao/dedupe/same_content")
            raise DropItem(f"duplicate: {adapter['url']} is same content of report {adapter['report_id'][:12]}")
        self.writer.append(record, validated=True)
        self.store.mark_fed(adapter["report_id"])
        self.stats.inc_value("nianbao/feed/reports")
        return item
