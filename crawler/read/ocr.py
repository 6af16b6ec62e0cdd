"""OCR of scanned pages and image reports: RapidOCR (PP-OCRv4, ONNX models inside its wheel) by default,
Tesseract chi_sim as the fallback; ruled tables found in the image and their cells rebuilt from the boxes.

Each page image goes through three steps:

1. the table rules: long dark horizontal and vertical runs (OpenCV morphology), joined into cells by
   pdfplumber's own edge → intersection → cell → table functions, the ones it uses on a PDF's ruled lines;
2. the engine's text boxes (RapidOCR: one per text line or cell, with a recognition score; Tesseract: words
   with a confidence, read on the image with the rules painted out: it reads rules as "|" and "一");
3. the layout: boxes inside a ruled table go to their cell, a cell's boxes joined in reading order, so a
   table comes out as the PDF reader's tables do (one row per line, cells tab-separated, a merged cell in
   its first row); the other boxes are grouped into lines by vertical overlap, and a line whose boxes sit
   far apart (an unruled table) becomes a row of cells too.

The engine is process-wide (:func:`set_engine`, setting ``NIANBAO_OCR_ENGINE`` or the environment variable
of that name): ``rapidocr`` (default) or ``tesseract``. When it is missing (package not installed, model
file gone, ``tesseract`` or its ``chi_sim`` data not installed) one warning line says so and the other one
reads the page; with neither, the file is a :class:`BadFile` ("no OCR engine"), never a crash.
"""

from __future__ import annotations

import io
import logging
import math
import os
import re
import shutil
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from statistics import median

from crawler.read.filetext import BadFile, CJK, FileText, finish_text, fold, is_cjk, join_fragments, paragraphs, run_tool

logger = logging.getLogger(__name__)

OCR_DPI = 300          # PDF pages are rendered at this resolution (crawler.read.pdftext); images count as it too
OCR_LANG = "chi_sim"
OCR_WORKERS = max(1, min(2, os.cpu_count() or 1))

ENGINES = ("rapidocr", "tesseract")
DEFAULT_ENGINE = "rapidocr"
ENGINE_ENV = "NIANBAO_OCR_ENGINE"

# RapidOCR's own limit shrinks any image to 2000 px on its long side (an A4 page to 170 dpi: its models
# read that best and fastest), which makes a long 图片版 image's text too small to read: such an image
# (taller than twice its width) keeps its width up to a phone screen's 1000 px.
RAPIDOCR_MAX_SIDE = 2000
RAPIDOCR_MIN_WIDTH = 1000
# Options of the RapidOCR object: one ONNX thread per call (pages run in parallel, one per core; on
# 2 cores one thread is 1.5-2x faster than two fighting), our own scaling (above) and no other: the
# detector's default blows any image up to 736 px on its short side (a one-line image 1400 x 128 px
# to 8050 x 736, 40 s).
# No angle classifier: it turns a lone 6 upside down into a 9 (and 9 into 6) in the narrow cells of a real
# report's table; report pages are upright.
RAPIDOCR_OPTIONS = {"intra_op_num_threads": 1, "inter_op_num_threads": 1, "max_side_len": 100_000,
                    "det_limit_type": "max", "det_limit_side_len": 100_000, "use_cls": False}


# ----------------------------------------------------------------------------- engines

_engine: str | None = None       # set_engine's choice; None: the environment's, else the default
_lock = threading.Lock()
_rapidocr = None                 # the loaded RapidOCR object
_broken: dict[str, str] = {}     # engine -> why it cannot run (logged once)


def set_engine(name: str | None) -> None:
    """Choose the OCR engine for this process ("rapidocr" or "tesseract"; None or "": the environment
    variable NIANBAO_OCR_ENGINE, else rapidocr). An unknown name is a ValueError."""
    global _engine
    name = (name or "").strip().lower() or None
    if name is not None and name not in ENGINES:
        raise ValueError(f"unknown OCR engine {name!r} (one of {', '.join(ENGINES)})")
    _engine = name


def preferred_engine() -> str:
    if _engine:
        return _engine
    env = os.environ.get(ENGINE_ENV, "").strip().lower()
    if env in ENGINES:
        return env
    if env:
        _mark_broken(env, f"unknown engine (set {ENGINE_ENV} to one of {', '.join(ENGINES)})")
    return DEFAULT_ENGINE


def reset_engines() -> None:
    """Forget the loaded model and the engines found missing (they are looked for again)."""
    global _rapidocr, _tesseract_checked
    with _lock:
        _rapidocr = None
        _tesseract_checked = False
        _broken.clear()


def _mark_broken(name: str, reason: str) -> None:
    with _lock:
        if name in _broken:
            return
        _broken[name] = reason
    logger.warning("nianbao: OCR engine %s unavailable: %s; using %s", name, reason,
                   " or ".join(e for e in ENGINES if e != name) or "none")


def _load_rapidocr():
    global _rapidocr
    with _lock:
        if _rapidocr is None and "rapidocr" not in _broken:
            try:
                from rapidocr_onnxruntime import RapidOCR

                _rapidocr = RapidOCR(**RAPIDOCR_OPTIONS)
            except Exception as exc:   # ImportError, a model file missing or unreadable (FileNotFoundError, ONNX errors)
                reason = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
            else:
                return _rapidocr
        else:
            return _rapidocr
    _mark_broken("rapidocr", reason)
    return None


_tesseract_checked = False


def _check_tesseract() -> bool:
    """Whether tesseract and its chi_sim data are installed (asked once)."""
    global _tesseract_checked
    if "tesseract" in _broken:
        return False
    if _tesseract_checked:
        return True
    if not shutil.which("tesseract"):
        _mark_broken("tesseract", "the tesseract program is not installed")
        return False
    try:
        langs = subprocess.run(["tesseract", "--list-langs"], capture_output=True, timeout=30).stdout.decode()
    except (OSError, subprocess.SubprocessError) as exc:
        _mark_broken("tesseract", f"tesseract --list-langs failed ({type(exc).__name__})")
        return False
    if OCR_LANG not in langs.split():
        _mark_broken("tesseract", f"no {OCR_LANG} language data (tesseract-ocr-chi-sim)")
        return False
    _tesseract_checked = True
    return True


def _available(name: str) -> bool:
    if name == "rapidocr":
        return _load_rapidocr() is not None
    return _check_tesseract()


def engine_order() -> list[str]:
    """The engines to try, the chosen one first."""
    first = preferred_engine()
    return [first] + [e for e in ENGINES if e != first]


def current_engine() -> str:
    """The engine that reads the next page: the chosen one, or the fallback when it is missing."""
    for name in engine_order():
        if _available(name):
            return name
    raise BadFile(f"cannot read the file: no OCR engine is available ({'; '.join(f'{k}: {v}' for k, v in _broken.items())})")


# ----------------------------------------------------------------------------- boxes

def _rapidocr_boxes(grey, painted, deadline: float, tables: list) -> tuple[list[dict], list[float]]:
    """RapidOCR's text boxes of a greyscale image (numpy array): pixel geometry, text, score.

    The detector runs the texts of narrow neighbouring cells into one box across the rule between them
    ("0 0 0" of three columns as "000"): such a box is cut at the rules and each piece recognised alone,
    from the page with its rules painted out (`painted`: a rule at the edge of a crop reads as 1 or |)."""
    import cv2

    engine = _load_rapidocr()
    if engine is None:
        raise BadFile("cannot read the file: the OCR engine rapidocr is not available")
    if time.monotonic() > deadline:
        raise BadFile("timed out reading the file (rapidocr)")
    h, w = grey.shape[:2]
    scale = min(1.0, RAPIDOCR_MAX_SIDE / max(h, w))
    if h > 2 * w:
        scale = max(scale, min(1.0, RAPIDOCR_MIN_WIDTH / w))
    image = grey
    if scale < 1.0:
        # bilinear, as RapidOCR's own resizing: what its models were measured on
        image = cv2.resize(grey, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_LINEAR)
    result, _ = engine(image)
    found = []
    for points, text, score in result or []:
        xs, ys = [p[0] / scale for p in points], [p[1] / scale for p in points]
        found.append({"text": text.strip(), "x0": min(xs), "x1": max(xs), "top": min(ys), "bottom": max(ys),
                      "conf": float(score)})
    boxes = []
    pieces: list[dict] = []
    for box in found:
        cuts = _rules_inside(box, tables)
        if not cuts:
            wider = _ink_beyond(painted, box, found, tables)
            if wider:
                pieces.append(wider)
            else:
                boxes.append(box)
            continue
        edges = [box["x0"], *cuts, box["x1"]]
        for x0, x1 in zip(edges, edges[1:]):
            if x1 - x0 > 0.3 * (box["bottom"] - box["top"]):
                pieces.append({"x0": x0, "x1": x1, "top": box["top"], "bottom": box["bottom"]})
    pieces += _unread_cells(painted, boxes + pieces, tables)
    if pieces:
        crops = []
        for piece in pieces:
            crop = painted[int(piece["top"]):int(math.ceil(piece["bottom"])),
                           int(piece["x0"]):int(math.ceil(piece["x1"]))]
            crops.append(cv2.cvtColor(crop, cv2.COLOR_GRAY2BGR))
        recognised, _ = engine.text_rec(crops)
        for piece, (text, score) in zip(pieces, recognised):
            if score >= engine.text_score:   # what RapidOCR itself keeps
                boxes.append({**piece, "text": text.strip(), "conf": float(score)})
    boxes = [box for box in boxes if box["text"]]
    return boxes, [box["conf"] for box in boxes]


def _cell_of(box: dict, tables: list) -> tuple | None:
    x, y = (box["x0"] + box["x1"]) / 2, (box["top"] + box["bottom"]) / 2
    for rows in tables:
        for row in rows:
            for cell in row:
                if cell and cell[0] <= x <= cell[2] and cell[1] <= y <= cell[3]:
                    return cell
    return None


def _ink_beyond(painted, box: dict, boxes: list[dict], tables: list) -> dict | None:
    """The box widened to the ink of its line in its cell, when the detector left a character out (a
    flat 一 or 二 before "、" is its usual miss) and no other box holds it; None when nothing is left out."""
    cell = _cell_of(box, tables)
    if cell is None:
        return None
    height = box["bottom"] - box["top"]
    others = [b for b in boxes if b is not box and _cell_of(b, tables) == cell
              and min(b["bottom"], box["bottom"]) - max(b["top"], box["top"]) > 0.3 * height]
    if others:
        return None
    x0, x1 = round(cell[0]) + 3, round(cell[2]) - 3
    top, bottom = round(box["top"] + 0.2 * height), round(box["bottom"] - 0.2 * height)
    if x1 <= x0 or bottom <= top:
        return None
    columns = (painted[top:bottom, x0:x1] < 128).sum(axis=0).nonzero()[0]
    if columns.size == 0:
        return None
    left, right = x0 + columns[0], x0 + columns[-1] + 1
    if left >= box["x0"] - 0.4 * height and right <= box["x1"] + 0.4 * height:
        return None
    pad = 0.15 * height
    return {"x0": max(cell[0], min(box["x0"], left - pad)), "x1": min(cell[2], max(box["x1"], right + pad)),
            "top": box["top"], "bottom": box["bottom"]}


def _unread_cells(painted, boxes: list[dict], tables: list) -> list[dict]:
    """The ink of the table cells no box fell in (pixels; `painted`: the page without its rules): a lone
    "0" in a narrow cell is the detector's most common miss, and a recognised crop of the cell gets it back."""
    pieces = []
    for rows in tables:
        for row in rows:
            for cell in row:
                if cell is None or any(cell[0] <= (b["x0"] + b["x1"]) / 2 <= cell[2]
                                       and cell[1] <= (b["top"] + b["bottom"]) / 2 <= cell[3] for b in boxes):
                    continue
                x0, top, x1, bottom = (round(v) for v in cell)
                inset = max(4, (bottom - top) // 10)   # the rules and their blur
                inside = painted[top + inset:bottom - inset, x0 + inset:x1 - inset] < 128
                if inside.size == 0 or inside.sum() < 15:
                    continue
                ys, xs = inside.any(axis=1).nonzero()[0], inside.any(axis=0).nonzero()[0]
                height = ys[-1] - ys[0] + 1
                pad = max(3, height // 4)
                pieces.append({"x0": max(x0 + inset, x0 + inset + xs[0] - pad), "x1": min(x1 - inset, x0 + inset + xs[-1] + 1 + pad),
                               "top": max(top + inset // 2, top + inset + ys[0] - pad),
                               "bottom": min(bottom - inset // 2, top + inset + ys[-1] + 1 + pad)})
    return pieces


def _rules_inside(box: dict, tables: list) -> list[float]:
    """The x of the vertical rules of a ruled table that cut through a text box (pixels)."""
    x, y = (box["x0"] + box["x1"]) / 2, (box["top"] + box["bottom"]) / 2
    margin = (box["bottom"] - box["top"]) * 0.3
    for rows in tables:
        for row in rows:
            cells = [c for c in row if c and c[1] <= y <= c[3]]
            if not cells:
                continue
            cuts = {edge for c in cells for edge in (c[0], c[2]) if box["x0"] + margin < edge < box["x1"] - margin}
            if cuts and any(c[0] <= x <= c[2] for c in cells):
                return sorted(cuts)
    return []


def _tesseract_boxes(grey, painted, deadline: float, tables: list) -> tuple[list[dict], list[float]]:
    """Tesseract's words of a greyscale image (numpy array): pixel geometry, text, confidence. It reads
    the page without its rules (`painted`): it takes rules for | and 一 and loses the digits beside them."""
    from PIL import Image

    out = io.BytesIO()
    Image.fromarray(painted).save(out, format="PPM")   # raw PGM: no compression time
    proc = run_tool(["tesseract", "stdin", "stdout", "-l", OCR_LANG, "--psm", "3", "--dpi", str(OCR_DPI), "tsv"],
                    deadline, "tesseract", stdin=out.getvalue())
    if proc.returncode != 0:
        raise BadFile("image the OCR engine cannot read")
    boxes, confs = [], []
    for row in proc.stdout.decode("utf-8", "replace").splitlines()[1:]:
        f = row.split("\t")
        if len(f) < 12 or f[0] != "5" or not f[11].strip():
            continue
        conf = float(f[10])
        if conf >= 0:
            confs.append(conf / 100)
        left, top, width, height = (int(v) for v in f[6:10])
        boxes.append({"text": f[11].strip(), "x0": left, "x1": left + width, "top": top, "bottom": top + height,
                      "conf": conf / 100})
    return boxes, confs


_BOXES = {"rapidocr": _rapidocr_boxes, "tesseract": _tesseract_boxes}


# ----------------------------------------------------------------------------- ruled tables

def _ruled_tables(grey) -> tuple[list[list[tuple]], object]:
    """The ruled tables of a page image: each a list of rows, a row a list of cell bboxes (pixels; None
    where a merged cell from an earlier row or column covers it), and the rules' mask (to paint out).

    Rules are dark runs at least 1/25 of the page wide (horizontal) or 1/40 (vertical): longer than
    any stroke of a character at body size, shorter than the shortest cell side."""
    import cv2
    import numpy as np
    from pdfplumber.table import Table, cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges

    h, w = grey.shape[:2]
    _, dark = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    horizontal = cv2.morphologyEx(dark, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(20, w // 25), 1)))
    vertical = cv2.morphologyEx(dark, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(15, w // 40))))
    edges = []
    for mask, orientation in ((horizontal, "h"), (vertical, "v")):
        count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        for x, y, bw, bh, _area in stats[1:count]:
            if orientation == "h" and bw > 3 * bh:
                mid = y + bh / 2
                edges.append({"x0": float(x), "x1": float(x + bw), "top": mid, "bottom": mid, "width": float(bw),
                              "orientation": "h"})
            elif orientation == "v" and bh > 3 * bw:
                mid = x + bw / 2
                edges.append({"x0": mid, "x1": mid, "top": float(y), "bottom": float(y + bh), "height": float(bh),
                              "orientation": "v"})
    rules = cv2.bitwise_or(horizontal, vertical)
    if not any(e["orientation"] == "h" for e in edges) or not any(e["orientation"] == "v" for e in edges):
        return [], rules
    tol = max(3.0, w / 400)   # a rule's thickness in a scan, and its JPEG blur
    edges = merge_edges(edges, tol, tol, tol, tol)
    edges += _page_break_edges(edges, tol)
    cells = intersections_to_cells(edges_to_intersections(edges, tol, tol))
    tables = []
    for table_cells in cells_to_tables(cells):
        rows = [list(row.cells) for row in Table(None, table_cells).rows]
        if len(rows) >= 2 and max(sum(1 for c in row if c) for row in rows) >= 2:
            tables.append(rows)
    return tables, rules


def _page_break_edges(edges: list[dict], tol: float) -> list[dict]:
    """The rules a page break leaves out: a table carried over to the next page has no bottom rule
    here (and none at its top there), so its vertical rules end together in the open. A horizontal rule
    where two or more of them end (or start) together, and no rule runs, closes the cells."""
    verticals = [e for e in edges if e["orientation"] == "v"]
    horizontals = [e for e in edges if e["orientation"] == "h"]
    added = []
    for end in ("bottom", "top"):
        for group in _clusters(sorted(verticals, key=lambda e: e[end]), end, 2 * tol):
            if len(group) < 2:
                continue
            y = median(e[end] for e in group)
            x0, x1 = min(e["x0"] for e in group), max(e["x0"] for e in group)
            covered = any(abs(h["top"] - y) <= 2 * tol and h["x0"] <= x0 + tol and h["x1"] >= x1 - tol
                          for h in horizontals)
            if not covered:
                added.append({"x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "orientation": "h"})
    return added


def _clusters(ordered: list[dict], key: str, gap: float) -> list[list[dict]]:
    groups: list[list[dict]] = []
    for e in ordered:
        if groups and e[key] - groups[-1][-1][key] <= gap:
            groups[-1].append(e)
        else:
            groups.append([e])
    return groups


def _paint_out(grey, rules):
    """The image with its rules white (a rule next to a digit reads as 1 or | otherwise)."""
    import cv2

    wide = cv2.dilate(rules, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
    out = grey.copy()
    out[wide > 0] = 255
    return out


# ----------------------------------------------------------------------------- layout

# The engines read the full-width punctuation of Chinese text as ASCII now and then; next to a CJK
# character it is the full-width form the source has ("(一)" is "（一）", "邮编:" is "邮编：").
_FULL_WIDTH = dict(zip("(),;:?!", "（），；：？！"))
_OCR_PUNCT_RE = re.compile(f"(?<=[{CJK}])[(),;:?!]|[(),;:?!](?=[{CJK}])")
# A table cell that holds nothing but one round mark is a 0 the engine read as punctuation or a letter
# (a cell never holds a lone full stop), one upright stroke a 1 read as a letter (seen on a real report).
_ZERO_MISREAD = {**dict.fromkeys(("。", "o", "O", "〇", "○", "°", "口"), "0"), **dict.fromkeys(("I", "l"), "1")}
# what is left of a rule the painting missed; in a figure's cell, the corner of two rules reads as L ("L5")
_RULE_BITS_RE = re.compile(r"^[|丨｜]+|[|丨｜]+$")
_CORNER_RE = re.compile(r"^[L|丨｜「」]+(?=[+-]?\d[\d.,]*$)|(?<=\d)[|丨｜「」]+$")


def _full_width(text: str) -> str:
    return _OCR_PUNCT_RE.sub(lambda m: _FULL_WIDTH[m.group(0)], text)


def _group_lines(boxes: list[dict]) -> list[list[dict]]:
    """Boxes grouped into text lines: a box joins a line when the two overlap vertically by more than
    half the lower of them (a flat 一 or a comma's box lies within its line's height)."""
    lines: list[dict] = []
    for box in sorted(boxes, key=lambda b: (b["top"] + b["bottom"]) / 2):
        for line in reversed(lines[-3:]):
            overlap = min(line["bottom"], box["bottom"]) - max(line["top"], box["top"])
            if overlap > 0.5 * min(line["bottom"] - line["top"], box["bottom"] - box["top"]):
                line["boxes"].append(box)
                line["top"], line["bottom"] = min(line["top"], box["top"]), max(line["bottom"], box["bottom"])
                break
        else:
            lines.append({"boxes": [box], "top": box["top"], "bottom": box["bottom"]})
    return [sorted(line["boxes"], key=lambda b: b["x0"]) for line in sorted(lines, key=lambda l: l["top"])]


def _joined(boxes: list[dict]) -> str:
    text = ""
    for box in boxes:
        text = join_fragments(text, box["text"])
    return fold(_full_width(text), cjk_gaps=True)


def _cells_of_line(boxes: list[dict]) -> list[list[dict]]:
    """A line's boxes split where they sit more than 2.5 line heights apart (columns of an unruled table;
    the words of justified text are never that far apart).  The line's height, not a box's: Tesseract's
    boxes hug the glyphs, and 一 is flat."""
    em = max(1.0, max(b["bottom"] for b in boxes) - min(b["top"] for b in boxes))
    cells = [[boxes[0]]]
    for prev, box in zip(boxes, boxes[1:]):
        if box["x0"] - prev["x1"] > 2.5 * em:
            cells.append([box])
        else:
            cells[-1].append(box)
    return cells


def _em(line: dict) -> float:
    """The font size of an OCR line, from its width: a CJK character is one em wide, others about
    half.  Box heights are no measure: Tesseract's boxes hug the glyphs, and 一 is flat."""
    text = line["text"].replace(" ", "")
    cjk = sum(1 for ch in text if is_cjk(ch))
    if cjk < 2:
        return (line["bottom"] - line["top"]) * 0.85
    return (line["x1"] - line["x0"]) / (cjk + 0.55 * (len(text) - cjk))


def _layout(boxes: list[dict], tables: list[list[list]], scale: float, page: int | None,
            height: float | None = None) -> list[tuple]:
    """("line", …) and ("table", …) items of a page in reading order, geometry in PDF points (see
    crawler.read.filetext.paragraphs and table_lines, which make the text); `height` (pixels) is the
    page's, whose margins hold page numbers to drop, as the PDF reader drops them."""
    from crawler.read.pdftext import _PAGE_NUMBER_RE as PAGE_NUMBER_RE, MARGIN_SHARE   # one rule for both readers

    placed: dict[tuple[int, int, int], list[dict]] = {}
    bounds = []
    for rows in tables:
        cells = [c for row in rows for c in row if c]
        bounds.append((min(c[0] for c in cells), min(c[1] for c in cells), max(c[2] for c in cells),
                       max(c[3] for c in cells)))
    loose = []
    for box in boxes:
        box = dict(box, text=_RULE_BITS_RE.sub("", box["text"]).strip())
        if not box["text"]:
            continue
        x, y = (box["x0"] + box["x1"]) / 2, (box["top"] + box["bottom"]) / 2
        for t, rows in enumerate(tables):
            x0, top, x1, bottom = bounds[t]
            if not (x0 <= x <= x1 and top <= y <= bottom):
                continue
            spot = next(((t, r, c) for r, row in enumerate(rows) for c, cell in enumerate(row)
                         if cell and cell[0] <= x <= cell[2] and cell[1] <= y <= cell[3]), None)
            if spot is not None:
                placed.setdefault(spot, []).append(box)
                break
        else:
            loose.append(box)

    items: list[tuple] = []
    for t, rows in enumerate(tables):
        out_rows = []
        for r, row in enumerate(rows):
            cells = []
            for c, cell in enumerate(row):
                if cell is None:
                    continue   # covered by a merged cell that starts in an earlier row or column
                text = ""
                for line in _group_lines(placed.get((t, r, c), [])):
                    text = join_fragments(text, _joined(line))
                text = _CORNER_RE.sub("", text)
                cells.append((cell[1] * scale, _ZERO_MISREAD.get(text, text)))
            out_rows.append(cells)
        bbox = tuple(v * scale for v in bounds[t])
        items.append((bbox[1], "table", {"rows": out_rows, "bbox": bbox, "page": page}))

    lines = []
    for group in _group_lines(loose):
        cells = _cells_of_line(group)
        geometry = {"x0": group[0]["x0"] * scale, "x1": max(b["x1"] for b in group) * scale,
                    "top": min(b["top"] for b in group) * scale, "bottom": max(b["bottom"] for b in group) * scale,
                    "page": page}
        if len(cells) > 1:
            items.append((geometry["top"], "row", {**geometry, "cells": [(geometry["top"], _joined(c)) for c in cells]}))
            continue
        line = {**geometry, "text": _joined(group)}
        if not line["text"]:
            continue
        in_margin = height and (geometry["bottom"] < height * scale * MARGIN_SHARE
                                or geometry["top"] > height * scale * (1 - MARGIN_SHARE))
        if in_margin and PAGE_NUMBER_RE.fullmatch(line["text"]):
            continue
        line["size"] = _em(line)
        lines.append(line)
        items.append((line["top"], "line", line))
    if lines:
        # measured sizes scatter (a short line of punctuation looks small): a line is in the body
        # size unless it is clearly larger, as a title is
        body = median(line["size"] for line in lines)
        for line in lines:
            line["size"] = line["size"] if line["size"] > 1.3 * body else body
    items.sort(key=lambda item: item[0])
    # consecutive rows of an unruled table make one table
    out: list[tuple] = []
    for _, kind, value in items:
        if kind == "row":
            cells = value["cells"]
            if out and out[-1][0] == "table" and out[-1][1].get("unruled"):
                table = out[-1][1]
                table["rows"].append(cells)
                table["bbox"] = (min(table["bbox"][0], value["x0"]), table["bbox"][1],
                                 max(table["bbox"][2], value["x1"]), value["bottom"])
            else:
                out.append(("table", {"rows": [cells], "bbox": (value["x0"], value["top"], value["x1"], value["bottom"]),
                                      "page": page, "unruled": True}))
        else:
            out.append((kind, value))
    return out


# ----------------------------------------------------------------------------- pages

@dataclass
class OcrPage:
    """One page read by OCR: its layout items (see _layout), the engine's confidences (0..1), the engine."""

    items: list[tuple] = field(default_factory=list)
    confidences: list[float] = field(default_factory=list)
    engine: str = ""


def _grey(image: bytes):
    import numpy as np
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(image)) as img:
            return np.asarray(img.convert("L"))
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise BadFile("image the OCR engine cannot read") from exc


def ocr_page(image: bytes, deadline: float, scale: float = 72 / OCR_DPI, page: int | None = None) -> OcrPage:
    """One page image (PNG, PGM… bytes) read by the chosen engine, or the fallback when it is missing."""
    grey = _grey(image)
    tables, rules = _ruled_tables(grey)
    engine = current_engine()
    # RapidOCR's detector needs the rules (without, the texts of neighbouring cells run into one box), its
    # recogniser and Tesseract are better without
    painted = _paint_out(grey, rules) if tables else grey
    boxes, confs = _BOXES[engine](grey, painted, deadline, tables)
    return OcrPage(_layout(boxes, tables, scale, page, grey.shape[0]), confs, engine)


def ocr_pages(images: list, deadline: float, numbers: list[int] | None = None) -> list[OcrPage]:
    """ocr_page of each page image (bytes, or a callable making them), numbered `numbers` (1, 2, … by
    default), two pages at a time on two cores (each engine call runs single-threaded)."""
    numbers = numbers or list(range(1, len(images) + 1))

    def one(job) -> OcrPage:
        image, number = job
        return ocr_page(image() if callable(image) else image, deadline, 72 / OCR_DPI, number)

    current_engine()   # a missing engine is found (and logged) once, before the threads
    with ThreadPoolExecutor(max_workers=max(1, min(OCR_WORKERS, len(images)))) as pool:
        return list(pool.map(one, zip(images, numbers)))


# A multi-page TIFF is a scanned document; more frames than this is not a report.
IMAGE_MAX_FRAMES = 60


def _images_for_ocr(body: bytes) -> list[bytes]:
    """Each frame of an image (a TIFF may hold a whole scan) as greyscale PGM bytes: palettes,
    alpha and CMYK JPEGs confuse the engines, and raw PGM costs no compression time."""
    from PIL import Image, ImageSequence, UnidentifiedImageError

    frames = []
    count = 0
    try:
        with Image.open(io.BytesIO(body)) as image:
            count = getattr(image, "n_frames", 1)
            if count <= IMAGE_MAX_FRAMES:
                for frame in ImageSequence.Iterator(image):
                    out = io.BytesIO()
                    frame.convert("L").save(out, format="PPM")
                    frames.append(out.getvalue())
    except (UnidentifiedImageError, OSError, ValueError, EOFError, Image.DecompressionBombError) as exc:
        raise BadFile("truncated or corrupt image") from exc
    if count > IMAGE_MAX_FRAMES:
        # not read in part: a report cut at its 60th page would be fed as if whole
        raise BadFile(f"image of {count} frames, more than a report's {IMAGE_MAX_FRAMES}: not read")
    return frames


def read_image(body: bytes, ocr: bool, deadline: float) -> FileText:
    frames = _images_for_ocr(body)
    if not ocr:
        raise BadFile("scanned file: OCR disabled")
    pages = ocr_pages(frames, deadline)
    items = [item for page in pages for item in page.items]
    confs = [c for page in pages for c in page.confidences]
    return FileText("image", finish_text(paragraphs(items)), ocr=True, ocr_confidence=mean_or_none(confs),
                    pages=len(frames), tool=engines_used(pages))


def engines_used(pages: list[OcrPage]) -> str:
    return "+".join(sorted({page.engine for page in pages})) or "ocr"


def mean_or_none(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 3) if values else None
