"""What the readers of report files share: the FileText result, the BadFile error, nianbao's text-format helpers
(CJK-aware folding, table rows) and the runner of the external tools (LibreOffice, Tesseract, poppler) with
their deadline. The readers: crawler.read.pdftext, crawler.read.office, crawler.read.ocr; the entry point: crawler.read.files."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from statistics import median

KIND_LABEL = {"pdf": "PDF", "doc": "Word (.doc)", "wps": "WPS", "docx": "Word (.docx)", "xls": "Excel (.xls)",
               "et": "ET", "xlsx": "Excel (.xlsx)", "rtf": "RTF", "image": "image"}

CJK = (r"\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u31c0-\u31ef\u3400-\u4dbf\u4e00-\u9fff"
        r"\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003134f")
_CJK_RE = re.compile(f"[{CJK}]")
_CJK_GAP_RE = re.compile(f"(?<=[{CJK}])[ \t]+(?=[{CJK}])")
_WS_RE = re.compile(r"[\s\u00a0\u2000-\u200b\u3000\ufeff]+")


@dataclass
class FileText:
    kind: str
    text: str                  # nianbao's text format (see module docstring)
    ocr: bool = False
    ocr_confidence: float | None = None   # 0..1, mean OCR score of its boxes or words, when ocr
    pages: int | None = None
    tool: str = ""             # what produced the text, e.g. "pdfplumber", "libreoffice+python-docx"


class BadFile(ValueError):
    """A file nianbao cannot read as a report; `.reason` is one short sentence."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# ----------------------------------------------------------------------------- text helpers

def is_cjk(ch: str) -> bool:
    return bool(_CJK_RE.match(ch))


def join_fragments(left: str, right: str) -> str:
    """Two pieces of one paragraph broken by layout: a space only between two non-CJK words."""
    if not left or not right:
        return left + right
    if is_cjk(left[-1]) or is_cjk(right[0]) or left[-1] in "-/‐":
        return left + right
    return f"{left} {right}"


def fold(text: str, cjk_gaps: bool = False) -> str:
    """Whitespace runs to one space; with `cjk_gaps`, spaces between two CJK characters removed
    (PDF and OCR put them there, authors do not)."""
    text = _WS_RE.sub(" ", text).strip()
    return _CJK_GAP_RE.sub("", text) if cjk_gaps else text


def table_row(cells: list[str]) -> str:
    """A table row line; empty cells keep their place, as in HTML tables."""
    return "\t".join(fold(c) for c in cells)


def finish_text(lines: list[str]) -> str:
    return "\n".join(line for line in lines if line.strip())


# ----------------------------------------------------------------------------- subprocesses

# Tesseract's OpenMP threads spin against each other on small machines: one thread is 1.5x faster
# on 2 cores (2.7 s against 4.0 s for an A4 page at 300 dpi).
_TOOL_ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}


# The Debian packages of the tools run_tool runs, for the failure a missing one records.
_PACKAGES = {"soffice": "libreoffice-writer-nogui or libreoffice-calc-nogui", "tesseract": "tesseract-ocr",
             "pdftoppm": "poppler-utils", "antiword": "antiword", "catdoc": "catdoc"}


def run_tool(cmd: list[str], deadline: float, what: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    """Run a tool in its own process group; past the deadline the whole group is killed."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise BadFile(f"timed out reading the file ({what})")
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, env=_TOOL_ENV)
    except FileNotFoundError:
        package = _PACKAGES.get(cmd[0])
        raise BadFile(f"cannot read the file: {cmd[0]} is not installed"
                      + (f" (Debian package {package}; `nianbao doctor` lists the tools)" if package else "")) from None
    try:
        out, err = proc.communicate(stdin, timeout=left)
    except subprocess.TimeoutExpired:
        # soffice forks soffice.bin: killing the group leaves no orphan holding the profile
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise BadFile(f"timed out reading the file ({what})") from None
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def soffice_convert(body: bytes, ext: str, target: str, deadline: float) -> bytes | None:
    """LibreOffice headless conversion to `target` ("docx", "xlsx"); None when it makes nothing.

    A private profile per call: concurrent soffice processes sharing one profile block each other.
    """
    with tempfile.TemporaryDirectory(prefix="nianbao-soffice-") as tmp:
        src = Path(tmp) / f"in.{ext}"
        src.write_bytes(body)
        cmd = ["soffice", f"-env:UserInstallation={(Path(tmp) / 'profile').as_uri()}", "--headless", "--norestore",
               "--nologo", "--nolockcheck", "--nodefault", "--convert-to", target, "--outdir", str(Path(tmp) / "out"),
               str(src)]
        run_tool(cmd, deadline, "LibreOffice")
        out = Path(tmp) / "out" / f"in.{target.split(':', 1)[0]}"
        return out.read_bytes() if out.exists() and out.stat().st_size else None


def paragraphs(items: list[tuple]) -> list[str]:
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
            out.extend(table_lines(value, last_table))
            last_table = value
            continue
        line = value
        if prev is not None and _continues(prev, line, left, right, usual_gap, body_size):
            para = join_fragments(para, line["text"])
        else:
            if para:
                out.append(para)
            para = line["text"]
        prev = line
        last_table = None
    if para:
        out.append(para)
    return out


def _continues(a: dict, b: dict, left: float, right: float, usual_gap: float, body_size: float) -> bool:
    """Whether layout line `b` goes on with the paragraph whose last line is `a` (see paragraphs)."""
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


def table_lines(table: dict, before: dict | None) -> list[str]:
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
            lines.append(table_row(cells))
    return lines
