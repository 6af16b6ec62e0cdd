"""`make demo`: start the bundled replica portals, crawl them with the real `nianbao crawl`, print what was fed.

On a machine without some of the external tools (`nianbao doctor`), the replica sites whose files or pages
need one are skipped, each named with the tool and its Debian package, and the demo crawls the rest.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

from replica import ReplicaServer
from crawler.archive.storage import open_store
from crawler.ops.doctor import check


def print_summary(store_dir: str, sites: dict[str, str], out=sys.stdout) -> None:
    store = open_store(store_dir)
    host_to_site = {url.split("//", 1)[1].rstrip("/"): name for name, url in sites.items()}
    reports = store.reports()
    by_site = defaultdict(list)
    for r in reports:
        by_site[host_to_site.get(r["site"], r["site"])].append(r)
    print(f"\n== {len(reports)} reports fed (feed: {store_dir}/feed/*.jsonl)", file=out)
    for site in sorted(by_site):
        print(f"-- {site}", file=out)
        for r in sorted(by_site[site], key=lambda r: (r["agency"] or "", r["year"] or 0)):
            urls = store.report_urls(r["id"])
            extra = f"  (+{len(urls) - 1} more URL{'s' if len(urls) > 2 else ''})" if len(urls) > 1 else ""
            print(f"   {r['year']}  {r['published']}  {r['agency'] or '?':<14} {r['title']}{extra}", file=out)
    rejected = [d for d in store.decisions() if not d["is_report"]]
    print(f"\n== {len(rejected)} look-alikes rejected", file=out)
    for d in rejected:
        why = next((r for r in d["reasons"] if r.startswith("rejected")), d["reasons"][-1] if d["reasons"] else "")
        print(f"   [{d['kind']}] {d['title']}: {why}", file=out)
    failures = store.failures()
    print(f"\n== {len(failures)} failures recorded", file=out)
    for reason, n in Counter(f"{f['stage']}: {f['reason']}" for f in failures).most_common():
        print(f"   {n} x {reason}", file=out)
    store.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.ops.demo", description=__doc__)
    parser.add_argument("--store", default="demo-store")
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--sites", default="", metavar="NAME,NAME",
                        help="crawl only these replica sites (default: all of the main collection)")
    args = parser.parse_args(argv)
    only = set(filter(None, args.sites.split(",")))
    shutil.rmtree(args.store, ignore_errors=True)
    nianbao = Path(sys.executable).with_name("nianbao")
    skipped = {site: why for site, why in skipped_sites().items() if not only or site in only}
    for site, why in skipped.items():
        print(f"demo: skipping replica site {site}: {why}", flush=True)
    with ReplicaServer(scale=args.scale, skip=tuple(skipped)) as replica:
        starts = [replica.url(name, "/") for name in sorted(replica.sites) if not only or name in only]
        cmd = [str(nianbao), "crawl", *starts, "--store", args.store, "--delay", "0",
               "-s", "DOWNLOAD_TIMEOUT=5", "--log-level", "WARNING"]
        print("$ " + " ".join(cmd), flush=True)
        rc = subprocess.call(cmd)
        if rc != 0:
            return rc
        print_summary(args.store, replica.sites)
    if skipped:
        print(f"\n== {len(skipped)} replica site{'s' if len(skipped) != 1 else ''} skipped "
              f"(`nianbao doctor` lists the tools)", flush=True)
        for site, why in skipped.items():
            print(f"   {site}: {why}")
    return 0


def skipped_sites() -> dict[str, str]:
    """Replica sites the demo cannot crawl here -> why (the missing tool and its Debian package)."""
    out: dict[str, str] = {}
    for found in check():
        if found.found:
            continue
        why = (f"needs {found.name} ({found.problem}; Debian package{'s' if len(found.packages) > 1 else ''} "
               f"{' '.join(found.packages)})")
        for site in found.demo_sites:
            out[site] = out[site] + "; " + why if site in out else why
    return out


if __name__ == "__main__":
    sys.exit(main())
