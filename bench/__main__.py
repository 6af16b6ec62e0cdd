"""Print the benchmark figures (no assertions): crawl pages/s vs a bare Scrapy spider on the same replica
pages, text extraction time and fidelity vs trafilatura on the same report pages, and Chromium use.

    python -m bench [--scale N]

Runs, in one process and one reactor: (1) a nianbao crawl of the replica's plain sites (warm-up, and the
list of URLs it fetched), (2) a bare Scrapy spider fetching exactly those URLs with the same politeness
settings and no processing, (3) nianbao again into a fresh store. Ratio = pages/s of (3) / pages/s of (2).
Then (4) nianbao over the sites that need a browser (script-drawn lists, anti-bot challenges): pages
rendered against pages that needed it (goal 1.0), pages rendered on the plain sites in (3) (goal 0), and
seconds per fed report on browser sites against plain ones. The parsing stage (bench/parsing.py): parse time
per fed report, table cells right on the crawled table reports, and on the test set of real documents
(replica/corpus.py) cells right per carrier, against a number-stream baseline for 表三/表四. OCR (bench/ocr.py):
each engine on the replica's scans and 图片版 images of table reports: text similarity, cells right, s/page. Re-crawls of
the plain sites' store (crawler.ops.incremental): an unchanged re-crawl's requests against the first crawl's (goal
<= 0.10), a --recheck all sweep (conditional requests, 304s), and after the evolving site changed: new reports
found by a default run, revisions and removals by a sweep. The distributed mode (bench/distributed.py): reports/s of
1, 2 and 4 `nianbao worker` processes on a redis-server frontier and a moto S3 archive, worker memory against the
frontier's size, and the S3 archive's time, objects and requests per report against a local store. The workbench
(bench/workbench.py) on the plain sites' store: search latency through Datasette, `audit` time per 1,000 reports,
and recall of the Chinese tokenisations (bigrams, jieba, trigram + fallback). Completeness (bench/completeness.py):
each report column's stated vs found entries and the means used, pages rendered per site, over the main replica's
store and a crawl of the independent replica (reports fed against its truth).
"""

from __future__ import annotations

import argparse
import difflib
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from scrapy.utils.reactor import install_reactor

install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")

import scrapy  # noqa: E402
from scrapy import signals  # noqa: E402
from scrapy.crawler import CrawlerRunner  # noqa: E402
from scrapy.settings import Settings  # noqa: E402
from twisted.internet import defer, reactor  # noqa: E402

from crawler.judge.classify import classify  # noqa: E402
from crawler.judge.dedupe import content_id, signature  # noqa: E402
from crawler.read.document import read_document  # noqa: E402
from crawler.read.encoding import decode_html  # noqa: E402
from crawler.read.extract import extract_page  # noqa: E402
from crawler.read.files import file_kind  # noqa: E402
from replica import ReplicaServer, expected  # noqa: E402
from replica.evolving import Evolving  # noqa: E402
from replica.sites import table_reports  # noqa: E402
from crawler.archive.storage import open_store  # noqa: E402
from spiders.reports import ReportsSpider  # noqa: E402

from bench import completeness, distributed, parsing, workbench  # noqa: E402
from bench import ocr as ocr_bench  # noqa: E402

BENCH_SETTINGS = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY_JITTER": 0,
                  "LOG_LEVEL": "ERROR", "DOWNLOAD_TIMEOUT": 3, "RETRY_TIMES": 0, "ROBOTSTXT_OBEY": False}


class BareSpider(scrapy.Spider):
    """Fetches a fixed URL list and does nothing with the responses: the baseline."""

    name = "bare"

    def __init__(self, urls, **kw):
        super().__init__(**kw)
        self.urls = urls

    async def start(self):
        for url in self.urls:
            yield scrapy.Request(url, callback=self.parse, errback=lambda f: None, dont_filter=True)

    def parse(self, response):
        return None


def _settings(extra: dict) -> Settings:
    s = Settings()
    s.setmodule("settings.default", priority="project")
    s.setdict({**BENCH_SETTINGS, **extra}, priority="cmdline")
    return s


class Timed:
    def __init__(self):
        self.urls: list[str] = []
        self.seconds = 0.0

    def on_response(self, response, request, spider):
        self.urls.append(request.url)


@defer.inlineCallbacks
def _crawl(runner: CrawlerRunner, spidercls, timed: Timed, **kwargs):
    crawler = runner.create_crawler(spidercls)
    crawler.signals.connect(timed.on_response, signal=signals.response_received)
    t0 = time.perf_counter()
    yield runner.crawl(crawler, **kwargs)
    timed.seconds = time.perf_counter() - t0
    return crawler


def browser_sites(scale: int) -> set[str]:
    """Sites whose reports need Chromium somewhere: a script-drawn listing or a challenge."""
    return {e["site"] for e in expected(scale) if e["kind"] in ("js_listing", "challenge")}


def crawl_figures(replica: ReplicaServer, workdir: Path, scale: int) -> dict:
    needs_browser = browser_sites(scale)
    starts = [replica.url(name, "/") for name in sorted(replica.sites) if name != "traps" and name not in needs_browser]
    browser_starts = [replica.url(name, "/") for name in sorted(needs_browser)]
    results = {}

    @defer.inlineCallbacks
    def run():
        warm = Timed()
        yield _crawl(CrawlerRunner(_settings({"NIANBAO_STORE": str(workdir / "warm")})), ReportsSpider, warm,
                     start_urls=starts)
        bare = Timed()
        yield _crawl(CrawlerRunner(_settings({"ITEM_PIPELINES": {}, "DOWNLOADER_MIDDLEWARES": {}})), BareSpider,
                     bare, urls=list(warm.urls))
        full = Timed()
        full_crawler = yield _crawl(CrawlerRunner(_settings({"NIANBAO_STORE": str(workdir / "full")})), ReportsSpider,
                                    full, start_urls=starts)
        browser = Timed()
        browser_crawler = yield _crawl(CrawlerRunner(_settings({"NIANBAO_STORE": str(workdir / "browser")})),
                                       ReportsSpider, browser, start_urls=browser_starts)
        results.update(bare=bare, full=full, browser=browser, full_stats=full_crawler.stats.get_stats(),
                       browser_stats=browser_crawler.stats.get_stats())
        # re-crawls of the same store: unchanged, a --recheck all sweep, then after the evolving site changed
        for name, extra, epoch in (("again", {}, 0), ("sweep", {"NIANBAO_RECHECK": "all"}, 0),
                                   ("changed", {}, 1), ("changed_sweep", {"NIANBAO_RECHECK": "all"}, 1)):
            _set_epoch(replica, epoch)
            known = _known_pages(workdir / "full")
            crawler = yield _crawl(CrawlerRunner(_settings({"NIANBAO_STORE": str(workdir / "full"), **extra})),
                                   ReportsSpider, Timed(), start_urls=starts)
            results[name] = {"stats": crawler.stats.get_stats(), "known": known}
        _set_epoch(replica, 0)
        reactor.stop()

    reactor.callWhenRunning(run)
    reactor.run()
    return results


def _set_epoch(replica: ReplicaServer, epoch: int) -> None:
    with urllib.request.urlopen(replica.url("evolving", f"/__replica/epoch?set={epoch}")) as resp:
        resp.read()


def _known_pages(store_dir: Path) -> dict:
    with sqlite3.connect(store_dir / "nianbao.sqlite") as db:
        pages, validated = db.execute("SELECT count(*), count(etag) FROM pages WHERE removed_at IS NULL").fetchone()
    return {"pages": pages, "validated": validated}


def incremental_figures(res: dict, scale: int) -> list[str]:
    first = res["full_stats"]["downloader/request_count"]
    again = res["again"]["stats"]
    sweep, known = res["sweep"]["stats"], res["sweep"]["known"]
    changed, changed_sweep = res["changed"]["stats"], res["changed_sweep"]["stats"]
    site = Evolving(scale)
    lines = [
        f"recrawl unchanged re-crawl: {again['downloader/request_count']} requests against {first} for the first "
        f"crawl = {again['downloader/request_count'] / first:.3f}  (goal <= 0.10); "
        f"{again.get('nianbao/feed/reports', 0)} reports fed",
        f"recrawl --recheck all: {sweep['downloader/request_count']} requests, {sweep.get('nianbao/recheck/requests', 0)} "
        f"conditional re-checks for {known['pages']} known pages (goal <= 1 each), "
        f"{sweep.get('downloader/response_status_count/304', 0)} answered 304 of {known['validated']} pages whose "
        f"server gave validators",
        f"recrawl after changes, default run: {changed.get('nianbao/feed/reports', 0)} new reports fed of "
        f"{len(site.added)} added  ({changed['downloader/request_count']} requests)",
        f"recrawl after changes, --recheck all: {changed_sweep.get('nianbao/feed/revised', 0)} revised of 1, "
        f"{changed_sweep.get('nianbao/recheck/removed', 0)} removed of 1, "
        f"{changed_sweep.get('nianbao/recheck/unchanged', 0)} unchanged",
    ]
    return lines


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def extraction_figures(store_dir: Path, known: dict[str, str]) -> dict:
    """known: raw sha256 -> the text the page was rendered from."""
    import trafilatura

    store = open_store(store_dir)
    pages = []
    for report in store.reports():
        body = store.get_raw(report["raw_sha256"])
        if file_kind(body, None, report["url"]) not in ("html", None):
            continue            # a report published as a file: nothing for an HTML extractor to compare
        pages.append((report["raw_sha256"], decode_html(body).text))
    ours, theirs, sim_ours, sim_theirs, whole = [], [], [], [], []
    for sha, html in pages:
        body = store.get_raw(sha)
        t0 = time.perf_counter()
        doc = read_document(body, "text/html", "http://127.0.0.1/")
        classify(doc.page, doc.meta)
        signature(doc.page.text)
        content_id(doc.page.text)
        whole.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        page = extract_page(html)
        ours.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        traf = trafilatura.extract(html, include_tables=True) or ""
        theirs.append(time.perf_counter() - t0)
        if sha in known:
            ref = _flat(known[sha])
            sim_ours.append(difflib.SequenceMatcher(None, ref, _flat(page.text), autojunk=False).ratio())
            sim_theirs.append(difflib.SequenceMatcher(None, ref, _flat(traf), autojunk=False).ratio())
    store.close()
    return {"pages": len(pages), "ours_ms": 1000 * statistics.mean(ours), "traf_ms": 1000 * statistics.mean(theirs),
            "whole_ms": 1000 * statistics.mean(whole),
            "sim_ours": statistics.mean(sim_ours) if sim_ours else float("nan"),
            "sim_traf": statistics.mean(sim_theirs) if sim_theirs else float("nan"), "compared": len(sim_ours)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--scale", type=int, default=20)
    parser.add_argument("--independent-scale", type=int, default=5,
                        help="scale of the independent replica's crawl (its same-named towns multiply with it)")
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="nianbao-bench-"))
    try:
        with ReplicaServer(scale=args.scale) as replica:
            res = crawl_figures(replica, workdir, args.scale)
            known = known_texts(replica, workdir / "full", args.scale)
            replica_url = replica.url
        bare, full = res["bare"], res["full"]
        bare_rate = len(bare.urls) / bare.seconds
        full_rate = len(full.urls) / full.seconds
        print(f"crawl   bare Scrapy spider: {len(bare.urls)} pages in {bare.seconds:.2f} s = {bare_rate:.1f} pages/s")
        print(f"crawl   nianbao pipeline  : {len(full.urls)} pages in {full.seconds:.2f} s = {full_rate:.1f} pages/s")
        print(f"crawl   ratio nianbao/bare: {full_rate / bare_rate:.2f}  (goal >= 0.8)")
        ex = extraction_figures(workdir / "full", known)
        print(f"extract {ex['pages']} report pages: nianbao {ex['ours_ms']:.2f} ms/page, "
              f"trafilatura {ex['traf_ms']:.2f} ms/page, time ratio nianbao/trafilatura "
              f"{ex['ours_ms'] / ex['traf_ms']:.2f}")
        print(f"extract whole per-page processing (decode, extract, metadata, classify, id, MinHash): "
              f"{ex['whole_ms']:.2f} ms/page, against {1000 / bare_rate:.2f} ms/page of a bare Scrapy fetch")
        print(f"extract similarity to the known text over {ex['compared']} pages: nianbao {ex['sim_ours']:.3f}, "
              f"trafilatura {ex['sim_traf']:.3f}")
        tables = {replica_url(site, path): r for (site, path), r in table_reports(args.scale).items()}
        pc = parsing.crawl_figures(workdir / "full", tables)
        print(f"parse   {pc['fed']} fed reports: {pc['parse_ms']:.2f} ms/report (parse only, from the feed text), "
              f"{pc['parse_ms'] / ex['whole_ms']:.2f} x the per-page extraction processing")
        print(f"parse   table cells right on the crawled table reports: {pc['right']} / {pc['total']} "
              f"({pc['reports']} reports, OCR ones aside)")
        co = parsing.corpus_figures()
        carriers = ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in sorted(co["per_carrier"].items()))
        print(f"parse   test set ({co['cases']} documents): cells right per carrier: {carriers}")
        print(f"parse   test set 表三+表四 cells right: nianbao {co['ours34'][0]}/{co['ours34'][1]}, number-stream "
              f"baseline {co['base34'][0]}/{co['base34'][1]}; parse {co['parse_ms']:.2f} ms/document after reading it "
              f"({co['read_ms']:.0f} ms/document to read the carrier)")
        for line in parsing.real_layout_lines():     # layouts of real reports: per kind, carrier; inferred; alarms
            print(f"parse   {line}", flush=True)
        for line in ocr_bench.figures():
            print(f"ocr     {line}", flush=True)
        for line in incremental_figures(res, args.scale):
            print(line)
        truth = expected(args.scale)
        needed = sum(1 for e in truth if e["kind"] in ("js_listing", "challenge"))
        rendered = res["browser_stats"].get("nianbao/browser/pages", 0)
        plain_rendered = res["full_stats"].get("nianbao/browser/pages", 0)
        print(f"browser pages rendered / pages that needed it: {rendered} / {needed} = {rendered / needed:.2f}"
              f"  (goal 1.0; {len(browser_sites(args.scale))} sites with script-drawn lists or challenges)")
        print(f"browser pages rendered on the plain sites: {plain_rendered}  (goal 0)")
        fed_plain = res["full_stats"].get("nianbao/feed/reports", 0)
        fed_browser = res["browser_stats"].get("nianbao/feed/reports", 0)
        per_plain = full.seconds / max(fed_plain, 1)
        per_browser = res["browser"].seconds / max(fed_browser, 1)
        print(f"browser time per fed report: browser sites {1000 * per_browser:.1f} ms ({fed_browser} reports in "
              f"{res['browser'].seconds:.1f} s, Chromium start included), plain sites {1000 * per_plain:.1f} ms "
              f"({fed_plain} reports in {full.seconds:.1f} s); ratio {per_browser / per_plain:.2f}")
        for line in completeness.figures(workdir, workdir / "full", args.independent_scale):   # stated vs found per column, renders
            print(f"listing {line}", flush=True)
        for line in report_figures(workdir / "full"):
            print(f"report  {line}", flush=True)
        for line in workbench.figures(workdir / "full"):      # search latency, audit time, tokenisation
            print(f"wb      {line}", flush=True)
        for line in distributed.figures(args.scale, workdir / "dist"):
            print(f"dist    {line}", flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


def report_figures(store_dir: Path) -> list[str]:
    """`nianbao report` (the HTML crawl report) over the bench's store, against the command's bare start."""
    nianbao = str(Path(sys.executable).parent / "nianbao")

    def timed(*args) -> float:
        began = time.monotonic()
        subprocess.run([nianbao, *args], check=True, capture_output=True)
        return time.monotonic() - began

    start = min(timed("--version") for _ in range(3))
    took = min(timed("report", "--store", str(store_dir), "--out", str(store_dir / "bench-report.html"))
               for _ in range(2))
    return [f"the HTML report over the crawled store: {took:.2f} s, {took / start:.1f} x the command's start "
            f"({start:.2f} s)"]


def known_texts(replica, store_dir: Path, scale: int) -> dict[str, str]:
    """Map raw sha256 of each fed report page to the text the replica rendered it from."""
    by_url = {}
    for entry in expected(scale):
        if entry["kind"] == "report":
            for path in entry["paths"]:
                by_url[replica.url(entry["site"], path)] = entry["text"]
    store = open_store(store_dir)
    known = {r["raw_sha256"]: by_url[r["url"]] for r in store.reports() if r["url"] in by_url}
    store.close()
    return known


if __name__ == "__main__":
    sys.exit(main())
