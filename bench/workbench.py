"""Workbench figures (crawler/workbench/): the index build, search latency through Datasette's JSON API, `audit`
time per 1,000 reports, and the Chinese tokenisation chosen by measurement — overlapping bigrams (ours) against
jieba's search-mode words and FTS5's trigram tokenizer with a LIKE fallback for one- and two-character queries:
recall and precision against a substring scan (the ground truth), and SQLite time per query.

    python -m bench.workbench STORE_DIR      # on any store; `make bench` runs it on the scale replica's store
"""

from __future__ import annotations

import asyncio
import random
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

from crawler.workbench import audit as audit_command
from crawler.workbench.index import build_index, read_store
from crawler.workbench.serve import make_datasette
from crawler.workbench.tokens import index_text, match_query

FIXED_QUERIES = ("行政复议", "复议", "诉讼", "年报", "结果纠正", "主动公开", "依申请公开", "政府信息公开", "行政复议 纠正")
SAMPLE = 150                  # queries drawn per kind (substrings, words)
COMPARE_REPORTS = 1000        # reports the three tokenisations are compared on (jieba is slow to index)
_HAN = re.compile(r"[\u4e00-\u9fff]{2,}")


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _queries(texts: list[str], rng: random.Random) -> dict[str, list[str]]:
    """Two query sets: substrings of 2-4 Han characters (what a reader types from a report's wording) and jieba's
    words of two characters or more (what a segmenter considers a word)."""
    import jieba

    subs, words = [], []
    while len(subs) < SAMPLE:
        runs = _HAN.findall(rng.choice(texts))
        if runs:
            run = rng.choice(runs)
            size = rng.randint(2, min(4, len(run)))
            start = rng.randint(0, len(run) - size)
            subs.append(run[start:start + size])
    while len(words) < SAMPLE:
        text = rng.choice(texts)
        start = rng.randint(0, max(0, len(text) - 200))
        candidates = [w for w in jieba.lcut(text[start:start + 200]) if _HAN.fullmatch(w)]
        if candidates:
            words.append(rng.choice(candidates))
    return {"substrings": subs, "words": words}


def _jieba_text(text: str) -> str:
    import jieba

    return " ".join(w for w in jieba.cut_for_search(text or "") if w.strip())


def _jieba_query(query: str) -> str:
    import jieba

    tokens = [w for w in jieba.cut_for_search(query) if w.strip()]
    return " ".join('"' + w.replace('"', "") + '"' for w in tokens) or '""'


def tokenisation_figures(records: list[dict], queries: dict[str, list[str]]) -> dict[str, dict]:
    """Per method: build seconds, and per query set recall, precision, p50/p95 ms against the substring truth."""
    texts = [f"{r.get('title') or ''}\n{r.get('text') or ''}" for r in records]
    methods = {}
    db = sqlite3.connect(":memory:")
    started = time.perf_counter()
    db.execute("CREATE VIRTUAL TABLE bigram USING fts5(body, content='', tokenize='unicode61')")
    db.executemany("INSERT INTO bigram (rowid, body) VALUES (?, ?)", [(n, index_text(t)) for n, t in enumerate(texts)])
    methods["bigram"] = {"build": time.perf_counter() - started}
    started = time.perf_counter()
    db.execute("CREATE VIRTUAL TABLE jieba USING fts5(body, content='', tokenize='unicode61')")
    db.executemany("INSERT INTO jieba (rowid, body) VALUES (?, ?)", [(n, _jieba_text(t)) for n, t in enumerate(texts)])
    methods["jieba"] = {"build": time.perf_counter() - started}
    started = time.perf_counter()
    db.execute("CREATE TABLE plain (rowid INTEGER PRIMARY KEY, body TEXT)")
    db.executemany("INSERT INTO plain VALUES (?, ?)", list(enumerate(texts)))
    db.execute("CREATE VIRTUAL TABLE trigram USING fts5(body, content='plain', content_rowid='rowid', tokenize='trigram')")
    db.execute("INSERT INTO trigram(trigram) VALUES ('rebuild')")
    methods["trigram+like"] = {"build": time.perf_counter() - started}

    def run(method: str, query: str) -> set[int]:
        if method == "bigram":
            sql, arg = "SELECT rowid FROM bigram WHERE bigram MATCH ?", match_query(query)
        elif method == "jieba":
            sql, arg = "SELECT rowid FROM jieba WHERE jieba MATCH ?", _jieba_query(query)
        elif min(len(w) for w in query.split()) >= 3:
            sql, arg = "SELECT rowid FROM trigram WHERE trigram MATCH ?", " ".join(f'"{w}"' for w in query.split())
        else:      # the fallback: trigram cannot match under three characters, so every row is scanned
            words = query.split()
            sql = "SELECT rowid FROM plain WHERE " + " AND ".join("instr(body, ?) > 0" for _ in words)
            return {r for (r,) in db.execute(sql, words)}
        return {r for (r,) in db.execute(sql, (arg,))}

    for kind, qs in {**queries, "fixed": list(FIXED_QUERIES)}.items():
        for method in methods:
            found_total = right = truth_total = 0
            times = []
            for query in qs:
                truth = {n for n, t in enumerate(texts) if all(w in t for w in query.split())}
                started = time.perf_counter()
                found = run(method, query)
                times.append(1000 * (time.perf_counter() - started))
                truth_total += len(truth)
                found_total += len(found)
                right += len(found & truth)
            methods[method][kind] = {"recall": right / max(truth_total, 1), "precision": right / max(found_total, 1),
                                     "p50": _pct(times, 0.5), "p95": _pct(times, 0.95)}
    db.close()
    return methods


async def _api_latency(index: Path, store: Path, queries: list[str], extra: dict) -> list[float]:
    ds = make_datasette(index, store)
    await ds.invoke_startup()
    times = []
    for query in queries:
        url = "/nianbao/reports.json?" + urllib.parse.urlencode({"_search": query, "_col": "title", "_size": 50,
                                                                  **extra})
        started = time.perf_counter()
        response = await ds.client.get(url)
        times.append(1000 * (time.perf_counter() - started))
        assert response.status_code == 200, (query, response.status_code)
    return times


def figures(store_dir: str | Path) -> list[str]:
    store_dir = Path(store_dir)
    lines = []
    started = time.perf_counter()
    snapshot = read_store(store_dir)
    read_s = time.perf_counter() - started
    n = len(snapshot.feed)
    if not n:
        return [f"no reports in {store_dir}"]
    with tempfile.TemporaryDirectory(prefix="nianbao-wb-") as tmp:
        index = Path(tmp) / "nianbao.sqlite"
        built = build_index(snapshot, index)
        lines.append(f"index   {n} reports: store read (parse, audit figures, regions) {read_s:.2f} s, index written in "
                     f"{built['seconds']:.2f} s ({1000 * (read_s + built['seconds']) / n:.1f} ms/report), "
                     f"{index.stat().st_size / 1e6:.1f} MB")
        rng = random.Random(17)
        texts = [f"{r.get('title') or ''}\n{r.get('text') or ''}" for r in snapshot.feed.values()]
        queries = _queries(texts, rng)
        asked = list(FIXED_QUERIES) + queries["substrings"] + queries["words"]
        api = asyncio.run(_api_latency(index, store_dir, asked, {}))
        bare = asyncio.run(_api_latency(index, store_dir, asked, {"_nofacet": 1, "_nocount": 1}))
        lines.append(f"search  Datasette JSON API over {n} reports, {len(api)} queries (_search, 50 rows): "
                     f"p50 {_pct(api, 0.5):.1f} ms, p95 {_pct(api, 0.95):.1f} ms with the table's 9 facets and the "
                     f"count (the search page); p50 {_pct(bare, 0.5):.1f} ms, p95 {_pct(bare, 0.95):.1f} ms without "
                     f"(_nofacet, _nocount)")
    years = {}
    for record in snapshot.feed.values():
        if record.get("year"):
            years[record["year"]] = years.get(record["year"], 0) + 1
    year = max(years, key=years.get)
    started = time.perf_counter()
    result = audit_command.audit(snapshot, year)
    audit_s = time.perf_counter() - started
    started = time.perf_counter()
    # the command as a user runs it: a fresh process (imports, cpca's tables, the store read, the audit, JSON out)
    subprocess.run([str(Path(sys.executable).parent / "nianbao"), "audit", "--store", str(store_dir), "--year",
                    str(year), "--json"], check=True, capture_output=True)
    whole_s = time.perf_counter() - started
    lines.append(f"audit   {year}: {len(result['found'])} found, {len(result['missing'])} missing, {len(result['late'])} "
                 f"late, {len(result['reuse'])} high reuse, {len(result['failing'])} failing; `nianbao audit --json` "
                 f"{whole_s:.2f} s for a store of {n} reports = {1000 * whole_s / n:.2f} s per 1,000 reports "
                 f"(interpreter start included; in process: reading the store {1000 * read_s / n:.2f} s, the audit "
                 f"{1000 * audit_s / n:.3f} s per 1,000)")
    sample = list(snapshot.feed.values())[:COMPARE_REPORTS]
    compared = tokenisation_figures(sample, _queries([f"{r.get('title') or ''}\n{r.get('text') or ''}"
                                                       for r in sample], random.Random(18)))
    for method, row in compared.items():
        parts = [f"{kind} recall {row[kind]['recall']:.3f} precision {row[kind]['precision']:.3f} "
                 f"p50 {row[kind]['p50']:.2f} ms p95 {row[kind]['p95']:.2f} ms"
                 for kind in ("substrings", "words", "fixed")]
        lines.append(f"tokens  {method:<12} ({len(sample)} reports, built in {row['build']:.1f} s): " + "; ".join(parts))
    return lines


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    if len(args) != 1:
        print("usage: python -m bench.workbench STORE_DIR", file=sys.stderr)
        return 2
    for line in figures(args[0]):
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
