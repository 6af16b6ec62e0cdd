"""Distributed crawls for real: `nianbao worker` processes sharing one redis-server frontier, archiving into a moto
S3 server, while the tests kill a worker, restart Redis and pause S3. Every report must be fed exactly once,
with its exact bytes in the bucket."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import subprocess
import time
import zipfile
from collections import Counter

import pytest

from crawler.distributed.frontier import SharedIndex, Worker, redis_client
from crawler.archive.s3archive import S3Archive, make_client
from tests.conftest import FAST, NIANBAO, REPO, run_nianbao
from tests.servers import REDIS_SERVER, MotoServer, RedisServer, TcpGate, fake_aws_env
from tests.test_warc import _get, _pywb_bin, _stamp, serve_wayback

pytestmark = pytest.mark.skipif(not os.path.exists(REDIS_SERVER),
                                reason="redis-server is not installed (.ci/run installs it)")

SITES = ("yangcheng", "panshi", "tongyu")
QUEUE = "nianbao:reports:requests"


@pytest.fixture(scope="module", autouse=True)
def aws_env():
    with pytest.MonkeyPatch.context() as mp:
        for var in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"):
            mp.delenv(var, raising=False)
        for name, value in fake_aws_env().items():
            mp.setenv(name, value)
        yield


@pytest.fixture(scope="module")
def reference(replica, tmp_path_factory):
    """The same sites crawled by one plain `nianbao crawl`: the reports a distributed crawl must feed."""
    store = tmp_path_factory.mktemp("reference") / "store"
    proc = run_nianbao("crawl", *[replica.url(s, "/") for s in SITES], "--store", str(store), *FAST)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    from crawler.archive.feed import read_feed
    ids = [r["id"] for r in read_feed(store / "feed")]
    assert ids and len(ids) == len(set(ids))
    return set(ids)


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path / "redis")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def s3_server(tmp_path):
    server = MotoServer(tmp_path / "moto.log")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def bucket(s3_server):
    make_client(s3_server.url).create_bucket(Bucket="nianbao-dist")
    return "s3://nianbao-dist/crawl"


def _enqueue(replica, redis_server) -> None:
    proc = run_nianbao("enqueue", *[replica.url(s, "/") for s in SITES], "--redis", redis_server.url)
    assert proc.returncode == 0, proc.stderr.decode()
    assert f"{len(SITES)} URLs enqueued" in proc.stderr.decode()


_running: list[subprocess.Popen] = []


@pytest.fixture(autouse=True)
def no_worker_left():
    """A failed test must not leave workers behind (they would wait for their Redis for minutes)."""
    yield
    while _running:
        proc = _running.pop()
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)


def _worker(tmp_path, redis_server, s3_server, bucket, name, *, idle_exit=4, crash_at=None, extra=()):
    env = {**os.environ}
    env.pop("NIANBAO_CRASH_AT", None)
    if crash_at:
        env["NIANBAO_CRASH_AT"] = crash_at
    log = open(tmp_path / f"{name}.log", "wb")
    args = [NIANBAO, "worker", "--redis", redis_server.url, "--archive", bucket, "--s3-endpoint", s3_server.url,
            "--idle-exit", str(idle_exit), "--work-dir", str(tmp_path / "work"), *FAST,
            "-s", "NIANBAO_WORKER_TTL=3", "-s", "NIANBAO_FEED_PART_SECONDS=0.5",
            # few requests in hand per worker: the frontier, not the first worker to start, spreads the work
            "-s", "CONCURRENT_REQUESTS=3", *extra]
    proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, cwd=REPO, env=env)
    _running.append(proc)
    return proc


def _log(tmp_path, name) -> str:
    return (tmp_path / f"{name}.log").read_text("utf-8", "replace")


def _archive(s3_server, bucket) -> S3Archive:
    return S3Archive(bucket, endpoint_url=s3_server.url, max_outage=30)


def _feed_ids(s3_server, bucket) -> list[str]:
    proc = run_nianbao("feed", "--archive", bucket, "--s3-endpoint", s3_server.url)
    assert proc.returncode == 0, proc.stderr.decode()
    return [json.loads(line)["id"] for line in proc.stdout.decode("utf-8").splitlines() if line.strip()]


def _check_feed(s3_server, bucket, reference) -> list[dict]:
    ids = _feed_ids(s3_server, bucket)
    twice = [i for i, n in Counter(ids).items() if n > 1]
    assert not twice, f"fed twice: {twice[:3]}"
    assert set(ids) == reference, (f"missing {len(reference - set(ids))}, unexpected {len(set(ids) - reference)}")
    records = _archive(s3_server, bucket).read_feed()
    for record in records:
        body = _archive(s3_server, bucket).get_raw(record["raw"]["sha256"])
        assert body is not None and len(body) == record["raw"]["length"], record["url"]
        for file in record["attachments"]:
            assert _archive(s3_server, bucket).get_raw(file["sha256"]) is not None, file["url"]
    return records


@contextlib.contextmanager
def _pywb(wacz, home):
    """pywb (its own virtualenv, as in test_warc) serving the WACZ as collection `crawl` on loopback."""
    pywb_bin = _pywb_bin()
    home.mkdir()
    for args in (["init", "crawl"], ["add", "--unpack-wacz", "crawl", str(wacz)]):
        proc = subprocess.run([str(pywb_bin / "wb-manager"), *args], cwd=home, capture_output=True, text=True,
                              timeout=60)
        assert proc.returncode == 0, proc.stderr
    with serve_wayback(pywb_bin, home) as base:
        yield base


def _claims_fed(redis_server) -> int:
    client = redis_client(redis_server.url)
    index = SharedIndex(Worker(client, QUEUE, worker_id="observer"))
    return sum(1 for c in index.claims().values() if c.get("fed") == "1")


def _wait(procs, timeout=240) -> None:
    deadline = time.monotonic() + timeout
    for proc in procs:
        proc.wait(max(1, deadline - time.monotonic()))


def test_two_workers_feed_every_report_once(replica, reference, redis_server, s3_server, bucket, tmp_path):
    _enqueue(replica, redis_server)
    workers = [_worker(tmp_path, redis_server, s3_server, bucket, f"w{i}") for i in range(2)]
    _wait(workers)
    assert [w.returncode for w in workers] == [0, 0], _log(tmp_path, "w0")[-3000:]
    records = _check_feed(s3_server, bucket, reference)
    # both workers took part: each wrote feed parts under its own run id
    runs = {key.rsplit("/", 1)[1].rsplit("-", 1)[0] for key in _archive(s3_server, bucket).list_keys("feed/")}
    assert len(runs) == 2
    # the frontier is empty and no lease is left behind
    client = redis_client(redis_server.url)
    assert client.zcard(QUEUE) == 0
    assert not [k for k in client.scan_iter(match=f"{QUEUE}:leases:*")]
    assert _claims_fed(redis_server) == len(records)
    # each worker's last progress line tells the shared frontier's state
    assert all("shared frontier 0 queued, 0 in progress" in _log(tmp_path, f"w{i}") for i in range(2))
    # `nianbao raw --archive` gives the exact bytes
    one = records[0]["raw"]["sha256"]
    proc = run_nianbao("raw", one, "--archive", bucket, "--s3-endpoint", s3_server.url)
    assert proc.returncode == 0 and hashlib.sha256(proc.stdout).hexdigest() == one
    # every worker's WARCs reached the bucket; `export wacz --archive` packages and validates them
    warcs = [k for k in _archive(s3_server, bucket).list_keys("warc/") if k.endswith(".warc.gz")]
    assert len(warcs) >= 2
    out = tmp_path / "crawl.wacz"
    proc = run_nianbao("export", "wacz", "--archive", bucket, "--s3-endpoint", s3_server.url, "--out", str(out))
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    with zipfile.ZipFile(out) as wacz:
        packed = {n.rsplit("/", 1)[1] for n in wacz.namelist() if n.startswith("archive/")}
        pages = wacz.read("pages/pages.jsonl").decode("utf-8")
    assert packed == {k.rsplit("/", 1)[1] for k in warcs}
    assert all(json.dumps(r["url"]) in pages for r in records)
    # ... and a real pywb replays the reports from it byte for byte, whichever worker fetched them
    with _pywb(out, tmp_path / "pywb") as base:
        for record in records[:: max(1, len(records) // 6)]:
            status, body = _get(f"{base}/crawl/{_stamp(record['fetched_at'])}id_/{record['url']}")
            assert status == 200, (record["url"], body[:200])
            assert hashlib.sha256(body).hexdigest() == record["raw"]["sha256"], record["url"]


@pytest.mark.parametrize("crash_at", [
    "feedpart:1",       # its first feed part is in the bucket, its reports not yet marked fed
    "claim:4",          # its 4th report is claimed in Redis, no feed part written for it yet
    None,               # killed from outside once a few reports are fed, wherever it is
])
def test_a_killed_worker_a_restarted_redis_and_a_paused_s3_lose_nothing(replica, reference, redis_server, s3_server,
                                                                        bucket, tmp_path, crash_at):
    _enqueue(replica, redis_server)
    # a politeness delay stretches the crawl over the outages below
    slow = ("-s", "DOWNLOAD_DELAY=0.3")
    doomed = _worker(tmp_path, redis_server, s3_server, bucket, "doomed", crash_at=crash_at, extra=slow)
    steady = _worker(tmp_path, redis_server, s3_server, bucket, "steady", idle_exit=8, extra=slow)
    if crash_at is None:
        deadline = time.monotonic() + 60
        while _claims_fed(redis_server) < 5 and time.monotonic() < deadline and doomed.poll() is None:
            time.sleep(0.1)
        doomed.send_signal(signal.SIGKILL)
    doomed.wait(120)
    assert doomed.returncode == -signal.SIGKILL, _log(tmp_path, "doomed")[-3000:]
    redis_server.restart(down_for=2.0)
    s3_server.pause()
    time.sleep(4)
    s3_server.resume()
    late = _worker(tmp_path, redis_server, s3_server, bucket, "late", idle_exit=8, extra=slow)
    _wait([steady, late])
    assert steady.returncode == 0 and late.returncode == 0, _log(tmp_path, "steady")[-3000:]
    _check_feed(s3_server, bucket, reference)
    said = _log(tmp_path, "steady")
    assert "unreachable" in said and "is back after" in said
    # the dead worker's leases were handed back by a live one
    assert "stopped beating" in said + _log(tmp_path, "late")


def test_scrapy_crawl_with_the_distributed_settings(replica, reference, redis_server, s3_server, bucket, tmp_path):
    """`SCRAPY_PROJECT=distributed scrapy crawl reports` reads the same contract from the environment."""
    _enqueue(replica, redis_server)
    env = {**os.environ, "SCRAPY_PROJECT": "distributed", "NIANBAO_REDIS": redis_server.url,
           "NIANBAO_ARCHIVE": bucket, "NIANBAO_S3_ENDPOINT": s3_server.url, "NIANBAO_IDLE_EXIT": "3",
           "NIANBAO_WORK_DIR": str(tmp_path / "work"), "NIANBAO_FEED_STREAM": "nianbao:feed"}
    env.pop("NIANBAO_CRASH_AT", None)
    scrapy = str(REPO / ".venv" / "bin" / "scrapy") if (REPO / ".venv" / "bin" / "scrapy").exists() else "scrapy"
    proc = subprocess.run([scrapy, "crawl", "reports", "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0",
                           "-s", "DOWNLOAD_TIMEOUT=3"], capture_output=True, timeout=300, cwd=REPO, env=env)
    assert proc.returncode == 0, proc.stderr.decode()[-3000:]
    records = _check_feed(s3_server, bucket, reference)
    # the optional Redis Stream carries the same records, for consumer groups
    client = redis_client(redis_server.url)
    client.xgroup_create("nianbao:feed", "parsers", id="0")
    got = client.xreadgroup("parsers", "p1", {"nianbao:feed": ">"}, count=10_000)
    streamed = [json.loads(fields[b"record"])["id"] for _, entries in got for _, fields in entries]
    assert sorted(streamed) == sorted(r["id"] for r in records)


def test_enqueue_contract(redis_server):
    client = redis_client(redis_server.url)
    client.sadd("nianbao:reports:dupefilter", "from-an-earlier-campaign")
    proc = run_nianbao("enqueue", "http://127.0.0.2:8000/", "http://127.0.0.3:8000/a.html", "--redis", redis_server.url)
    assert proc.returncode == 0 and "2 URLs enqueued" in proc.stderr.decode()
    assert client.zcard(QUEUE) == 2 and client.scard("nianbao:reports:dupefilter") == 3
    proc = run_nianbao("enqueue", "http://127.0.0.4:8000/", "--fresh", "--backfill", "--redis", redis_server.url)
    assert proc.returncode == 0
    assert client.scard("nianbao:reports:dupefilter") == 1          # earlier campaigns forgotten
    assert client.zcard(QUEUE) == 3
    # a backfill request outranks the portal walks, as in a single-process crawl
    assert client.zrange(QUEUE, 0, 0, withscores=True)[0][1] == -10
    assert run_nianbao("enqueue", "ftp://example/", "--redis", redis_server.url).returncode == 2
    gone = run_nianbao("enqueue", "http://127.0.0.2/", "--redis", "redis://127.0.0.1:1/0")
    assert gone.returncode == 3 and "cannot reach Redis" in gone.stderr.decode()


def test_a_worker_whose_redis_stays_away_stops_with_exit_3(redis_server, s3_server, bucket, tmp_path):
    worker = _worker(tmp_path, redis_server, s3_server, bucket, "orphan", idle_exit=60,
                     extra=("-s", "NIANBAO_REDIS_MAX_OUTAGE=3"))
    deadline = time.monotonic() + 60
    while "Spider opened" not in _log(tmp_path, "orphan") and time.monotonic() < deadline:
        time.sleep(0.2)
    redis_server.stop()
    worker.wait(90)
    said = _log(tmp_path, "orphan")
    assert worker.returncode == 3, said[-2000:]
    assert "unreachable for over 3 s; this worker stops" in said


def _stat(text: str, name: str) -> int:
    import re
    return sum(int(n) for n in re.findall(rf"'{re.escape(name)}': (\d+)", text))


def test_postback_pages_are_asked_once_for_all_workers(replica, redis_server, s3_server, bucket, tmp_path):
    """ASP.NET pagers are POSTs whose bodies differ per response (__VIEWSTATE): the dupefilter cannot tell
    them apart, so the spider's record of pages asked for is shared in Redis, like its per-site caps."""
    home = replica.url("aspnet", "/")
    local = run_nianbao("crawl", home, "--store", str(tmp_path / "local"), *FAST, "--log-level", "INFO")
    assert local.returncode == 0
    posts = _stat(local.stderr.decode("utf-8", "replace"), "downloader/request_method_count/POST")
    assert posts >= 3
    assert run_nianbao("enqueue", home, "--redis", redis_server.url).returncode == 0
    # one request in hand per worker: the pages of one pager are handled by different workers
    workers = [_worker(tmp_path, redis_server, s3_server, bucket, f"a{i}", extra=("-s", "CONCURRENT_REQUESTS=1"))
               for i in range(3)]
    _wait(workers)
    said = "".join(_log(tmp_path, f"a{i}") for i in range(3))
    assert _stat(said, "downloader/request_method_count/POST") == posts
    from crawler.archive.feed import read_feed
    assert sorted(r["id"] for r in _archive(s3_server, bucket).read_feed()) == \
        sorted(r["id"] for r in read_feed(tmp_path / "local" / "feed"))


def test_items_that_s3_failed_go_back_to_the_frontier(replica, reference, redis_server, s3_server, bucket, tmp_path):
    """S3 unreachable for longer than NIANBAO_S3_MAX_OUTAGE: the items fail, their requests go back to the queue
    (not acked), and once S3 is back they are fetched again and fed, each once."""
    gate = TcpGate(s3_server.port)
    gate.open()
    try:
        _enqueue(replica, redis_server)
        worker = _worker(tmp_path, redis_server, gate, bucket, "cut", idle_exit=6,
                         extra=("-s", "NIANBAO_S3_MAX_OUTAGE=1", "-s", "DOWNLOAD_DELAY=0.3"))
        deadline = time.monotonic() + 60
        while _claims_fed(redis_server) < 3 and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.1)
        gate.close()
        time.sleep(6)
        gate.open()
        _wait([worker])
    finally:
        gate.close()
    said = _log(tmp_path, "cut")
    assert worker.returncode == 0, said[-3000:]
    assert "goes back to the queue" in said
    _check_feed(s3_server, bucket, reference)
