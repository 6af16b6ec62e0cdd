"""Text out of report files (PDF, DOC/DOCX/WPS, XLS/XLSX/ET, RTF, images), in nianbao's text format.

The format is the one :mod:`crawler.extract` gives for HTML pages: one line per paragraph, a table
row as one line of cells joined by a tab, no blank lines, whitespace runs inside a line folded to
one space.  Every character of the source is kept; only layout whitespace goes.

Readers, by kind: pdfplumber (text layer and ruled tables; Tesseract for scanned pages),
python-docx (DOCX; DOC, WPS and RTF after LibreOffice converts them), openpyxl (XLSX), xlrd
(XLS, ET).  A file that cannot be read raises :class:`BadFile` with a one-sentence reason.
Each reader imports its library on first use: spiders import this module for file_kind alone.
"""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import tempfile
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from statistics import median
from urllib.parse import parse_qsl, unquote, urlsplit

__all__ = ["FILE_EXTENSIONS", "IMAGE_EXTENSIONS", "FileText", "BadFile", "file_kind", "read_file"]

FILE_EXTENSIONS = frozenset({"pdf", "doc", "docx", "wps", "xls", "xlsx", "et", "rtf"})
IMAGE_EXTENSIONS = frozenset({"png", "jpg", "jpeg", "gif", "bmp", "tif", "tiff"})

_CONTENT_TYPES = {
    "application/pdf": "pdf", "application/x-pdf": "pdf",
    "application/msword": "doc", "application/rtf": "rtf", "text/rtf": "rtf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.ms-excel": "xls", "application/vnd.ms-works": "wps", "application/kswps": "wps",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "text/html": "html", "application/xhtml+xml": "html",
}
_KIND_LABEL = {"pdf": "PDF", "doc": "Word (.doc)", "wps": "WPS", "docx": "Word (.docx)", "xls": "Excel (.xls)",
               "et": "ET", "xlsx": "Excel (.xlsx)", "rtf": "RTF", "image": "image"}

# A page with fewer characters than this in its text layer, and an image, is a scan.
SCANNED_PAGE_MAX_CHARS = 10
# Pages whose text is mostly "(cid:N)" glyphs have fonts without a Unicode map: OCR reads them better.
CID_SHARE_FOR_OCR = 0.3
OCR_DPI = 300
OCR_LANG = "chi_sim"
OCR_WORKERS = max(1, min(2, os.cpu_count() or 1))
# Page numbers sit in the outer 8% of the page; only lines there that are nothing but a number go.
MARGIN_SHARE = 0.08
_PAGE_NUMBER_RE = re.compile(r"[-—–－‒\s]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[/／共]\s*\d{1,4}\s*页?)?[-—–－‒\s]*")

_CJK = (r"\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u31c0-\u31ef\u3400-\u4dbf\u4e00-\u9fff"
        r"\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003134f")
_CJK_RE = re.compile(f"[{_CJK}]")
_CJK_GAP_RE = re.compile(f"(?<=[{_CJK}])[ \t]+(?=[{_CJK}])")
_WS_RE = re.compile(r"[\s\u00a0\u2000-\u200b\u3000\ufeff]+")


@dataclass
class FileText:
    kind: str
    text: str                  # nianbao's text format (see module docstring)
    ocr: bool = False
    ocr_confidence: float | None = None   # 0..1, mean Tesseract word confidence, when ocr
    pages: int | None = None
    tool: str = ""             # what produced the text, e.g. "pdfplumber", "libreoffice+python-docx"


class BadFile(ValueError):
    """A file nianbao cannot read as a report; `.reason` is one short sentence."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# ----------------------------------------------------------------------------- kind

def _claimed_kind(content_type: str | None, url: str) -> tuple[str | None, str]:
    """(kind, extension) that the name and the Content-Type claim; the name wins over the type.

    `url` is a URL or path, or a bare file name (from Content-Disposition).  Download scripts
    (``downfile.jsp?classid=0&filename=x.pdf``) name the file in the query string.
    """
    url = url or ""
    parts = urlsplit(url)
    if parts.scheme or url.startswith("/"):
        names = [unquote(parts.path)] + [unquote(v) for _, v in parse_qsl(parts.query)]
    else:
        names = [unquote(url)]
    for name in names:
        ext = name.rsplit(".", 1)[-1].lower().strip() if "." in name else ""
        if ext in FILE_EXTENSIONS:
            return ext, ext
        if ext in IMAGE_EXTENSIONS:
            return "image", ext
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media.startswith("image/"):
        return "image", media[6:]
    kind = _CONTENT_TYPES.get(media)
    return kind, (kind or "")


def _looks_like_html(body: bytes) -> bool:
    head = body[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if not head.startswith(b"<"):
        return False
    return any(tag in head for tag in (b"<html", b"<!doctype", b"<head", b"<body", b"<meta", b"<div", b"<title",
                                       b"<script", b"<p>", b"<table", b"<?xml", b"<error"))


def _sniff(body: bytes) -> str | None:
    """The kind the bytes themselves show, or None; "zip"/"ole" for containers that could not be opened."""
    if b"%PDF-" in body[:1024]:
        return "pdf"
    if body.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(body)) as z:
                names = set(z.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return "zip"
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        return "zip"
    if body.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _ole_kind(body)
    if body.startswith(b"{\\rtf"):
        return "rtf"
    if (body.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*"))
            or (body.startswith(b"BM") and body[6:10] == b"\x00\x00\x00\x00")
            or (body.startswith(b"RIFF") and body[8:12] == b"WEBP")):
        return "image"
    if _looks_like_html(body):
        return "html"
    return None


def _is_plain_text(body: bytes) -> bool:
    """Readable text (an error message served in place of the file), not binary."""
    head = body[:4096]
    if b"\x00" in head:
        return False
    for codec in ("utf-8", "gb18030"):
        try:
            text = head.decode(codec)
        except UnicodeDecodeError:
            # the 4096-byte cut may split a character
            text = head[:-4].decode(codec, "ignore") if codec == "gb18030" else None
        if text is not None:
            return sum(ch.isprintable() or ch in "\r\n\t" for ch in text) > 0.97 * max(len(text), 1)
    return False


def _ole_kind(body: bytes) -> str:
    """An OLE2 compound file's kind by its streams: WordDocument (doc), Workbook/Book (xls),
    EncryptedPackage (a password-protected DOCX/XLSX)."""
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(body)) as ole:
            streams = {"/".join(entry) for entry in ole.listdir()}
    except Exception:  # olefile raises plain OSError/TypeError/IndexError on damaged files
        return "ole"
    if "EncryptedPackage" in streams:
        return "encrypted-ooxml"
    if "WordDocument" in streams:
        return "doc"
    if "Workbook" in streams or "Book" in streams:
        return "xls"
    return "ole"


def file_kind(body: bytes, content_type: str | None, url: str) -> str | None:
    """The file's kind: "pdf", "docx", "doc", "wps", "xlsx", "xls", "et", "rtf", "image", "html" or None.

    The bytes decide; the name (URL or Content-Disposition filename passed as `url`) and the
    Content-Type only tell a .wps from a .doc and an .et from an .xls, or name a file whose bytes
    show nothing (then reading it fails with the reason).
    """
    claimed, _ = _claimed_kind(content_type, url)
    sniffed = _sniff(body)
    if sniffed == "doc":
        return "wps" if claimed == "wps" else "doc"
    if sniffed == "xls":
        return "et" if claimed == "et" else "xls"
    if sniffed in ("zip", "ole", "encrypted-ooxml"):
        return claimed if claimed in FILE_EXTENSIONS else None
    return sniffed or claimed


# ----------------------------------------------------------------------------- text helpers

def _is_cjk(ch: str) -> bool:
    return bool(_CJK_RE.match(ch))


def _join(left: str, right: str) -> str:
    """Two pieces of one paragraph broken by layout: a space only between two non-CJK words."""
    if not left or not right:
        return left + right
    if _is_cjk(left[-1]) or _is_cjk(right[0]) or left[-1] in "-/‐":
        return left + right
    return f"{left} {right}"


def _fold(text: str, cjk_gaps: bool = False) -> str:
    """Whitespace runs to one space; with `cjk_gaps`, spaces between two CJK characters removed
    (PDF and OCR put them there, authors do not)."""
    text = _WS_RE.sub(" ", text).strip()
    return _CJK_GAP_RE.sub("", text) if cjk_gaps else text


def _row(cells: list[str]) -> str:
    """A table row line; empty cells keep their place, as in HTML tables."""
    return "\t".join(_fold(c) for c in cells)


def _finish(lines: list[str]) -> str:
    return "\n".join(line for line in lines if line.strip())


# ----------------------------------------------------------------------------- subprocesses

# Tesseract's OpenMP threads spin against each other on small machines: one thread is 1.5x faster
# on 2 cores (2.7 s against 4.0 s for an A4 page at 300 dpi).
_TOOL_ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}


def _run(cmd: list[str], deadline: float, what: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    """Run a tool in its own process group; past the deadline the whole group is killed."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise BadFile(f"timed out reading the file ({what})")
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, env=_TOOL_ENV)
    except FileNotFoundError:
        raise BadFile(f"cannot read the file: {cmd[0]} is not installed") from None
    try:
        out, err = proc.communicate(stdin, timeout=left)
    except subprocess.TimeoutExpired:
        # soffice forks soffice.bin: killing the group leaves no orphan holding the profile
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise BadFile(f"timed out reading the file ({what})") from None
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def _soffice(body: bytes, ext: str, target: str, deadline: float) -> bytes | None:
    """LibreOffice headless conversion to `target` ("docx", "xlsx"); None when it makes nothing.

    A private profile per call: concurrent soffice processes sharing one profile block each other.
    """
    with tempfile.TemporaryDirectory(prefix="nianbao-soffice-") as tmp:
        src = Path(tmp) / f"in.{ext}"
        src.write_bytes(body)
        cmd = ["soffice", f"-env:UserInstallation={(Path(tmp) / 'profile').as_uri()}", "--headless", "--norestore",
               "--nologo", "--nolockcheck", "--nodefault", "--convert-to", target, "--outdir", str(Path(tmp) / "out"),
               str(src)]
        _run(cmd, deadline, "LibreOffice")
        out = Path(tmp) / "out" / f"in.{target.split(':', 1)[0]}"
        return out.read_bytes() if out.exists() and out.stat().st_size else None


# ----------------------------------------------------------------------------- Word

def _docx_lines(body: bytes) -> list[str]:
    """Paragraphs and tables of the main story in document order.

    Text is read from the XML itself, since python-docx's Paragraph.text skips runs inside smart
    tags, content controls and fields: every w:t counts except deleted text, field codes and the
    VML fallback copy of a text box (its DrawingML twin is read); a text box's own paragraphs follow
    the paragraph that anchors it.
    """
    import docx
    from docx.oxml.ns import qn

    skip = {qn("w:del"), qn("w:moveFrom"), qn("w:instrText"), qn("w:delText"),
            "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"}
    text_tag, box_tag = qn("w:t"), qn("w:txbxContent")
    breaks = {qn("w:br"), qn("w:cr")}
    blanks = {qn("w:tab"), qn("w:ptab")}     # a tab inside a paragraph is a space: tabs separate cells

    def inline(el, out: list[str], boxes: list) -> None:
        for child in el:
            tag = child.tag
            if tag in skip:
                continue
            if tag == text_tag:
                out.append(child.text or "")
            elif tag in breaks:
                out.append("\n")        # a manual line break starts a new line, as <br> does in HTML
            elif tag in blanks:
                out.append(" ")
            elif tag == qn("w:noBreakHyphen"):
                out.append("-")
            elif tag == box_tag:
                boxes.append(child)
            else:
                inline(child, out, boxes)

    def paragraph(p) -> list[str]:
        out: list[str] = []
        boxes: list = []
        inline(p, out, boxes)
        lines = [_fold(part) for part in "".join(out).split("\n")]
        for box in boxes:
            lines += blocks(box)
        return lines

    def table(tbl) -> list[str]:
        rows = []
        for tr in tbl.iterchildren(qn("w:tr")):
            cells = []
            for tc in tr.iterchildren(qn("w:tc")):
                merge = tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
                # a vertically merged cell shows once, in its first row (HTML rowspan)
                if merge is not None and merge.get(qn("w:val"), "continue") == "continue":
                    continue
                text = ""
                for line in blocks(tc):
                    text = _join(text, line.replace("\t", " "))   # a nested table's row inside one cell
                cells.append(text)
            if any(cells):
                rows.append(_row(cells))
        return rows

    def blocks(parent) -> list[str]:
        lines: list[str] = []
        for child in parent.iterchildren():
            if child.tag == qn("w:p"):
                lines += paragraph(child)
            elif child.tag == qn("w:tbl"):
                lines += table(child)
            elif child.tag in (qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")):
                lines += blocks(child)
        return lines

    return blocks(docx.Document(io.BytesIO(body)).element.body)


def _read_docx(body: bytes) -> FileText:
    try:
        lines = _docx_lines(body)
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise BadFile("truncated or corrupt Word (.docx) file") from exc
    return FileText("docx", _finish(lines), tool="python-docx")


def _read_doc(body: bytes, kind: str, deadline: float) -> FileText:
    """DOC, WPS and RTF: LibreOffice makes a DOCX; antiword or catdoc read a .doc it cannot open."""
    ext = "rtf" if kind == "rtf" else "doc"    # WPS files are Word 97 binaries
    converted = _soffice(body, ext, "docx:MS Word 2007 XML", deadline)
    if converted:
        return FileText(kind, _finish(_docx_lines(converted)), tool="libreoffice+python-docx")
    if ext == "doc":
        with tempfile.NamedTemporaryFile(suffix=".doc") as tmp:
            tmp.write(body)
            tmp.flush()
            for tool, cmd in (("antiword", ["antiword", "-m", "UTF-8.txt", "-w", "0", tmp.name]),
                              ("catdoc", ["catdoc", "-d", "utf-8", "-w", tmp.name])):
                proc = _run(cmd, deadline, tool)
                text = _finish(_fold(line) for line in proc.stdout.decode("utf-8", "replace").splitlines())
                if proc.returncode == 0 and text:
                    return FileText(kind, text, tool=tool)
    raise BadFile(f"corrupt {_KIND_LABEL[kind]} file: no tool could open it")


# ----------------------------------------------------------------------------- spreadsheets

def _cell_str(value) -> str:
    """A cell as the sheet shows it: integers without ".0", dates as YYYY-MM-DD."""
    import datetime as dt

    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d") if value.time() == dt.time() else value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    return str(value)


def _sheet_lines(grid: list[list[str]], covered: set[tuple[int, int]]) -> list[str]:
    """Rows of a sheet's used range; cells covered by a merge (not its first cell) are left out."""
    used = [c for row in grid for c, v in enumerate(row) if v.strip()]
    if not used:
        return []
    first, last = min(used), max(used)
    lines = []
    for r, row in enumerate(grid):
        cells = [row[c] if c < len(row) else "" for c in range(first, last + 1) if (r, c) not in covered]
        if any(c.strip() for c in cells):
            lines.append(_row(cells))
    return lines


class _Discard:
    """A log file that keeps nothing: xlrd prints its warnings to stdout unless given one."""

    def write(self, text: str) -> int:
        return len(text)


_DEVNULL = _Discard()
# Above this size an .xlsx is streamed (read_only); merged ranges are then unknown and kept as empty cells.
XLSX_FULL_LOAD_MAX = 5_000_000


def _read_xlsx(body: bytes, kind: str = "xlsx", tool: str = "openpyxl") -> FileText:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(body), read_only=len(body) > XLSX_FULL_LOAD_MAX, data_only=True)
    except Exception as exc:  # openpyxl raises KeyError, ValueError, BadZipFile, lxml errors
        raise BadFile(f"truncated or corrupt {_KIND_LABEL[kind]} file") from exc
    lines = []
    for sheet in book.worksheets:
        covered = set()
        # a streamed (read_only) sheet knows no merged ranges
        for merged in sheet.merged_cells.ranges if hasattr(sheet, "merged_cells") else ():
            covered.update((r - 1, c - 1) for r in range(merged.min_row, merged.max_row + 1)
                           for c in range(merged.min_col, merged.max_col + 1)
                           if (r, c) != (merged.min_row, merged.min_col))
        grid = [[_cell_str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        lines += _sheet_lines(grid, covered)
    book.close()
    return FileText(kind, _finish(lines), pages=len(book.worksheets), tool=tool)


def _read_xls(body: bytes, kind: str, deadline: float) -> FileText:
    """XLS (and ET, Kingsoft's xls-compatible sheets) with xlrd; LibreOffice for what xlrd refuses."""
    import xlrd

    try:
        try:
            book = xlrd.open_workbook(file_contents=body, formatting_info=True, logfile=_DEVNULL)
        except (NotImplementedError, xlrd.XLRDError):
            # formatting records xlrd does not know: read the cells without merge information
            book = xlrd.open_workbook(file_contents=body, logfile=_DEVNULL)
    except Exception:   # xlrd's errors on BIFF it does not know (BIFF5, Kingsoft's ET) are of many types
        converted = _soffice(body, "xls", "xlsx:Calc MS Excel 2007 XML", deadline)
        if converted:
            return _read_xlsx(converted, kind, "libreoffice+openpyxl")
        raise BadFile(f"truncated or corrupt {_KIND_LABEL[kind]} file") from None
    lines = []
    for sheet in book.sheets():
        covered = set()
        for r0, r1, c0, c1 in sheet.merged_cells:
            covered.update((r, c) for r in range(r0, r1) for c in range(c0, c1) if (r, c) != (r0, c0))
        grid = []
        for r in range(sheet.nrows):
            row = []
            for c in range(sheet.ncols):
                cell = sheet.cell(r, c)
                if cell.ctype == xlrd.XL_CELL_DATE:
                    try:
                        row.append(_cell_str(xlrd.xldate_as_datetime(cell.value, book.datemode)))
                        continue
                    except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                        pass
                if cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    row.append(_cell_str(bool(cell.value)))
                elif cell.ctype == xlrd.XL_CELL_ERROR:
                    row.append(xlrd.error_text_from_code.get(cell.value, "#ERR"))
                else:
                    row.append(_cell_str(cell.value))
            grid.append(row)
        lines += _sheet_lines(grid, covered)
    return FileText(kind, _finish(lines), pages=book.nsheets, tool="xlrd")


# ----------------------------------------------------------------------------- OCR

def _ocr_lines(image: bytes, deadline: float, scale: float) -> tuple[list[dict], list[float]]:
    """Tesseract's lines of an image (PNG or PNM bytes): geometry scaled to PDF points, text, and
    the word confidences."""
    proc = _run(["tesseract", "stdin", "stdout", "-l", OCR_LANG, "--psm", "3", "--dpi", str(OCR_DPI), "tsv"],
                deadline, "tesseract", stdin=image)
    if proc.returncode != 0:
        raise BadFile("image the OCR engine cannot read")
    lines: dict[tuple, dict] = {}
    confs = []
    for row in proc.stdout.decode("utf-8", "replace").splitlines()[1:]:
        f = row.split("\t")
        if len(f) < 12 or f[0] != "5" or not f[11].strip():
            continue
        conf = float(f[10])
        if conf >= 0:
            confs.append(conf / 100)
        left, top, width, height = (int(v) * scale for v in f[6:10])
        line = lines.setdefault(tuple(f[1:5]), {"words": [], "x0": left, "x1": left + width, "top": top,
                                                "bottom": top + height})
        line["words"].append(_OCR_PUNCT_RE.sub(lambda m: _FULL_WIDTH[m.group(0)], f[11].strip()))
        line["x0"], line["x1"] = min(line["x0"], left), max(line["x1"], left + width)
        line["top"], line["bottom"] = min(line["top"], top), max(line["bottom"], top + height)
    out = []
    for line in sorted(lines.values(), key=lambda l: (l["top"], l["x0"])):
        text = ""
        for word in line["words"]:
            text = _join(text, word)
        line["text"] = _fold(_OCR_PUNCT_RE.sub(lambda m: _FULL_WIDTH[m.group(0)], text), cjk_gaps=True)
        line["size"] = _em(line)
        out.append(line)
    if out:
        # measured sizes scatter (a short line of punctuation looks small): a line is in the body
        # size unless it is clearly larger, as a title is
        body = median(line["size"] for line in out)
        for line in out:
            line["size"] = line["size"] if line["size"] > 1.3 * body else body
    return out, confs


# chi_sim reads the full-width punctuation of Chinese text as ASCII; next to a CJK character it is
# the full-width form the source has ("(一)" is "（一）", "邮编:" is "邮编：").
_FULL_WIDTH = dict(zip("(),;:?!", "（），；：？！"))
_OCR_PUNCT_RE = re.compile(f"(?<=[{_CJK}])[(),;:?!]|[(),;:?!](?=[{_CJK}])")


def _em(line: dict) -> float:
    """The font size of an OCR line, from its width: a CJK character is one em wide, others about
    half.  Box heights are no measure: Tesseract's boxes hug the glyphs, and 一 is flat."""
    text = line["text"].replace(" ", "")
    cjk = sum(1 for ch in text if _is_cjk(ch))
    if cjk < 2:
        return (line["bottom"] - line["top"]) * 0.85
    return (line["x1"] - line["x0"]) / (cjk + 0.55 * (len(text) - cjk))


# A multi-page TIFF is a scanned document; more frames than this is not a report.
IMAGE_MAX_FRAMES = 60


def _images_for_ocr(body: bytes) -> list[bytes]:
    """Each frame of an image (a TIFF may hold a whole scan) as greyscale PGM bytes: palettes,
    alpha and CMYK JPEGs confuse Tesseract, and raw PGM costs no compression time."""
    from PIL import Image, ImageSequence, UnidentifiedImageError

    frames = []
    try:
        with Image.open(io.BytesIO(body)) as image:
            for frame in ImageSequence.Iterator(image):
                out = io.BytesIO()
                frame.convert("L").save(out, format="PPM")
                frames.append(out.getvalue())
                if len(frames) >= IMAGE_MAX_FRAMES:
                    break
    except (UnidentifiedImageError, OSError, ValueError, EOFError, Image.DecompressionBombError) as exc:
        raise BadFile("truncated or corrupt image") from exc
    return frames


def _ocr_pages(images: list, deadline: float) -> list[tuple[list[dict], list[float]]]:
    """_ocr_lines of each page image (bytes, or a callable making them), one Tesseract per core
    (each runs single-threaded, see _TOOL_ENV)."""
    def one(image) -> tuple[list[dict], list[float]]:
        return _ocr_lines(image() if callable(image) else image, deadline, 72 / OCR_DPI)

    with ThreadPoolExecutor(max_workers=max(1, min(OCR_WORKERS, len(images)))) as pool:
        return list(pool.map(one, images))


def _read_image(body: bytes, ocr: bool, deadline: float) -> FileText:
    frames = _images_for_ocr(body)
    if not ocr:
        raise BadFile("scanned file: OCR disabled")
    items, confs = [], []
    for number, (lines, page_confs) in enumerate(_ocr_pages(frames, deadline), start=1):
        items += [("line", dict(line, page=number)) for line in lines]
        confs += page_confs
    return FileText("image", _finish(_paragraphs(items)), ocr=True, ocr_confidence=_mean(confs), pages=len(frames),
                    tool="tesseract")


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 3) if values else None


# ----------------------------------------------------------------------------- PDF

def _read_pdf(body: bytes, ocr: bool, deadline: float) -> FileText:
    """Stages: integrity (%%EOF, user password), each page's text lines and ruled tables by
    pdfplumber, pages without a text layer through Tesseract, then paragraphs rebuilt from the line
    geometry across pages (see _paragraphs)."""
    if b"%%EOF" not in body[-2048:]:
        raise BadFile("truncated or corrupt PDF")
    _check_pdf_password(body)
    items, scanned, count = _pdf_layout(body, deadline)
    confs: list[float] = []
    if scanned:
        if not ocr:
            raise BadFile("scanned file: OCR disabled")

        pages = _ocr_pages([partial(_render_page, body, number, deadline) for number in scanned], deadline)
        done = dict(zip(scanned, pages))
        confs = [c for number in scanned for c in done[number][1]]
        items = [item for kind, value in items
                 for item in ([("line", dict(line, page=value)) for line in done[value][0]] if kind == "ocr"
                              else [(kind, value)])]
    tool = ("pdfplumber+tesseract" if len(scanned) < count else "tesseract") if scanned else "pdfplumber"
    return FileText("pdf", _finish(_paragraphs(items)), ocr=bool(scanned),
                    ocr_confidence=_mean(confs) if scanned else None, pages=count, tool=tool)


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
        proc = _run(["pdftoppm", "-r", str(OCR_DPI), "-gray", "-singlefile", "-f", str(number), "-l", str(number),
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
                    text = _join(text, line["text"])
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
                if gap > 0.2 * min(c["size"], prev["size"]) and not _is_cjk(ch[0]) and not _is_cjk(prev["text"][-1]):
                    text += " "
            text += ch
            prev = c
        text = _fold(text)
        if text:
            sizes = [c["size"] for c in glyphs if c["text"].strip()]
            out.append({"text": text, "x0": glyphs[0]["x0"], "x1": glyphs[-1]["x1"], "top": min(c["top"] for c in glyphs),
                        "bottom": max(c["bottom"] for c in glyphs), "size": median(sizes) if sizes else 0.0})
    return out


def _paragraphs(items: list[tuple]) -> list[str]:
    """Paragraph lines from layout lines and table rows, in order.

    A line continues the paragraph above unless: a table comes between, the font size changes, the
    gap above is wider than the usual line gap, the line above ends short of the right margin, or
    this line is indented.  Centred lines of one size (a title wrapped over two lines) continue too.
    """
    lines = [value for kind, value in items if kind == "line"]
    if lines:
        left = _percentile([l["x0"] for l in lines], 0.1)
        right = _percentile([l["x1"] for l in lines], 0.9)
        gaps = [b["top"] - a["bottom"] for a, b in zip(lines, lines[1:])
                if a.get("page") == b.get("page") and 0 <= b["top"] - a["bottom"] < 3 * a["size"]]
        usual_gap = median(gaps) if gaps else 0.0
        body_size = median(l["size"] for l in lines)
    out: list[str] = []
    para, prev = "", None
    last_table = None
    for kind, value in items:
        if kind == "table":
            if para:
                out.append(para)
            para, prev = "", None
            out.extend(_table_lines(value, last_table))
            last_table = value
            continue
        line = value
        if prev is not None and _continues(prev, line, left, right, usual_gap, body_size):
            para = _join(para, line["text"])
        else:
            if para:
                out.append(para)
            para = line["text"]
        prev = line
        last_table = None
    if para:
        out.append(para)
    return out


def _table_lines(table: dict, before: dict | None) -> list[str]:
    """Row lines of a ruled table.  A table carried over from the page before opens with the empty
    remainders of cells merged across the page break: those are not cells of their own."""
    rows = table["rows"]
    continued = (before is not None and before["page"] != table["page"]
                 and abs(before["bbox"][0] - table["bbox"][0]) < 3 and abs(before["bbox"][2] - table["bbox"][2]) < 3)
    lines = []
    for k, row in enumerate(rows):
        cells = [text for top, text in row]
        if continued and k == 0:
            cells = [text for top, text in row if text or abs(top - table["bbox"][1]) > 1]
        if any(c.strip() for c in cells):
            lines.append(_row(cells))
    return lines


def _continues(a: dict, b: dict, left: float, right: float, usual_gap: float, body_size: float) -> bool:
    """Whether layout line `b` goes on with the paragraph whose last line is `a` (see _paragraphs)."""
    size = max(a["size"], b["size"], 1.0)
    if a.get("page") == b.get("page"):
        gap = b["top"] - a["bottom"]
        if gap < -0.5 * size or gap > usual_gap + 0.6 * size:
            return False
    centred_a = abs((a["x0"] - left) - (right - a["x1"])) < 1.5 * size
    centred_b = abs((b["x0"] - left) - (right - b["x1"])) < 1.5 * size
    if centred_a and centred_b and min(a["size"], b["size"]) > 1.1 * body_size:
        # a title in a large font wrapped over two centred lines (OCR line heights vary a lot)
        return True
    if abs(a["size"] - b["size"]) > 0.15 * size:
        return False
    if a["x1"] < right - 1.5 * size:
        return False
    return b["x0"] <= left + 0.8 * size


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


# ----------------------------------------------------------------------------- entry point

def read_file(body: bytes, content_type: str | None, url: str, *, ocr: bool = True, timeout: float = 120) -> FileText:
    """The text of a report file; raises BadFile (with `.reason`) for anything it cannot read.

    `url` may be the file name from Content-Disposition; it and `content_type` only matter where
    the bytes do not tell (see file_kind).  `timeout` bounds the whole read, subprocesses included.
    """
    deadline = time.monotonic() + timeout
    if not body or not body.strip():
        raise BadFile("empty file")
    claimed, ext = _claimed_kind(content_type, url)
    named = f"the .{ext}" if ext and claimed != "html" else "the file"
    sniffed = _sniff(body)
    kind = file_kind(body, content_type, url)
    if sniffed == "html":
        raise BadFile(f"mislabelled file: {named} is an HTML page")
    if sniffed == "encrypted-ooxml":
        raise BadFile("password-protected Office file")
    if sniffed is None or kind is None:
        if _is_plain_text(body):
            raise BadFile(f"mislabelled file: {named} is plain text")
        raise BadFile(f"unknown binary: {named} matches no known file format")
    if sniffed in ("zip", "ole"):
        # a container that does not open, or holds no document or workbook stream
        if kind not in {"zip": ("docx", "xlsx"), "ole": ("doc", "wps", "xls", "et")}[sniffed]:
            raise BadFile(f"unknown binary: {named} is a {'ZIP' if sniffed == 'zip' else 'OLE2'} file of no known kind")
        # never handed to LibreOffice, which would "repair" a broken file into part of its text
        raise BadFile(f"truncated or corrupt {_KIND_LABEL[kind]} file")
    try:
        if kind == "pdf":
            result = _read_pdf(body, ocr, deadline)
        elif kind == "docx":
            result = _read_docx(body)
        elif kind in ("doc", "wps", "rtf"):
            result = _read_doc(body, kind, deadline)
        elif kind == "xlsx":
            result = _read_xlsx(body)
        elif kind in ("xls", "et"):
            result = _read_xls(body, kind, deadline)
        elif kind == "image":
            result = _read_image(body, ocr, deadline)
        else:
            raise BadFile(f"unsupported file kind {kind}")
    except BadFile:
        raise
    except Exception as exc:  # a library's own error on a damaged file: one reason, never a crash
        raise BadFile(f"unreadable {_KIND_LABEL.get(kind, kind)} file ({type(exc).__name__})") from exc
    if not result.text.strip():
        raise BadFile("no text in file")
    return result
