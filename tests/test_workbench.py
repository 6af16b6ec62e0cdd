"""The researcher's workbench on a real crawl: `nianbao audit` against the replica county's ground truth, and
`nianbao serve` (a real Datasette on loopback) through its JSON API, in headless Chromium, under attack, and
while a crawl writes to the store it serves."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
import socket
import sqlite3
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

import pytest

from crawler.archive.feed import read_feed
from replica.audit_county import AuditCounty
from replica.jianchuan import Jianchuan
from replica.server import serve as serve_sites
from replica.server import stop
from tests.conftest import FAST, NIANBAO, REPO, run_nianbao

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
YEARS = (2022, 2023)


@pytest.fixture(scope="module")
def world():
    """安远县 (the audit county) and 剑川县 (another region), each on its own loopback address."""
    sites = [AuditCounty(), Jianchuan()]
    ctx, servers = serve_sites(sites, base="127.0.9", port=0)
    yield ctx, {s.name: s for s in sites}
    stop(ctx, servers)


@pytest.fixture(scope="module")
def store(world, tmp_path_factory):
    ctx, _ = world
    path = tmp_path_factory.mktemp("workbench") / "store"
    proc = run_nianbao("crawl", ctx.url("audit_county", "/"), ctx.url("jianchuan", "/"), "--store", str(path), *FAST)
    assert proc.returncode == 0, proc.stderr.decode()[-3000:]
    return path


@pytest.fixture(scope="module")
def feed(store):
    return read_feed(store / "feed")


def _audit(store: Path, year: int, *extra: str) -> subprocess.CompletedProcess:
    proc = run_nianbao("audit", "--store", str(store), "--year", str(year), *extra)
    assert proc.returncode == 0, proc.stderr.decode()
    return proc


# -- nianbao audit ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("year", YEARS)
def test_audit_lists_exactly_the_missing_late_copied_and_failing(store, world, year):
    ctx, sites = world
    truth = sites["audit_county"].audit_truth(year)
    result = json.loads(_audit(store, year, "--region", "安远县", "--json").stdout)
    assert result["year"] == year
    assert {r["agency"]: r["last_year"] for r in result["missing"]} == truth["missing"]
    assert {r["agency"]: (r["published"], r["deadline"], r["days_late"]) for r in result["late"]} == truth["late"]
    assert {r["agency"] for r in result["reuse"]} == truth["reuse"]
    assert {r["agency"]: set(r["rules"]) for r in result["failing"]} == \
        {a: {f"{rule}[{col}]" for rule, col in rules} for a, rules in truth["failing"].items()}
    assert {r["agency"]: r["url"] for r in result["found"]} == \
        {a: ctx.url("audit_county", p) for a, p in truth["found"].items()}
    for row in result["reuse"]:
        assert row["reuse_of_previous"] > 0.5 and row["passages"] and len(row["passages"][0]) >= 20
    for row in result["missing"]:
        assert row["site"] == urllib.parse.urlsplit(ctx.url("audit_county", "/")).netloc
    (county,) = result["regions"]
    assert county["region"] == "江西省 赣州市 安远县"
    assert (county["found"], county["missing"], county["late"], county["reuse"], county["failing"]) == \
        (len(truth["found"]), len(truth["missing"]), len(truth["late"]), len(truth["reuse"]), len(truth["failing"]))


def test_audit_regions_csv_and_text(store, world):
    _, sites = world
    whole = json.loads(_audit(store, 2020, "--json").stdout)
    jianchuan = [r for r in sites["jianchuan"].truth if r["kind"] == "report"]
    assert {r["region"] for r in whole["regions"]} == {"云南省 大理白族自治州 剑川县"}
    assert len(whole["found"]) == len({r["agency"] for r in jianchuan if r["year"] == 2020})
    assert json.loads(_audit(store, 2020, "--region", "安远县", "--json").stdout)["found"] == []
    truth = sites["audit_county"].audit_truth(2023)
    rows = list(csv.DictReader(io.StringIO(_audit(store, 2023, "--region", "赣州市", "--csv").stdout.decode())))
    assert len(rows) == len(truth["found"]) + len(truth["missing"])
    status = {r["agency"]: r["status"] for r in rows}
    assert {a for a, s in status.items() if s == "missing"} == set(truth["missing"])
    assert {a for a, s in status.items() if "late" in s} == set(truth["late"])
    text = _audit(store, 2023, "--region", "江西省").stdout.decode()
    for agency in truth["missing"]:
        assert f"{agency}  MISSING" in text
    assert (f"江西省 赣州市 安远县: {len(truth['found'])} found, {len(truth['missing'])} missing, {len(truth['late'])} "
            f"late, {len(truth['reuse'])} high reuse, {len(truth['failing'])} failing checks") in text


def test_audit_with_a_local_deadline_rule(store, tmp_path):
    """A province's own rule for its townships (--deadlines): 欣山镇's report of 2024-04-20 is then late."""
    rules = tmp_path / "deadlines.yaml"
    rules.write_text("江西省:\n  township: \"03-31\"\n  basis: 某省政务公开办通知\n", encoding="utf-8")
    plain = json.loads(_audit(store, 2023, "--json").stdout)
    local = json.loads(_audit(store, 2023, "--json", "--deadlines", str(rules)).stdout)
    assert "欣山镇人民政府" not in {r["agency"] for r in plain["late"]}
    (row,) = [r for r in local["late"] if r["agency"] == "欣山镇人民政府"]
    assert (row["deadline"], row["days_late"]) == ("2024-03-31", 20) and "某省政务公开办通知" in row["deadline_basis"]
    jianchuan = [r for r in local["late"] if r["agency"].endswith(("镇人民政府", "乡人民政府")) and r["agency"] != "欣山镇人民政府"]
    assert not jianchuan          # another province's townships keep no deadline
    rules.write_text("江西省:\n  township: 13-45\n", encoding="utf-8")
    bad = run_nianbao("audit", "--store", str(store), "--year", "2023", "--deadlines", str(rules))
    assert bad.returncode == 2 and "MM-DD" in bad.stderr.decode()


def test_serve_refuses_an_index_inside_the_store(store):
    proc = run_nianbao("serve", "--store", str(store), "--index", str(store / "x.sqlite"), "--port", str(_free_port()))
    assert proc.returncode == 2 and "inside the store" in proc.stderr.decode()
    assert not (store / "x.sqlite").exists()


def test_audit_figures_are_in_the_parsed_output(store, tmp_path, world):
    """`parse --store` writes parsed/audit.jsonl; each parsed line carries the figures the report gives alone."""
    copy = tmp_path / "store"
    shutil.copytree(store, copy)
    assert run_nianbao("parse", "--store", str(copy)).returncode == 0
    lines = [json.loads(line) for line in (copy / "parsed" / "audit.jsonl").read_text("utf-8").splitlines()]
    by = {(line["agency"], line["year"]): line for line in lines}
    late = by[("安远县财政局", 2023)]
    assert (late["deadline"], late["on_time"], late["days_late"], late["published_source"]) == \
        ("2024-01-31", False, 19, "byline")
    assert "第四十九条" in late["deadline_basis"]
    township = by[("欣山镇人民政府", 2023)]
    assert township["deadline"] is None and township["on_time"] is None and township["level"] == "township"
    assert by[("安远县市场监督管理局", 2023)]["reuse_of_previous"] > 0.9
    assert by[("安远县市场监督管理局", 2022)]["reuse_of_previous"] < 0.5
    assert all(line["sections_missing"] == [] for line in lines if line["format"] in ("2019", "2021"))
    parsed = [json.loads(line) for f in (copy / "parsed").glob("v*.jsonl") for line in f.read_text("utf-8").splitlines()]
    broken = [p for p in parsed if p["agency"] == "安远县卫生健康委员会" and p["year"] == 2023]
    assert broken and broken[-1]["audit"]["failing"] == ["balance[natural_person]", "balance[total]"]
    out = tmp_path / "reports.csv"
    assert run_nianbao("export", "--store", str(copy), "--format", "csv", "--out", str(out)).returncode == 0
    exported = {(r["agency"], r["year"]): r for r in csv.DictReader(out.open(encoding="utf-8"))}
    row = exported[("安远县财政局", "2023")]
    assert (row["deadline"], row["on_time"], row["days_late"], row["published_source"]) == \
        ("2024-01-31", "False", "19", "byline")
    assert float(exported[("镇岗乡人民政府", "2023")]["reuse_of_previous"]) > 0.9
    assert exported[("欣山镇人民政府", "2023")]["deadline"] == "" and exported[("欣山镇人民政府", "2023")]["level"] == "township"
    parquet = tmp_path / "reports.parquet"
    assert run_nianbao("export", "--store", str(copy), "--format", "parquet", "--out", str(parquet)).returncode == 0
    import pyarrow.parquet as pq

    table = pq.read_table(parquet)
    kinds = {name: str(table.schema.field(name).type) for name in ("on_time", "days_late", "reuse_of_previous", "deadline")}
    assert kinds == {"on_time": "bool", "days_late": "int64", "reuse_of_previous": "double", "deadline": "string"}
    rows = {(r["agency"], r["year"]): r for r in table.to_pylist()}
    assert rows[("安远县财政局", 2023)]["days_late"] == 19 and rows[("安远县财政局", 2023)]["on_time"] is False


# -- nianbao serve ------------------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 30) -> tuple[int, dict, bytes]:
    try:
        with OPENER.open(url, timeout=timeout) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read()


def _json(base: str, path: str, **params) -> dict | list:
    query = urllib.parse.urlencode(params, doseq=True)
    status, _, body = _get(f"{base}{path}?{query}")
    assert status == 200, body[:500]
    return json.loads(body)


def _fingerprint(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def server(store):
    before = _fingerprint(store)
    port = _free_port()
    proc = subprocess.Popen([NIANBAO, "serve", "--store", str(store), "--port", str(port)], cwd=REPO,
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"serve exited: {proc.stderr.read().decode()[-2000:]}")
        try:
            if _get(base + "/-/versions.json", timeout=2)[0] == 200:
                break
        except OSError:
            time.sleep(0.3)
    else:
        pytest.fail("serve did not answer")
    yield {"base": base, "store": store, "before": before, "proc": proc}
    proc.terminate()
    proc.wait(timeout=30)
    (index,) = re.findall(r"index (\S+nianbao\.sqlite)", proc.stderr.read().decode())
    assert not Path(index).parent.exists()          # the temporary index went with the server


def _ids(base: str, **params) -> set[str]:
    rows = _json(base, "/nianbao/reports.json", _shape="array", _col="id", _size="max", **params)
    return {r["id"] for r in rows}


@pytest.mark.parametrize("query", ["行政复议", "复议", "诉讼", "结果纠正", "主动公开", "剑川", "行政复议 纠正", "2023年"])
def test_search_finds_every_report_that_says_it(server, feed, query):
    want = {r["id"] for r in feed if all(w in f"{r['title']}\n{r['text']}" for w in query.split())}
    assert want, query
    assert _ids(server["base"], _search=query) == want


def test_facets_count_regions_timeliness_and_failing_checks(server, feed, world):
    _, sites = world
    data = _json(server["base"], "/nianbao/reports.json", _facet=["province", "county", "timeliness", "year"],
                 _facet_array="failing", _size=0)
    facets = {name: {item["value"]: item["count"] for item in f["results"]} for name, f in data["facet_results"].items()}
    anyuan = sum(1 for r in feed if r["site_name"] == "安远县人民政府")
    assert facets["province"]["江西省"] == anyuan
    assert facets["county"]["剑川县"] == len(feed) - anyuan
    late = sum(len(sites["audit_county"].audit_truth(y)["late"]) for y in (2021, 2022, 2023))
    in_county = _json(server["base"], "/nianbao/reports.json", county="安远县", _facet="timeliness",
                      _facet_array="failing", _size=0)
    county = {name: {item["value"]: item["count"] for item in f["results"]}
              for name, f in in_county["facet_results"].items()}
    assert county["timeliness"]["逾期"] == late
    failing = Counter(f"{rule}[{where}]" for y in (2021, 2022, 2023)
                      for rules in sites["audit_county"].audit_truth(y)["failing"].values() for rule, where in rules)
    assert county["failing"] == dict(failing)
    assert failing["balance[total]"] == 1
    assert data["filtered_table_rows_count"] == len(feed)


def test_canned_audit_queries(server, world):
    _, sites = world
    truth = sites["audit_county"].audit_truth(2023)
    missing = _json(server["base"], "/nianbao/missing.json", year=2023, _shape="array")
    assert {r["agency"] for r in missing} == set(truth["missing"])
    late = _json(server["base"], "/nianbao/late.json", year=2023, _shape="array")
    assert {r["agency"]: r["days_late"] for r in late} == {a: v[2] for a, v in truth["late"].items()}
    reuse = _json(server["base"], "/nianbao/reuse.json", year=2023, _shape="array")
    assert {r["agency"] for r in reuse} == truth["reuse"]


def test_warc_record_of_a_report(server, feed):
    """/-/warc/<sha256>: the WARC response record of the first capture, its payload digest the report's bytes."""
    import base64

    from warcio.archiveiterator import ArchiveIterator

    record = feed[0]
    status, headers, body = _get(f"{server['base']}/-/warc/{record['raw']['sha256']}")
    assert status == 200 and headers["content-type"].startswith("application/warc")
    records = []
    for warc in ArchiveIterator(io.BytesIO(body)):
        records.append((warc.rec_type, warc.rec_headers.get_header("WARC-Target-URI"),
                        warc.rec_headers.get_header("WARC-Payload-Digest"), warc.content_stream().read()))
    ((kind, uri, digest, payload),) = records
    assert kind == "response" and uri == record["url"]
    assert digest == "sha256:" + base64.b32encode(bytes.fromhex(record["raw"]["sha256"])).decode()
    assert hashlib.sha256(payload).hexdigest() == record["raw"]["sha256"]


def test_store_wide_failures_are_checks_of_the_report(server, feed, world):
    """A copy of last year's report breaks the in-force chain of 表二: a failing check on its page, cells marked."""
    _, sites = world
    truth = sites["audit_county"].audit_truth(2023)["failing"]
    copied = next(r for r in feed if r["agency"] == "安远县市场监督管理局" and r["year"] == 2023)
    rows = _json(server["base"], "/nianbao/checks.json", report_id=copied["id"], status="fail", _shape="array")
    assert {(r["rule"], r["target"]) for r in rows} == truth["安远县市场监督管理局"]
    status, _, body = _get(f"{server['base']}/-/report/{copied['id']}")
    page = body.decode()
    assert status == 200 and "in_force_vs_last_year[normative_docs]" in page
    table2 = page[page.index('id="nb-table-1"'):page.index("</table>", page.index('id="nb-table-1"'))]
    assert table2.count('class="nb-fail"') == 3          # 本年制发件数, 本年废止件数, 现行有效件数 of 行政规范性文件


def test_store_is_untouched_by_serving(server):
    """Every file of the store, byte for byte, as before serve started (its index lives elsewhere)."""
    _json(server["base"], "/nianbao/reports.json", _search="复议")
    assert _fingerprint(server["store"]) == server["before"]


@pytest.mark.parametrize("path", ["/-/raw/../../../etc/passwd", "/-/raw/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
                                  "/-/raw/" + "0" * 63, "/-/raw/" + "a" * 64, "/-/raw/" + "A" * 64,
                                  "/-/raw/" + "0" * 64 + "/../../nianbao.sqlite", "/-/static/../../../../etc/passwd",
                                  "/-/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/-/warc/" + "b" * 64,
                                  "/-/report/../../etc/passwd", "/nianbao.db", "/nianbao.sqlite"])
def test_traversal_reaches_no_file(server, path):
    status, _, body = _get(server["base"] + path)
    assert status in (403, 404) or (path == "/nianbao.sqlite" and status == 200), (path, status)
    assert b"root:" not in body and b"SQLite format" not in body      # neither a system file nor the database


@pytest.mark.parametrize("path", ["/nianbao.json?sql=" + urllib.parse.quote("DELETE FROM reports"),
                                  "/nianbao.json?sql=" + urllib.parse.quote("select * from reports"),
                                  "/nianbao?sql=" + urllib.parse.quote("DROP TABLE reports"),
                                  "/_memory.json?sql=" + urllib.parse.quote("ATTACH '/tmp/x.db' AS x"),
                                  "/nianbao/reports.json?_where=" + urllib.parse.quote("1); DELETE FROM reports; --")])
def test_write_and_arbitrary_sql_is_refused(server, feed, path):
    status, _, _ = _get(server["base"] + path)
    assert status in (400, 403, 404), (path, status)
    assert len(_ids(server["base"])) == len(feed)


def test_only_get_and_head(server):
    request = urllib.request.Request(server["base"] + "/nianbao/missing?year=2023", data=b"year=2023", method="POST")
    with pytest.raises(urllib.error.HTTPError) as err:
        OPENER.open(request, timeout=10)
    assert err.value.code == 405


def test_oversized_requests_are_refused_and_the_server_lives_on(server, feed):
    status, _, _ = _get(server["base"] + "/nianbao/reports.json?_search=" + urllib.parse.quote("复议" * 3000))
    assert status == 414
    status, _, _ = _get(server["base"] + "/nianbao/reports.json?_size=100000000")
    assert status == 400
    long_word = _json(server["base"], "/nianbao/reports.json", _search="行政" * 150, _shape="array")
    assert long_word == []
    assert len(_ids(server["base"], _search="复议")) > 0


def test_serve_binds_loopback_only(server):
    port = urllib.parse.urlsplit(server["base"]).port
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.2", port), timeout=2).close()


def test_crawl_report_links_to_the_workbench_pages(server, feed, tmp_path):
    out = tmp_path / "report.html"
    proc = run_nianbao("report", "--store", str(server["store"]), "--out", str(out), "--workbench", server["base"])
    assert proc.returncode == 0, proc.stderr.decode()
    page = out.read_text("utf-8")
    linked = re.findall(re.escape(server["base"]) + r"/-/report/([0-9a-f]{64})", page)
    assert set(linked) == {r["id"] for r in feed}          # the run fed them all: each named, each linked
    status, _, body = _get(f"{server['base']}/-/report/{linked[0]}")
    title = next(r["title"] for r in feed if r["id"] == linked[0])
    assert status == 200 and title in body.decode()


# -- in Chromium -----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def test_chromium_search_report_page_tables_checks_and_raw(server, browser, feed, tmp_path):
    base = server["base"]
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(base + "/nianbao/reports")
    page.fill("input[name=_search]", "行政复议 纠正")
    page.locator("input[name=_search]").press("Enter")
    page.wait_for_url("**_search=*")
    want = {r["id"] for r in feed if "行政复议" in r["text"] + r["title"] and "纠正" in r["text"] + r["title"]}
    assert f"{len(want)} row" in page.inner_text("body")
    page.screenshot(path=str(tmp_path / "search.png"), full_page=True)

    # the broken report, found by its facet, opened from its id link
    page.goto(base + "/nianbao/reports?_facet_array=failing&failing__arraycontains=balance[total]")
    page.click("td.col-id a")
    page.wait_for_selector("#nb-title")
    broken = next(r for r in feed if r["agency"] == "安远县卫生健康委员会" and r["year"] == 2023)
    assert page.inner_text("#nb-title") == broken["title"]
    failing = page.inner_text("#nb-failing")
    assert "balance[natural_person]" in failing and "balance[total]" in failing
    assert page.locator("#nb-failing").is_visible()
    table3 = page.locator("table.nb-official", has_text="一、本年新收政府信息公开申请数量").first
    assert table3.is_visible()
    assert "（七）总计" in table3.inner_text() and "自然人" in table3.inner_text()
    marked = page.locator("table.nb-official td.nb-fail")
    assert marked.count() >= 4          # the 自然人 and 总计 columns of the rows the balance rule adds up
    color = marked.first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert color == "rgb(255, 215, 215)"
    page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    assert not errors, errors

    # its raw link: the archived bytes of the page, exactly, shown sandboxed
    href = page.get_attribute("#nb-raw", "href")
    assert href.endswith(broken["raw"]["sha256"])
    page.click("#nb-raw")
    page.wait_for_load_state()
    assert broken["title"] in page.title() or broken["title"] in page.inner_text("body")
    status, headers, body = _get(base + href)
    assert status == 200 and hashlib.sha256(body).hexdigest() == broken["raw"]["sha256"]
    assert "sandbox" in headers["content-security-policy"]
    page.close()


def test_chromium_a_fine_report_has_no_marked_cells(server, browser, feed):
    fine = next(r for r in feed if r["agency"] == "安远县教育局" and r["year"] == 2023)
    page = browser.new_page()
    page.goto(f"{server['base']}/-/report/{fine['id']}")
    assert page.locator("#nb-failing").count() == 0
    assert page.locator("td.nb-fail").count() == 0
    assert "按期" in page.inner_text("#nb-deadline") and "2024-01-31" in page.inner_text("#nb-deadline")
    page.close()


# -- serving while a crawl writes -------------------------------------------------------------------------------

def test_serve_answers_while_a_crawl_writes_the_store(server, world, feed):
    """The second crawl (every page re-checked) writes SQLite, feed and WARC while the server is asked again and
    again: every answer is whole, and the crawl records no failure of its own store."""
    ctx, _ = world
    answers: list[int] = []
    stop_asking = threading.Event()

    def ask() -> None:
        while not stop_asking.is_set():
            answers.append(len(_ids(server["base"], _search="复议")))
            answers.append(_get(server["base"] + "/nianbao/reports.json?_facet=county&_size=0")[0])

    asker = threading.Thread(target=ask)
    asker.start()
    try:
        proc = run_nianbao("crawl", ctx.url("audit_county", "/"), "--store", str(server["store"]), "--recheck", "all",
                           *FAST)
    finally:
        stop_asking.set()
        asker.join(60)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    assert answers and all(a not in (0, 500, 503) for a in answers)
    db = sqlite3.connect(server["store"] / "nianbao.sqlite")
    assert db.execute("SELECT count(*) FROM failures WHERE reason LIKE '%locked%'").fetchone()[0] == 0
    db.close()
    assert server["proc"].poll() is None
