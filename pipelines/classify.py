"""Decide report or look-alike (crawler.classify), record the decision and its reasons, drop look-alikes."""

from __future__ import annotations

from scrapy.exceptions import DropItem

from crawler.classify import classify
from crawler.items import FetchedPage
from pipelines.store import store_from_crawler


class ClassifyPipeline:
    def __init__(self, store, stats):
        self.store = store
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(store_from_crawler(crawler), crawler.stats)

    def process_item(self, item, spider=None):
        if not isinstance(item, FetchedPage):
            return item
        decision = classify(item.document.page, item.document.meta)
        item.is_report, item.kind, item.reasons = decision.is_report, decision.kind, list(decision.reasons)
        self.store.record_decision(item.url, item.sha256, decision.is_report, decision.kind, item.reasons,
                                   item.title, forced=item.force and not decision.is_report)
        if decision.is_report:
            self.stats.inc_value("nianbao/classify/report")
            return item
        self.stats.inc_value(f"nianbao/classify/rejected/{decision.kind}")
        if item.force:
            self.stats.inc_value("nianbao/classify/forced")
            return item
        raise DropItem(f"not a report: {item.url} ({item.title}): {'; '.join(decision.reasons)}")
