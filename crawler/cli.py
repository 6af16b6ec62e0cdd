"""The `nianbao` command: parse, validate, dispatch. Crawls run the same Scrapy components as `scrapy crawl reports`."""

from __future__ import annotations

import argparse
import sys

from crawler.storage import StoreError, open_store

EXIT_OK, EXIT_USAGE, EXIT_STORE = 0, 2, 3


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="nianbao", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    def crawl_options(p: argparse.ArgumentParser) -> None:
        out = p.add_argument_group("output")
        out.add_argument("--store", required=True, metavar="DIR", help="store directory (raw bytes, SQLite, feed/)")
        nav = p.add_argument_group("politeness and navigation")
        nav.add_argument("--delay", type=float, metavar="SECONDS",
                         help="delay between requests to one host (default 2; 0 also turns AutoThrottle off)")
        nav.add_argument("--max-pages", type=int, metavar="N", help="listing pages per site at most (default 200)")
        nav.add_argument("--browser", choices=("never", "auto", "always"), default=None,
                         help="Chromium for listings drawn by script and anti-bot challenges: only where needed "
                              "(auto, default), for every listing page (always), or not at all (never)")
        run = p.add_argument_group("Scrapy")
        run.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                         help="any Scrapy or NIANBAO_* setting (repeatable)")
        run.add_argument("--log-level", default=None, help="DEBUG, INFO (default), WARNING, ERROR")

    crawl = sub.add_parser("crawl", help="walk portals (home pages or report columns) and feed every report")
    crawl.add_argument("urls", nargs="+", metavar="URL")
    crawl_options(crawl)

    backfill = sub.add_parser("backfill", help="fetch these report pages directly, through the same pipeline")
    backfill.add_argument("urls", nargs="+", metavar="URL")
    backfill.add_argument("--force", action="store_true",
                          help="feed pages the classifier rejects (its reasons are kept in the record)")
    crawl_options(backfill)

    raw = sub.add_parser("raw", help="write the exact archived bytes of SHA256 to stdout")
    raw.add_argument("sha256")
    raw.add_argument("--store", required=True, metavar="DIR")

    args = parser.parse_args(argv)
    _validate(parser, args)
    return args


def _validate(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    if getattr(args, "delay", None) is not None and args.delay < 0:
        parser.error("--delay must be >= 0")
    if getattr(args, "max_pages", None) is not None and args.max_pages < 1:
        parser.error("--max-pages must be >= 1")
    for item in getattr(args, "set", []):
        if "=" not in item or not item.split("=", 1)[0]:
            parser.error(f"-s expects NAME=VALUE, got {item!r}")


def build_settings(args: argparse.Namespace):
    """Scrapy settings for a crawl: the default module, then the flags, then -s pairs."""
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("settings.default", priority="project")
    settings.set("NIANBAO_STORE", args.store, priority="cmdline")
    if args.delay is not None:
        settings.set("DOWNLOAD_DELAY", args.delay, priority="cmdline")
        if args.delay == 0:
            settings.set("AUTOTHROTTLE_ENABLED", False, priority="cmdline")
            settings.set("DOWNLOAD_DELAY_JITTER", 0, priority="cmdline")
    if args.max_pages is not None:
        settings.set("NIANBAO_MAX_LISTING_PAGES", args.max_pages, priority="cmdline")
    if args.browser is not None:
        settings.set("NIANBAO_BROWSER", args.browser, priority="cmdline")
    if args.log_level:
        settings.set("LOG_LEVEL", args.log_level.upper(), priority="cmdline")
    for item in args.set:
        name, value = item.split("=", 1)
        settings.set(name, value, priority="cmdline")
    return settings


def _run_spider(args: argparse.Namespace, **spider_args) -> int:
    try:
        open_store(args.store).close()
    except StoreError as exc:
        print(f"nianbao: {exc}", file=sys.stderr)
        return EXIT_STORE
    from scrapy.crawler import CrawlerProcess

    from spiders.reports import ReportsSpider

    process = CrawlerProcess(build_settings(args))
    crawler = process.create_crawler(ReportsSpider)
    process.crawl(crawler, **spider_args)
    process.start()
    stats = crawler.stats.get_stats()
    print(summary_line(stats, args.store), file=sys.stderr)
    return EXIT_OK


def summary_line(stats: dict, store: str) -> str:
    failures = sum(v for k, v in stats.items() if k.startswith("nianbao/failure/"))
    rejected = sum(v for k, v in stats.items() if k.startswith("nianbao/classify/rejected/"))
    dups = sum(v for k, v in stats.items() if k.startswith("nianbao/dedupe/"))
    rendered = stats.get("nianbao/browser/pages", 0)
    return (f"nianbao: {stats.get('nianbao/feed/reports', 0)} reports fed, {dups} duplicates, "
            f"{rejected} look-alikes rejected, {failures} failures recorded, {rendered} pages rendered in "
            f"Chromium; store {store}")


def cmd_crawl(args) -> int:
    return _run_spider(args, start_urls=args.urls)


def cmd_backfill(args) -> int:
    return _run_spider(args, backfill_urls=args.urls, force=args.force)


def cmd_raw(args) -> int:
    try:
        store = open_store(args.store)
    except StoreError as exc:
        print(f"nianbao: {exc}", file=sys.stderr)
        return EXIT_STORE
    body = store.get_raw(args.sha256.lower())
    store.close()
    if body is None:
        print(f"nianbao: no archived bytes with sha256 {args.sha256}", file=sys.stderr)
        return 1
    sys.stdout.buffer.write(body)
    sys.stdout.buffer.flush()
    return EXIT_OK


COMMANDS = {"crawl": cmd_crawl, "backfill": cmd_backfill, "raw": cmd_raw}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    return COMMANDS[args.command](args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
