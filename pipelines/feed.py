"""Claim each new report in the store and append its line to the feed (DIR/feed/<run>.jsonl).

On a distributed store (S3 has no append) lines are gathered into parts by FeedPartBuffer and each item waits
until its part is in the bucket: only then is its request acknowledged on the frontier (spiders.frontier).
"""

from __future__ import annotations

from itemadapter import ItemAdapter
import time

from scrapy import signals
from scrapy.exceptions import DropItem
from twisted.internet import task
from twisted.internet.defer import Deferred
from twisted.internet.threads import deferToThread

from crawler.read.document import read_body
from crawler.archive.feed import FeedError, FeedWriter, build_record, read_feed, validate_record
from crawler.ops.incremental import text_diff
from crawler.items import FetchedPage
from crawler.ops.resources import store_from_crawler


class FeedPartBuffer:
    """Records gathered into one S3 part per `max_records` or `max_seconds`, written one part at a time in a
    thread (store.write_feed_part); each record's Deferred fires once its part is written, or fails with it."""

    def __init__(self, store, max_records: int = 100, max_seconds: float = 2.0):
        self.store = store
        self.max_records = max(1, max_records)
        self.max_seconds = max_seconds
        self._pending: list[tuple[dict, Deferred]] = []
        self._oldest = 0.0
        self._writing = False
        self._loop = task.LoopingCall(self._tick)
        self._loop.start(min(0.25, max_seconds) if max_seconds > 0 else 0.25, now=False)

    def add(self, record: dict) -> Deferred:
        done: Deferred = Deferred()
        if not self._pending:
            self._oldest = time.monotonic()
        self._pending.append((record, done))
        if len(self._pending) >= self.max_records:
            self._flush()
        return done

    def _tick(self) -> None:
        if self._pending and time.monotonic() - self._oldest >= self.max_seconds:
            self._flush()

    def _flush(self) -> None:
        if self._writing or not self._pending:
            return
        batch, self._pending = self._pending[:self.max_records], self._pending[self.max_records:]
        self._oldest = time.monotonic()
        self._writing = True

        def settle(result):
            self._writing = False
            for _, done in batch:
                if isinstance(result, str):
                    done.callback(result)
                else:
                    done.errback(result)
            if len(self._pending) >= self.max_records:
                self._flush()

        deferToThread(self.store.write_feed_part, [record for record, _ in batch]).addBoth(settle)

    def close(self, spider=None, reason=None) -> None:
        if self._loop.running:
            self._loop.stop()


class FeedPipeline:
    def __init__(self, store, stats, part_records: int = 100, part_seconds: float = 2.0):
        self.store = store
        self.stats = stats
        self.remote = getattr(store, "remote", False)
        if self.remote:
            self.writer = FeedPartBuffer(store, part_records, part_seconds)
        else:
            self.writer = FeedWriter(store.root / "feed", store.run_id)
        self._fed: set[str] | None = None

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        pipeline = cls(store_from_crawler(crawler), crawler.stats, s.getint("NIANBAO_FEED_PART_RECORDS", 100),
                       s.getfloat("NIANBAO_FEED_PART_SECONDS", 2.0))
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
        if not claimed and (self.remote or not self.store.unfed(rid)):
            self.stats.inc_value("nianbao/dedupe/same_content")
            raise DropItem(f"duplicate: {adapter['url']} is same content of report {rid[:12]}")
        if self.remote:
            return self.writer.add(record).addCallback(lambda _: self._fed_now(adapter, item))
        # a report claimed by a run killed before it noted the feed line: feed it now, unless the line
        # made it to the feed before the kill (then only the note is missing)
        if claimed or rid not in self._fed_ids():
            self.writer.append(record, validated=True)
        self.store.mark_fed(rid)
        return self._fed_now(adapter, item)

    def _fed_now(self, adapter, item):
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
