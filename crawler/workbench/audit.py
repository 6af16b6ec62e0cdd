"""`nianbao audit`: per region and agency, for one year — the report found (with its URL) or missing (the agency
reported for Y−1 on a crawled portal and nothing for Y), late, copied from the year before, failing checks; totals
per region.  What no tool without a complete crawl can say.  Reads the store, writes nothing to it."""

from __future__ import annotations

import csv
import io
import json
import re
import time

from crawler.parsing.audit import HIGH_REUSE

from .index import Snapshot, read_store


def _key(agency: str | None) -> str | None:
    return re.sub(r"\s+", "", agency) if agency else None


def _region_name(region: dict) -> str:
    return " ".join(p for p in (region.get("province"), region.get("city"), region.get("county")) if p) or "（未知地区）"


def _in_region(region: dict, name: str | None) -> bool:
    if not name:
        return True
    return any(p and (p == name or name in p) for p in (region.get("province"), region.get("city"), region.get("county")))


def audit(snapshot: Snapshot, year: int, region: str | None = None) -> dict:
    """The audit of `year`: ``year``, ``missing``, ``late``, ``reuse``, ``failing``, ``found`` and ``regions``."""
    of_year: dict[str, list[str]] = {}
    before: dict[str, list[str]] = {}
    for rid, record in snapshot.feed.items():
        key = _key(record.get("agency"))
        if not key or not _in_region(snapshot.regions.get(rid, {}), region):
            continue
        if record.get("year") == year:
            of_year.setdefault(key, []).append(rid)
        elif record.get("year") == year - 1:
            before.setdefault(key, []).append(rid)

    def latest(ids: list[str]) -> str:
        # of two versions of a report (a revision, a copy on another portal) the one fed last stands
        return max(ids, key=lambda i: (snapshot.feed[i].get("revision") or 1, snapshot.feed[i].get("fetched_at") or ""))

    found, late, reuse, failing, missing = [], [], [], [], []
    regions: dict[str, dict] = {}

    def tally(rid: str, what: str) -> None:
        name = _region_name(snapshot.regions.get(rid, {}))
        counts = regions.setdefault(name, {"region": name, "agencies": 0, "found": 0, "missing": 0, "late": 0,
                                           "reuse": 0, "failing": 0})
        counts[what] += 1

    for key, ids in sorted(of_year.items()):
        rid = latest(ids)
        record, line = snapshot.feed[rid], snapshot.audit.get(rid, {})
        agency = record.get("agency")
        tally(rid, "agencies")
        tally(rid, "found")
        found.append({"agency": agency, "year": year, "id": rid, "url": record.get("url"), "site": record.get("site"),
                      "published": record.get("published"), **snapshot.regions.get(rid, {})})
        if line.get("on_time") is False:
            tally(rid, "late")
            late.append({"agency": agency, "year": year, "published": record.get("published"),
                         "published_source": line.get("published_source"), "deadline": line.get("deadline"),
                         "days_late": line.get("days_late"), "deadline_basis": line.get("deadline_basis"),
                         "url": record.get("url")})
        share = line.get("reuse_of_previous")
        if share is not None and share > HIGH_REUSE:
            tally(rid, "reuse")
            reuse.append({"agency": agency, "year": year, "reuse_of_previous": share,
                          "previous_id": line.get("previous_id"), "passages": line.get("reused_passages") or [],
                          "url": record.get("url")})
        if line.get("failing"):
            tally(rid, "failing")
            failing.append({"agency": agency, "year": year, "rules": line["failing"], "url": record.get("url")})
    for key, ids in sorted(before.items()):
        if key in of_year:
            continue
        rid = latest(ids)
        record = snapshot.feed[rid]
        tally(rid, "agencies")
        tally(rid, "missing")
        missing.append({"agency": record.get("agency"), "site": record.get("site"), "last_year": year - 1,
                        "last_url": record.get("url"), **snapshot.regions.get(rid, {})})
    return {"year": year, "region": region, "missing": missing, "late": late, "reuse": reuse, "failing": failing,
            "found": found, "regions": sorted(regions.values(), key=lambda r: r["region"])}


CSV_COLUMNS = ("region", "agency", "site", "year", "status", "url", "published", "deadline", "days_late",
               "reuse_of_previous", "failing")


def as_csv(result: dict) -> str:
    """One row per agency: found or missing, with its figures."""
    late = {r["agency"]: r for r in result["late"]}
    reuse = {r["agency"]: r for r in result["reuse"]}
    failing = {r["agency"]: r for r in result["failing"]}
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for row in result["found"]:
        agency = row["agency"]
        status = ";".join(s for s, table in (("late", late), ("reuse", reuse), ("failing", failing)) if agency in table)
        writer.writerow({"region": _region_name(row), "agency": agency, "site": row.get("site"), "year": row["year"],
                         "status": status or "ok", "url": row.get("url"), "published": row.get("published"),
                         "deadline": late.get(agency, {}).get("deadline"),
                         "days_late": late.get(agency, {}).get("days_late"),
                         "reuse_of_previous": reuse.get(agency, {}).get("reuse_of_previous"),
                         "failing": ";".join(failing.get(agency, {}).get("rules", []))})
    for row in result["missing"]:
        writer.writerow({"region": _region_name(row), "agency": row["agency"], "site": row.get("site"),
                         "year": result["year"], "status": "missing", "url": row.get("last_url")})
    return out.getvalue()


def as_text(result: dict) -> str:
    """Tables per region for a terminal."""
    lines = [f"nianbao audit {result['year']}" + (f" — {result['region']}" if result.get("region") else "")]
    by_region: dict[str, list[str]] = {}
    flags = {}
    for r in result["late"]:
        flags.setdefault(r["agency"], []).append(f"逾期 {r['days_late']} 天（期限 {r['deadline']}，发布 {r['published']}）")
    for r in result["reuse"]:
        flags.setdefault(r["agency"], []).append(f"与上年重复 {r['reuse_of_previous']:.0%}")
    for r in result["failing"]:
        flags.setdefault(r["agency"], []).append("校验未通过 " + ", ".join(r["rules"]))
    for row in result["found"]:
        note = "；".join(flags.get(row["agency"], [])) or "ok"
        by_region.setdefault(_region_name(row), []).append(f"  {row['agency']}  {row.get('url')}  {note}")
    for row in result["missing"]:
        by_region.setdefault(_region_name(row), []).append(
            f"  {row['agency']}  MISSING（{row['last_year']} 年报告在 {row.get('site')}，本年度无）")
    totals = {r["region"]: r for r in result["regions"]}
    for name in sorted(by_region):
        t = totals.get(name, {})
        lines.append(f"\n{name}: {t.get('found', 0)} found, {t.get('missing', 0)} missing, {t.get('late', 0)} late, "
                     f"{t.get('reuse', 0)} high reuse, {t.get('failing', 0)} failing checks")
        lines.extend(sorted(by_region[name]))
    lines.append(f"\ntotal: {len(result['found'])} found, {len(result['missing'])} missing, {len(result['late'])} late, "
                 f"{len(result['reuse'])} high reuse, {len(result['failing'])} failing checks")
    return "\n".join(lines) + "\n"


def run(store: str, year: int, region: str | None = None, output: str = "text", deadlines: str | None = None) -> tuple[str, float]:
    """The audit of a store as text, JSON or CSV, and the seconds it took."""
    from .index import load_deadlines

    started = time.perf_counter()
    result = audit(read_store(store, load_deadlines(deadlines)), year, region)
    if output == "json":
        text = json.dumps(result, ensure_ascii=False, indent=1) + "\n"
    elif output == "csv":
        text = as_csv(result)
    else:
        text = as_text(result)
    return text, time.perf_counter() - started
