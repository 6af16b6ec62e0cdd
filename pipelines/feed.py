"""Claim each new report in the store and append its line to the feed (DIR/feed/<run>.jsonl)."""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import DropItem

from crawler.document import read_body
from crawler.feed import FeedError, FeedWriter, build_record, read_feed, validate_record
from crawler.incremental import text_diff
from crawler.items import FetchedPage
from pipelines.store import store_from_crawler


class FeedPipeline:
    def __init__(self, store, stats):
        self.store = store
        self.stats = stats
        self.writer = FeedWriter(store.root / "feed", store.run_id)
        self._fed: set[str] | None = None

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
        rid = adapter["report_id"]
        claimed = self.store.claim_report(rid, adapter["url"], adapter["sha256"], title=adapter["title"],
                                          agency=adapter["agency"], year=adapter["year"],
                                          published=adapter["published"], site=adapter["site"],
                                          signature=adapter["signature"])
        if not claimed and not self.store.unfed(rid):
            self.stats.inc_value("nianbao/dedupe/same_content")
            raise DropItem(f"duplicate: {adapter['url']} is same content of report {rid[:12]}")
        # a report claimed by a run killed before it noted the feed line: feed it now, unless the line
        # made it to the feed before the kill (then only the note is missing)
        if claimed or rid not in self._fed_ids():
            self.writer.append(record, validated=True)
        self.store.mark_fed(rid)
        self._remember_page(adapter)
        self.stats.inc_value("nianbao/feed/revised" if adapter["revision"] > 1 else "nianbao/feed/reports")
        return item

    def _fed_ids(self) -> set[str]:
        """Ids already in the feed (read once, only when a run has to recover from a killed one)."""
        if self._fed is None:
            self._fed = {r.get("id") for r in read_feed(self.store.root / "feed")}
        return self._fed

    def _remember_page(self, adapter) -> None:
        """The page as now known (validators for conditional re-checks), the run's event, a revision's diff."""
        headers = {name.lower(): value for name, value in adapter["headers"]}
        revision = adapter["revision"]
        self.store.save_page(adapter["url"], adapter["site"], adapter["report_id"], adapter["sha256"],
                             revision=revision, etag=headers.get("etag"), last_modified=headers.get("last-modified"),
                             published=adapter["published"], changed=True)
        if revision > 1:
            diff = text_diff(self._previous_text(adapter["previous_id"]), adapter["text"],
                             f"{adapter['previous_id'][:12]} (revision {revision - 1})",
                             f"{adapter['report_id'][:12]} (revision {revision})")
            self.store.add_revision(adapter["report_id"], adapter["previous_id"], adapter["url"], revision, diff)
            self.store.note_event(adapter["site"], "revised", adapter["url"], adapter["report_id"],
                                  f"revision {revision} of {adapter['previous_id'][:12]}")
        else:
            self.store.note_event(adapter["site"], "new", adapter["url"], adapter["report_id"])

    def _previous_text(self, report_id: str) -> str:
        """The text of the version a revision replaces, read again from its archived bytes."""
        known = self.store.reports_by_id([report_id])
        if not known:
            return ""
        raw_sha = known[0]["raw_sha256"]
        body = self.store.get_raw(raw_sha) or b""
        fetch = next(iter(self.store.fetches(raw_sha)), {})
        try:
            return read_body(body, fetch.get("content_type"), known[0]["url"]).page.text
        except (ValueError, OSError) as exc:
            return f"(the previous text could not be read again: {exc})"
