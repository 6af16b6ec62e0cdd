"""The `nianbao` command: parse, validate, dispatch. Crawls run the same Scrapy components as `scrapy crawl reports`."""

from __future__ import annotations

import argparse
import os
import re
import signal
import sys

from crawler.archive.storage import StoreError, open_store
from crawler.workbench.commands import COMMANDS as WORKBENCH_COMMANDS
from crawler.workbench.commands import add_subcommands as workbench_subcommands
from crawler.workbench.commands import validate as workbench_validate

EXIT_OK, EXIT_USAGE, EXIT_STORE, EXIT_INTERRUPTED = 0, 2, 3, 130
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
_SHA256 = re.compile(r"[0-9a-fA-F]{64}")

# What `nianbao COMMAND --help` shows below the options: a line or two a newcomer can copy.
EXAMPLES = {
    "crawl": "nianbao crawl https://www.example.gov.cn/ --store reports-store\n"
             "  nianbao crawl --sites sites.yaml --store reports-store --recheck all",
    "backfill": "nianbao backfill https://www.example.gov.cn/art/2024/1/20/art_1_1.html --store reports-store",
    "raw": "nianbao raw 3f2a…(64 hex digits) --store reports-store > page.html",
    "enqueue": "nianbao enqueue https://www.example.gov.cn/ --redis redis://10.0.0.5:6379/0",
    "worker": "nianbao worker --redis redis://10.0.0.5:6379/0 --archive s3://reports/nianbao --idle-exit 60",
    "feed": "nianbao feed --store reports-store > reports.jsonl",
    "parse": "nianbao parse report.pdf\n  nianbao parse https://www.example.gov.cn/art/2024/1/20/art_1_1.html --json\n"
             "  nianbao parse --store reports-store",
    "export": "nianbao export --store reports-store --format csv --out reports.csv --labels zh\n"
              "  nianbao export wacz --store reports-store --out crawl.wacz",
    "status": "nianbao status --store reports-store\n  nianbao status --store reports-store --json",
    "report": "nianbao report --store reports-store --out report.html",
    "doctor": "nianbao doctor",
}


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("nianbao")
    except PackageNotFoundError:
        return "unknown"


def _describe(sub) -> None:
    """Every subcommand's --help: a description (its one-line help, unless it has its own) and examples."""
    helps = {action.dest: action.help for action in sub._choices_actions}
    for name, p in sub.choices.items():
        p.description = p.description or (helps.get(name) or "").capitalize() or None
        if name in EXAMPLES and not p.epilog:
            p.epilog = "example" + ("s" if "\n" in EXAMPLES[name] else "") + ":\n  " + EXAMPLES[name]
            p.formatter_class = argparse.RawDescriptionHelpFormatter


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="nianbao", description=__doc__)
    parser.add_argument("--version", action="version", version=f"nianbao {_version()}")
    sub = parser.add_subparsers(dest="command", required=True)

    def archive_options(p: argparse.ArgumentParser, store: bool = False) -> None:
        where = p.add_argument_group("archive")
        if store:
            where.add_argument("--store", metavar="DIR", help="a local store directory")
        where.add_argument("--archive", default=None if store else os.environ.get("NIANBAO_ARCHIVE"),
                           metavar="s3://BUCKET/PREFIX",
                           help="the S3 archive of a distributed crawl" + ("" if store else " (env NIANBAO_ARCHIVE)"))
        where.add_argument("--s3-endpoint", default=os.environ.get("NIANBAO_S3_ENDPOINT"), metavar="URL",
                           help="endpoint of an S3-compatible store (env NIANBAO_S3_ENDPOINT; default AWS)")

    def crawl_options(p: argparse.ArgumentParser, store: bool = True, listing: bool = True) -> None:
        if store:
            out = p.add_argument_group("output")
            out.add_argument("--store", required=True, metavar="DIR",
                             help="store directory (raw bytes, SQLite, feed/)")
        nav = p.add_argument_group("politeness and navigation")
        nav.add_argument("--delay", type=float, metavar="SECONDS",
                         help="delay between requests to one host (default 2; 0 also turns AutoThrottle off)")
        if listing:       # backfill fetches the given pages only: no listing to cap
            nav.add_argument("--max-pages", type=int, metavar="N", help="listing pages per site at most (default 200)")
        nav.add_argument("--browser", choices=("never", "auto", "always"), default=None,
                         help="Chromium for listings drawn by script and anti-bot challenges: only where needed "
                              "(auto, default), for every listing page (always), or not at all (never)")
        run = p.add_argument_group("Scrapy")
        run.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                         help="any Scrapy or NIANBAO_* setting (repeatable)")
        run.add_argument("--log-level", default=None, type=str.upper, choices=LOG_LEVELS, metavar="LEVEL",
                         help="DEBUG, INFO (default), WARNING, ERROR or CRITICAL")

    crawl = sub.add_parser("crawl", help="walk portals (home pages or report columns) and feed every report")
    crawl.add_argument("urls", nargs="*", metavar="URL")
    crawl.add_argument("--sites", metavar="FILE", help="a sites file (YAML) listing the portals to crawl, with hints")
    crawl.add_argument("--recheck", choices=("due", "all"), default=None,
                       help="known report pages re-checked (conditional requests): those due by their age "
                            "(default) or all of them (the periodic sweep for late corrections)")
    crawl_options(crawl)

    backfill = sub.add_parser("backfill", help="fetch these report pages directly, through the same pipeline")
    backfill.add_argument("urls", nargs="+", metavar="URL")
    backfill.add_argument("--force", action="store_true",
                          help="feed pages the classifier rejects (its reasons are kept in the record)")
    crawl_options(backfill, listing=False)

    raw = sub.add_parser("raw", help="write the exact archived bytes of SHA256 to stdout")
    raw.add_argument("sha256")
    archive_options(raw, store=True)

    enqueue = sub.add_parser("enqueue", help="put portal URLs (or, with --backfill, report URLs) on the shared "
                                             "Redis frontier for the workers")
    enqueue.add_argument("urls", nargs="+", metavar="URL")
    enqueue.add_argument("--redis", default=os.environ.get("NIANBAO_REDIS"), metavar="redis://HOST:PORT/DB",
                         help="the frontier's Redis (env NIANBAO_REDIS; default redis://127.0.0.1:6379/0)")
    enqueue.add_argument("--backfill", action="store_true", help="the URLs are report pages: fetch them directly")
    enqueue.add_argument("--force", action="store_true", help="with --backfill: feed pages the classifier rejects")
    enqueue.add_argument("--fresh", action="store_true",
                         help="a new campaign: forget which pages earlier campaigns fetched (the request "
                              "fingerprints), so listings are walked again; reports already fed stay fed once")

    worker = sub.add_parser("worker", help="crawl from the shared Redis frontier into the S3 archive and feed")
    worker.add_argument("--redis", default=os.environ.get("NIANBAO_REDIS"), metavar="redis://HOST:PORT/DB",
                        help="the frontier's Redis (env NIANBAO_REDIS; default redis://127.0.0.1:6379/0)")
    archive_options(worker)
    worker.add_argument("--idle-exit", type=float, metavar="SECONDS",
                        default=_env_float("NIANBAO_IDLE_EXIT"),
                        help="stop once the frontier has been empty this long (env NIANBAO_IDLE_EXIT; "
                             "default: run until stopped)")
    worker.add_argument("--work-dir", default=os.environ.get("NIANBAO_WORK_DIR", "nianbao-worker"), metavar="DIR",
                        help="local directory for each worker's catalogue and WARCs before upload "
                             "(env NIANBAO_WORK_DIR; default nianbao-worker)")
    crawl_options(worker, store=False)

    feed = sub.add_parser("feed", help="write the feed (one JSON line per report) to stdout")
    archive_options(feed, store=True)

    parse = sub.add_parser("parse", help="parse one document (or every fed report of a store) into its tables, "
                                         "figures and checks")
    parse.add_argument("source", nargs="?", metavar="FILE|URL|-",
                       help="an HTML page, PDF, DOC/DOCX/WPS, XLS/XLSX or plain text file, a URL, or - for stdin")
    parse.add_argument("--store", metavar="DIR", help="parse every fed report not yet parsed by this parser version")
    parse.add_argument("--json", action="store_true", help="one compact JSON line instead of indented JSON")
    parse.add_argument("--force", action="store_true", help="with --store: parse every report again")

    export = sub.add_parser("export", help="parsed reports as a table (--format), or the WARCs as a WACZ (export wacz)")
    export.add_argument("what", nargs="?", choices=("wacz",),
                        help="wacz: package the store's WARC files as a validated WACZ (py-wacz)")
    export.add_argument("--store", metavar="DIR")
    export.add_argument("--archive", metavar="s3://BUCKET/PREFIX", help="export wacz: the WARCs of a distributed crawl")
    export.add_argument("--s3-endpoint", default=os.environ.get("NIANBAO_S3_ENDPOINT"), metavar="URL")
    export.add_argument("--format", choices=("csv", "parquet", "jsonl"),
                        help="one row per parsed report, one column per canonical cell")
    export.add_argument("--out", required=True, metavar="PATH")
    export.add_argument("--title", help="export wacz: the WACZ's title")
    export.add_argument("--labels", choices=("keys", "zh"), default="keys",
                        help="column names: the canonical dotted keys (default) or the reports' own Chinese labels")
    export.add_argument("--report-format", choices=("2019", "2021"),
                        help="only reports of this national format, with its cells only (default: every report, "
                             "with the cells of the formats they use)")

    status = sub.add_parser("status", help="per run and per site: reports found, new, revised, removed, failures")
    status.add_argument("--store", required=True, metavar="DIR")
    status.add_argument("--json", action="store_true", help="JSON instead of terminal tables")

    report = sub.add_parser("report", help="a self-contained HTML crawl report with plots")
    report.add_argument("--store", required=True, metavar="DIR")
    report.add_argument("--out", required=True, metavar="PATH",
                        help="the HTML file (folders are created; an existing folder gets report.html)")
    report.add_argument("--workbench", metavar="URL",
                        help="where `nianbao serve` runs (http://127.0.0.1:8001): the reports it names link to their "
                             "pages there")

    doctor = sub.add_parser("doctor", help="list the external tools a crawl uses (Chromium, Tesseract, LibreOffice, "
                                           "poppler, Redis): found or not, version, what each enables")
    doctor.add_argument("--json", action="store_true", help="JSON instead of a table")

    workbench_subcommands(sub)          # serve, audit: crawler/workbench/commands.py
    _describe(sub)
    args = parser.parse_args(argv)
    parser = sub.choices[args.command]      # errors below print the subcommand's usage, not the top level's
    if args.command == "crawl" and not args.urls and not args.sites:
        parser.error("crawl needs URLs or --sites FILE")
    if args.command in ("crawl", "backfill"):
        from crawler.discover.urls import canonicalize, is_valid_http_url
        bad = [u for u in args.urls if not is_valid_http_url(canonicalize(u))]
        if bad:
            parser.error(f"not an http(s) URL with a host (and a port up to 65535): {', '.join(map(repr, bad))}")
    if args.command == "raw" and not _SHA256.fullmatch(args.sha256):
        parser.error(f"not a SHA-256 digest (64 hex digits): {args.sha256!r}")
    if args.command == "parse" and args.force and args.store is None:
        parser.error("--force goes with --store DIR (parse every report of a store again)")
    if args.command == "export" and (args.what is None) == (args.format is None):
        parser.error("export takes either --format csv|parquet|jsonl or wacz")
    if args.command == "parse" and (args.source is None) == (args.store is None):
        parser.error("parse takes either FILE|URL|- or --store DIR")
    if args.command in ("raw", "feed") and (args.store is None) == (args.archive is None):
        parser.error(f"{args.command} takes either --store DIR or --archive s3://BUCKET/PREFIX")
    if args.command == "export" and (args.store is None) == (args.archive is None):
        parser.error("export takes either --store DIR or (export wacz) --archive s3://BUCKET/PREFIX")
    if args.command == "export" and args.archive and args.what != "wacz":
        parser.error("--archive goes with export wacz; tables are exported from a --store")
    if args.command == "worker" and not args.archive:
        parser.error("worker needs --archive s3://BUCKET/PREFIX (or NIANBAO_ARCHIVE)")
    if args.command == "worker" and args.idle_exit is not None and args.idle_exit < 0:
        parser.error("--idle-exit must be >= 0")
    for url in getattr(args, "archive", None) and [args.archive] or []:
        from crawler.archive.s3archive import parse_archive_url
        try:
            parse_archive_url(url)
        except ValueError as exc:
            parser.error(str(exc))
    _validate(parser, args)
    if args.command in WORKBENCH_COMMANDS:
        workbench_validate(parser, args)
    return args


def _env_float(name: str) -> float | None:
    value = os.environ.get(name, "").strip()
    try:
        return float(value) if value else None
    except ValueError:
        return None


def _validate(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    if getattr(args, "delay", None) is not None and args.delay < 0:
        parser.error("--delay must be >= 0")
    if getattr(args, "max_pages", None) is not None and args.max_pages < 1:
        parser.error("--max-pages must be >= 1")
    for item in getattr(args, "set", []):
        if "=" not in item or not item.split("=", 1)[0]:
            parser.error(f"-s expects NAME=VALUE, got {item!r}")


def build_settings(args: argparse.Namespace, module: str = "settings.default"):
    """Scrapy settings for a crawl: the settings module, then the flags, then -s pairs."""
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule(module, priority="project")
    settings.set("NIANBAO_QUIET_LOG", True, priority="project")     # the command's log (spiders.logformatter)
    if getattr(args, "store", None):
        settings.set("NIANBAO_STORE", args.store, priority="cmdline")
    if args.delay is not None:
        settings.set("DOWNLOAD_DELAY", args.delay, priority="cmdline")
        if args.delay == 0:
            settings.set("AUTOTHROTTLE_ENABLED", False, priority="cmdline")
            settings.set("DOWNLOAD_DELAY_JITTER", 0, priority="cmdline")
    if getattr(args, "max_pages", None) is not None:
        settings.set("NIANBAO_MAX_LISTING_PAGES", args.max_pages, priority="cmdline")
    if args.browser is not None:
        settings.set("NIANBAO_BROWSER", args.browser, priority="cmdline")
    if getattr(args, "recheck", None) is not None:
        settings.set("NIANBAO_RECHECK", args.recheck, priority="cmdline")
    if args.log_level:
        settings.set("LOG_LEVEL", args.log_level, priority="cmdline")
    for item in args.set:
        name, value = item.split("=", 1)
        settings.set(name, value, priority="cmdline")
    return settings


def _run_spider(args: argparse.Namespace, **spider_args) -> int:
    # Scrapy installs its Ctrl-C handlers once the reactor runs; a Ctrl-C during the seconds before (the heavy
    # imports, the engine being built) is noted here and replayed then. Noted from the first line on: a
    # KeyboardInterrupt raised inside a library's import can be swallowed by its own broad except
    early: list[int] = []
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda number, frame: early.append(number))
    from crawler.ops.storelock import StoreBusy, lock_store
    try:
        open_store(args.store).close()
        lock_store(args.store)
    except (StoreError, StoreBusy) as exc:
        print(f"nianbao: {exc}", file=sys.stderr)
        return EXIT_STORE
    from spiders.logformatter import quiet_banner
    from spiders.reports import ReportsSpider

    settings = build_settings(args)
    quiet_banner(settings.get("LOG_LEVEL"))
    process = _process_class()(settings)
    quiet_banner(settings.get("LOG_LEVEL"))     # again, for the root handler Scrapy has now installed
    crawler = process.create_crawler(ReportsSpider)
    process.crawl(crawler, **spider_args)
    from twisted.internet import reactor        # the one crawl() installed (settings' TWISTED_REACTOR)

    def replay() -> None:
        if early:
            process._signal_shutdown(early[0], None)
    # after Scrapy's own startup trigger (which installs its handlers): callLater(0) runs once they are in
    reactor.addSystemEventTrigger("after", "startup", reactor.callLater, 0, replay)
    process.start()
    stats = crawler.stats.get_stats()
    interrupted = process.interrupted or stats.get("finish_reason") == "shutdown"
    if interrupted and stats.get("finish_reason") != "shutdown":
        _note_interrupted(args.store)       # a forced stop: the run's row was never closed
    print(summary_line(stats, args.store, interrupted), file=sys.stderr)
    return EXIT_INTERRUPTED if interrupted else EXIT_OK


def _process_class():
    from scrapy.crawler import CrawlerProcess

    class Process(CrawlerProcess):
        """CrawlerProcess that remembers a Ctrl-C (exit 130) and makes the second one final within seconds:
        Scrapy's forced stop still joins the reactor's threads, which a file read in a worker thread or a
        stalled request can hold for as long as their timeouts."""

        interrupted = False
        FORCE_GRACE = 3.0

        def _signal_shutdown(self, signum, frame):
            Process.interrupted = True
            super()._signal_shutdown(signum, frame)

        def _signal_kill(self, signum, frame):
            import threading
            super()._signal_kill(signum, frame)
            timer = threading.Timer(self.FORCE_GRACE, _force_exit)
            timer.daemon = True
            timer.start()

    return Process


_FORCED_STORE: list[str] = []


def _force_exit() -> None:
    """The second Ctrl-C's deadline passed: note the run as interrupted and leave now."""
    if _FORCED_STORE:
        _note_interrupted(_FORCED_STORE[0])
    print("nianbao: crawl interrupted (forced stop); the next run takes up what this one left", file=sys.stderr)
    sys.stderr.flush()
    os._exit(EXIT_INTERRUPTED)


def _note_interrupted(store_dir: str) -> None:
    """Close this process's run row as interrupted (Scrapy's forced stop skips spider_closed)."""
    try:
        store = open_store(store_dir)
        for run in store.runs():
            if run.get("pid") == os.getpid() and not run.get("finished_at"):
                store.run_id = run["id"]
                store.finish_run("shutdown", {"nianbao/interrupted": "forced"})
        store.close()
    except Exception:       # leaving anyway: the run then reads as killed, which it nearly was
        pass


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else plural or word + 's'}"


def summary_line(stats: dict, store: str, interrupted: bool = False) -> str:
    failures = sum(v for k, v in stats.items() if k.startswith("nianbao/failure/"))
    rejected = sum(v for k, v in stats.items() if k.startswith("nianbao/classify/rejected/"))
    dups = sum(v for k, v in stats.items() if k.startswith("nianbao/dedupe/"))
    rendered = stats.get("nianbao/browser/pages", 0)
    columns, incomplete = stats.get("nianbao/listing/columns", 0), stats.get("nianbao/listing/incomplete", 0)
    return (f"nianbao: {'crawl INTERRUPTED (Ctrl-C): ' if interrupted else ''}"
            f"{_plural(stats.get('nianbao/feed/reports', 0), 'report')} fed, {_plural(dups, 'duplicate')}, "
            f"{_plural(rejected, 'look-alike')} rejected, {_plural(failures, 'failure')} recorded, "
            f"{_plural(columns, 'report column')} walked, {incomplete} incomplete, "
            f"{_plural(rendered, 'page')} rendered in Chromium; store {store}")


def cmd_crawl(args) -> int:
    names = {}
    if args.sites:
        from urllib.parse import urlsplit

        from crawler.discover.sites import load_crawl_sites
        from crawler.discover.urls import canonicalize
        try:
            sites = load_crawl_sites(args.sites)    # checked before Scrapy starts: one line, not a Twisted traceback
        except ValueError as exc:
            print(f"nianbao: {exc}", file=sys.stderr)
            return EXIT_USAGE
        # the file's `name:` per site (host[:port], as the feed's `site`), recorded with the run for status/report
        names = {urlsplit(canonicalize(site.url)).netloc: site.name for site in sites if site.name}
    _FORCED_STORE[:] = [args.store]
    return _run_spider(args, start_urls=args.urls, sites=args.sites, site_names=names)


def cmd_backfill(args) -> int:
    _FORCED_STORE[:] = [args.store]
    return _run_spider(args, backfill_urls=args.urls, force=args.force)


def _open_archive(args):
    from crawler.archive.s3archive import S3Archive
    return S3Archive(args.archive, endpoint_url=args.s3_endpoint or None, max_outage=60.0)


def cmd_raw(args) -> int:
    try:
        if args.archive:
            body = _open_archive(args).get_raw(args.sha256.lower())
        else:
            store = open_store(args.store, read_only=True)
            body = store.get_raw(args.sha256.lower())
            store.close()
    except StoreError as exc:
        print(f"nianbao: {exc}", file=sys.stderr)
        return EXIT_STORE
    if body is None:
        print(f"nianbao: no archived bytes with sha256 {args.sha256}", file=sys.stderr)
        return 1
    sys.stdout.buffer.write(body)
    sys.stdout.buffer.flush()
    return EXIT_OK


def cmd_feed(args) -> int:
    import json

    from crawler.archive.feed import read_feed
    try:
        if args.archive:
            records = _open_archive(args).read_feed()
        else:
            open_store(args.store, read_only=True).close()
            records = read_feed(os.path.join(args.store, "feed"))
    except StoreError as exc:
        print(f"nianbao: {exc}", file=sys.stderr)
        return EXIT_STORE
    out = sys.stdout
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    out.flush()
    print(f"nianbao: {_plural(len(records), 'report')} in the feed", file=sys.stderr)
    return EXIT_OK


def cmd_enqueue(args) -> int:
    from crawler.distributed.frontier import OUTAGE_ERRORS, Worker, redis_client
    from crawler.discover.urls import canonicalize, is_valid_http_url
    from spiders.frontier import enqueue, forget_campaign
    from spiders.reports import ReportsSpider

    settings = build_settings(argparse.Namespace(delay=None, max_pages=None, browser=None, log_level=None, set=[]),
                              "settings.distributed")
    url = args.redis or settings.get("REDIS_URL")
    bad = [u for u in args.urls if not is_valid_http_url(canonicalize(u))]
    if bad:
        print(f"nianbao: not an http(s) URL: {', '.join(bad)}", file=sys.stderr)
        return EXIT_USAGE
    names = {"spider": ReportsSpider.name}
    worker = Worker(redis_client(url), settings.get("SCHEDULER_QUEUE_KEY") % names)
    requests = [ReportsSpider.seed_request(canonicalize(u), backfill=args.backfill, force=args.force)
                for u in args.urls]
    seen_key = settings.get("SCHEDULER_DUPEFILTER_KEY") % names
    try:
        if args.fresh:
            forget_campaign(worker, seen_key)
        count = enqueue(worker, seen_key, requests)
        queued, leased = worker.size()
    except OUTAGE_ERRORS as exc:
        print(f"nianbao: cannot reach Redis at {url}: {exc}", file=sys.stderr)
        return EXIT_STORE
    print(f"nianbao: {count} URLs enqueued; frontier {url}: {queued} queued, {leased} in progress", file=sys.stderr)
    return EXIT_OK


def cmd_worker(args) -> int:
    from crawler.distributed.frontier import new_worker_id

    settings = build_settings(args, "settings.distributed")
    if args.redis:
        settings.set("REDIS_URL", args.redis, priority="cmdline")
    settings.set("NIANBAO_ARCHIVE", args.archive, priority="cmdline")
    if args.s3_endpoint:
        settings.set("NIANBAO_S3_ENDPOINT", args.s3_endpoint, priority="cmdline")
    if args.idle_exit is not None:
        settings.set("NIANBAO_IDLE_EXIT", args.idle_exit, priority="cmdline")
    worker_id = new_worker_id()
    settings.set("NIANBAO_WORKER_ID", worker_id, priority="cmdline")
    # each worker process its own catalogue and WARC directory: SQLite and WARC writers are per process
    settings.set("NIANBAO_STORE", os.path.join(args.work_dir, worker_id), priority="cmdline")
    try:
        open_store(settings.get("NIANBAO_STORE")).close()
    except StoreError as exc:
        print(f"nianbao: {exc}", file=sys.stderr)
        return EXIT_STORE
    from scrapy.crawler import CrawlerProcess

    from spiders.reports import ReportsSpider

    process = CrawlerProcess(settings)
    crawler = process.create_crawler(ReportsSpider)
    process.crawl(crawler)
    process.start()
    stats = crawler.stats.get_stats()
    print(summary_line(stats, f"{args.archive} (worker {worker_id})"), file=sys.stderr)
    # a worker that gave up on its Redis says so in its exit status, for systemd's Restart= and for scripts
    return EXIT_STORE if stats.get("finish_reason") == "frontier_unavailable" else EXIT_OK


def _fetch(url: str) -> tuple[bytes, str | None, str]:
    """GET one URL for `parse` (body, Content-Type, file name)."""
    import urllib.request

    from crawler.read.document import filename_of
    from settings.default import NIANBAO_CONTACT_URL, NIANBAO_USER_AGENT

    agent = NIANBAO_USER_AGENT.format(contact_url=NIANBAO_CONTACT_URL)
    request = urllib.request.Request(url, headers={"User-Agent": agent, "Accept-Language": "zh-CN,zh;q=0.9"})
    with urllib.request.urlopen(request, timeout=60) as response:      # noqa: S310 (http(s) checked by caller)
        body = response.read()
        headers = list(response.headers.items())
        return body, response.headers.get("Content-Type"), filename_of(headers, response.geturl())


def cmd_parse(args) -> int:
    import json

    if args.store:
        from crawler.parsing.store import parse_store
        try:
            open_store(args.store, read_only=True).close()     # a mistyped --store is not made into a store
            counts = parse_store(args.store, force=args.force)
        except (StoreError, OSError) as exc:
            print(f"nianbao: {exc}", file=sys.stderr)
            return EXIT_STORE
        print(f"nianbao: {_plural(counts['parsed'], 'report')} parsed, {counts['already']} already parsed by this "
              f"parser version, of {counts['fed']} fed; store {args.store}", file=sys.stderr)
        return EXIT_OK
    from crawler.parsing.report import read_and_parse
    source = args.source
    try:
        if source == "-":
            body, content_type, name = sys.stdin.buffer.read(), None, ""
        elif source.startswith(("http://", "https://")):
            body, content_type, name = _fetch(source)
        else:
            with open(source, "rb") as fh:
                body, content_type, name = fh.read(), None, source
        text, parsed = read_and_parse(body, name, content_type)
    except Exception as exc:       # one clear line for any unreadable input, never a traceback
        print(f"nianbao: cannot parse {source}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    parsed.update(_judge(text, parsed))
    if not parsed["is_report"]:
        print(f"nianbao: {source} does not read as an annual disclosure report: "
              f"{parsed['classification']['reasons'][-1]}", file=sys.stderr)
    out = json.dumps(parsed, ensure_ascii=False, indent=None if args.json else 1)
    sys.stdout.write(out + "\n")
    return EXIT_OK


def _judge(text: str, parsed: dict) -> dict:
    """The crawl's classifier on one parsed document: `is_report` and `classification` {kind, reasons}."""
    from crawler.judge.classify import classify
    from crawler.read.extract import Page
    from crawler.read.metadata import Metadata

    title = parsed.get("title") or next((line.strip() for line in text.splitlines() if line.strip()), "")
    decision = classify(Page(title=title, text=text),
                        Metadata(title=title, agency=parsed.get("agency"), year=parsed.get("year"),
                                 published=parsed.get("published"), site_name=None))
    return {"is_report": decision.is_report,
            "classification": {"kind": decision.kind, "reasons": list(decision.reasons)}}


def cmd_export(args) -> int:
    if args.what == "wacz":
        return _export_wacz(args)
    from crawler.ops.status import site_names
    from crawler.parsing.export import export
    try:
        store = open_store(args.store, read_only=True)
        names = site_names(store)
        store.close()
        count = export(args.store, args.format, args.out, labels=args.labels, report_format=args.report_format,
                       site_names=names)
    except (StoreError, OSError) as exc:
        print(f"nianbao: {exc}", file=sys.stderr)
        return EXIT_STORE
    print(f"nianbao: {_plural(count, 'report')} exported to {args.out} ({args.format})", file=sys.stderr)
    return EXIT_OK


def _export_wacz(args) -> int:
    from crawler.archive.warc import WaczError, export_wacz, warc_files, write_cdxj
    try:
        if args.archive:
            from crawler.archive.s3warc import export_wacz_from_archive
            export_wacz_from_archive(_open_archive(args), args.out, title=args.title)
            what = f"the WARCs of {args.archive}"
        else:
            open_store(args.store, read_only=True).close()
            write_cdxj(args.store)
            count = len(warc_files(args.store))
            if not count:
                print(f"nianbao: no WARC files in {args.store}", file=sys.stderr)
                return 1
            export_wacz(args.store, args.out, title=args.title)
            what = f"{count} WARC files"
    except (StoreError, OSError) as exc:
        print(f"nianbao: {exc}", file=sys.stderr)
        return EXIT_STORE
    except WaczError as exc:
        print(f"nianbao: {exc}", file=sys.stderr)
        return 1
    print(f"nianbao: {what} packaged in {args.out} (validated)", file=sys.stderr)
    return EXIT_OK


def cmd_status(args) -> int:
    from crawler.ops.status import cmd_status as run
    return run(args)


def cmd_report(args) -> int:
    from crawler.ops.crawlreport import cmd_report as run
    return run(args)


def cmd_doctor(args) -> int:
    from crawler.ops.doctor import cmd_doctor as run
    return run(args)


COMMANDS = {"status": cmd_status, "report": cmd_report, "crawl": cmd_crawl, "backfill": cmd_backfill, "raw": cmd_raw,
            "parse": cmd_parse, "export": cmd_export, "enqueue": cmd_enqueue, "worker": cmd_worker, "feed": cmd_feed}
COMMANDS["doctor"] = cmd_doctor
COMMANDS.update(WORKBENCH_COMMANDS)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:       # Ctrl-C outside a crawl's own handling (a read command, start-up)
        print("nianbao: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
