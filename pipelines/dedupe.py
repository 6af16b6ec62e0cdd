"""Drop reports whose content is already known (same normalised text, or a near-duplicate repost),
recording the new URL against the known report."""

from __future__ import annotations

from scrapy.exceptions import DropItem

from crawler.dedupe import content_id, find_duplicate, signature
from crawler.items import FetchedPage
from pipelines.store import store_from_crawler


class DedupePipeline:
    def __init__(self, store, stats, threshold: float):
        self.store = store
        self.stats = stats
        self.threshold = threshold

    @classmethod
    def from_crawler(cls, crawler):
        return cls(store_from_crawler(crawler), crawler.stats,
                   crawler.settings.getfloat("NIANBAO_NEAR_DUPLICATE_THRESHOLD"))

    def process_item(self, item, spider=None):
        if not isinstance(item, FetchedPage):
            return item
        item.report_id = content_id(item.text)
        item.signature = signature(item.text)
        dup = find_duplicate(self.store, item.report_id, item.signature, item.year, item.agency, self.threshold)
        if dup is None:
            return item
        relation, known_id, sim = dup
        self.store.add_report_url(known_id, item.url, item.sha256, relation)
        self.stats.inc_value(f"nianbao/dedupe/{relation}")
        raise DropItem(f"duplicate: {item.url} is {relation.replace('_', ' ')} of report {known_id[:12]}"
                       f" (similarity {sim:.2f})")
