"""Completeness figures for `make bench`: what each report column states against what the walk found, how the
walk got there (static, api, browser), and pages rendered per site — over the main replica's store (the crawl
bench/__main__ made) and over a crawl of the independent replica (replica.independent: sites written by authors
who had not read the crawler), whose reports fed are counted against its truth.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

from crawler.archive.feed import read_feed
from crawler.archive.storage import open_store
from replica import ReplicaServer, expected

NIANBAO = str(Path(sys.executable).parent / "nianbao")
FAST = ["--delay", "0", "-s", "DOWNLOAD_TIMEOUT=20", "-s", "DOWNLOAD_MAXSIZE=5000000"]


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def column_lines(store_dir: Path, names: dict[str, str] | None = None) -> list[str]:
    """One line per report column: stated (expected) vs found, the means, complete or not."""
    store = open_store(store_dir)
    try:
        columns = store.completeness()
        runs = store.runs()
    finally:
        store.close()
    names = names or {}
    out = []
    for c in columns:
        site = names.get(c["site"], c["site"])
        stated = "-" if c["expected"] is None else str(c["expected"])
        out.append(f"  {site:24s} {_path(c['url'])[:56]:56s} stated {stated:>4s} found {c['found']:>4d} "
                   f"{c['method']:7s} {'complete' if c['complete'] else 'INCOMPLETE'}")
    incomplete = sum(not c["complete"] for c in columns)
    by_method = Counter(c["method"] for c in columns)
    stats = json.loads(runs[-1]["stats"] or "{}") if runs else {}
    renders = {k.rsplit("/", 1)[1]: v for k, v in stats.items() if k.startswith("nianbao/browser/site/")}
    head = [f"{len(columns)} report columns, {incomplete} incomplete; by means: "
            + ", ".join(f"{m} {n}" for m, n in sorted(by_method.items()))]
    head.append("pages rendered per site: " + (", ".join(f"{names.get(s, s)} {n}" for s, n in sorted(renders.items()))
                                               or "none"))
    return head + out


def _urls_of(entry: dict, truth: list[dict], replica) -> set[str]:
    """Every URL that serves the report: its own paths and its reposts' (whichever was fetched first is fed; the
    other is recorded against it in the store, not in the feed line)."""
    own = {(entry["site"], p) for p in entry["paths"]}
    for other in truth:
        if other["kind"] == "report" and other.get("repost_of") and tuple(other["repost_of"]) in own:
            own |= {(other["site"], p) for p in other["paths"]}
    return {replica.url(site, path) for site, path in own}


def figures(workdir: Path, main_store: Path, scale: int = 1) -> list[str]:
    lines = ["main replica (the crawl above):"] + column_lines(main_store)
    truth = expected(scale, collection="independent")
    originals = [e for e in truth if e["kind"] == "report" and not e.get("repost_of")]
    store = workdir / "independent"
    with ReplicaServer(scale=scale, base="127.0.7", collection="independent") as replica:
        starts = [replica.url(n, "/") for n in sorted(replica.sites)]
        began = time.monotonic()
        proc = subprocess.run([NIANBAO, "crawl", *starts, "--store", str(store), *FAST], capture_output=True,
                              timeout=3600)
        seconds = time.monotonic() - began
        names = {urlsplit(base).netloc: name for name, base in replica.sites.items()}
        fed_urls = set()
        feed = read_feed(store / "feed")
        for record in feed:
            fed_urls |= set(record.get("urls") or [record["url"]])
        found = sum(1 for e in originals if _urls_of(e, truth, replica) & fed_urls)
    summary = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
    lines.append(f"independent replica ({len(names)} sites, scale {scale}): {found} / {len(originals)} reports fed "
                 f"({len(feed)} feed lines) in {seconds:.1f} s = {1000 * seconds / max(len(feed), 1):.1f} ms/report")
    lines.append(f"  {summary[0]}")
    # per site: reports fed against the distinct reports the site publishes (the same-named towns of two
    # counties, one county template, are distinct reports and must all be fed)
    for site in sorted({e["site"] for e in originals}):
        mine = [e for e in originals if e["site"] == site]
        fed = sum(1 for e in mine if _urls_of(e, truth, replica) & fed_urls)
        lines.append(f"  {site:24s} {fed:>5d} / {len(mine):<5d} distinct reports fed")
    lines += column_lines(store, names)
    return lines
