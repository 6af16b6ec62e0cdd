"""PDF text: pdfplumber's characters and ruled lines laid out by nianbao into paragraphs and tab-separated
table rows (page numbers and running heads dropped); scanned or unmapped-font pages go to OCR."""

from __future__ import annotations

import io
import re
import tempfile
import time
from functools import partial
from pathlib import Path
from statistics import median

from crawler.read.filetext import BadFile, FileText, finish_text, fold, is_cjk, join_fragments, paragraphs, run_tool
from crawler.read.ocr import OCR_DPI, engines_used, mean_or_none, ocr_pages

# A page with fewer characters than this in its text layer, and an image, is a scan.
SCANNED_PAGE_MAX_CHARS = 10
# Pages whose text is mostly "(cid:N)" glyphs have fonts without a Unicode map: OCR reads them better.
CID_SHARE_FOR_OCR = 0.3
# Page numbers sit in the outer 8% of the page; only lines there that are nothing but a number go.
MARGIN_SHARE = 0.08
_PAGE_NUMBER_RE = re.compile(r"[-—–－‒\s]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[/／共]\s*\d{1,4}\s*页?)?[-—–－‒\s]*")

# ----------------------------------------------------------------------------- PDF

def read_pdf(body: bytes, ocr: bool, deadline: float) -> FileText:
    """Stages: integrity (%%EOF, user password), each page's text lines and ruled tables by
    pdfplumber, pages without a text layer through OCR (crawler.read.ocr), then paragraphs rebuilt from the line
    geometry across pages (see paragraphs)."""
    if b"%%EOF" not in body[-2048:]:
        raise BadFile("truncated or corrupt PDF")
    _check_pdf_password(body)
    items, scanned, count = _pdf_layout(body, deadline)
    confs: list[float] = []
    if scanned:
        if not ocr:
            raise BadFile("scanned file: OCR disabled")

        pages = ocr_pages([partial(_render_page, body, number, deadline) for number in scanned], deadline, scanned)
        done = dict(zip(scanned, pages))
        confs = [c for page in pages for c in page.confidences]
        items = [item for kind, value in items for item in (done[value].items if kind == "ocr" else [(kind, value)])]
    engines = engines_used(pages) if scanned else ""
    tool = (f"pdfplumber+{engines}" if len(scanned) < count else engines) if scanned else "pdfplumber"
    return FileText("pdf", finish_text(paragraphs(items)), ocr=bool(scanned),
                    ocr_confidence=mean_or_none(confs) if scanned else None, pages=count, tool=tool)


def _pdf_layout(body: bytes, deadline: float) -> tuple[list[tuple], list[int], int]:
    """Items of every page in order (("line", …), ("table", …), ("ocr", page number) for a page to
    OCR), the numbers (1-based) of those pages, and the page count."""
    import pdfplumber
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        pdf = pdfplumber.open(io.BytesIO(body))
    except PdfminerException as exc:
        raise BadFile(_pdf_open_reason(exc)) from exc
    items: list[tuple] = []
    scanned: list[int] = []
    with pdf:
        try:
            pages = list(pdf.pages)
            for page in pages:
                if time.monotonic() > deadline:
                    raise BadFile("timed out reading the file (PDF)")
                page_items = _pdf_page_items(page)
                if page_items is None:
                    scanned.append(page.page_number)
                    items.append(("ocr", page.page_number))
                else:
                    items.extend(page_items)
                page.close()   # pdfplumber caches every page's objects until closed
        except BadFile:
            raise
        except Exception as exc:   # pdfminer's own errors for a broken page tree or content stream
            raise BadFile(_pdf_open_reason(exc)) from exc
    return items, scanned, len(pages)


def _render_page(body: bytes, number: int, deadline: float) -> bytes:
    """Page `number` (1-based) as a greyscale image at OCR_DPI, by poppler's pdftoppm.

    PGM, not PNG: compressing an A4 page at 300 dpi takes pdftoppm 3 s, writing it raw 0.2 s.
    """
    with tempfile.TemporaryDirectory(prefix="nianbao-ocr-") as tmp:
        root = Path(tmp) / "page"
        proc = run_tool(["pdftoppm", "-r", str(OCR_DPI), "-gray", "-singlefile", "-f", str(number), "-l", str(number),
                     "-", str(root)], deadline, "pdftoppm", stdin=body)
        image = root.with_suffix(".pgm")
        if proc.returncode != 0 or not image.exists():
            raise BadFile("truncated or corrupt PDF")
        return image.read_bytes()


def _check_pdf_password(body: bytes) -> None:
    """A user password stops reading; an owner password alone (empty user password) does not."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(body))
        if reader.is_encrypted and not reader.decrypt(""):
            raise BadFile("password-protected PDF")
    except BadFile:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, NotImplementedError):
        return   # pypdf is stricter than pdfminer: let pdfplumber judge the file


def _pdf_open_reason(exc: Exception) -> str:
    inner = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc   # PdfminerException wraps
    name = type(inner).__name__
    if "Password" in name or "Encrypt" in name:
        return "password-protected PDF"
    return "truncated or corrupt PDF"


def _pdf_page_items(page) -> list[tuple] | None:
    """("line", {...}) and ("table", rows) items of one page in reading order; None for a scanned page."""
    # some producers draw bold text twice, a hair apart: the copy is not text
    page = page.dedupe_chars()
    chars = page.chars
    visible = [c for c in chars if c["text"].strip()]
    cids = sum(1 for c in visible if c["text"].startswith("(cid:"))
    if len(visible) < SCANNED_PAGE_MAX_CHARS or cids > CID_SHARE_FOR_OCR * len(visible):
        return None if page.images or cids else []
    tables = [t for t in page.find_tables() if len(t.rows) >= 2 and max(len(r.cells) for r in t.rows) >= 2]
    boxes = [t.bbox for t in tables]

    def in_table(c) -> int | None:
        x, y = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
        for k, (x0, top, x1, bottom) in enumerate(boxes):
            if x0 <= x <= x1 and top <= y <= bottom:
                return k
        return None

    loose, per_table = [], [[] for _ in tables]
    for c in chars:
        k = in_table(c)
        (loose if k is None else per_table[k]).append(c)
    items = []
    top_margin, bottom_margin = page.height * MARGIN_SHARE, page.height * (1 - MARGIN_SHARE)
    for line in _char_lines(loose):
        if (line["bottom"] < top_margin or line["top"] > bottom_margin) and _PAGE_NUMBER_RE.fullmatch(line["text"]):
            continue
        line["page"] = page.page_number
        items.append((line["top"], "line", line))
    for table, table_chars in zip(tables, per_table):
        rows = []
        for row in table.rows:
            cells = []
            for bbox in row.cells:
                if bbox is None:
                    continue   # covered by a merged cell that starts in an earlier row or column
                x0, top, x1, bottom = bbox
                inside = [c for c in table_chars
                          if x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and top <= (c["top"] + c["bottom"]) / 2 <= bottom]
                text = ""
                for line in _char_lines(inside):
                    text = join_fragments(text, line["text"])
                cells.append((top, text))
            rows.append(cells)
        items.append((table.bbox[1], "table", {"rows": rows, "bbox": table.bbox, "page": page.page_number}))
    items.sort(key=lambda item: item[0])
    return [(kind, value) for _, kind, value in items]


def _char_lines(chars: list[dict]) -> list[dict]:
    """Characters grouped into lines (vertical overlap), each line's text rebuilt from its glyphs.

    Space glyphs are the author's and stay.  A gap between glyphs is a space only between two
    non-CJK characters: the gaps beside CJK characters are justification and CJK/Latin
    autospacing, not spaces the author typed.
    """
    lines: list[dict] = []
    for c in sorted(chars, key=lambda c: (round(c["top"]), c["x0"])):
        mid = (c["top"] + c["bottom"]) / 2
        for line in reversed(lines[-3:]):
            if line["top"] <= mid <= line["bottom"]:
                line["chars"].append(c)
                break
        else:
            lines.append({"chars": [c], "top": c["top"], "bottom": c["bottom"]})
    out = []
    for line in lines:
        glyphs = sorted(line["chars"], key=lambda c: c["x0"])
        text, prev = "", None
        for c in glyphs:
            ch = c["text"]
            if prev is not None and ch.strip() and prev["text"].strip():
                gap = c["x0"] - prev["x1"]
                if gap > 0.2 * min(c["size"], prev["size"]) and not is_cjk(ch[0]) and not is_cjk(prev["text"][-1]):
                    text += " "
            text += ch
            prev = c
        text = fold(text)
        if text:
            sizes = [c["size"] for c in glyphs if c["text"].strip()]
            out.append({"text": text, "x0": glyphs[0]["x0"], "x1": glyphs[-1]["x1"], "top": min(c["top"] for c in glyphs),
                        "bottom": max(c["bottom"] for c in glyphs), "size": median(sizes) if sizes else 0.0})
    return out


