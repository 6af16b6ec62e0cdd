"""Hand each fed report to the parsing stage: its parsed line goes to DIR/parsed/v<N>.jsonl.

Runs after the feed pipeline, so only reports that were fed are parsed; the cross-year checks, which
need the whole store, are recomputed when the crawl closes.  A report the parser cannot read is a
recorded failure (stage "parse") and stays fed: the feed is the archive's contract, parsing is derived.
"""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy import signals

from crawler.archive.feed import build_record
from crawler.items import FetchedPage
from crawler.parsing.store import ParsedWriter, parse_record, write_cross_year
from crawler.ops.resources import store_from_crawler


class ParsePipeline:
    def __init__(self, store, stats, enabled: bool = True):
        self.store = store
        self.stats = stats
        self.enabled = enabled
        self.writer = ParsedWriter(store.root)

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(store_from_crawler(crawler), crawler.stats, crawler.settings.getbool("NIANBAO_PARSE", True))
        crawler.signals.connect(pipeline.close, signal=signals.spider_closed, weak=False)
        return pipeline

    def process_item(self, item, spider=None):
        if not self.enabled or not isinstance(item, FetchedPage):
            return item
        adapter = ItemAdapter(item)
        try:
            self.writer.append(parse_record(build_record(item, urls=[adapter["url"]])))
            self.stats.inc_value("nianbao/parse/reports")
        except Exception as exc:    # parsing is derived data: a parser bug must not lose the crawl
            self.store.record_failure(adapter["url"], "parse", f"{type(exc).__name__}: {exc}", adapter["site"])
            self.stats.inc_value("nianbao/failure/parse")
        return item

    def close(self) -> None:
        self.writer.close()
        if self.enabled and self.stats.get_value("nianbao/parse/reports"):
            write_cross_year(self.store.root)
