"""The shared frontier's leases and the shared content-hash index, against a real redis-server."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from crawler.distributed.frontier import FrontierUnavailable, Outage, SharedIndex, Worker, redis_client
from tests.servers import REDIS_SERVER, RedisServer

pytestmark = pytest.mark.skipif(not REDIS_SERVER or not __import__("os").path.exists(REDIS_SERVER),
                                reason="redis-server is not installed (.ci/run installs it)")

QUEUE = "nianbao:test:requests"


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory):
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def server(redis_server):
    client = redis_client(redis_server.url)
    client.flushdb()
    yield client
    client.close()


def workers(server, n, ttl=30.0):
    return [Worker(server, QUEUE, worker_id=f"w{i}", ttl=ttl, max_outage=5) for i in range(n)]


def test_pop_leases_in_priority_order_and_ack_forgets(server):
    (w,) = workers(server, 1)
    w.beat()
    server.zadd(QUEUE, {b"low": 0, b"high": -10})
    lease, data = w.pop()
    assert data == b"high"
    assert server.zcard(QUEUE) == 1
    assert w.size() == (1, 1)
    w.ack([lease])
    assert w.size() == (1, 0)
    _, data = w.pop()
    assert data == b"low"
    assert w.pop() is None


def test_requeue_puts_a_lease_back_with_its_priority(server):
    (w,) = workers(server, 1)
    w.beat()
    server.zadd(QUEUE, {b"a": -5, b"b": 0})
    lease, _ = w.pop()
    assert w.requeue([lease]) == 1
    assert server.zscore(QUEUE, b"a") == -5
    assert w.size() == (2, 0)


def test_dead_workers_leases_come_back_live_workers_keep_theirs(server):
    alive, dead = workers(server, 2, ttl=0.5)
    alive.beat()
    dead.beat()
    server.zadd(QUEUE, {b"r1": 0, b"r2": 0, b"r3": 0})
    dead.pop()
    dead.pop()
    alive.pop()
    assert alive.reap() == 0                     # both beating: nothing to reap
    time.sleep(0.7)
    alive.beat()                                 # only `alive` keeps beating
    assert alive.reap() == 2
    assert server.zcard(QUEUE) == 2
    assert alive.size() == (2, 1)
    assert b"w1" not in server.smembers(f"{QUEUE}:workers")


def test_concurrent_pops_never_hand_one_request_to_two_workers(server):
    ws = workers(server, 4)
    server.zadd(QUEUE, {f"r{i}".encode(): 0 for i in range(400)})

    def drain(w):
        got = []
        while (item := w.pop()) is not None:
            got.append(item[1])
        return got

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(drain, ws))
    everything = [r for got in results for r in got]
    assert len(everything) == 400 == len(set(everything))


def test_leave_returns_every_lease(server):
    (w,) = workers(server, 1)
    w.beat()
    server.zadd(QUEUE, {b"a": 0, b"b": 0})
    w.pop()
    w.pop()
    assert w.leave() == 2
    assert w.size() == (2, 0)
    assert not w.is_alive("w0")


def test_claim_is_won_once_under_contention(server):
    ws = workers(server, 8)
    for w in ws:
        w.beat()
    indexes = [SharedIndex(w, prefix="t") for w in ws]
    barrier = threading.Barrier(8)

    def claim(index):
        barrier.wait()
        return index.claim("abc", {"url": "http://127.0.0.1/x"})[0]

    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(claim, indexes))
    assert sorted(outcomes) == [0] * 7 + [1]


def test_unfed_claim_of_a_dead_worker_is_taken_over_with_its_noted_part(server):
    first, second = workers(server, 2, ttl=0.4)
    first.beat()
    second.beat()
    a, b = SharedIndex(first, prefix="t"), SharedIndex(second, prefix="t")
    assert a.claim("r1", {"url": "u"}) == (1, "")
    a.note_part(["r1"], "feed/run-000001.jsonl")
    assert b.claim("r1", {"url": "u"}) == (0, "")          # its claimer is alive: a duplicate
    assert not b.recoverable("r1")
    time.sleep(0.6)
    second.beat()
    assert b.recoverable("r1")
    assert a.owned(["r1"]) == [True]
    assert b.claim("r1", {"url": "u"}) == (2, "feed/run-000001.jsonl")
    assert a.owned(["r1"]) == [False] and b.owned(["r1"]) == [True]    # `a` only stalled: it must not feed it
    assert b.claim("r1", {"url": "u"}) == (3, "")           # now its own, unfed
    b.mark_fed(["r1"])
    assert b.fed("r1")
    assert a.claim("r1", {"url": "u"}) == (0, "")
    assert not b.recoverable("r1")


def test_signatures_and_urls_are_shared(server):
    w1, w2 = workers(server, 2)
    a, b = SharedIndex(w1, prefix="t"), SharedIndex(w2, prefix="t")
    a.add_signature("r1", 2023, "松山镇人民政府", b"\x00\x01sig")
    a.add_signature("r2", None, "x", b"sig")                  # no year: not a candidate anywhere
    assert b.near_candidates(2023) == [("r1", "松山镇人民政府", b"\x00\x01sig")]
    assert b.near_candidates(2022) == []
    a.add_url("r1", "http://127.0.0.1/a", "first")
    b.add_url("r1", "http://127.0.0.1/a", "same_content")     # the first relation stays
    b.add_url("r1", "http://127.0.0.1/b", "near_duplicate")
    assert a.urls("r1") == {"http://127.0.0.1/a": "first", "http://127.0.0.1/b": "near_duplicate"}


def test_index_waits_out_a_redis_restart(redis_server, server, caplog):
    (w,) = workers(server, 1)
    index = SharedIndex(w, prefix="t")
    index.claim("before", {"url": "u"})
    restarted = threading.Thread(target=redis_server.restart, kwargs={"down_for": 1.5})
    restarted.start()
    time.sleep(0.3)
    with caplog.at_level("WARNING", logger="crawler.distributed.frontier"):
        assert index.claim("during", {"url": "u"}) == (1, "")
    restarted.join()
    assert index.exists("before")                            # the append-only file kept it
    lines = [r.getMessage() for r in caplog.records]
    assert sum("unreachable" in line for line in lines) == 1
    assert sum("is back after" in line for line in lines) == 1


def test_outage_gives_up_after_its_limit(redis_server, tmp_path):
    gone = RedisServer(tmp_path)          # a port nobody listens on
    client = redis_client(gone.url)
    outage = Outage("redis test", max_outage=1.0)
    started = time.monotonic()
    with pytest.raises(FrontierUnavailable):
        outage.call(client.ping)
    assert 1.0 <= time.monotonic() - started < 10


def test_shared_walk_state_is_one_for_all_workers(server):
    from spiders.frontier import SharedWalk, forget_campaign
    a, b = (SharedWalk(w) for w in workers(server, 2))
    key = ("postback", "http://127.0.0.10/List.aspx", "GridView1", "Page$2", None)
    assert a.first_time("127.0.0.10", key)
    assert not b.first_time("127.0.0.10", key)                  # the other worker already asked for it
    assert b.first_time("127.0.0.11", key)                      # per site
    assert [a.take("s", "listing", 3), b.take("s", "listing", 3), a.take("s", "listing", 3),
            b.take("s", "listing", 3)] == [True, True, True, False]
    server.sadd("nianbao:test:dupefilter", "fp")
    forget_campaign(workers(server, 1)[0], "nianbao:test:dupefilter")
    assert a.first_time("127.0.0.10", key) and a.take("s", "listing", 3)
    assert not server.exists("nianbao:test:dupefilter")
