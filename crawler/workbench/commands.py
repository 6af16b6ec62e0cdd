"""The workbench's subcommands of `nianbao`: `serve` and `audit` (their arguments, checks and exit codes)."""

from __future__ import annotations

import argparse
import os
import sys

EXIT_OK, EXIT_USAGE, EXIT_STORE = 0, 2, 3

EXAMPLES = {
    "serve": "nianbao serve --store reports-store\n  nianbao serve --store reports-store --port 8010 "
             "--replay http://127.0.0.1:8080/nianbao",
    "audit": "nianbao audit --store reports-store --year 2023\n"
             "  nianbao audit --store reports-store --year 2023 --region 安远县 --json",
}


def add_subcommands(sub) -> None:
    serve = sub.add_parser("serve", help="browse, search and audit the store in a web page (Datasette, read-only)")
    serve.add_argument("--store", required=True, metavar="DIR")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default 127.0.0.1: this machine only)")
    serve.add_argument("--port", type=int, default=8001, help="default 8001")
    serve.add_argument("--index", metavar="FILE",
                       help="keep the search index in FILE (outside the store; default a temporary file)")
    serve.add_argument("--replay", metavar="URL",
                       help="a pywb collection replaying the store's WARCs: report pages link to URL/<time>/<url>")
    serve.add_argument("--deadlines", metavar="FILE",
                       help="local deadline rules (YAML: province: {township: MM-DD, basis: ...})")

    audit = sub.add_parser("audit", help="per region and agency: reports found or missing, late, copied, failing "
                                         "checks, for one year")
    audit.add_argument("--store", required=True, metavar="DIR")
    audit.add_argument("--year", required=True, type=int, help="the year reported on")
    audit.add_argument("--region", metavar="NAME", help="a province, city or county (安远县, 赣州市, 江西省)")
    audit.add_argument("--deadlines", metavar="FILE",
                       help="local deadline rules (YAML: province: {township: MM-DD, basis: ...})")
    form = audit.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="one JSON object")
    form.add_argument("--csv", action="store_true", help="one CSV row per agency")
    for name in ("serve", "audit"):
        sub.choices[name].epilog = "examples:\n  " + EXAMPLES[name]
        sub.choices[name].formatter_class = argparse.RawDescriptionHelpFormatter


def validate(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    if args.command == "serve":
        import ipaddress

        if not 0 < args.port < 65536:
            parser.error("--port must be 1-65535")
        try:
            if not ipaddress.ip_address(args.host).is_loopback:
                print(f"nianbao: serve listens on {args.host}, not only on this machine", file=sys.stderr)
        except ValueError:
            pass        # a host name: uvicorn resolves it
    if args.command == "audit" and not 1990 <= args.year <= 2100:
        parser.error("--year must be a year (1990-2100)")


def _store_ok(store: str) -> bool:
    if not os.path.isdir(store) or not (os.path.exists(os.path.join(store, "nianbao.sqlite"))
                                        or os.path.isdir(os.path.join(store, "feed"))):
        print(f"nianbao: no nianbao store at {store}", file=sys.stderr)
        return False
    return True


def cmd_serve(args) -> int:
    from .index import load_deadlines
    from .serve import ServeError, serve

    if not _store_ok(args.store):
        return EXIT_STORE
    try:
        load_deadlines(args.deadlines)
        return serve(args.store, host=args.host, port=args.port, index=args.index, replay=args.replay,
                     deadlines=args.deadlines)
    except (ServeError, ValueError, OSError) as exc:
        print(f"nianbao: {exc}", file=sys.stderr)
        return EXIT_USAGE


def cmd_audit(args) -> int:
    from .audit import run

    if not _store_ok(args.store):
        return EXIT_STORE
    try:
        text, seconds = run(args.store, args.year, args.region, "json" if args.json else "csv" if args.csv else "text",
                            deadlines=args.deadlines)
    except ValueError as exc:
        print(f"nianbao: {exc}", file=sys.stderr)
        return EXIT_USAGE
    sys.stdout.write(text)
    sys.stdout.flush()
    print(f"nianbao: audit of {args.year} in {seconds:.2f} s", file=sys.stderr)
    return EXIT_OK


COMMANDS = {"serve": cmd_serve, "audit": cmd_audit}
