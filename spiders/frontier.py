"""Scrapy shells over crawler.distributed.frontier: scrapy-redis's scheduler with leased pops, and the worker's idle exit.

FrontierScheduler is scrapy-redis's Scheduler (shared priority queue + fingerprint dupefilter in Redis) whose
queue pops with a lease. A lease is acknowledged once the engine has finished its request: Scrapy has no
signal for that moment, but the engine's in-progress set is that fact (a request leaves it after its
response went through the callback, its items through the pipelines and its follow-ups into the queue, or
after a redirect/retry copy of it was queued), so the scheduler compares its leases with that set twice a
second. An item that failed for want of storage (S3 or Redis down past their outage limits) puts its lease
back in the queue instead. A clean stop puts every lease still held back; a SIGKILL leaves them to expire
with the worker's heartbeat.

While Redis is away the scheduler keeps new requests in memory and hands out none, retrying with backoff;
the engine sees pending requests and keeps the spider open.

Settings (settings/distributed.py): REDIS_URL, SCHEDULER_QUEUE_KEY, SCHEDULER_DUPEFILTER_KEY,
NIANBAO_WORKER_TTL, NIANBAO_REDIS_MAX_OUTAGE, NIANBAO_IDLE_EXIT.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
import time

from scrapy import signals
from scrapy.exceptions import CloseSpider, DontCloseSpider, NotConfigured
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.request import request_from_dict
from scrapy_redis import picklecompat
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

from crawler.distributed.frontier import OUTAGE_ERRORS, Worker, redis_client, worker_from_crawler
from crawler.archive.storage import StoreError

logger = logging.getLogger(__name__)

LEASE_META = "nianbao_lease"
# meta that only means something inside the process that set it
_LOCAL_META = (LEASE_META, "playwright_page")




def enqueue(worker: Worker, dupefilter_key: str, requests: list[dict]) -> int:
    """Push request dicts (ReportsSpider.seed_request) onto the shared frontier; their fingerprints are recorded
    so that the crawl does not fetch them again when it meets them. Returns how many were pushed."""
    df = RFPDupeFilter(worker.server, key=dupefilter_key)
    for data in requests:
        fingerprint = df.request_fingerprint(request_from_dict({**data, "callback": None, "errback": None}))
        # dont_filter: pushed even if met before, but recorded so that the crawl does not fetch it twice
        worker.server.sadd(dupefilter_key, fingerprint)
        worker.push(picklecompat.dumps(data), -data.get("priority", 0), None, dupefilter_key)
    return len(requests)


class SharedWalk:
    """What the reports spider keeps per site, kept in Redis for all the workers of a crawl: the POSTed listing
    pages already asked for, and the per-site caps (listing pages, renders). Keys live under the queue key
    (`…:requests:seen:<site>`, `…:requests:count:<site>:<kind>`), so `enqueue --fresh` clears them too."""

    def __init__(self, worker: Worker):
        self.worker = worker

    def first_time(self, site: str, key: tuple) -> bool:
        digest = hashlib.sha1(repr(key).encode("utf-8", "surrogatepass")).hexdigest()
        name = f"{self.worker.queue_key}:seen:{site}"
        return self.worker.outage.call(lambda: self.worker.server.sadd(name, digest)) == 1

    def take(self, site: str, kind: str, cap: int) -> bool:
        name = f"{self.worker.queue_key}:count:{site}:{kind}"
        return self.worker.outage.call(lambda: self.worker.server.incr(name)) <= cap


def forget_campaign(worker: Worker, dupefilter_key: str) -> None:
    """A new campaign: request fingerprints, POSTed listings seen and per-site counts are forgotten."""
    names = [dupefilter_key, *worker.server.scan_iter(match=f"{worker.queue_key}:seen:*", count=1000),
             *worker.server.scan_iter(match=f"{worker.queue_key}:count:*", count=1000)]
    worker.server.delete(*names)


class LeasedQueue(PriorityQueue):
    """scrapy-redis's priority queue (ZADD score -priority) popping through Worker.pop's lease."""

    def __init__(self, server, spider, key, serializer=None):
        super().__init__(server, spider, key, serializer)
        self.worker = worker_from_crawler(spider.crawler)
        self.held: dict[str, object] = {}          # lease id -> the Request handed to the engine

    def _encode_request(self, request):
        obj = request.to_dict(spider=self.spider)
        obj["meta"] = {k: v for k, v in obj["meta"].items() if k not in _LOCAL_META}
        return self.serializer.dumps(obj)

    def pop(self, timeout=0):
        got = self.worker.pop()
        if got is None:
            return None
        lease, data = got
        try:
            request = request_from_dict(self.serializer.loads(data), spider=self.spider)
        except Exception as exc:  # noqa: BLE001 - a request this code cannot read must not stop the worker
            logger.error("frontier: dropped a queued request this worker cannot read (%s: %s)",
                         type(exc).__name__, exc)
            self.worker.ack([lease])
            self.spider.crawler.stats.inc_value("nianbao/frontier/unreadable")
            return None
        request.meta[LEASE_META] = lease
        self.held[lease] = request
        return request


class FrontierScheduler(Scheduler):
    def __init__(self, server, crawler, **kwargs):
        super().__init__(server, **kwargs)
        self.crawler = crawler
        self.worker: Worker = worker_from_crawler(crawler)
        self.outage = self.worker.outage
        self._buffer: list = []            # requests to push once Redis answers again
        self._acks: list[str] = []         # leases done, not yet deleted in Redis
        self._nacks: set[str] = set()      # leases whose request must go back to the queue
        self._loops: list[task.LoopingCall] = []
        self._last_reap = 0.0
        self._giving_up = False

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        worker = worker_from_crawler(crawler)
        kwargs = {"persist": True, "queue_key": s.get("SCHEDULER_QUEUE_KEY", "%(spider)s:requests"),
                  "queue_cls": s.get("SCHEDULER_QUEUE_CLASS", "spiders.frontier.LeasedQueue"),
                  "dupefilter_key": s.get("SCHEDULER_DUPEFILTER_KEY", "%(spider)s:dupefilter"),
                  "serializer": picklecompat}
        # the first contact waits out an outage like any other (a worker may start before Redis)
        worker.outage.call(worker.server.ping)
        scheduler = cls(worker.server, crawler, **kwargs)
        scheduler.stats = crawler.stats
        crawler.signals.connect(scheduler.item_error, signal=signals.item_error)
        return scheduler

    def open(self, spider):
        # one client for queue, dupefilter and leases (scrapy-redis would open a second from REDIS_PARAMS)
        self.df = RFPDupeFilter(self.server, key=self.dupefilter_key % {"spider": spider.name},
                                debug=spider.settings.getbool("DUPEFILTER_DEBUG"))
        super().open(spider)
        self._beat()
        for fn, every in ((self._sweep, 0.5), (self._beat, max(0.5, self.worker.ttl / 3))):
            loop = task.LoopingCall(fn)
            loop.start(every, now=False)
            self._loops.append(loop)

    # -- scheduling ---------------------------------------------------------------------------------------------
    def enqueue_request(self, request):
        if self.outage.down or self._buffer:
            self._buffer.append(request)
            self._flush_buffer()
            return True
        try:
            pushed = self._push(request)
        except OUTAGE_ERRORS as exc:
            self.outage.failed(exc)
            self._buffer.append(request)
            return True
        if not pushed:
            self.df.log(request, self.spider)
        return pushed

    def _push(self, request) -> bool:
        """Dupefilter check and push in one Redis script (crawler.distributed.frontier.Worker.push)."""
        fingerprint = None if request.dont_filter else self.df.request_fingerprint(request)
        try:
            data = self.queue._encode_request(request)
        except (ValueError, TypeError, AttributeError, pickle.PicklingError) as exc:
            # a callback that is not a spider method, or meta that cannot leave the process
            logger.error("frontier: cannot queue %s: %s: %s", request.url, type(exc).__name__, exc)
            self.stats.inc_value("nianbao/frontier/unserializable")
            return False
        pushed = self.worker.push(data, -request.priority, fingerprint, self.df.key)
        if pushed:
            self.stats.inc_value("scheduler/enqueued/redis")
        return pushed

    def next_request(self):
        if not self.outage.may_try():
            return None
        if self._buffer and not self._flush_buffer():
            return None
        try:
            request = super().next_request()
        except OUTAGE_ERRORS as exc:
            self.outage.failed(exc)
            return None
        self.outage.succeeded()
        return request

    def has_pending_requests(self):
        if self._buffer or self.outage.down:
            return True                 # keep the engine asking: it must not close for an outage
        try:
            return len(self) > 0
        except OUTAGE_ERRORS as exc:
            self.outage.failed(exc)
            return True

    def _flush_buffer(self) -> bool:
        """Push the requests kept through an outage (dupefilter first, as any request). True when all went."""
        if not self.outage.may_try():
            return False
        while self._buffer:
            try:
                self._push(self._buffer[0])
            except OUTAGE_ERRORS as exc:
                self.outage.failed(exc)
                return False
            self._buffer.pop(0)
        self.outage.succeeded()
        return True

    # -- leases -------------------------------------------------------------------------------------------------
    def item_error(self, item, response, spider=None, failure=None):
        """An item lost for want of storage: its request goes back to the frontier rather than being acked."""
        if failure is not None and failure.check(StoreError) and response is not None:
            lease = response.meta.get(LEASE_META)
            if lease:
                self._nacks.add(lease)
                logger.warning("frontier: %s goes back to the queue: %s", response.url, failure.value)

    def _sweep(self) -> None:
        if self.outage.expired() and not self._giving_up:
            # past NIANBAO_REDIS_MAX_OUTAGE: stop (exit status 3 from `nianbao worker`); leases expire with the
            # heartbeat and go back to the other workers
            self._giving_up = True
            logger.error("frontier: Redis unreachable for over %.0f s; this worker stops", self.outage.max_outage)
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="frontier_unavailable"))
            return
        slot = getattr(self.crawler.engine, "_slot", None)
        held = self.queue.held
        if slot is not None:
            inprogress = slot.inprogress
            done = [lease for lease, request in held.items() if request not in inprogress]
            for lease in done:
                del held[lease]
            self._acks.extend(done)
            # an idle engine asks its scheduler only every 5 s (its heartbeat): requests other workers push
            # meanwhile would wait for it, so nudge it twice a second
            slot.nextcall.schedule()
        self._settle()
        if time.monotonic() - self._last_reap > self.worker.ttl / 2:
            self._last_reap = time.monotonic()
            try:
                self.worker.reap()
            except OUTAGE_ERRORS as exc:
                self.outage.failed(exc)

    def _settle(self) -> None:
        if not self._acks or not self.outage.may_try():
            return
        acks, self._acks = self._acks, []
        back = [lease for lease in acks if lease in self._nacks]
        try:
            self.worker.requeue(back)
            self.worker.ack([lease for lease in acks if lease not in self._nacks])
        except OUTAGE_ERRORS as exc:
            self.outage.failed(exc)
            self._acks = acks + self._acks
            return
        self._nacks.difference_update(back)
        self.stats.inc_value("nianbao/frontier/acked", len(acks) - len(back))
        if back:
            self.stats.inc_value("nianbao/frontier/requeued", len(back))

    def _beat(self) -> None:
        try:
            self.worker.beat()
        except OUTAGE_ERRORS as exc:
            self.outage.failed(exc)

    def close(self, reason):
        for loop in self._loops:
            if loop.running:
                loop.stop()
        # a clean stop: finished leases acked, pushes kept through an outage made, unfinished leases returned
        slot = getattr(self.crawler.engine, "_slot", None)
        unfinished = slot.inprogress if slot is not None else set()
        self._acks.extend(lease for lease, request in self.queue.held.items() if request not in unfinished)
        self.queue.held.clear()
        deadline = time.monotonic() + (0 if self._giving_up else min(self.outage.max_outage, 60.0))
        while (self._buffer or self._acks) and time.monotonic() < deadline:
            self._flush_buffer()
            self._settle()
            if self._buffer or self._acks:
                time.sleep(0.2)
        try:
            n = self.worker.leave() if self._giving_up else self.outage.call(self.worker.leave)
        except (StoreError, *OUTAGE_ERRORS) as exc:
            logger.error("frontier: could not hand back this worker's requests: %s (they return when its "
                         "heartbeat expires)", exc)
        else:
            if n:
                logger.info("frontier: %d unfinished requests back in the queue for the other workers", n)
        if self._buffer:
            logger.error("frontier: %d new requests could not be pushed before the worker stopped", len(self._buffer))
        return super().close(reason)


class IdleExit:
    """Keeps a worker open while the shared frontier has work anywhere; with NIANBAO_IDLE_EXIT set, closes it once
    the frontier (queue and every worker's leases) has been empty that many seconds."""

    def __init__(self, crawler, idle_exit: float | None):
        self.crawler = crawler
        self.idle_exit = idle_exit
        self._empty_since: float | None = None

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.get("REDIS_URL") or "FrontierScheduler" not in str(crawler.settings.get("SCHEDULER")):
            raise NotConfigured("not a distributed crawl")
        raw = crawler.settings.get("NIANBAO_IDLE_EXIT")
        ext = cls(crawler, float(raw) if raw not in (None, "") else None)
        crawler.signals.connect(ext.spider_idle, signal=signals.spider_idle)
        return ext

    def spider_idle(self, spider=None):
        worker = worker_from_crawler(self.crawler)
        try:
            worker.reap()
            queued, leased = worker.size()
        except OUTAGE_ERRORS as exc:
            worker.outage.failed(exc)
            if worker.outage.expired():
                logger.error("frontier: Redis unreachable for over %.0f s; this worker stops",
                             worker.outage.max_outage)
                raise CloseSpider("frontier_unavailable")
            raise DontCloseSpider
        if queued or leased:
            self._empty_since = None
            raise DontCloseSpider
        now = time.monotonic()
        if self._empty_since is None:
            self._empty_since = now
        if self.idle_exit is None or now - self._empty_since < self.idle_exit:
            raise DontCloseSpider
        logger.info("frontier: empty for %.0f s; this worker stops", now - self._empty_since)
