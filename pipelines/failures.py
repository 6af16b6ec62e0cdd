"""Record every failed request in the store's failure table, with one warning line each."""

from __future__ import annotations

from scrapy.exceptions import DropItem

from crawler.items import FetchFailure
from pipelines.store import StorePipeline


class RecordFailurePipeline(StorePipeline):
    def process_item(self, item, spider=None):
        if not isinstance(item, FetchFailure):
            return item
        self.store.record_failure(item.url, item.stage, item.reason, item.site)
        self.stats.inc_value(f"nianbao/failure/{item.stage}")
        raise DropItem(f"failed {item.url} [{item.stage}]: {item.reason}", log_level="WARNING")
