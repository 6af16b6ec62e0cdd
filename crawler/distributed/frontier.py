"""The shared state of a distributed crawl on Redis: the frontier's leases and the content-hash index.

scrapy-redis keeps the frontier: a sorted set of serialized requests (score = -priority) plus a set of request
fingerprints (its dupefilter). Its queue pops a request by deleting it, so a worker killed with requests in hand
loses them. nianbao pops with a lease instead (the reliable-queue pattern): one Lua script moves the request
from the queue into the worker's lease hash; the worker deletes the lease once the engine is done with the request
(response handled, its items through the pipelines, its follow-up requests pushed); a worker whose heartbeat key
has expired gets its leases put back in the queue by whichever worker notices first.

Keys (QUEUE is the scheduler's queue key, `nianbao:reports:requests` by default):
  QUEUE                      zset    serialized request -> -priority (scrapy-redis's PriorityQueue)
  QUEUE:workers              set     ids of the workers that may hold leases
  QUEUE:alive:<worker>       string  the worker's heartbeat; expires NIANBAO_WORKER_TTL seconds after its last beat
  QUEUE:leases:<worker>      hash    lease id -> serialized request
  QUEUE:scores:<worker>      hash    lease id -> the request's score in QUEUE
  INDEX:report:<id>          hash    a claimed report: worker, url, raw, fed (0/1), part (its feed part's key)
  INDEX:sigs:<year>          hash    report id -> agency NUL MinHash signature (near-duplicate candidates)
  INDEX:urls:<id>            hash    URL -> relation (first, same_content, near_duplicate)

A claim is atomic (one Lua script, like SET NX with the report's details): the first worker to claim a content
id feeds it. A claim whose worker died before the report's feed part was written is taken over by the next
worker that meets the report, which first checks whether that part made it to the archive after all.

Redis must persist (appendonly yes): a restarted Redis then has the frontier, leases and claims it had.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from typing import TypeVar

import redis
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

from crawler.archive.storage import StoreError

__all__ = ["Worker", "SharedIndex", "FrontierUnavailable", "redis_client", "OUTAGE_ERRORS", "Outage"]

log = logging.getLogger(__name__)
T = TypeVar("T")

# What "Redis is not answering now" looks like: refused or reset connections, timeouts, and the
# LOADING answer of a restarted server still reading its append-only file.
OUTAGE_ERRORS = (redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError)


class FrontierUnavailable(StoreError):
    """Redis stayed unreachable for longer than the allowed outage."""


def redis_client(url: str) -> redis.Redis:
    """A client with short timeouts: an outage must show within seconds, and the callers decide how to wait.

    redis-py's own retry covers one blip (a pooled connection reset by a restarted server).
    """
    return redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=3, health_check_interval=10,
                                retry=Retry(ExponentialBackoff(cap=0.5, base=0.05), retries=2))


class Outage:
    """One line when Redis goes away, one when it is back; backoff between tries. Shared by threads."""

    def __init__(self, what: str, max_outage: float):
        self.what = what
        self.max_outage = max_outage
        self.since: float | None = None
        self._next_try = 0.0
        self._delay = 0.0
        self._lock = threading.Lock()

    def failed(self, exc: BaseException) -> None:
        with self._lock:
            now = time.monotonic()
            if self.since is None:
                self.since = now
                self._delay = 0.2
                log.warning("%s unreachable (%s): buffering and retrying with backoff", self.what,
                            " ".join(f"{type(exc).__name__}: {exc}".split()))
            else:
                self._delay = min(self._delay * 2, 5.0)
            self._next_try = now + self._delay

    def succeeded(self) -> None:
        if self.since is None:
            return
        with self._lock:
            if self.since is not None:
                log.warning("%s is back after %.1f s", self.what, time.monotonic() - self.since)
                self.since = None

    @property
    def down(self) -> bool:
        return self.since is not None

    def may_try(self) -> bool:
        return self.since is None or time.monotonic() >= self._next_try

    def expired(self) -> bool:
        return self.since is not None and time.monotonic() - self.since > self.max_outage

    def call(self, fn: Callable[[], T]) -> T:
        """Run `fn` until it reaches Redis, sleeping with backoff; FrontierUnavailable after max_outage."""
        while True:
            try:
                result = fn()
            except OUTAGE_ERRORS as exc:
                self.failed(exc)
                if self.expired():
                    raise FrontierUnavailable(f"{self.what} unreachable for {self.max_outage:.0f} s: {exc}") from exc
                time.sleep(max(0.0, self._next_try - time.monotonic()))
                continue
            self.succeeded()
            return result


_POP = """
local item = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #item == 0 then return false end
redis.call('ZREM', KEYS[1], item[1])
redis.call('HSET', KEYS[2], ARGV[1], item[1])
redis.call('HSET', KEYS[3], ARGV[1], item[2])
return item[1]
"""

_PUSH = """
if ARGV[3] ~= '' and redis.call('SADD', KEYS[2], ARGV[3]) == 0 then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
return 1
"""

_REQUEUE = """
local n = 0
for _, id in ipairs(ARGV) do
  local data = redis.call('HGET', KEYS[2], id)
  if data then
    redis.call('ZADD', KEYS[1], redis.call('HGET', KEYS[3], id) or '0', data)
    redis.call('HDEL', KEYS[2], id)
    redis.call('HDEL', KEYS[3], id)
    n = n + 1
  end
end
return n
"""

_REAP = """
if redis.call('EXISTS', KEYS[4]) == 1 then return -1 end
local all = redis.call('HGETALL', KEYS[2])
for i = 1, #all, 2 do
  redis.call('ZADD', KEYS[1], redis.call('HGET', KEYS[3], all[i]) or '0', all[i + 1])
end
redis.call('DEL', KEYS[2], KEYS[3])
redis.call('SREM', KEYS[5], ARGV[1])
return #all / 2
"""


def new_worker_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


class Worker:
    """One crawl process's identity on the frontier: heartbeat, leased pops, acks, and reaping the dead."""

    def __init__(self, server: redis.Redis, queue_key: str, *, worker_id: str | None = None, ttl: float = 30.0,
                 max_outage: float = 600.0):
        self.server = server
        self.queue_key = queue_key
        self.id = worker_id or new_worker_id()
        self.ttl = ttl
        self.outage = Outage(f"redis frontier {self._where()}", max_outage)
        self._pop = server.register_script(_POP)
        self._push = server.register_script(_PUSH)
        self._requeue = server.register_script(_REQUEUE)
        self._reap = server.register_script(_REAP)

    def _where(self) -> str:
        kw = self.server.connection_pool.connection_kwargs
        return f"at {kw.get('host', '?')}:{kw.get('port', '?')}/{kw.get('db', 0)}"

    # -- keys ------------------------------------------------------------------------------------------------
    @property
    def workers_key(self) -> str:
        return f"{self.queue_key}:workers"

    def alive_key(self, worker: str | None = None) -> str:
        return f"{self.queue_key}:alive:{worker or self.id}"

    def leases_key(self, worker: str | None = None) -> str:
        return f"{self.queue_key}:leases:{worker or self.id}"

    def scores_key(self, worker: str | None = None) -> str:
        return f"{self.queue_key}:scores:{worker or self.id}"

    # -- operations (each one Redis round trip; callers handle OUTAGE_ERRORS) ---------------------------------
    def beat(self) -> None:
        pipe = self.server.pipeline()
        pipe.set(self.alive_key(), str(time.time()), px=int(self.ttl * 1000))
        pipe.sadd(self.workers_key, self.id)
        pipe.execute()

    def push(self, data: bytes, score: float, fingerprint: str | None, seen_key: str) -> bool:
        """Queue a serialized request unless its fingerprint is in `seen_key` (scrapy-redis's dupefilter set);
        one script, so a retry after a lost answer finds the request queued, never recorded-but-dropped."""
        return bool(self._push(keys=[self.queue_key, seen_key], args=[data, score, fingerprint or ""]))

    def pop(self) -> tuple[str, bytes] | None:
        """Lease the highest-priority request: (lease id, serialized request), or None when the queue is empty."""
        lease = uuid.uuid4().hex
        data = self._pop(keys=[self.queue_key, self.leases_key(), self.scores_key()], args=[lease])
        return None if data is None else (lease, data)

    def ack(self, leases: list[str]) -> None:
        """The requests of these leases are done with: forget them."""
        if leases:
            pipe = self.server.pipeline()
            pipe.hdel(self.leases_key(), *leases)
            pipe.hdel(self.scores_key(), *leases)
            pipe.execute()

    def requeue(self, leases: list[str]) -> int:
        """Put these leased requests back in the queue (their handling failed for want of storage)."""
        if not leases:
            return 0
        return int(self._requeue(keys=[self.queue_key, self.leases_key(), self.scores_key()], args=list(leases)))

    def leases(self) -> list[str]:
        return [k.decode() if isinstance(k, bytes) else k for k in self.server.hkeys(self.leases_key())]

    def leave(self) -> int:
        """A clean stop: every lease still held goes back to the queue, the heartbeat is dropped."""
        n = self.requeue(self.leases())
        pipe = self.server.pipeline()
        pipe.delete(self.alive_key(), self.leases_key(), self.scores_key())
        pipe.srem(self.workers_key, self.id)
        pipe.execute()
        return n

    def is_alive(self, worker: str) -> bool:
        return bool(self.server.exists(self.alive_key(worker)))

    def reap(self) -> int:
        """Requests leased by workers whose heartbeat expired go back to the queue; returns how many."""
        total = 0
        for raw in self.server.smembers(self.workers_key):
            worker = raw.decode() if isinstance(raw, bytes) else raw
            if worker == self.id:
                continue
            n = int(self._reap(keys=[self.queue_key, self.leases_key(worker), self.scores_key(worker),
                                     self.alive_key(worker), self.workers_key], args=[worker]))
            if n > 0:
                log.warning("frontier: worker %s stopped beating; %d requests it held are back in the queue",
                            worker, n)
                total += n
        return total

    def size(self) -> tuple[int, int]:
        """(requests queued, requests leased by any worker)."""
        pipe = self.server.pipeline()
        pipe.zcard(self.queue_key)
        pipe.smembers(self.workers_key)
        queued, workers = pipe.execute()
        pipe = self.server.pipeline()
        for raw in workers:
            pipe.hlen(self.leases_key(raw.decode() if isinstance(raw, bytes) else raw))
        return int(queued), sum(int(n) for n in pipe.execute())


_CLAIM = """
local cur = redis.call('HGET', KEYS[1], 'worker')
if not cur then
  redis.call('HSET', KEYS[1], 'worker', ARGV[1], 'fed', '0', unpack(ARGV, 3))
  return {1, ''}
end
if redis.call('HGET', KEYS[1], 'fed') == '1' then return {0, ''} end
if cur == ARGV[1] then return {3, redis.call('HGET', KEYS[1], 'part') or ''} end
if redis.call('EXISTS', ARGV[2] .. cur) == 1 then return {0, ''} end
local part = redis.call('HGET', KEYS[1], 'part') or ''
redis.call('HSET', KEYS[1], 'worker', ARGV[1])
redis.call('HDEL', KEYS[1], 'part')
return {2, part}
"""


class SharedIndex:
    """The content-hash index every worker shares: who claimed and fed which report; near-duplicate signatures.

    Every call waits out a Redis outage (backoff, one log line) up to the worker's max outage.
    """

    def __init__(self, worker: Worker, prefix: str = "nianbao:index"):
        self.worker = worker
        self.server = worker.server
        self.prefix = prefix
        self._claim = self.server.register_script(_CLAIM)
        self.outage = Outage(f"redis index {worker._where()}", worker.outage.max_outage)

    def _report_key(self, report_id: str) -> str:
        return f"{self.prefix}:report:{report_id}"

    def claim(self, report_id: str, fields: dict[str, str]) -> tuple[int, str]:
        """(1, "") a new claim; (2, part key or "") taken over from a dead worker that had not fed it;
        (3, part key or "") claimed by this worker and not fed (in flight, or its part failed);
        (0, "") claimed already (fed, or being fed by another live worker)."""
        args = [self.worker.id, f"{self.worker.queue_key}:alive:"]
        for name, value in fields.items():
            args += [name, "" if value is None else str(value)]
        status, part = self.outage.call(lambda: self._claim(keys=[self._report_key(report_id)], args=args))
        return int(status), part.decode() if isinstance(part, bytes) else part

    def exists(self, report_id: str) -> bool:
        return bool(self.outage.call(lambda: self.server.exists(self._report_key(report_id))))

    def recoverable(self, report_id: str) -> bool:
        """Claimed, not fed, and its worker is dead or this one (whose part failed, unless the caller knows the
        report is in flight here): the next worker to meet it must feed it."""
        row = self.outage.call(lambda: self.server.hmget(self._report_key(report_id), "worker", "fed"))
        worker, fed = (v.decode() if isinstance(v, bytes) else v for v in row)
        return worker is not None and fed == "0" and (worker == self.worker.id or not self.outage.call(
            lambda: self.worker.is_alive(worker)))

    def owned(self, report_ids: list[str]) -> list[bool]:
        """Whether each claim is still this worker's (a worker stalled past its heartbeat may have lost some)."""
        def run():
            pipe = self.server.pipeline()
            for rid in report_ids:
                pipe.hget(self._report_key(rid), "worker")
            return pipe.execute()
        me = self.worker.id.encode()
        return [value == me for value in self.outage.call(run)]

    def note_part(self, report_ids: list[str], key: str) -> None:
        """Before a feed part is written: where these reports' lines are going (checked on a takeover)."""
        def run():
            pipe = self.server.pipeline()
            for rid in report_ids:
                pipe.hset(self._report_key(rid), "part", key)
            pipe.execute()
        self.outage.call(run)

    def mark_fed(self, report_ids: list[str]) -> None:
        def run():
            pipe = self.server.pipeline()
            for rid in report_ids:
                pipe.hset(self._report_key(rid), "fed", "1")
            pipe.execute()
        self.outage.call(run)

    def fed(self, report_id: str) -> bool:
        return self.outage.call(lambda: self.server.hget(self._report_key(report_id), "fed")) in (b"1", "1")

    def add_url(self, report_id: str, url: str, relation: str) -> None:
        self.outage.call(lambda: self.server.hsetnx(f"{self.prefix}:urls:{report_id}", url, relation))

    def urls(self, report_id: str) -> dict[str, str]:
        raw = self.outage.call(lambda: self.server.hgetall(f"{self.prefix}:urls:{report_id}"))
        return {k.decode(): v.decode() for k, v in raw.items()}

    def add_signature(self, report_id: str, year: int | None, agency: str | None, signature: bytes | None) -> None:
        if year is None or not signature:
            return
        value = (agency or "").encode("utf-8") + b"\0" + signature
        self.outage.call(lambda: self.server.hset(f"{self.prefix}:sigs:{year}", report_id, value))

    def near_candidates(self, year: int | None) -> list[tuple[str, str | None, bytes]]:
        """(id, agency, signature) of the claimed reports of `year` (the local store's near_candidates)."""
        if year is None:
            return []
        raw = self.outage.call(lambda: self.server.hgetall(f"{self.prefix}:sigs:{year}"))
        out = []
        for rid, value in raw.items():
            agency, _, sig = value.partition(b"\0")
            out.append((rid.decode(), agency.decode("utf-8") or None, sig))
        return out

    def claims(self) -> dict[str, dict[str, str]]:
        """Every claim (report id -> its fields): for status and tests, not for the crawl's hot path."""
        out = {}
        for key in self.server.scan_iter(match=f"{self.prefix}:report:*", count=1000):
            fields = self.server.hgetall(key)
            rid = key.decode().rsplit(":", 1)[1]
            out[rid] = {k.decode(): v.decode() for k, v in fields.items()}
        return out


def worker_from_crawler(crawler) -> Worker:
    """The crawl process's Worker (one per crawler), made from REDIS_URL and the scheduler's queue key."""
    worker = getattr(crawler, "nianbao_worker", None)
    if worker is None:
        s = crawler.settings
        url = s.get("REDIS_URL")
        if not url:
            from scrapy.exceptions import NotConfigured

            raise NotConfigured("REDIS_URL is empty: a distributed crawl needs Redis")
        key = s.get("SCHEDULER_QUEUE_KEY", "%(spider)s:requests") % {"spider": crawler.spidercls.name}
        worker = Worker(redis_client(url), key, worker_id=s.get("NIANBAO_WORKER_ID") or None,
                        ttl=s.getfloat("NIANBAO_WORKER_TTL", 30.0),
                        max_outage=s.getfloat("NIANBAO_REDIS_MAX_OUTAGE", 600.0))
        crawler.nianbao_worker = worker
    return worker
