"""OCR figures: each engine (RapidOCR, Tesseract) on the replica's scans and 图片版 images of table reports.

The documents are the ones the replica publishes (replica/documents.py: make_scanned_pdf prints a report on
A4 page images at 200 dpi and saves them as a JPEG PDF with no text layer; make_image draws the first part of a
report on one long PNG, as 图片版 pages post it), made from the test set's table reports (replica/corpus.py:
seed 004, a 2021-format and a 2019-format report) whose text and figures are known. Per engine: text
similarity to the known text (whitespace-free SequenceMatcher ratio, as the extraction figures), table cells
right after the parsing stage reads the OCR text (crawler.parsing), seconds per page, and the mean confidence
the feed's `ocr_confidence` reports.

    python -m bench.ocr [--engine rapidocr|tesseract]...
"""

from __future__ import annotations

import argparse
import difflib
import io
import os
import re
import sys
import time
from dataclasses import dataclass

from pypdf import PdfReader

from crawler.parsing.report import parse_text
from crawler.read import ocr
from crawler.read.files import read_file
from replica import documents as F
from replica.corpus import henghe_2020, paths, truth
from replica.fillers import JILIN, TONGYU
from replica.reports import Report
from replica.site import faithful_text

# the table blocks of a report and the canonical table each holds
_TABLES = {"table2": "active", "table3": "applications", "table4": "review_litigation"}


@dataclass
class OcrDoc:
    name: str
    filename: str
    body: bytes
    text: str          # the text the document shows
    tables: dict       # the cells it shows, in canonical keys (crawler.parsing)
    pages: int


def _shown_tables(report: Report) -> dict:
    tables, _ = truth(report.figures)
    shown = {_TABLES[b.text] for b in report.blocks if b.kind == "table"}
    return {name: rows for name, rows in tables.items() if name in shown}


def documents() -> list[OcrDoc]:
    """The scans and images of the corpus's table reports (made once, then from the documents cache)."""
    from replica.corpus import _filler

    reports = {"004": henghe_2020(), "2021": _filler("2021", JILIN, 0, 2022), "2019": _filler("2019", TONGYU, 0, 2020)}
    out = []
    for stem, report in reports.items():
        scan = F.make_scanned_pdf(report)
        out.append(OcrDoc(f"{stem}-scan", f"{stem}.pdf", scan, faithful_text(report), _shown_tables(report),
                          len(PdfReader(io.BytesIO(scan)).pages)))
        part = F.image_part(report)
        out.append(OcrDoc(f"{stem}-image", f"{stem}.png", F.make_image(report), faithful_text(part),
                          _shown_tables(part), 1))
    return out


def similarity(got: str, want: str) -> float:
    flat = [re.sub(r"\s+", "", t or "") for t in (got, want)]
    return difflib.SequenceMatcher(None, *flat, autojunk=False).ratio()


def _cpu() -> float:
    """CPU seconds of this process and its finished children (tesseract, pdftoppm): on a shared machine
    the wall time says as much about the neighbours as about the engine."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def measure(doc: OcrDoc, engine: str) -> dict:
    """One document read by one engine: similarity, cells right / shown, seconds, mean confidence."""
    ocr.set_engine(engine)
    started, cpu = time.perf_counter(), _cpu()
    # the engines' time, not the crawl's deadline: on a loaded machine a page can take a minute
    read = read_file(doc.body, None, doc.filename, timeout=3600)
    seconds, cpu = time.perf_counter() - started, _cpu() - cpu
    text = read.text
    parsed = parse_text(text)
    want = paths(doc.tables)
    have = paths(parsed["tables"])
    right = sum(have.get(p, "missing") == v for p, v in want.items())
    return {"similarity": similarity(text, doc.text), "right": right, "cells": len(want), "seconds": seconds, "cpu": cpu,
            "pages": doc.pages, "confidence": read.ocr_confidence, "engine": read.tool, "text": text}


def figures(engines: tuple[str, ...] = ocr.ENGINES) -> list[str]:
    """Printable lines: per engine and document, then per engine over all."""
    docs = documents()
    lines = []
    before = ocr._engine
    try:
        for engine in engines:
            total = {"right": 0, "cells": 0, "seconds": 0.0, "cpu": 0.0, "pages": 0, "sims": [], "confs": []}
            for doc in docs:
                m = measure(doc, engine)
                lines.append(f"{engine:9} {doc.name:12} similarity {m['similarity']:.3f}, cells right {m['right']}/"
                             f"{m['cells']}, {m['seconds'] / m['pages']:.1f} s/page ({m['cpu'] / m['pages']:.1f} s CPU), "
                             f"confidence {m['confidence']}")
                total["right"] += m["right"]
                total["cells"] += m["cells"]
                total["seconds"] += m["seconds"]
                total["cpu"] += m["cpu"]
                total["pages"] += m["pages"]
                total["sims"].append(m["similarity"])
                total["confs"].append(m["confidence"] or 0)
            lines.append(f"{engine:9} all {len(docs)} documents ({total['pages']} pages): similarity "
                         f"{sum(total['sims']) / len(docs):.3f} (lowest {min(total['sims']):.3f}), cells right "
                         f"{total['right']}/{total['cells']}, {total['seconds'] / total['pages']:.1f} s/page "
                         f"({total['cpu'] / total['pages']:.1f} s CPU), "
                         f"mean confidence {sum(total['confs']) / len(docs):.3f}")
    finally:
        ocr.set_engine(before)
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ocr", description=__doc__)
    parser.add_argument("--engine", action="append", choices=ocr.ENGINES)
    args = parser.parse_args(argv)
    for line in figures(tuple(args.engine or ocr.ENGINES)):
        print(f"ocr     {line}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
