"""Extensions that tell the operator about a run: its row in the store's `runs` table, and a progress line.

RunRecorder opens the run in the store when the spider opens (its id stamps every event and failure of
the run) and closes it with the finish reason and the run's stats; a run killed with SIGKILL keeps
`finished_at` empty, which is how `nianbao status` and the next run know it did not end.

ProgressLog writes one line every NIANBAO_PROGRESS_INTERVAL seconds, plain text so that it reads the
same in a terminal and in a log file, ending with the request the crawl has waited on longest:

    nianbao: progress 3/15 sites done, 120 reports found, 80 new, 2 revised, 1 removed, 5 failures,
             queue 340, 52 pages/min; waiting 12s on panshi.gov.cn: http://panshi.gov.cn/col/col1/index.html

It is logged at INFO, or at the crawl's LOG_LEVEL when that is higher (--log-level WARNING keeps the
progress and drops the rest).
"""

from __future__ import annotations

import logging
import os
import time
from collections import Counter

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from crawler.ops.resources import store_from_crawler

logger = logging.getLogger(__name__)


class RunRecorder:
    def __init__(self, crawler):
        self.crawler = crawler
        self.store = store_from_crawler(crawler)
        self._lock()

    def _lock(self) -> None:
        """One crawl per store (crawler.ops.storelock), for `scrapy crawl` as for `nianbao crawl` (which took
        the lock already: taking it again in the same process is a no-op). A store in use ends this process
        at once with one line and exit 3, before anything is fetched or written."""
        from crawler.ops.storelock import StoreBusy, lock_store

        root = getattr(self.store, "root", None)
        if root is None or getattr(self.store, "remote", False):
            return
        try:
            lock_store(root)
        except StoreBusy as exc:
            logger.error("nianbao: %s", exc)
            logging.shutdown()
            os._exit(3)

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler)
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def opened(self, spider) -> None:
        args = {"start_urls": list(getattr(spider, "start_urls", [])),
                "backfill_urls": list(getattr(spider, "backfill_urls", [])),
                "recheck": self.crawler.settings.get("NIANBAO_RECHECK"),
                "browser": self.crawler.settings.get("NIANBAO_BROWSER"),
                # host[:port] -> the sites file's `name:` (status, the HTML report and exports show it)
                "site_names": dict(getattr(spider, "site_names", {}) or {})}
        self.store.start_run(self.store.run_id, args)
        # where the crawl writes, said once: `scrapy crawl` without -s NIANBAO_STORE writes ./nianbao-store
        settings = self.crawler.settings
        default = settings.getpriority("NIANBAO_STORE") <= 20      # the settings module's, not given by the user
        logger.log(logging.WARNING if default else logging.INFO,
                   "nianbao: writing to store %s%s",
                   os.path.abspath(str(getattr(self.store, "root", settings.get("NIANBAO_STORE")))),
                   " (the default: set NIANBAO_STORE, or --store, to choose)" if default else "")

    def closed(self, spider, reason) -> None:
        stats = {k: v for k, v in self.crawler.stats.get_stats().items() if isinstance(v, (int, float, str))}
        self.store.finish_run(reason, stats)



class ProgressLog:
    def __init__(self, crawler, interval: float):
        self.crawler = crawler
        self.interval = interval
        self.pending: Counter[str] = Counter()     # site -> requests scheduled and not yet answered
        self.sites: set[str] = set()
        self.in_flight: dict[int, tuple[float, str, str]] = {}   # id(request) -> (since, site, URL) downloading
        self.loop: task.LoopingCall | None = None
        self.pages_before = 0

    @classmethod
    def from_crawler(cls, crawler):
        interval = crawler.settings.getfloat("NIANBAO_PROGRESS_INTERVAL")
        if interval <= 0:
            raise NotConfigured
        ext = cls(crawler, interval)
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.scheduled, signal=signals.request_scheduled)
        crawler.signals.connect(ext.left, signal=signals.request_left_downloader)
        crawler.signals.connect(ext.left, signal=signals.request_dropped)
        crawler.signals.connect(ext.reached, signal=signals.request_reached_downloader)
        return ext

    @staticmethod
    def _site(request) -> str | None:
        return request.meta.get("nianbao_site")

    def scheduled(self, request, spider=None) -> None:
        site = self._site(request)
        if site:
            self.sites.add(site)
            self.pending[site] += 1

    def reached(self, request, spider=None) -> None:
        self.in_flight[id(request)] = (time.monotonic(), self._site(request) or "", request.url)

    def left(self, request, spider=None) -> None:
        self.in_flight.pop(id(request), None)
        site = self._site(request)
        if site and self.pending[site] > 0:
            self.pending[site] -= 1

    def opened(self, spider) -> None:
        self.loop = task.LoopingCall(self.log)
        self.loop.start(self.interval, now=False)

    def closed(self, spider, reason) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self.log()

    def line(self) -> str:
        stats = self.crawler.stats.get_stats()
        done = sum(1 for site in self.sites if self.pending[site] == 0)
        failures = sum(v for k, v in stats.items() if k.startswith("nianbao/failure/"))
        found = stats.get("nianbao/feed/reports", 0) + stats.get("nianbao/feed/revised", 0) + \
            stats.get("nianbao/dedupe/same_content", 0) + stats.get("nianbao/dedupe/near_duplicate", 0) + \
            stats.get("nianbao/recheck/unchanged", 0)
        pages = stats.get("response_received_count", 0)
        rate = (pages - self.pages_before) * 60 / self.interval
        self.pages_before = pages
        queue = sum(self.pending.values())
        line = (f"nianbao: progress {done}/{len(self.sites)} sites done, {found} reports found, "
                f"{stats.get('nianbao/feed/reports', 0)} new, {stats.get('nianbao/feed/revised', 0)} revised, "
                f"{stats.get('nianbao/recheck/removed', 0)} removed, {failures} failures, queue {queue}, "
                f"{rate:.0f} pages/min")
        if self.in_flight:
            since, site, url = min(self.in_flight.values())
            line += f"; waiting {time.monotonic() - since:.0f}s on {site or '?'}: {url}"
        worker = getattr(self.crawler, "nianbao_worker", None)
        if worker is not None:
            # a worker's own queue is only what it pushed: the shared frontier is what tells the crawl's progress
            from crawler.distributed.frontier import OUTAGE_ERRORS
            try:
                queued, leased = worker.size()
                line += f"; shared frontier {queued} queued, {leased} in progress"
            except OUTAGE_ERRORS:
                line += "; shared frontier unreachable"
        return line

    def log(self) -> None:
        # at INFO, or at the crawl's level when it is higher: --log-level WARNING keeps the progress
        configured = logging.getLevelName(str(self.crawler.settings.get("LOG_LEVEL", "INFO")).upper())
        level = configured if isinstance(configured, int) and configured > logging.INFO else logging.INFO
        logger.log(level, self.line())
