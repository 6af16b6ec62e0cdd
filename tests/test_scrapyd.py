"""nianbao under scrapyd: the project deployed with `scrapyd-deploy` to a real scrapyd on loopback, then crawls of
replica portals scheduled through schedule.json with spider arguments and settings, as an operator would.

scrapyd runs in its own temporary directory, outside the repository, so that its jobs import the deployed egg
and not the working tree (the editable install's finder comes after sys.path entries such as the egg).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from crawler.archive.feed import read_feed
from replica import expected
from tests.conftest import BIN, REPO

PROJECT, VERSION = "nianbao", "r1"
JOB_TIMEOUT = 120.0
COLUMN = "/zfxxgk/zfxxgknb/list.shtml"           # the report column of the yangcheng replica
# The loopback settings of tests.conftest.FAST, as schedule.json `setting=` pairs (--delay 0 sets three).
FAST_SETTINGS = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False", "DOWNLOAD_DELAY_JITTER": "0",
                 "DOWNLOAD_TIMEOUT": "3", "DOWNLOAD_MAXSIZE": "5000000"}
# What `scrapyd-deploy` must not see: a copy of the working tree without the venv, caches, stores and builds.
NOT_SOURCE = shutil.ignore_patterns(".git", ".venv", ".cache", ".pytest_cache", "__pycache__", "*.pyc", "build",
                                    "dist", "*.egg-info", "*.egg", "demo-store", "bench-store*", "nianbao-store")
# Loopback only: a proxy from the environment must not see these calls.
HTTP = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass
class Scrapyd:
    url: str
    home: Path
    proc: subprocess.Popen
    log: Path

    def get(self, endpoint: str, **params: str) -> dict:
        query = f"?{urllib.parse.urlencode(params)}" if params else ""
        with HTTP.open(self.url + endpoint + query, timeout=10) as response:
            return json.load(response)

    def post(self, endpoint: str, fields: list[tuple[str, str]]) -> dict:
        body = urllib.parse.urlencode(fields).encode()
        with HTTP.open(self.url + endpoint, data=body, timeout=10) as response:
            return json.load(response)

    def tail(self, chars: int = 4000) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-chars:]

    def job_log(self, job: str) -> str:
        path = self.home / "logs" / PROJECT / "reports" / f"{job}.log"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(home: Path) -> Scrapyd:
    port = _free_port()
    # items_dir empty: no Scrapy feed export beside nianbao's own store. jobs_to_keep: every job log stays.
    (home / "scrapyd.conf").write_text(f"""[scrapyd]
bind_address = 127.0.0.1
http_port = {port}
eggs_dir = {home / 'eggs'}
logs_dir = {home / 'logs'}
dbs_dir = {home / 'dbs'}
items_dir =
jobs_to_keep = 100
poll_interval = 0.5
max_proc = 2
""", encoding="utf-8")
    log = home / "scrapyd.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([str(BIN / "scrapyd")], cwd=home, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    server = Scrapyd(f"http://127.0.0.1:{port}/", home, proc, log)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        try:
            if server.get("daemonstatus.json").get("status") == "ok":
                return server
        except OSError:
            time.sleep(0.2)
    _stop(server)
    raise RuntimeError(f"scrapyd did not answer on port {port}:\n{server.tail()}")


def _stop(server: Scrapyd) -> None:
    if server.proc.poll() is None:
        server.proc.terminate()
        try:
            server.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.proc.kill()
            server.proc.wait()
    # A job still running when a test failed belongs to scrapyd's session: end it too.
    try:
        os.killpg(server.proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


@pytest.fixture(scope="module")
def scrapyd(tmp_path_factory) -> Iterator[Scrapyd]:
    home = tmp_path_factory.mktemp("scrapyd")
    for attempt in range(3):           # the free port may be taken between the probe and scrapyd's bind
        try:
            server = _start(home)
            break
        except RuntimeError:
            if attempt == 2:
                raise
    try:
        yield server
    finally:
        _stop(server)


@pytest.fixture(scope="module")
def project_copy(tmp_path_factory) -> Path:
    """The working tree as scrapyd-deploy sees it: it builds in the scrapy.cfg directory (build/, egg-info)."""
    copy = tmp_path_factory.mktemp("deploy") / "nianbao"
    shutil.copytree(REPO, copy, ignore=NOT_SOURCE)
    return copy


def _deploy_env(home: Path, target_url: str | None = None) -> dict[str, str]:
    """An environment whose only scrapy.cfg besides the project's is ours: a [deploy:test] target."""
    env = dict(os.environ, HOME=str(home), XDG_CONFIG_HOME=str(home / "config"))
    (home / "config").mkdir(parents=True, exist_ok=True)
    if target_url:
        (home / "config" / "scrapy.cfg").write_text(f"[deploy:test]\nurl = {target_url}\nproject = {PROJECT}\n",
                                                    encoding="utf-8")
    return env


@pytest.fixture(scope="module")
def deployed(scrapyd, project_copy, tmp_path_factory) -> subprocess.CompletedProcess:
    env = _deploy_env(tmp_path_factory.mktemp("deployer"), scrapyd.url)
    proc = subprocess.run([str(BIN / "scrapyd-deploy"), "test", "-v", VERSION], cwd=project_copy, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"{proc.stdout}\n{proc.stderr}\n{scrapyd.tail()}"
    return proc


def _schedule(scrapyd: Scrapyd, store: Path, spider_args: dict[str, str], log_level: str = "INFO") -> str:
    settings = dict(FAST_SETTINGS, NIANBAO_STORE=str(store), LOG_LEVEL=log_level)
    fields = [("project", PROJECT), ("spider", "reports"), ("_version", VERSION), *spider_args.items(),
              *(("setting", f"{k}={v}") for k, v in settings.items())]
    answer = scrapyd.post("schedule.json", fields)
    assert answer.get("status") == "ok", answer
    return answer["jobid"]


def _wait(scrapyd: Scrapyd, jobs: list[str]) -> dict[str, dict]:
    deadline = time.monotonic() + JOB_TIMEOUT
    while time.monotonic() < deadline:
        finished = {j["id"]: j for j in scrapyd.get("listjobs.json", project=PROJECT)["finished"]}
        if all(job in finished for job in jobs):
            return finished
        time.sleep(0.5)
    logs = "\n".join(scrapyd.job_log(job)[-2000:] for job in jobs)
    pytest.fail(f"jobs {jobs} not finished after {JOB_TIMEOUT:.0f} s\n{scrapyd.tail()}\n{logs}")


@dataclass
class Job:
    id: str
    store: Path
    start: str          # the URL the crawl starts from
    log: str


@pytest.fixture(scope="module")
def jobs(scrapyd, deployed, replica, tmp_path_factory) -> dict[str, Job]:
    """Two crawls side by side: one from start_urls, one from a sites file whose hint skips a hub (see below)."""
    work = tmp_path_factory.mktemp("jobs")
    tongyu, yangcheng = replica.url("tongyu", "/"), replica.url("yangcheng", "/")
    sites = work / "sites.yaml"
    sites.write_text(f"sites:\n  - url: {yangcheng}\n    name: 阳城县人民政府\n    columns: [{COLUMN}]\n",
                     encoding="utf-8")
    ids = {"start_urls": _schedule(scrapyd, work / "store-a", {"start_urls": tongyu}),
           "sites": _schedule(scrapyd, work / "store-b", {"sites": str(sites)}, log_level="DEBUG")}
    _wait(scrapyd, list(ids.values()))
    return {"start_urls": Job(ids["start_urls"], work / "store-a", tongyu, scrapyd.job_log(ids["start_urls"])),
            "sites": Job(ids["sites"], work / "store-b", yangcheng, scrapyd.job_log(ids["sites"]))}


def _expected_paths(site: str) -> list[set[str]]:
    """Per original report of the replica site, the paths that serve it."""
    return [set(e["paths"]) for e in expected(scale=1)
            if e["site"] == site and e.get("kind", "report") == "report" and not e.get("repost_of")]


def _path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _assert_site_fed(job: Job, site: str) -> None:
    netloc = urlsplit(job.start).netloc
    feed = read_feed(job.store / "feed")
    assert feed, job.log[-3000:]
    assert {r["site"] for r in feed} == {netloc}
    fed = {_path_of(r["url"]) for r in feed}
    missing = [paths for paths in _expected_paths(site) if not paths & fed]
    assert not missing, f"{site}: reports not fed: {missing}"


# --- deploy ---------------------------------------------------------------------------------------------------
def test_deploy_adds_the_project_with_its_spider(scrapyd, deployed):
    assert json.loads(deployed.stdout)["status"] == "ok", deployed.stdout
    assert PROJECT in scrapyd.get("listprojects.json")["projects"]
    assert scrapyd.get("listversions.json", project=PROJECT)["versions"] == [VERSION]
    assert scrapyd.get("listspiders.json", project=PROJECT, _version=VERSION)["spiders"] == ["reports"]


def test_egg_holds_the_package_data_and_runs_without_the_working_tree(project_copy, tmp_path):
    egg = tmp_path / "nianbao.egg"
    proc = subprocess.run([str(BIN / "scrapyd-deploy"), "--build-egg", str(egg)], cwd=project_copy,
                          env=_deploy_env(tmp_path / "home"), capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    names = set(zipfile.ZipFile(egg).namelist())
    assert {"crawler/schema/report.schema.json", "crawler/discover/sites.yaml", "settings/default.py",
            "spiders/reports.py", "pipelines/store.py", "crawler/parsing/__init__.py"} <= names
    assert any(n.startswith("replica/data/") for n in names)
    assert not any(n.startswith("tests/") for n in names)
    assert "[scrapy]\nsettings = settings.default" in zipfile.ZipFile(egg).read("EGG-INFO/entry_points.txt").decode()
    # As scrapyd's runner loads it (scrapyd.runner.activate_egg), away from the repository: the modules and the
    # files they read come out of the zipped egg.
    check = f"""
import os, sys
from scrapyd.runner import activate_egg
activate_egg({str(egg)!r})
import crawler, spiders.reports
from crawler.archive.feed import feed_schema
from crawler.discover.sites import hints_for
assert crawler.__file__.startswith({str(egg)!r}), crawler.__file__
assert spiders.reports.__file__.startswith({str(egg)!r}), spiders.reports.__file__
assert os.environ["SCRAPY_SETTINGS_MODULE"] == "settings.default"
assert feed_schema()["type"] == "object"
assert hints_for("https://zfxxgk.beijing.gov.cn/").columns == ("/110016/zfxxgknb/list.shtml",)
print("ok")
"""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SCRAPY_SETTINGS_MODULE")}
    run = subprocess.run([sys.executable, "-c", check], cwd=tmp_path, env=env, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0 and run.stdout.strip() == "ok", run.stderr


# --- scheduled crawls -----------------------------------------------------------------------------------------
def test_scheduled_crawl_from_start_urls_feeds_the_site(jobs):
    _assert_site_fed(jobs["start_urls"], "tongyu")


def test_scheduled_crawl_from_a_sites_file_feeds_the_site_and_uses_its_hints(jobs):
    job = jobs["sites"]
    _assert_site_fed(job, "yangcheng")
    # Yangcheng's home page reaches the column through a hub (/zfxxgk/); the file's hint goes there directly.
    assert f"<GET {job.start}{COLUMN[1:]}> (referer: {job.start})" in job.log
    assert f"<GET {job.start}zfxxgk/>" not in job.log


@pytest.mark.parametrize("name", ["start_urls", "sites"])
def test_job_log_shows_a_clean_finish(jobs, name):
    log = jobs[name].log
    assert "Spider closed (finished)" in log, log[-3000:]
    assert "Traceback" not in log and "CRITICAL" not in log and "log_count/ERROR" not in log, log[-5000:]
    assert "'DOWNLOAD_DELAY': '0'" in log          # the schedule.json settings reached the crawl
