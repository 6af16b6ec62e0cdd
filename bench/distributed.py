"""Distributed-mode figures for `python -m bench`: `nianbao worker` processes sharing a redis-server frontier and
archiving into a moto S3 server, all on this machine (no assertions, printable lines only).

On the replica's plain sites (no browser or challenge sites, no traps, no fujian with its slow OCR/LibreOffice
files, no evolving site), with no politeness delay:

1. throughput with 1, 2 and 4 workers started at once (a fresh redis-server and a fresh bucket prefix each):
   reports fed (`nianbao feed`), pages fetched (the workers' stats), reports/s, scaling against 1 worker;
2. memory: each worker's peak RSS (/proc VmHWM) and Scrapy's 'memusage/max', and for the 1-worker run its RSS
   sampled against the size of the Redis frontier (queued + leased): flat = the frontier lives in Redis;
3. S3 archive cost: a local single-process `nianbao crawl` of the same sites (parsing off, as in the workers)
   against the 1-worker run: seconds and CPU seconds per fed report, objects and bytes in the bucket per fed
   report against the local store's raw/ files, and the S3 requests per fed report (moto's request log).

CPU seconds of each process (crawlers, moto, Redis, the replica, this one) and of the whole machine are shown
for every run: on a small machine the servers and the workers share the same cores.

Times run from starting the processes: a distributed run is done when the frontier is empty (polled every
0.25 s; a lease is acknowledged only once its report's feed part is in the bucket), the workers then wait the
--idle-exit seconds and shut down (uploading their WARCs).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import resource
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from crawler.distributed.frontier import OUTAGE_ERRORS, Worker, redis_client
from replica import SITE_NAMES, ReplicaServer, expected
from crawler.archive.s3archive import make_client
from tests.servers import MotoServer, RedisServer, fake_aws_env

REPO = Path(__file__).resolve().parent.parent
NIANBAO = str(REPO / ".venv" / "bin" / "nianbao") if (REPO / ".venv" / "bin" / "nianbao").exists() \
    else str(Path(sys.executable).parent / "nianbao")
QUEUE = "nianbao:reports:requests"
BUCKET = "nianbao-bench"
IDLE_EXIT = 2
WORKERS = (1, 2, 4)
FAST = ["--delay", "0", "-s", "DOWNLOAD_TIMEOUT=3", "-s", "RETRY_TIMES=0", "-s", "ROBOTSTXT_OBEY=False"]
# Scrapy's MemoryUsage checks every 60 s by default: a run shorter than that would report its start-up RSS only
WORKER_EXTRA = ["-s", "MEMUSAGE_CHECK_INTERVAL_SECONDS=1"]
# Workers never parse (settings.distributed); the local crawl must not either, to compare the archives alone
LOCAL_EXTRA = ["-s", "NIANBAO_PARSE=False"]
LEFT_OUT = {"traps", "fujian", "evolving"}
POLL = 0.25
RUN_TIMEOUT = 900.0
MB = 1024 * 1024

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_REQUEST = re.compile(r'"(GET|PUT|HEAD|POST|DELETE) (\S+) HTTP/[\d.]+" (\d{3})')


def plain_sites(scale: int) -> list[str]:
    """bench/__main__.py's plain sites (no script-drawn listing, no challenge, no traps) less fujian and evolving."""
    browser = {e["site"] for e in expected(scale) if e["kind"] in ("js_listing", "challenge")}
    return sorted(name for name in SITE_NAMES if name not in browser and name not in LEFT_OUT)


def _child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("NIANBAO_") and k.lower() not in ("http_proxy", "https_proxy", "all_proxy")
           and k not in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3")}
    env.update(fake_aws_env())
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.0/8,localhost"
    return env


@contextlib.contextmanager
def _aws_env():
    """moto's fake credentials for this process's own S3 client (bucket creation, listings), then put back."""
    saved = dict(os.environ)
    for var in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"):
        os.environ.pop(var, None)
    os.environ.update(fake_aws_env())
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _memory(pid: int) -> tuple[int | None, int | None]:
    """(VmRSS, VmHWM) of a process in bytes: its resident set now and its peak since it exec'd."""
    found: dict[str, int] = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(("VmRSS:", "VmHWM:")):
                    found[line[:5]] = int(line.split()[1]) * 1024
    except OSError:
        pass
    return found.get("VmRSS"), found.get("VmHWM")


def _stat(log: str, name: str) -> int | None:
    m = re.search(rf"'{re.escape(name)}': (\d+)", log)
    return int(m.group(1)) if m else None


def _failures(logs: list[str]) -> Counter:
    """Failures the crawl recorded, by kind (fetch, attachment...), summed over these logs' stats dumps."""
    out: Counter = Counter()
    for log in logs:
        for m in re.finditer(r"'nianbao/failure/([\w-]+)': (\d+)", log):
            out[m.group(1)] += int(m.group(2))
    return out


def _dups(logs: list[str]) -> set[tuple[str, str]]:
    """(URL, report id prefix) of every page the crawl logged as a duplicate of a fed report."""
    pattern = r"duplicate: (\S+) is (?:near duplicate|same content) of report ([0-9a-f]+)"
    return {(m.group(1), m.group(2)) for log in logs for m in re.finditer(pattern, log)}


def _swapped(missing: set[str], extra: set[str], local: dict, run: dict) -> int:
    """Reports the local crawl fed and the run logged as a duplicate of one it fed instead: the same report
    kept under its other copy (which copy wins a near-duplicate pair depends on the order of the crawl)."""
    local_urls = _urls(local)
    return sum(1 for m in missing if any(url == local_urls[m] and any(e.startswith(prefix) for e in extra)
                                         for url, prefix in run["dups"]))


def _moto_requests(log_path: Path, start: int, end: int) -> Counter:
    with open(log_path, "rb") as f:
        f.seek(start)
        text = _ANSI.sub("", f.read(end - start).decode("utf-8", "replace"))
    return Counter(m.group(1) for m in _REQUEST.finditer(text))


def _objects(client, prefix: str) -> dict[str, list[int]]:
    """Top folder under the prefix (raw, feed, warc) -> [objects, bytes], listed page by page."""
    out: dict[str, list[int]] = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=prefix + "/"):
        for obj in page.get("Contents", []):
            top = obj["Key"][len(prefix) + 1:].split("/", 1)[0]
            slot = out.setdefault(top, [0, 0])
            slot[0] += 1
            slot[1] += obj["Size"]
    return out


def _files(root: Path) -> list[int]:
    paths = [p for p in root.rglob("*") if p.is_file()] if root.exists() else []
    return [len(paths), sum(p.stat().st_size for p in paths)]


_TICK = os.sysconf("SC_CLK_TCK")


def _cpu_of(pid: int) -> float:
    """CPU seconds (user + system) a running process has used."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICK
    except (OSError, IndexError, ValueError):
        return 0.0


class _Cpu:
    """CPU seconds over a stretch: of the children this process waited for (the crawlers), of named running
    processes (moto, Redis, the replica), of this process (its polling), and of the whole machine (/proc/stat)."""

    def __init__(self, pids: dict[str, int]):
        self.pids = pids
        self.start = self._read()

    def _read(self) -> dict[str, float]:
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        me = resource.getrusage(resource.RUSAGE_SELF)
        with open("/proc/stat") as f:
            ticks = [int(v) for v in f.readline().split()[1:]]
        idle = ticks[3] + ticks[4]                      # idle + iowait
        return {"crawlers": children.ru_utime + children.ru_stime, "machine": (sum(ticks[:8]) - idle) / _TICK,
                "wall": time.monotonic(), **{name: _cpu_of(pid) for name, pid in self.pids.items()},
                "bench": me.ru_utime + me.ru_stime}

    def stop(self) -> dict[str, float]:
        end = self._read()
        return {k: end[k] - self.start[k] for k in end}


def _cpu_line(label: str, cpu: dict[str, float], crawlers: str) -> str:
    named = [(crawlers, cpu["crawlers"])] + [(k, v) for k, v in cpu.items() if k not in ("crawlers", "machine", "wall")]
    own = sum(v for _, v in named)
    return (f"cpu     {label}: {', '.join(f'{k} {v:.1f}' for k, v in named)} = {own:.1f} CPU s in {cpu['wall']:.0f} s "
            f"wall; the machine's {os.cpu_count()} cores were busy {cpu['machine'] / cpu['wall']:.2f} on average, "
            f"{max(cpu['machine'] - own, 0) / cpu['wall']:.2f} of it by other processes")


def _feed(args: list[str], env: dict) -> list[dict]:
    """`nianbao feed ARGS`: (id, url) of each record, in feed order."""
    proc = subprocess.run([NIANBAO, "feed", *args], capture_output=True, timeout=300, cwd=REPO, env=env)
    if proc.returncode != 0:
        raise RuntimeError(f"nianbao feed {' '.join(args)} failed: {proc.stderr.decode('utf-8', 'replace')[-2000:]}")
    records = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines() if line.strip()]
    return [{"id": r["id"], "url": r["url"]} for r in records]


def _stop(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
    for proc in procs:
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def _local_run(starts: list[str], workdir: Path, env: dict, pids: dict[str, int]) -> dict:
    store = workdir / "local-store"
    log_path = workdir / "local.log"
    cpu = _Cpu(pids)
    t0 = time.monotonic()
    with open(log_path, "wb") as log:
        proc = subprocess.Popen([NIANBAO, "crawl", *starts, "--store", str(store), *FAST, *LOCAL_EXTRA],
                                stdout=log, stderr=subprocess.STDOUT, cwd=REPO, env=env)
        try:
            proc.wait(RUN_TIMEOUT)
        finally:
            _stop([proc])
    seconds = time.monotonic() - t0
    cpu_used = cpu.stop()
    log_text = log_path.read_text("utf-8", "replace")
    return {"seconds": seconds, "cpu": cpu_used, "returncode": proc.returncode,
            "pages": _stat(log_text, "downloader/response_count"), "stat_fed": _stat(log_text, "nianbao/feed/reports"),
            "feed": _feed(["--store", str(store)], env), "failures": _failures([log_text]),
            "raw": _files(store / "raw"), "warc": _files(store / "warc"), "feed_files": _files(store / "feed"),
            "dups": _dups([log_text])}


def _distributed_run(n: int, starts: list[str], workdir: Path, moto: MotoServer, client, env: dict,
                     pids: dict[str, int]) -> dict:
    run_dir = workdir / f"w{n}"
    run_dir.mkdir(parents=True)
    prefix = f"w{n}"
    archive = f"s3://{BUCKET}/{prefix}"
    redis_server = RedisServer(run_dir / "redis")
    procs: list[subprocess.Popen] = []
    logs = [run_dir / f"worker{i}.log" for i in range(n)]
    try:
        redis_server.start()
        proc = subprocess.run([NIANBAO, "enqueue", *starts, "--redis", redis_server.url], capture_output=True,
                              timeout=120, cwd=REPO, env=env)
        if proc.returncode != 0:
            raise RuntimeError(f"nianbao enqueue failed: {proc.stderr.decode('utf-8', 'replace')[-2000:]}")
        frontier = Worker(redis_client(redis_server.url), QUEUE, worker_id="bench-observer")
        moto_start = moto.log_path.stat().st_size
        cpu = _Cpu({"moto": moto.proc.pid, "redis": redis_server.proc.pid, **pids})
        t0 = time.monotonic()
        for i in range(n):
            with open(logs[i], "wb") as log:
                procs.append(subprocess.Popen(
                    [NIANBAO, "worker", "--redis", redis_server.url, "--archive", archive, "--s3-endpoint", moto.url,
                     "--idle-exit", str(IDLE_EXIT), "--work-dir", str(run_dir / "work"), *FAST, *WORKER_EXTRA],
                    stdout=log, stderr=subprocess.STDOUT, cwd=REPO, env=env))
        samples: list[tuple[float, int | None, int | None, list[int | None]]] = []  # (t, queued, leased, RSS each)
        exited: dict[int, float] = {}
        stopping: dict[int, float] = {}                             # when "this worker stops" showed in its log
        done_at: float | None = None                                # start of the frontier's last empty stretch
        peaks = [0] * n                                             # VmHWM last seen per worker
        while len(exited) < n:
            now = time.monotonic() - t0
            if now > RUN_TIMEOUT:
                raise RuntimeError(f"{n} workers still running after {RUN_TIMEOUT:.0f} s; see {run_dir}")
            for i, p in enumerate(procs):
                if i not in exited and p.poll() is not None:
                    exited[i] = now
                if i not in stopping and "this worker stops" in logs[i].read_text("utf-8", "replace"):
                    stopping[i] = now
            try:
                queued, leased = frontier.size()
            except OUTAGE_ERRORS:
                queued = leased = None
            if queued or leased:
                done_at = None
            elif queued == 0 and leased == 0 and done_at is None:
                done_at = now
            rss: list[int | None] = []
            for i, p in enumerate(procs):
                now_rss, hwm = _memory(p.pid) if i not in exited else (None, None)
                rss.append(now_rss)
                peaks[i] = max(peaks[i], hwm or 0, now_rss or 0)
            samples.append((now, queued, leased, rss))
            time.sleep(POLL)
        cpu_used = cpu.stop()
        moto_end = moto.log_path.stat().st_size
    finally:
        _stop(procs)
        redis_server.stop()
    exit_at = max(exited.values())
    texts = [p.read_text("utf-8", "replace") for p in logs]
    feed = _feed(["--archive", archive, "--s3-endpoint", moto.url], env)
    return {"n": n, "done_at": done_at if done_at is not None else exit_at, "exit_at": exit_at,
            "shutdown": max((exited[i] - stopping.get(i, exited[i]) for i in exited), default=0.0),
            "returncodes": [p.returncode for p in procs], "samples": samples, "feed": feed, "cpu": cpu_used,
            "pages": sum(_stat(t, "downloader/response_count") or 0 for t in texts),
            "stat_fed": [_stat(t, "nianbao/feed/reports") or 0 for t in texts],
            "memusage": [_stat(t, "memusage/max") for t in texts], "peaks": peaks, "failures": _failures(texts),
            "objects": _objects(client, prefix), "requests": _moto_requests(moto.log_path, moto_start, moto_end),
            "dups": _dups(texts)}


def _urls(run: dict) -> dict[str, str]:
    return {r["id"]: r["url"] for r in run["feed"]}


def _failed(run: dict) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(run["failures"].items())) or "none"


def _workers(n: int) -> str:
    return f"{n} worker{'s' if n > 1 else ' '}"


def _memory_line(run: dict) -> str:
    """RSS at the largest frontier against RSS at the smallest non-empty frontier after it (the crawl draining
    it): flat while the frontier shrinks = the frontier is in Redis. Start-up (imports) is shown apart."""
    live = [(t, (q or 0) + (l or 0), rss[0]) for t, q, l, rss in run["samples"] if (q or l) and rss[0]]
    if not live:
        return f"memory  {_workers(run['n'])}: no samples taken while the frontier was non-empty"
    high = max(live, key=lambda s: (s[1], -s[0]))
    low = min((s for s in live if s[0] >= high[0]), key=lambda s: (s[1], s[0]))
    start = next((s for s in live if s[0] >= 2.0), live[0])
    peak = max(rss[0] or 0 for *_, rss in run["samples"])
    return (f"memory  {_workers(run['n'])}: RSS {high[2] / MB:.0f} MB at frontier {high[1]} (t={high[0]:.0f} s, the "
            f"largest), {low[2] / MB:.0f} MB at frontier {low[1]} (t={low[0]:.0f} s, the smallest after it); "
            f"{start[2] / MB:.0f} MB starting up (t={start[0]:.0f} s, frontier {start[1]}); max {peak / MB:.0f} MB "
            f"(sampled every {POLL} s; frontier = requests queued + leased in Redis)")


def figures(scale: int, workdir: Path) -> list[str]:
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    sites = plain_sites(scale)
    env = _child_env()
    lines = [f"sites   {len(sites)} plain sites: {', '.join(sites)} (browser/challenge sites, traps, fujian and "
             f"evolving left out); --delay 0, DOWNLOAD_TIMEOUT=3, RETRY_TIMES=0, ROBOTSTXT_OBEY=False; "
             f"one moto S3 server, a fresh redis-server per run; replica, Redis, moto and workers share this "
             f"machine's {os.cpu_count()} cores"]
    moto = MotoServer(workdir / "moto.log")
    runs: dict[int, dict] = {}
    with _aws_env(), ReplicaServer(scale=scale) as replica:
        starts = [replica.url(name, "/") for name in sites]
        try:
            moto.start()
            client = make_client(moto.url)
            client.create_bucket(Bucket=BUCKET)
            pids = {"replica": replica.proc.pid}
            local = _local_run(starts, workdir, env, pids)      # first: it also warms the replica up
            for n in WORKERS:
                runs[n] = _distributed_run(n, starts, workdir, moto, client, env, pids)
        finally:
            moto.stop()

    for run in (local, *runs.values()):
        run["ids"] = [r["id"] for r in run["feed"]]

    # 1. throughput and scaling
    base = runs[WORKERS[0]]
    base_rate = len(base["ids"]) / base["done_at"]
    for n, run in runs.items():
        fed = len(run["ids"])
        rate = fed / run["done_at"]
        bad = [rc for rc in run["returncodes"] if rc != 0]
        lines.append(f"speed   {_workers(n)}: {fed} reports fed, {run['pages']} pages fetched, {run['done_at']:.1f} s "
                     f"to an empty frontier = {rate:.1f} reports/s, {run['pages'] / run['done_at']:.1f} pages/s; "
                     f"{rate / base_rate:.2f}x 1 worker; all exited at {run['exit_at']:.1f} s "
                     f"(--idle-exit {IDLE_EXIT} s wait, then {run['shutdown']:.1f} s shutdown); failures recorded: "
                     f"{_failed(run)}"
                     + (f"; EXIT CODES {run['returncodes']}" if bad else ""))
    lines.append(f"speed   scaling on {os.cpu_count()} cores: " + ", ".join(
        f"{_workers(n).strip()} {len(r['ids']) / r['done_at'] / base_rate:.2f}x" for n, r in runs.items())
        + " (time from starting the workers, Python start-up included, to the frontier empty)")
    lines.append(_cpu_line("local crawl", local["cpu"], "nianbao crawl"))
    for n, run in runs.items():
        lines.append(_cpu_line(_workers(n), run["cpu"], "workers"))

    # consistency: every run must feed the same reports, once each, as the local crawl
    local_ids, local_urls = set(local["ids"]), _urls(local)
    checks = []
    for n, run in runs.items():
        ids = set(run["ids"])
        twice = sum(1 for c in Counter(run["ids"]).values() if c > 1)
        missing, extra = local_ids - ids, ids - local_ids
        which = "".join(f" [{label} {', '.join(sorted(urls[i] for i in diff)[:3])}]"
                        for label, urls, diff in (("missing:", local_urls, missing), ("extra:", _urls(run), extra))
                        if diff)
        swapped = _swapped(missing, extra, local, run)
        if swapped:
            which += f" ({swapped} of these the other copy of a duplicate pair the local crawl fed)"
        checks.append(f"{_workers(n).strip()} {len(run['ids'])} ({len(ids)} distinct, {twice} fed twice, "
                      f"{len(missing)} missing, {len(extra)} not in the local feed{which}; the workers' "
                      f"stats say {sum(run['stat_fed'])})")
    lines.append(f"check   local crawl fed {len(local['ids'])} reports ({len(local_ids)} distinct; failures recorded: "
                 f"{_failed(local)}); "
                 + "; ".join(checks))

    # 2. memory
    lines.append(_memory_line(base))
    for n, run in runs.items():
        mem = ", ".join(f"{m / MB:.0f}" if m else "?" for m in run["memusage"])
        peaks = ", ".join(f"{p / MB:.0f}" for p in run["peaks"])
        largest = max(((q or 0) + (l or 0) for _, q, l, _ in run["samples"]), default=0)
        lines.append(f"memory  {_workers(n)}: peak RSS {peaks} MB per worker (VmHWM); largest frontier {largest} "
                     f"requests; Scrapy's memusage/max says {mem} MB")
    lines.append(f"memory  (memusage/max is getrusage's ru_maxrss, which Linux carries over from the process that "
                 f"started the worker across fork and exec: this bench process has "
                 f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / MB:.0f} MB; VmHWM is the worker's own)")

    # 3. the S3 archive against the local store
    fed_local, fed_dist = max(len(local["ids"]), 1), max(len(base["ids"]), 1)
    dist_seconds = base["done_at"] + base["shutdown"]
    per_local, per_dist = local["seconds"] / fed_local, dist_seconds / fed_dist
    lines.append(f"archive time per fed report: local store {1000 * per_local:.1f} ms ({len(local['ids'])} reports, "
                 f"{local['pages']} pages in {local['seconds']:.1f} s, `nianbao crawl` start to exit, parsing off), "
                 f"1 worker on S3+Redis {1000 * per_dist:.1f} ms ({len(base['ids'])} reports in {dist_seconds:.1f} "
                 f"s, start to exit less the idle-exit wait); ratio S3/local {per_dist / per_local:.2f}"
                 + (f"; LOCAL EXIT CODE {local['returncode']}" if local["returncode"] else ""))
    lc, bc = local["cpu"], base["cpu"]
    dist_cpu = bc["crawlers"] + bc["moto"] + bc["redis"]
    lines.append(f"archive CPU per fed report: local crawl process {1000 * lc['crawlers'] / fed_local:.1f} ms; "
                 f"1 worker {1000 * bc['crawlers'] / fed_dist:.1f} ms + moto S3 {1000 * bc['moto'] / fed_dist:.1f} ms "
                 f"+ redis-server {1000 * bc['redis'] / fed_dist:.1f} ms = {1000 * dist_cpu / fed_dist:.1f} ms; ratio "
                 f"{dist_cpu / fed_dist / (lc['crawlers'] / fed_local):.2f} (the replica serving the pages aside: "
                 f"{1000 * lc['replica'] / fed_local:.1f} and {1000 * bc['replica'] / fed_dist:.1f} ms)")
    obj = base["objects"]
    count, size = sum(v[0] for v in obj.values()), sum(v[1] for v in obj.values())
    parts = ", ".join(f"{k}/ {v[0] / fed_dist:.3f} objects {v[1] / 1024 / fed_dist:.1f} KB"
                      for k, v in sorted(obj.items()))
    lines.append(f"archive S3 per fed report (1 worker): {count / fed_dist:.3f} objects, {size / 1024 / fed_dist:.1f} "
                 f"KB ({parts}); local store: raw/ {local['raw'][0] / fed_local:.3f} files "
                 f"{local['raw'][1] / 1024 / fed_local:.1f} KB (warc/ with its indexes "
                 f"{local['warc'][1] / 1024 / fed_local:.1f} KB, feed/ "
                 f"{local['feed_files'][1] / 1024 / fed_local:.1f} KB)")
    for n, run in runs.items():
        req, fed = run["requests"], max(len(run["ids"]), 1)
        each = ", ".join(f"{k} {v / fed:.2f}" for k, v in sorted(req.items()))
        lines.append(f"archive S3 requests per fed report ({_workers(n).strip()}, moto's log): "
                     f"{sum(req.values()) / fed:.2f} ({each})")
    return lines
