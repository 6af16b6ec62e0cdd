"""A newcomer's first hour (issue 16), each item through the real command line against the replica portals.

Set-up on a machine without Chromium, Tesseract, LibreOffice and poppler is tried with a PATH that lacks them
(nothing is uninstalled): `nianbao doctor` names them, the demo skips the replica sites that need them, and a
crawl meeting a page that needs Chromium records one failure naming the package. Then every numbered item of
the issue: feed exports, missing and read-only stores, bad URLs, Ctrl-C, log levels, `report --out`, site
names, the store lock, the default store, look-alikes' attachments, the log, the CSV, `parse` on a non-report,
and the command line's own manners.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.conftest import BIN, FAST, NIANBAO, REPO, run_nianbao

SCRAPY = str(BIN / "scrapy")
SHADOWED = ("chromium", "chromium-browser", "tesseract", "soffice", "libreoffice", "lowriter", "localc",
            "pdftoppm", "pdftotext", "pdfinfo")


def _err(proc) -> str:
    return proc.stderr.decode("utf-8", "replace")


@pytest.fixture(scope="module")
def truth():
    from replica import expected
    return expected()


def _path(truth, site: str, kind: str, title_part: str = "") -> str:
    for entry in truth:
        if entry["site"] == site and entry["kind"] == kind and title_part in (entry.get("title") or ""):
            return entry["paths"][0] if "paths" in entry else entry["path"]
    raise LookupError((site, kind, title_part))


@pytest.fixture(scope="module")
def one_report(replica, truth, tmp_path_factory):
    """A store with one report, backfilled through the CLI."""
    store = tmp_path_factory.mktemp("one") / "store"
    url = replica.url("panshi", _path(truth, "panshi", "report"))
    proc = run_nianbao("backfill", url, "--store", str(store), *FAST)
    assert proc.returncode == 0, _err(proc)
    return store, proc


@pytest.fixture(scope="module")
def named(replica, tmp_path_factory):
    """A crawl from a sites file that names its site (yangcheng: 2019 and 2021 table reports, look-alikes,
    among them a 图解 page of report-sized images)."""
    root = tmp_path_factory.mktemp("named")
    sites = root / "sites.yaml"
    sites.write_text(f"sites:\n  - url: {replica.url('yangcheng', '/')}\n    name: 阳城县测试门户\n", encoding="utf-8")
    store = root / "store"
    proc = run_nianbao("crawl", "--sites", str(sites), "--store", str(store), *FAST)
    assert proc.returncode == 0, _err(proc)
    return store, _err(proc)


def _shadow_path(tmp: Path) -> str:
    """PATH as now, but through a directory of links that leaves out the external tools."""
    shadow = tmp / "shadow-bin"
    shadow.mkdir()
    for folder in os.environ["PATH"].split(os.pathsep):
        if not os.path.isdir(folder) or folder == str(BIN):
            continue
        for name in os.listdir(folder):
            if name not in SHADOWED and not (shadow / name).exists():
                (shadow / name).symlink_to(Path(folder) / name)
    return f"{BIN}{os.pathsep}{shadow}"


# -- set-up: doctor, demo, missing tools ----------------------------------------------------------------

def test_without_the_tools_doctor_names_them_the_demo_skips_their_sites_and_a_crawl_records_one_failure(
        replica, truth, tmp_path):
    env = {**os.environ, "PATH": _shadow_path(tmp_path)}
    doctor = subprocess.run([NIANBAO, "doctor", "--json"], capture_output=True, env=env, timeout=120)
    assert doctor.returncode == 0, _err(doctor)
    state = {t["name"]: t for t in json.loads(doctor.stdout)}
    for name in ("Chromium", "Tesseract + chi_sim", "LibreOffice", "poppler"):
        assert not state[name]["found"] and state[name]["packages"], state[name]
    assert state["Redis"]["found"] and state["Redis"]["version"]
    table = subprocess.run([NIANBAO, "doctor"], capture_output=True, env=env, timeout=120).stdout.decode()
    assert "MISSING" in table and "apt-get install" in table and "chromium" in table
    assert re.search(r"make demo skips the replica sites that need them: .*fujian.*gkmlpt", table), table

    # the demo, on three sites: fujian's files need LibreOffice (it is not even built), gkmlpt needs Chromium
    demo = subprocess.run([str(BIN / "python"), "-m", "crawler.ops.demo", "--store", str(tmp_path / "demo"),
                           "--sites", "panshi,fujian,gkmlpt"], capture_output=True, env=env, cwd=REPO, timeout=300)
    out = demo.stdout.decode()
    assert demo.returncode == 0, out + _err(demo)
    skipped = [line for line in out.splitlines() if line.startswith("demo: skipping replica site")]
    assert {line.split()[4].rstrip(":") for line in skipped} == {"fujian", "gkmlpt"}, out
    assert any("libreoffice-writer-nogui" in line for line in skipped if "fujian" in line)
    assert any("Debian package chromium" in line for line in skipped if "gkmlpt" in line)
    assert re.search(r"== [1-9]\d* reports? fed", out), out

    # a crawl that meets a page needing Chromium: one failure naming it, no traceback
    store = tmp_path / "shell"
    crawl = subprocess.run([NIANBAO, "crawl", replica.url("gkmlpt", "/"), "--store", str(store), *FAST],
                           capture_output=True, env=env, cwd=REPO, timeout=300)
    assert crawl.returncode == 0 and "Traceback" not in _err(crawl), _err(crawl)
    status = json.loads(run_nianbao("status", "--store", str(store), "--json").stdout)
    reasons = [r["reason"] for st in status["failures"] for r in st["top_reasons"]]
    assert any("Chromium" in r and "Debian package chromium" in r for r in reasons), reasons

    # a WPS file without LibreOffice: one failure naming the tool and its package
    store = tmp_path / "wps"
    wps = next(p for e in truth if e["site"] == "fujian" for p in e.get("paths") or [] if p.endswith(".wps"))
    crawl = subprocess.run([NIANBAO, "backfill", replica.url("fujian", wps), "--store", str(store), *FAST],
                           capture_output=True, env=env, cwd=REPO, timeout=300)
    assert crawl.returncode == 0 and "Traceback" not in _err(crawl), _err(crawl)
    import sqlite3
    db = sqlite3.connect(store / "nianbao.sqlite")
    failures = db.execute("SELECT stage, reason FROM failures").fetchall()
    db.close()
    assert len(failures) == 1 and "soffice is not installed (Debian package libreoffice-writer-nogui" in \
        failures[0][1], failures


# -- 1, 10: Scrapy's feed exports; `scrapy crawl` names its store ------------------------------------------

def test_scrapy_feed_export_writes_report_fields_and_the_default_store_is_announced(replica, truth, tmp_path):
    url = replica.url("panshi", _path(truth, "panshi", "report"))
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "settings.default", "PYTHONPATH": str(REPO)}
    proc = subprocess.run([SCRAPY, "crawl", "reports", "-a", f"backfill_urls={url}", "-O", "items.jsonl",
                           "-O", "items.csv", "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0"],
                          capture_output=True, cwd=tmp_path, env=env, timeout=300)
    err = _err(proc)
    assert proc.returncode == 0, err
    assert "not JSON serializable" not in err
    lines = (tmp_path / "items.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record["url"] == url and record["id"] and "年度报告" in record["title"] and record["text"]
    assert record["raw"]["sha256"] and "body" not in record
    rows = list(csv.DictReader((tmp_path / "items.csv").open(encoding="utf-8")))
    assert len(rows) == 1 and rows[0]["id"] == record["id"]
    # the store it wrote is the default one, in the working directory: said so, with its full path
    assert (tmp_path / "nianbao-store" / "nianbao.sqlite").is_file()
    assert f"writing to store {tmp_path / 'nianbao-store'} (the default" in err


# -- 2, 3: read commands and stores ------------------------------------------------------------------------

READ_COMMANDS = (("feed",), ("raw", "a" * 64), ("export", "--format", "csv", "--out", "{tmp}/x.csv"),
                 ("parse",), ("status",), ("report", "--out", "{tmp}/r.html"))


@pytest.mark.parametrize("command", READ_COMMANDS, ids=[c[0] for c in READ_COMMANDS])
def test_a_read_command_refuses_a_missing_store(command, tmp_path):
    missing = tmp_path / "mistyped-store"
    args = [a.format(tmp=tmp_path) for a in command]
    proc = run_nianbao(*args, "--store", str(missing))
    assert proc.returncode == 3, _err(proc)
    assert f"no store at {missing}" in _err(proc)
    assert not missing.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"), reason="needs root to run as nobody")
def test_a_read_only_store_reads(one_report):
    store, _ = one_report
    # a copy nobody can read but not write (the tests run as root, whom permissions do not stop)
    root = Path(tempfile.mkdtemp(prefix="nianbao-ro-"))
    try:
        copy = root / "store"
        shutil.copytree(store, copy)
        for p in [root, *copy.rglob("*")]:
            os.chmod(p, 0o755 if p.is_dir() else 0o644)
        for stale in copy.glob("nianbao.sqlite-*"):
            stale.unlink()     # as a cleanly closed store leaves it: no WAL files to lean on
        out = root / "out"
        out.mkdir()
        os.chmod(out, 0o777)
        env = {**os.environ, "MPLCONFIGDIR": str(out), "HOME": str(out)}
        nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", NIANBAO]

        def run(*args):
            return subprocess.run([*nobody, *args], capture_output=True, env=env, cwd=out, timeout=120)

        status = run("status", "--store", str(copy), "--json")
        assert status.returncode == 0, _err(status)
        assert json.loads(status.stdout)["sites"][0]["reports"] == 1
        feed = run("feed", "--store", str(copy))
        assert feed.returncode == 0, _err(feed)
        record = json.loads(feed.stdout)
        raw = run("raw", record["raw"]["sha256"], "--store", str(copy))
        assert raw.returncode == 0 and len(raw.stdout) == record["raw"]["length"], _err(raw)
        export = run("export", "--store", str(copy), "--format", "csv", "--out", str(out / "r.csv"))
        assert export.returncode == 0, _err(export)
        assert len(list(csv.DictReader((out / "r.csv").open(encoding="utf-8")))) == 1
        report = run("report", "--store", str(copy), "--out", str(out / "r.html"))
        assert report.returncode == 0 and (out / "r.html").is_file(), _err(report)
        assert not list(copy.glob("parsed/*.tmp*"))
    finally:
        shutil.rmtree(root, ignore_errors=True)


# -- 4, 6: bad arguments exit 2 before anything starts ----------------------------------------------------

@pytest.mark.parametrize("args", [("not a url",), ("htp://www.example.gov.cn/",), ("http://",),
                                  ("http://www.example.gov.cn:70000/",),
                                  ("http://www.example.gov.cn/", "--log-level", "LOUD")],
                         ids=["words", "scheme", "no-host", "port", "log-level"])
def test_bad_arguments_exit_2_in_one_error_line_before_a_store_exists(args, tmp_path):
    store = tmp_path / "store"
    proc = run_nianbao("crawl", *args, "--store", str(store))
    err = _err(proc)
    assert proc.returncode == 2, err
    assert not store.exists()
    assert "Traceback" not in err
    errors = [line for line in err.splitlines() if "error:" in line]
    assert len(errors) == 1 and errors[0].startswith("nianbao crawl: error:"), err
    assert "usage: nianbao crawl" in err          # the subcommand's usage, not the top level's


# -- 5, 9, 12: Ctrl-C, the store lock, progress naming what it waits on -----------------------------------

def _start_stalled(replica, truth, store: Path, timeout: int, *extra: str) -> subprocess.Popen:
    url = replica.url("traps", _path(truth, "traps", "stall"))
    return subprocess.Popen([NIANBAO, "backfill", url, "--store", str(store), "--delay", "0",
                             "-s", f"DOWNLOAD_TIMEOUT={timeout}", "-s", "RETRY_ENABLED=0", *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO)


def _wait_for(proc: subprocess.Popen, store: Path, seconds: float = 120) -> None:
    """Until the crawl has opened its run (the spider is open), then the few seconds robots.txt takes before
    the stalled request is in flight."""
    import sqlite3

    deadline = time.monotonic() + seconds
    while True:
        assert proc.poll() is None and time.monotonic() < deadline
        if (store / "nianbao.sqlite").exists():
            db = sqlite3.connect(store / "nianbao.sqlite")
            try:
                if db.execute("SELECT count(*) FROM runs").fetchone()[0]:
                    break
            except sqlite3.Error:
                pass
            finally:
                db.close()
        time.sleep(0.2)
    time.sleep(2)


def test_ctrl_c_twice_stops_within_seconds_exits_130_and_a_second_crawl_is_refused(replica, truth, tmp_path):
    store = tmp_path / "store"
    first = _start_stalled(replica, truth, store, 120, "--log-level", "WARNING",
                           "-s", "NIANBAO_PROGRESS_INTERVAL=1")
    try:
        _wait_for(first, store)
        second = run_nianbao("crawl", replica.url("panshi", "/"), "--store", str(store), *FAST)
        assert second.returncode == 3
        refusal = _err(second).strip().splitlines()
        assert len(refusal) == 1 and f"pid {first.pid}" in refusal[0] and "in use by another crawl" in refusal[0]
        env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "settings.default", "PYTHONPATH": str(REPO)}
        scrapy = subprocess.run([SCRAPY, "crawl", "reports", "-a", f"start_urls={replica.url('panshi', '/')}",
                                 "-s", f"NIANBAO_STORE={store}"], capture_output=True, env=env, cwd=REPO, timeout=120)
        assert scrapy.returncode == 3 and f"pid {first.pid}" in _err(scrapy), _err(scrapy)
        assert "Traceback" not in _err(scrapy)
        first.send_signal(signal.SIGINT)
        time.sleep(1)
        asked = time.monotonic()
        first.send_signal(signal.SIGINT)
        _, err = first.communicate(timeout=30)
        took = time.monotonic() - asked
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    err = err.decode("utf-8", "replace")
    assert first.returncode == 130, err
    assert took < 8, took
    assert "interrupted" in err.lower()
    # progress, at WARNING too, naming the site and the URL it waits on
    assert re.search(r"progress .*waiting \d+s on 127\.0\.0\.\d+:\d+: http://\S+/stall/report\.html", err), err
    status = json.loads(run_nianbao("status", "--store", str(store), "--json").stdout)
    assert status["last_run"]["state"] == "interrupted"


def test_one_ctrl_c_exits_130_and_status_says_interrupted(replica, truth, tmp_path):
    store = tmp_path / "store"
    proc = _start_stalled(replica, truth, store, 4)
    try:
        _wait_for(proc, store)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    err = err.decode("utf-8", "replace")
    assert proc.returncode == 130, err
    assert "crawl INTERRUPTED" in err.strip().splitlines()[-1]
    text = run_nianbao("status", "--store", str(store)).stdout.decode()
    assert "interrupted" in text.lower()


def test_ctrl_c_while_the_crawl_starts_exits_130_without_a_traceback(replica, truth, tmp_path):
    proc = _start_stalled(replica, truth, tmp_path / "store", 4)
    time.sleep(1.0)           # imports and the engine being built: before Scrapy's own handlers exist
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    err = err.decode("utf-8", "replace")
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "interrupted" in err.lower(), err


# -- 12: the log ------------------------------------------------------------------------------------------

def test_an_unreachable_host_is_one_line_and_there_is_no_banner(tmp_path):
    proc = run_nianbao("crawl", "http://127.0.0.254:9/", "--store", str(tmp_path / "s"), *FAST)
    err = _err(proc)
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "Overridden settings" not in err and "Enabled extensions" not in err
    assert len([line for line in err.splitlines() if "127.0.0.254:9/ " in line or line.endswith("127.0.0.254:9/")
                or "127.0.0.254:9/:" in line or "127.0.0.254:9/ [" in line]) == 1, err
    before_stats = err.split("Dumping Scrapy stats")[0]      # the closing stats dump stays at INFO
    assert len(before_stats.splitlines()) <= 4, err


def test_every_fed_report_is_named_once_at_info(named):
    store, err = named
    feed = [json.loads(line) for line in run_nianbao("feed", "--store", str(store)).stdout.decode().splitlines()]
    fed_lines = [line for line in err.splitlines() if "nianbao: fed " in line]
    assert feed and len(fed_lines) == len(feed)
    for record in feed:
        assert sum(record["url"] in line and record["title"] in line for line in fed_lines) == 1


# -- 7, 8: report --out; site names ------------------------------------------------------------------------

def test_report_writes_into_a_folder_or_makes_one(one_report, tmp_path):
    store, _ = one_report
    folder = tmp_path / "reports"
    folder.mkdir()
    proc = run_nianbao("report", "--store", str(store), "--out", str(folder))
    assert proc.returncode == 0, _err(proc)
    assert [p.name for p in folder.iterdir()] == ["report.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reports"]        # nothing left beside it
    nested = tmp_path / "new" / "dir" / "r.html"
    proc = run_nianbao("report", "--store", str(store), "--out", str(nested))
    assert proc.returncode == 0 and nested.is_file(), _err(proc)


def test_site_names_from_the_sites_file_or_the_portal_in_status_report_and_export(named, one_report, tmp_path):
    store, _ = named
    text = run_nianbao("status", "--store", str(store)).stdout.decode()
    assert "阳城县测试门户" in text
    status = json.loads(run_nianbao("status", "--store", str(store), "--json").stdout)
    assert {s["name"] for s in status["sites"]} == {"阳城县测试门户"}
    from crawler.ops.crawlreport import find_cjk_font
    assert find_cjk_font(), "fonts-noto-cjk is part of the set-up: the plots' labels are drawn in it"
    assert run_nianbao("report", "--store", str(store), "--out", str(tmp_path / "r.html")).returncode == 0
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "阳城县测试门户" in page
    assert run_nianbao("export", "--store", str(store), "--format", "csv", "--out", str(tmp_path / "r.csv")
                       ).returncode == 0
    rows = list(csv.DictReader((tmp_path / "r.csv").open(encoding="utf-8")))
    assert rows and {r["site_name"] for r in rows} == {"阳城县测试门户"}
    # no sites file: the portal's own name, as its pages state it
    plain = json.loads(run_nianbao("status", "--store", str(one_report[0]), "--json").stdout)
    assert plain["sites"][0]["name"] == "磐石市人民政府"


# -- 11: a look-alike's attachments are not fetched --------------------------------------------------------

def test_a_lookalikes_attachments_are_not_fetched(named, replica, truth):
    store, _ = named
    path = _path(truth, "yangcheng", "lookalike", "图解")
    import sqlite3
    db = sqlite3.connect(store / "nianbao.sqlite")
    try:
        decided = db.execute("SELECT is_report, reasons FROM decisions WHERE url LIKE ?", (f"%{path}",)).fetchall()
        images = db.execute("SELECT count(*) FROM fetches WHERE url LIKE '%.jpg'").fetchone()[0]
        failures = db.execute("SELECT url, reason FROM failures WHERE stage = 'attachment'").fetchall()
    finally:
        db.close()
    assert decided and decided[0][0] == 0 and "图解" in decided[0][1]
    assert images == 0
    assert failures == []


# -- 13: the CSV -----------------------------------------------------------------------------------------

def test_csv_has_site_and_classification_columns_text_warnings_format_columns_and_chinese_labels(named, tmp_path):
    store, _ = named
    out = tmp_path / "all.csv"
    assert run_nianbao("export", "--store", str(store), "--format", "csv", "--out", str(out)).returncode == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    for column in ("site", "site_name", "is_report", "forced", "warnings"):
        assert column in rows[0]
    assert {r["is_report"] for r in rows} == {"True"} and {r["forced"] for r in rows} == {"False"}
    assert not any(r["warnings"].isdigit() for r in rows)
    formats = {r["format"] for r in rows}
    assert {"2019", "2021"} <= formats

    only = tmp_path / "2021.csv"
    proc = run_nianbao("export", "--store", str(store), "--format", "csv", "--out", str(only),
                       "--report-format", "2021", "--labels", "zh")
    assert proc.returncode == 0, _err(proc)
    header, *body = list(csv.reader(only.open(encoding="utf-8")))
    assert body and len(body) == sum(r["format"] == "2021" for r in rows)
    assert "站点名称" in header and "是否年报" in header
    assert any(h.startswith("表三·") for h in header) and not any("." in h and h.isascii() for h in header)
    from crawler.parsing.export import AUDIT_COLUMNS
    from crawler.parsing.template import cell_paths
    assert len(header) == len(set(header)) == 17 + len(AUDIT_COLUMNS) + len(cell_paths("2021"))
    assert len(header) < len(rows[0])           # the 2019-only cells are not there

    import pandas as pd
    frame = pd.read_csv(out, dtype_backend="numpy_nullable")
    assert str(frame["applications.new_received.total"].dtype) == "Int64"


# -- 14: parse on a text that is not a report ---------------------------------------------------------------

def test_parse_says_a_shopping_list_is_not_a_report_and_refuses_force_without_store(tmp_path):
    shopping = tmp_path / "list.txt"
    shopping.write_text("购物清单\n苹果 3斤\n牛奶 2盒\n鸡蛋 12个\n", encoding="utf-8")
    proc = run_nianbao("parse", str(shopping), "--json")
    assert proc.returncode == 0, _err(proc)
    parsed = json.loads(proc.stdout)
    assert parsed["is_report"] is False and parsed["classification"]["reasons"]
    assert "does not read as an annual disclosure report" in _err(proc)
    forced = run_nianbao("parse", str(shopping), "--force")
    assert forced.returncode == 2 and "--force goes with --store" in _err(forced)


# -- 15: the command line's manners -------------------------------------------------------------------------

def test_version_help_examples_usage_in_errors_backfill_options_digests_and_plurals(one_report):
    version = run_nianbao("--version")
    assert version.returncode == 0 and re.fullmatch(r"nianbao \d+\.\d+\.\d+\S*\n", version.stdout.decode())
    from crawler.cli import COMMANDS
    for command in COMMANDS:
        text = run_nianbao(command, "--help").stdout.decode()
        assert re.search(r"usage: nianbao " + command, text)
        description = text.split("\n\n")[1]
        assert not description.lstrip().startswith(("options", "positional")), (command, text)
        if command in ("crawl", "backfill", "raw", "feed", "parse", "export", "status", "report", "doctor"):
            assert "example" in text and f"nianbao {command}" in text.split("example", 1)[1], command
    assert "--max-pages" not in run_nianbao("backfill", "--help").stdout.decode()
    bad = run_nianbao("raw", "../../etc/passwd", "--store", "x")
    assert bad.returncode == 2 and "not a SHA-256 digest" in _err(bad) and "usage: nianbao raw" in _err(bad)
    _, backfill = one_report
    summary = _err(backfill).strip().splitlines()[-1]
    assert summary.startswith("nianbao: 1 report fed, 0 duplicates, 0 look-alikes rejected, 0 failures recorded")
