"""`nianbao status` and `nianbao report` over real crawls of replica portals, and over stores built through
the store's own run API for the cases a crawl cannot produce on demand (rows from before runs were
recorded, a killed run, CJK site names, a store of thousands of reports).

Every figure the commands print is checked against counts taken independently from the SQLite tables.
"""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
import warnings
from argparse import Namespace
from pathlib import Path

import pytest

from crawler.ops import crawlreport, status
from crawler.archive.storage import open_store
from tests.conftest import FAST, run_nianbao

EVENTS = ("found", "new", "revised", "removed", "unchanged")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync"]


# -- helpers -------------------------------------------------------------------------------------------

def db(store: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{store / 'nianbao.sqlite'}?mode=ro", uri=True)


def run_ids(store: Path) -> list[str]:
    return [r[0] for r in db(store).execute("SELECT id FROM runs ORDER BY started_at, id")]


def event_counts(store: Path, run_id: str, site: str) -> dict[str, int]:
    rows = db(store).execute("SELECT event, COUNT(DISTINCT url) FROM run_events WHERE run_id=? AND site=?"
                             " GROUP BY event", (run_id, site)).fetchall()
    return {e: dict(rows).get(e, 0) for e in EVENTS}


def failure_stages(store: Path, run_id: str | None, site: str) -> dict[str, int]:
    return dict(db(store).execute("SELECT stage, COUNT(*) FROM failures WHERE run_id IS ? AND site=?"
                                  " GROUP BY stage", (run_id, site)).fetchall())


def cells(line: str) -> list[str]:
    """A line as terminal cells: a wide character fills two (the second an empty placeholder)."""
    out = []
    for ch in line:
        out.append(ch)
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            out.append("")
    return out


def text_table(text: str, title: str) -> list[dict[str, str]]:
    """The rows of the table under `title`, cut at the columns its dash line marks, in display width.
    A CJK character padded as one column would shift every later cell and break this parse."""
    lines = text.splitlines()
    start = lines.index(title)
    header, dashes = lines[start + 1], lines[start + 2]
    spans = [(m.start(), m.end()) for m in re.finditer(r"-+", dashes)]
    body = []
    for line in lines[start + 3:]:
        if not line.strip():
            break
        body.append(line)

    def cut(line: str) -> list[str]:
        row = cells(line)
        for (_, end), (nxt, _) in zip(spans, spans[1:]):
            assert "".join(row[end:nxt]).strip() == "", f"misaligned row: {line!r}"
        return ["".join(row[a:b] if i < len(spans) - 1 else row[a:]).strip() for i, (a, b) in enumerate(spans)]

    names = cut(header)
    return [dict(zip(names, cut(line))) for line in body]


def status_json(store: Path) -> dict:
    proc = run_nianbao("status", "--store", str(store), "--json")
    assert proc.returncode == 0, proc.stderr.decode()
    return json.loads(proc.stdout)


def status_text(store: Path) -> str:
    proc = run_nianbao("status", "--store", str(store))
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stdout.decode("utf-8")


# -- two real crawls -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def two_crawls(replica, tmp_path_factory) -> dict:
    """Two crawls of tongyu (13 reports) and traps (deliberate failures) into one store; the second
    re-checks every known page, so it notes `unchanged` pages instead of new ones."""
    store = tmp_path_factory.mktemp("status") / "store"
    starts = [replica.url("tongyu", "/"), replica.url("traps", "/")]
    for extra in ([], ["--recheck", "all"]):
        proc = run_nianbao("crawl", *starts, "--store", str(store), *FAST, *extra)
        assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    sites = {name: starts[i].split("/")[2] for i, name in enumerate(("tongyu", "traps"))}
    return {"store": store, "sites": sites}


def test_status_json_figures_equal_the_store_tables(two_crawls):
    store, sites = two_crawls["store"], two_crawls["sites"]
    ids = run_ids(store)
    assert len(ids) == 2, "the run recorder (spiders/runs.py) wrote no runs"
    got = status_json(store)
    assert [r["id"] for r in got["runs"]] == ids            # oldest first, no pseudo-run: every row has a run
    assert got["last_run"]["id"] == ids[-1]
    for run in got["runs"]:
        assert run["state"] == "finished" and run["finish_reason"] == "finished"
        started, finished = db(store).execute("SELECT started_at, finished_at FROM runs WHERE id=?",
                                              (run["id"],)).fetchone()
        assert run["duration_s"] == status.seconds_between(started, finished) >= 0
        by_site = {s["site"]: s for s in run["sites"]}
        assert set(by_site) == set(sites.values())          # both sites, events or not
        for site in sites.values():
            assert {e: by_site[site][e] for e in EVENTS} == event_counts(store, run["id"], site)
            assert by_site[site]["failures_by_stage"] == failure_stages(store, run["id"], site)
        for e in EVENTS:
            assert run[e] == sum(s[e] for s in run["sites"])
    first, last = got["runs"]
    tongyu = sites["tongyu"]
    assert {s["site"]: s for s in first["sites"]}[tongyu]["new"] == 13
    assert {s["site"]: s for s in last["sites"]}[tongyu]["unchanged"] > 0
    assert last["new"] == 0
    archived = dict(db(store).execute("SELECT site, COUNT(*) FROM reports GROUP BY site").fetchall())
    overall = {s["site"]: s for s in got["sites"]}
    for site in sites.values():
        assert overall[site]["reports"] == archived[site]
        assert overall[site]["runs"] == 2 and overall[site]["last_run"] == ids[-1]
        assert overall[site]["new"] == sum(event_counts(store, i, site)["new"] for i in ids)


def test_traps_failures_by_stage_and_reason(two_crawls):
    store, traps = two_crawls["store"], two_crawls["sites"]["traps"]
    got = status_json(store)
    last = {s["site"]: s for s in got["last_run"]["sites"]}[traps]
    expected = failure_stages(store, got["last_run"]["id"], traps)
    assert last["failures_by_stage"] == expected and {"fetch", "robots"} <= set(expected)
    total = dict(db(store).execute("SELECT stage, COUNT(*) FROM failures GROUP BY stage").fetchall())
    assert {f["stage"]: f["count"] for f in got["failures"]} == total
    reasons = [r["reason"] for f in got["failures"] for r in f["top_reasons"]]
    assert "HTTP 500" in reasons and "forbidden by robots.txt" in reasons
    assert not any("://" in r or len(r) > 100 for r in reasons)          # URLs masked, long ones trimmed
    assert any("<url>" in r for r in reasons)                            # the redirect loop names its URLs


def test_status_text_tables_match_the_json(two_crawls):
    store, sites = two_crawls["store"], two_crawls["sites"]
    got, text = status_json(store), status_text(store)
    runs = text_table(text, "Runs (oldest first)")
    assert [r["run"] for r in runs] == [r["id"] for r in got["runs"]]
    assert [int(r["unchanged"]) for r in runs] == [r["unchanged"] for r in got["runs"]]
    last = got["last_run"]
    rows = {r["site"]: r for r in text_table(text, f"Last run {last['label']}: per site")}
    for entry in last["sites"]:
        assert {e: int(rows[entry["site"]][e]) for e in EVENTS} == {e: entry[e] for e in EVENTS}
        assert rows[entry["site"]]["failures by stage"] == status.stages_text(entry["failures_by_stage"])
    overall = {r["site"]: r for r in text_table(text, "All runs: per site (totals; reports = rows archived)")}
    assert int(overall[sites["tongyu"]]["reports"]) == 13
    assert "\x1b[" not in text                                          # no colour codes in a log file


def test_report_opens_offline_in_chromium(two_crawls, tmp_path):
    from playwright.sync_api import sync_playwright

    store, sites = two_crawls["store"], two_crawls["sites"]
    out = tmp_path / "report.html"
    proc = run_nianbao("report", "--store", str(store), "--out", str(out))
    assert proc.returncode == 0, proc.stderr.decode()
    line = re.fullmatch(r"nianbao: report written to (.+) \((\d+) plots\)\n", proc.stderr.decode())
    assert line and line[1] == str(out) and int(line[2]) >= 4
    got = status_json(store)
    blocked: list[str] = []

    def guard(route):
        if route.request.url.startswith(("file:", "data:")):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.route("**/*", guard)
            page.goto(out.as_uri())
            page.wait_for_load_state("load")
            widths = page.eval_on_selector_all("img.plot", "imgs => imgs.map(i => i.complete ? i.naturalWidth : 0)")
            foreign = page.eval_on_selector_all(
                "[src], [href]", "els => els.map(e => e.getAttribute('src') || e.getAttribute('href'))"
                                 ".filter(u => !u.startsWith('data:'))")
            tables = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('table')].map(t => {
                const heads = [...t.querySelectorAll('thead th')].map(th => th.textContent);
                return [t.id, [...t.querySelectorAll('tbody tr')].map(tr => Object.fromEntries(
                    [...tr.children].map((td, i) => [heads[i], td.textContent])))];
            }))""")
        finally:
            browser.close()
    assert blocked == [] and foreign == []
    assert len(widths) == int(line[2]) >= 4 and all(w > 0 for w in widths), widths
    assert [r["run"] for r in tables["runs"]] == [r["id"] for r in got["runs"]]
    assert [int(r["new"]) for r in tables["runs"]] == [r["new"] for r in got["runs"]]
    last = {r["site"]: r for r in tables["last-run-sites"]}
    for entry in got["last_run"]["sites"]:
        assert {e: int(last[entry["site"]][e]) for e in EVENTS} == {e: entry[e] for e in EVENTS}
        assert int(last[entry["site"]]["failures"]) == sum(failure_stages(store, got["last_run"]["id"],
                                                                          entry["site"]).values())
    archived = dict(db(store).execute("SELECT site, COUNT(*) FROM reports GROUP BY site").fetchall())
    assert {r["site"]: int(r["reports"]) for r in tables["sites"]} == {s: archived.get(s, 0) for s in sites.values()}
    stages = {r["stage"] for r in tables["failures"]}
    assert {"fetch", "robots"} <= stages


# -- stores built through the run API ------------------------------------------------------------------

SITE_A, SITE_CJK = "www.a.gov.cn", "政务公开.中国:8080"


@pytest.fixture
def history(tmp_path) -> Path:
    """A failure from before runs were recorded, a finished run, and a killed one (never finished)."""
    path = tmp_path / "store"
    store = open_store(path)
    store.record_failure("http://www.a.gov.cn/old", "fetch", "HTTP 503", SITE_A)
    store.start_run("run-1", {"start_urls": ["http://www.a.gov.cn/", f"http://{SITE_CJK}/"]})
    for k in range(3):
        store.note_event(SITE_A, "found", f"http://www.a.gov.cn/r{k}.html")
        store.note_event(SITE_A, "new", f"http://www.a.gov.cn/r{k}.html")
    store.note_event(SITE_A, "found", "http://www.a.gov.cn/r0.html")           # noted twice: one page
    store.note_event(SITE_CJK, "found", f"http://{SITE_CJK}/nb.html")
    long_reason = f"无法解码 http://{SITE_CJK}/x " + "很长" * 80
    store.record_failure(f"http://{SITE_CJK}/x", "decode", long_reason, SITE_CJK)
    store.finish_run("finished", {})
    store.start_run("run-2", {"start_urls": ["http://www.a.gov.cn/"]})
    store.note_event(SITE_A, "revised", "http://www.a.gov.cn/r1.html")
    store.note_event(SITE_A, "removed", "http://www.a.gov.cn/r2.html")
    store.note_event(SITE_A, "unchanged", "http://www.a.gov.cn/r0.html")
    store.record_failure("http://www.a.gov.cn/y", "robots", "forbidden by robots.txt", SITE_A)
    store.claim_report("id-1", "http://www.a.gov.cn/r0.html", "0" * 64, title="t", agency="a", year=2020,
                       published=None, site=SITE_A, signature=None)
    store.close()            # killed: run-2 is never finished
    return path


def test_history_runs_pre_runs_and_killed(history):
    got = status.load(str(history))
    pre, run1, run2 = got["runs"]
    assert (pre["id"], pre["label"], pre["failures_by_stage"]) == (None, status.PRE_RUNS, {"fetch": 1})
    assert (run1["found"], run1["new"], run1["failures_by_stage"]) == (4, 3, {"decode": 1})
    assert run1["state"] == "finished" and run1["duration_s"] is not None
    assert run2["state"] == status.KILLED and run2["duration_s"] is None and run2["finished_at"] is None
    assert {e: run2[e] for e in EVENTS} == {"found": 0, "new": 0, "revised": 1, "removed": 1, "unchanged": 1}
    assert got["last_run"]["id"] == "run-2"
    assert [s["site"] for s in run2["sites"]] == [SITE_A]
    overall = {s["site"]: s for s in got["sites"]}
    assert (overall[SITE_A]["runs"], overall[SITE_A]["failures"], overall[SITE_A]["reports"]) == (2, 2, 1)
    assert overall[SITE_CJK]["last_run"] == "run-1"
    [reason] = [r["reason"] for f in got["failures"] if f["stage"] == "decode" for r in f["top_reasons"]]
    assert reason.startswith("无法解码 <url> 很长") and len(reason) == 100 and reason.endswith("…")


def test_history_text_aligned_with_cjk_and_killed_run(history, capsys):
    assert status.cmd_status(Namespace(store=str(history), json=False)) == 0
    text = capsys.readouterr().out
    runs = text_table(text, "Runs (oldest first)")
    assert [r["run"] for r in runs] == [status.PRE_RUNS, "run-1", "run-2"]
    assert runs[2]["finished"] == status.KILLED and runs[2]["duration"] == "-"
    overall = {r["site"]: r for r in text_table(text, "All runs: per site (totals; reports = rows archived)")}
    assert overall[SITE_CJK]["found"] == "1" and overall[SITE_CJK]["last run"] == "run-1"
    assert overall[SITE_A]["revised"] == "1" and overall[SITE_A]["removed"] == "1"


def test_empty_store_says_no_runs(tmp_path):
    path = tmp_path / "store"
    open_store(path).close()
    text = status_text(path)
    assert "No crawl runs recorded in this store." in text
    assert status_json(path) == {"store": str(path), "runs": [], "last_run": None, "sites": [], "failures": [],
                                 "columns": [], "columns_incomplete": 0}
    proc = run_nianbao("report", "--store", str(path), "--out", str(tmp_path / "r.html"))
    assert proc.returncode == 0 and proc.stderr.decode().endswith("(0 plots)\n")
    assert "No crawl runs recorded" in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_unopenable_store_exits_3(tmp_path):
    missing, not_dir = tmp_path / "missing", tmp_path / "file"
    not_dir.write_text("x")
    for store in (missing, not_dir):
        for args in (["status", "--store", str(store)], ["report", "--store", str(store), "--out",
                                                         str(tmp_path / "r.html")]):
            proc = run_nianbao(*args)
            assert proc.returncode == 3 and proc.stderr.decode().startswith("nianbao: "), args
    assert not missing.exists()                  # a mistyped --store is not created as an empty store
    assert not (tmp_path / "r.html").exists()


def _glyph_warnings(caught) -> list[str]:
    return [str(w.message) for w in caught if "Glyph" in str(w.message)]


def test_plots_with_and_without_a_cjk_font(history):
    status_, by_year_site = crawlreport.load(str(history))
    font = crawlreport.find_cjk_font()
    assert font is not None, "fonts-noto-cjk is installed here; matplotlib should find it"
    for cjk in (font, None):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            page, count = crawlreport.build_report(status_, by_year_site, cjk)
        assert _glyph_warnings(caught) == [], cjk      # CJK drawn by the font, or labels made ASCII
        assert count == 5 == page.count('<img class="plot"')    # years, runs, failures, timeline, spans
    assert crawlreport.ascii_label(SITE_CJK, host=True) == "xn--55q32ar5yxig.xn--fiqs8s:8080"
    assert crawlreport.ascii_label("某某") == "??"


def test_report_of_thousands_of_reports(tmp_path):
    """3000 reports over 12 sites, three runs: the whole report is made (its time is a `make bench` figure)."""
    path = tmp_path / "store"
    open_store(path).close()
    con = sqlite3.connect(path / "nianbao.sqlite")
    sites = [f"www.s{i}.gov.cn" for i in range(11)] + [SITE_CJK]
    with con:
        con.executemany("INSERT INTO runs (id, started_at, finished_at, finish_reason) VALUES (?,?,?,?)",
                        [(f"r{k}", f"2026-01-0{k + 1}T00:00:00Z", f"2026-01-0{k + 1}T01:00:00Z", "finished")
                         for k in range(3)])
        con.executemany("INSERT INTO reports (id, url, year, site, raw_sha256) VALUES (?,?,?,?,?)",
                        [(f"id{n}", f"http://{sites[n % 12]}/{n}", 2010 + n % 15, sites[n % 12], "0" * 64)
                         for n in range(3000)])
        con.executemany("INSERT INTO run_events (run_id, site, event, url, at) VALUES (?,?,?,?,?)",
                        [(f"r{k}", sites[n % 12], event, f"http://{sites[n % 12]}/{n}",
                          f"2026-01-0{k + 1}T00:{n % 60:02d}:00Z")
                         for k in range(3) for n in range(3000)
                         for event in ("found", "new" if k == 0 else "unchanged")])
        con.executemany("INSERT INTO failures (url, stage, reason, site, failed_at, run_id) VALUES (?,?,?,?,?,?)",
                        [(f"http://{sites[n % 12]}/f{n}", ("fetch", "robots", "decode")[n % 3], f"HTTP 500 at {n}",
                          sites[n % 12], "2026-01-03T00:30:00Z", "r2") for n in range(300)])
    con.close()
    proc = run_nianbao("report", "--store", str(path), "--out", str(tmp_path / "r.html"))
    assert proc.returncode == 0 and proc.stderr.decode().endswith("(5 plots)\n"), proc.stderr.decode()
    html = (tmp_path / "r.html").read_text("utf-8")
    assert all(site in html for site in sites)
