"""Serve the replica sites: ``python -m replica [--scale N] [--base 127.0.0] [--port P] [--collection main|independent]``."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading

from .server import serve, stop
from .sites import COLLECTIONS, build_collection


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m replica", description=__doc__)
    parser.add_argument("--scale", type=int, default=1, help="multiply the filler reports per column (default 1)")
    parser.add_argument("--base", default="127.0.0", help="first three octets; site i binds <base>.<i+2> (default 127.0.0)")
    parser.add_argument("--port", type=int, default=0, help="port for every site (default 0: ephemeral)")
    parser.add_argument("--collection", choices=COLLECTIONS, default="main",
                        help="main: the sites the crawler was developed against; independent: sites written from public "
                             "evidence by authors who had not read the crawler (default main)")
    parser.add_argument("--skip", default="", metavar="NAME,NAME",
                        help="sites not to build or serve (make demo: those whose files or pages need a missing tool)")
    args = parser.parse_args(argv)
    if args.scale < 1:
        parser.error("--scale must be at least 1")
    return args


class _Skipped:
    """Stands in for a skipped site's class while the collection is built, so its constructor never runs."""

    def __init__(self, name: str):
        self.name = name

    def __call__(self, *args, **kwargs) -> "_Skipped":
        return self


def build(collection: str, scale: int, skip: set[str]) -> list:
    """build_collection without the sites in `skip`. A skipped site is not even built: its constructor is
    what needs the missing tool (fujian's DOC/PDF/XLS files are made by LibreOffice when it is built)."""
    from . import sites as registry

    stand_ins = {name: _Skipped(name.lower()) for name in dir(registry)
                 if isinstance(getattr(registry, name), type) and name.lower() in skip}
    saved = {name: getattr(registry, name) for name in stand_ins}
    try:
        for name, stand_in in stand_ins.items():
            setattr(registry, name, stand_in)
        built = build_collection(collection, scale)
    finally:
        for name, cls in saved.items():
            setattr(registry, name, cls)
    return [site for site in built if not isinstance(site, _Skipped) and site.name not in skip]


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    ctx, servers = serve(build(args.collection, args.scale, set(filter(None, args.skip.split(",")))),
                         args.base, args.port)
    done = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: done.set())
    print(json.dumps({"sites": ctx.bases}), flush=True)
    while not done.wait(0.2):
        pass
    stop(ctx, servers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
