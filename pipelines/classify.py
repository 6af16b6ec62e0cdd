"""Decide report or look-alike (crawler.judge.classify), record the decision and its reasons, drop look-alikes."""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from crawler.judge.classify import classify
from crawler.items import FetchedPage
from pipelines.store import StorePipeline


class ClassifyPipeline(StorePipeline):
    def process_item(self, item, spider=None):
        if not isinstance(item, FetchedPage):
            return item
        adapter = ItemAdapter(item)
        decision = classify(adapter["document"].page, adapter["document"].meta)
        adapter["is_report"] = decision.is_report
        adapter["kind"] = decision.kind
        adapter["reasons"] = list(decision.reasons)
        self.store.record_decision(adapter["url"], adapter["sha256"], decision.is_report, decision.kind,
                                   adapter["reasons"], adapter["title"],
                                   forced=adapter["force"] and not decision.is_report)
        if decision.is_report:
            self.stats.inc_value("nianbao/classify/report")
            return item
        self.stats.inc_value(f"nianbao/classify/rejected/{decision.kind}")
        if adapter["force"]:
            self.stats.inc_value("nianbao/classify/forced")
            return item
        raise DropItem(f"not a report: {adapter['url']} ({adapter['title']}): {'; '.join(decision.reasons)}")
