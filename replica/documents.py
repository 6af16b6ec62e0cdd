"""Report files for the replica, made by the real tools: python-docx, LibreOffice, openpyxl, PIL.

Every file is cached under ``REPO/.cache/replica-files/<hash of this module>/`` by a hash of the
report, because LibreOffice takes seconds per conversion and a replica start should not.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from PIL import Image, ImageDraw, ImageFont

from .reports import Block, Report, plain
from .tables import TABLE_ROWS, Cell

REPO = Path(__file__).resolve().parents[1]
CACHE = REPO / ".cache" / "replica-files"
SOFFICE_TIMEOUT = 180.0
# A change to this module changes every file it makes: its source is part of each cache key.
_SOURCE_HASH = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]

SERIF, SANS = "Noto Serif CJK SC", "Noto Sans CJK SC"
# Widths (cm) of each table's label columns; the value columns share what is left of the text width.
_LABEL_WIDTHS = {"table2": (4.2,), "table3": (1.3, 2.4, 4.4), "table4": ()}
_TEXT_WIDTH_CM = 15.6

__all__ = ["make_docx", "make_pdf", "make_encrypted_pdf", "make_doc", "make_wps", "make_xlsx", "make_xls",
           "make_scanned_pdf", "make_image", "image_part", "without_tables", "spreadsheet_lines", "CACHE"]


# -- cache ---------------------------------------------------------------------------------------

def _report_key(report: Report) -> str:
    figures = report.figures
    fig = (figures.fmt, sorted(figures.table2.items()), sorted(figures.table3.items()), figures.table4) if figures else None
    return repr((report.title, report.title_lines, [(b.kind, b.text) for b in report.blocks], fig))


def _cached(kind: str, report: Report, make: Callable[[], bytes]) -> bytes:
    """The file of `kind` for `report`, from the cache or made once and stored (temp file + link:
    several replica processes may make the same file at once, readers never see half of it, and all of
    them end up with the bytes stored first).

    Files live in a folder per version of this module; folders of other versions a day old go.
    """
    folder = CACHE / _SOURCE_HASH
    digest = hashlib.sha256(f"{kind}|{_report_key(report)}".encode()).hexdigest()[:32]
    path = folder / f"{digest}.{kind}"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    data = make()
    if not folder.exists():
        folder.mkdir(parents=True, exist_ok=True)
        _prune_versions(folder)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{digest}.", suffix=".tmp")
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.chmod(tmp, 0o644)
    # the first writer wins (a hard link never replaces): LibreOffice's files differ from run to run, so
    # a process that made the file at the same time as another must take the stored one, not overwrite
    # it under a reader that already holds the first
    try:
        os.link(tmp, path)
    except FileExistsError:
        data = path.read_bytes()
    finally:
        os.unlink(tmp)
    return data


def _prune_versions(keep: Path) -> None:
    """Remove the cache folders of other versions of this module not touched for a day (a replica
    still running old code meanwhile just makes its files again)."""
    for other in CACHE.iterdir():
        try:
            if other != keep and other.is_dir() and time.time() - other.stat().st_mtime > 86400:
                shutil.rmtree(other, ignore_errors=True)
        except OSError:
            pass


def _soffice(data: bytes, name: str, target: str) -> bytes:
    """Convert with LibreOffice headless; `target` as --convert-to takes it ("pdf", "doc:MS Word 97").

    Each call gets its own profile directory: two soffice processes sharing one profile block or fail.
    """
    ext = target.split(":", 1)[0]
    with tempfile.TemporaryDirectory(prefix="replica-soffice-") as tmp:
        src = Path(tmp) / name
        src.write_bytes(data)
        out = Path(tmp) / "out"
        cmd = ["soffice", f"-env:UserInstallation={(Path(tmp) / 'profile').as_uri()}", "--headless", "--norestore",
               "--nologo", "--nolockcheck", "--nodefault", "--convert-to", target, "--outdir", str(out), str(src)]
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True)
        try:
            _, err = proc.communicate(timeout=SOFFICE_TIMEOUT)
        except subprocess.TimeoutExpired:
            # soffice runs soffice.bin as a child: end the whole group, not just the launcher
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise
        result = out / f"{src.stem}.{ext}"
        if not result.exists():
            raise RuntimeError(f"soffice made no {ext} from {name}: {err.decode(errors='replace')[-500:]}")
        return result.read_bytes()


# -- report structure shared by every format -----------------------------------------------------

def _body_blocks(report: Report) -> list[Block]:
    """Blocks after the title: a body that opens with the title (maybe over two lines) does not
    repeat it, as faithful_text does not."""
    squash = "".join(report.title.split())
    for n in (1, 2):
        head = report.blocks[:n]
        if all(b.kind != "table" for b in head) and "".join("".join(plain(b.text) for b in head).split()) == squash:
            return list(report.blocks[n:])
    return list(report.blocks)


def grid(rows: list[list[Cell]]) -> tuple[list[tuple[int, int, Cell]], int, int]:
    """Cells placed on the table grid as a browser lays out rowspan/colspan: (row, column, cell)."""
    taken: set[tuple[int, int]] = set()
    placed = []
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            placed.append((r, c, cell))
            taken.update((r + dr, c + dc) for dr in range(cell.rowspan) for dc in range(cell.colspan))
            c += cell.colspan
    return placed, max(r for r, _ in taken) + 1, max(c for _, c in taken) + 1


def _cell_text(cell: Cell) -> str:
    return plain(cell.text).replace("<br>", "\n")


def without_tables(report: Report, note: str) -> Report:
    """The report with each official table replaced by a `note` paragraph, its tables being published
    in a separate 统计表 file; "{n}" in the note is the table's number (1, 2, 3)."""
    blocks, n = [], 0
    for block in report.blocks:
        if block.kind == "table":
            n += 1
            block = Block("p", note.replace("{n}", str(n)))
        blocks.append(block)
    return replace(report, blocks=blocks, figures=None)


# -- DOCX ----------------------------------------------------------------------------------------

def _set_fonts(run, east_asia: str, size: float, bold: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = "Times New Roman"
    rpr = run._element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), east_asia)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:eastAsia"), "zh-CN")
    rpr.append(lang)


def _runs(paragraph, markup: str, east_asia: str, size: float, bold: bool = False) -> None:
    """Text as Word saves edited text: characters typed later ({x} marks) in runs of their own."""
    for piece in re.split(r"\{([^{}]+)\}", markup):
        if piece:
            _set_fonts(paragraph.add_run(piece), east_asia, size, bold)


def _page_number_footer(section) -> None:
    """'- N -' centred in the footer, as Chinese official documents number pages."""
    para = section.footer.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_fonts(para.add_run("- "), SERIF, 10.5)
    run = para.add_run()
    _set_fonts(run, SERIF, 10.5)
    for tag, text in (("w:fldChar", "begin"), ("w:instrText", "PAGE"), ("w:fldChar", "end")):
        el = OxmlElement(tag)
        if tag == "w:fldChar":
            el.set(qn("w:fldCharType"), text)
        else:
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._element.append(el)
    _set_fonts(para.add_run(" -"), SERIF, 10.5)


def _add_table(doc, name: str, report: Report) -> None:
    placed, nrows, ncols = grid(TABLE_ROWS[name](report.figures))
    table = doc.add_table(rows=nrows, cols=ncols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    labels = _LABEL_WIDTHS[name][:ncols]
    rest = (_TEXT_WIDTH_CM - sum(labels)) / (ncols - len(labels))
    widths = list(labels) + [rest] * (ncols - len(labels))
    table.autofit = False
    # LibreOffice lays columns out by the grid, Word by the cells: set both
    for col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths):
        col.set(qn("w:w"), str(round(width / 2.54 * 1440)))
    for row in table.rows:
        # a row split over two pages would leave a half-empty merged cell on each
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for k, cell in enumerate(row.cells):
            cell.width = Cm(widths[k])
    size = 7.5 if ncols > 10 else 9
    for r, c, spec in placed:
        cell = table.cell(r, c)
        if spec.rowspan > 1 or spec.colspan > 1:
            cell = cell.merge(table.cell(r + spec.rowspan - 1, c + spec.colspan - 1))
        cell.text = ""
        para = cell.paragraphs[0]
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        para.paragraph_format.keep_with_next = True
        for k, line in enumerate(_cell_text(spec).split("\n")):
            if k:
                para.runs[-1].add_break()
            _runs(para, line, SANS if spec.header else SERIF, size, spec.header)


def make_docx(report: Report) -> bytes:
    """The report as its agency's Word file: title, headings, paragraphs, the official tables as Word
    tables (merged cells where the HTML has rowspan/colspan), page numbers in the footer."""
    return _cached("docx", report, lambda: _docx_bytes(report))


def _docx_bytes(report: Report) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.7)
    section.top_margin, section.bottom_margin = Cm(3.0), Cm(2.6)
    _page_number_footer(section)
    core = doc.core_properties
    core.title, core.author = report.title, report.source
    # a fixed date: one report always makes the same bytes
    core.created = core.modified = dt.datetime(report.published.year, report.published.month, report.published.day, 9, 0)

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(18)
    # one title paragraph, wrapped by Word: the page heading's <br> (title_lines) is HTML layout
    _runs(title, report.title, SANS, 18, bold=True)

    for block in _body_blocks(report):
        if block.kind == "table":
            _add_table(doc, block.text, report)
            continue
        para = doc.add_paragraph()
        fmt = para.paragraph_format
        fmt.line_spacing, fmt.space_after = 1.5, Pt(0)
        if block.kind == "sig":
            para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _runs(para, block.text, SERIF, 12)
        else:
            para.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            fmt.first_line_indent = Pt(24)
            heading = block.kind == "h"
            _runs(para, block.text, SANS if heading else SERIF, 12, bold=heading)
    out = io.BytesIO()
    doc.save(out)
    return _stable_zip(out.getvalue())


def _stable_zip(data: bytes) -> bytes:
    """The same archive with fixed member times, so one report always makes the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info))
    return out.getvalue()


def make_pdf(report: Report) -> bytes:
    """The Word file printed to PDF by LibreOffice: a real text layer in an embedded CJK font."""
    return _cached("pdf", report, lambda: _soffice(make_docx(report), "report.docx", "pdf:writer_pdf_Export"))


def make_encrypted_pdf(report: Report, user_password: str = "", owner_password: str = "gk2024") -> bytes:
    """make_pdf's file encrypted by pypdf (AES-128).  With an empty `user_password` anyone may open
    it (the owner password only forbids editing); with one, nobody without it can."""
    from pypdf import PdfReader, PdfWriter

    def make() -> bytes:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(report))))
        writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="AES-128")
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    secret = hashlib.sha256(f"{user_password}\0{owner_password}".encode()).hexdigest()[:8]
    return _cached(f"{secret}.enc.pdf", report, make)


def make_doc(report: Report) -> bytes:
    """The Word file saved by LibreOffice as Word 97-2003 (.doc, an OLE2 compound file)."""
    return _cached("doc", report, lambda: _soffice(make_docx(report), "report.docx", "doc:MS Word 97"))


def make_wps(report: Report) -> bytes:
    """A Kingsoft WPS Writer .wps file: since WPS 2005 these are Word-97 binary files (an OLE2
    compound file with a WordDocument stream) under another extension, so the .doc bytes."""
    return make_doc(report)


# -- spreadsheets --------------------------------------------------------------------------------

def _cell_value(text: str):
    """Numbers as numbers (as a 统计表 stores them), when the number prints back as the same text."""
    if re.fullmatch(r"-?\d{1,15}", text):
        return int(text)
    if re.fullmatch(r"-?\d+\.\d+", text) and repr(float(text)) == text and not float(text).is_integer():
        return float(text)
    return text


def _table_sections(report: Report) -> list[tuple[str, str]]:
    """(heading above the table, table name) for each official table of the report."""
    out, heading = [], ""
    for block in report.blocks:
        if block.kind == "h":
            heading = plain(block.text)
        elif block.kind == "table":
            out.append((heading, block.text))
    return out


def spreadsheet_lines(report: Report) -> list[str]:
    """The text of make_xlsx's workbook: per sheet its heading row, then the table rows tab-joined."""
    lines = []
    for heading, name in _table_sections(report):
        lines.append(heading)
        for row in TABLE_ROWS[name](report.figures):
            lines.append("\t".join(plain(c.text).replace("<br>", "") for c in row))
    return lines


def make_xlsx(report: Report) -> bytes:
    """The report's statistics tables (a 统计表 attachment), one sheet each: a heading row, then the
    official layout with merged cells."""
    return _cached("xlsx", report, lambda: _xlsx_bytes(report))


def _xlsx_bytes(report: Report) -> bytes:
    book = Workbook()
    book.remove(book.active)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for k, (heading, name) in enumerate(_table_sections(report)):
        sheet = book.create_sheet(f"表{k + 1}")
        placed, _, ncols = grid(TABLE_ROWS[name](report.figures))
        sheet.cell(1, 1, heading).font = Font(bold=True, size=12)
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
        for r, c, spec in placed:
            cell = sheet.cell(r + 2, c + 1, _cell_value(_cell_text(spec).replace("\n", "")))
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = border
            if spec.header:
                cell.font = Font(bold=True)
            if spec.rowspan > 1 or spec.colspan > 1:
                sheet.merge_cells(start_row=r + 2, start_column=c + 1, end_row=r + 1 + spec.rowspan,
                                  end_column=c + spec.colspan)
    book.properties.creator = report.source
    out = io.BytesIO()
    book.save(out)
    return _stable_zip(out.getvalue())


def make_xls(report: Report) -> bytes:
    """The statistics workbook saved by LibreOffice as Excel 97-2003 (.xls)."""
    return _cached("xls", report, lambda: _soffice(make_xlsx(report), "tables.xlsx", "xls:MS Excel 97"))


# -- scans and images ----------------------------------------------------------------------------

_DPI = 200
_A4 = (round(21.0 / 2.54 * _DPI), round(29.7 / 2.54 * _DPI))


@functools.lru_cache(maxsize=None)
def _font_path(family: str) -> str:
    """The font file fontconfig picks for `family` (Noto CJK on Debian: fonts-noto-cjk)."""
    found = shutil.which("fc-match") and subprocess.run(["fc-match", "-f", "%{file}", family], capture_output=True,
                                                         text=True, timeout=30).stdout.strip()
    if not found:
        raise RuntimeError(f"no font for {family}: install fonts-noto-cjk")
    return found


def _font(family: str, px: int) -> ImageFont.FreeTypeFont:
    path = _font_path(family)
    # the .ttc holds JP, KR, SC, TC, HK faces; SC is the one with simplified glyph shapes
    for index in range(10):
        try:
            font = ImageFont.truetype(path, px, index=index)
        except OSError:
            break
        if font.getname()[0].endswith(" SC"):
            return font
    return ImageFont.truetype(path, px)


# Characters a line may not start with (Chinese line breaking: they hang on the line before).
_NO_LINE_START = set("，。、；：？！）》」』”’%）．,.;:?!")


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: float, indent: float = 0.0) -> list[str]:
    """Lines of at most `width` pixels, broken between any two characters as CJK text breaks,
    closing punctuation kept on the line it closes."""
    lines, line, room = [], "", width - indent
    for ch in text:
        if line and font.getlength(line + ch) > room and ch not in _NO_LINE_START:
            lines.append(line)
            line, room = "", width
        line += ch
    return lines + [line] if line else lines


class _Painter:
    """Lays a report out on page images as a printer would: centred title, justified paragraphs with
    a two-character indent, right-aligned signature, ruled tables."""

    def __init__(self, size: tuple[int, int], margin: int, body_px: int):
        self.size, self.margin = size, margin
        self.body = _font(SERIF, body_px)
        self.bold = _font(SANS + ":style=Bold", body_px)
        self.title = _font(SERIF + ":style=Bold", round(body_px * 1.5))
        self.small = _font(SERIF, round(body_px * 0.75))
        self.line_h = round(body_px * 1.7)
        self.pages: list[Image.Image] = []
        self.blocks_on_first = 0
        self._new_page()

    def _new_page(self) -> None:
        self.page = Image.new("L", self.size, 255)
        self.draw = ImageDraw.Draw(self.page)
        self.pages.append(self.page)
        self.y = self.margin

    def _room(self, height: int) -> None:
        if self.y + height > self.size[1] - self.margin:
            self._new_page()

    def _justified(self, x: float, line: str, font, width: float) -> None:
        """One full line spread to `width`, the extra space shared between its characters."""
        extra = (width - font.getlength(line)) / max(len(line) - 1, 1)
        for ch in line:
            self.draw.text((x, self.y), ch, font=font, fill=20)
            x += font.getlength(ch) + extra

    def text_block(self, text: str, font, align: str = "justify", indent_chars: int = 2) -> None:
        width = self.size[0] - 2 * self.margin
        indent = font.size * indent_chars if align == "justify" else 0
        lines = _wrap(text, font, width, indent)
        height = round(self.line_h * font.size / self.body.size)
        for k, line in enumerate(lines):
            self._room(height)
            length = font.getlength(line)
            if align == "center":
                self.draw.text((self.margin + (width - length) / 2, self.y), line, font=font, fill=20)
            elif align == "right":
                self.draw.text((self.margin + width - length - font.size * 2, self.y), line, font=font, fill=20)
            elif k < len(lines) - 1:
                x = self.margin + (indent if k == 0 else 0)
                self._justified(x, line, font, self.margin + width - x)
            else:
                self.draw.text((self.margin + (indent if k == 0 else 0), self.y), line, font=font, fill=20)
            self.y += height

    def table(self, rows: list[list[Cell]]) -> None:
        placed, nrows, ncols = grid(rows)
        width = self.size[0] - 2 * self.margin
        col_w = width / ncols
        font = self.small
        pad = 4
        heights = [0] * nrows
        wrapped = {}
        for r, c, spec in placed:
            lines = [w for part in _cell_text(spec).split("\n") for w in _wrap(part, font, col_w * spec.colspan - 2 * pad)]
            wrapped[(r, c)] = lines
            if spec.rowspan == 1:
                heights[r] = max(heights[r], len(lines) * (font.size + 4) + 2 * pad)
        for r, c, spec in placed:
            need = len(wrapped[(r, c)]) * (font.size + 4) + 2 * pad
            have = sum(heights[r:r + spec.rowspan])
            if need > have:
                heights[r + spec.rowspan - 1] += need - have
        # a table is drawn whole on one page when it fits, as a scanned printout would show it
        self._room(sum(heights))
        tops = [self.y + sum(heights[:r]) for r in range(nrows + 1)]
        for r, c, spec in placed:
            x0, x1 = self.margin + c * col_w, self.margin + (c + spec.colspan) * col_w
            y0, y1 = tops[r], tops[r + spec.rowspan]
            self.draw.rectangle((x0, y0, x1, y1), outline=0, width=2)
            lines = wrapped[(r, c)]
            y = (y0 + y1) / 2 - len(lines) * (font.size + 4) / 2
            for line in lines:
                self.draw.text(((x0 + x1) / 2 - font.getlength(line) / 2, y), line, font=font, fill=20)
                y += font.size + 4
        self.y = tops[-1] + self.line_h // 2

    def report(self, report: Report) -> None:
        self.text_block(report.title, self.title, align="center")
        self.y += self.line_h // 2
        for block in _body_blocks(report):
            if block.kind == "table":
                self.table(TABLE_ROWS[block.text](report.figures))
            elif block.kind == "sig":
                self.text_block(plain(block.text), self.body, align="right")
            else:
                self.text_block(plain(block.text), self.bold if block.kind == "h" else self.body)
            if len(self.pages) == 1:
                self.blocks_on_first += 1


def make_scanned_pdf(report: Report) -> bytes:
    """The report printed and scanned: A4 page images at 200 dpi (grey, JPEG), no text layer."""
    return _cached("scan.pdf", report, lambda: _scan_bytes(report))


def _scan_bytes(report: Report) -> bytes:
    painter = _Painter(_A4, margin=round(2.5 / 2.54 * _DPI), body_px=round(12 / 72 * _DPI))
    painter.report(report)
    out = io.BytesIO()
    first, *rest = [p.convert("L") for p in painter.pages]
    first.save(out, format="PDF", save_all=True, append_images=rest, resolution=_DPI, quality=80,
               title=report.title, author=report.source)
    return out.getvalue()


_IMAGE_SIZE = (1000, 4200)    # a long 图片版 image: phone-screen width, as portals post them


def image_part(report: Report) -> Report:
    """The part of the report make_image shows: the blocks that fit whole on its one image."""
    painter = _Painter(_IMAGE_SIZE, margin=50, body_px=26)
    painter.report(report)
    blocks = _body_blocks(report)[:painter.blocks_on_first]
    return replace(report, blocks=blocks)


def make_image(report: Report) -> bytes:
    """One PNG of the report's first part (see image_part), for a 图片版 page."""
    return _cached("png", report, lambda: _image_bytes(report))


def _image_bytes(report: Report) -> bytes:
    painter = _Painter(_IMAGE_SIZE, margin=50, body_px=26)
    painter.report(image_part(report))
    page = painter.pages[0]
    # the image ends below its last line, not at the fixed page height
    page = page.crop((0, 0, _IMAGE_SIZE[0], min(_IMAGE_SIZE[1], painter.y + 50)))
    out = io.BytesIO()
    page.convert("RGB").save(out, format="PNG", optimize=True)
    return out.getvalue()


# -- real layouts (replica.corpus.real_layout_cases) ---------------------------------------------
# Tables as agencies' Word files set them, printed to PDF by LibreOffice: narrow label columns (the
# group label 三、本年度办理结果 wraps to one character per line, long item labels wrap to two or three
# lines), values centred vertically in their row (so a text layer puts them on the middle line of a
# wrapped label), header cells broken over lines, rows free to break across pages (the footer's page
# number then falls between two table rows of the text layer).

@dataclass(frozen=True)
class LayoutStyle:
    """How a Word file sets its tables: table text and paragraph sizes (pt); `values_top` puts numbers at
    the top of their cells while labels stay centred, and `row_height` (cm, at least) makes rows taller
    than one line, so a single-line label sits lower than its numbers (a text layer then gives the
    numbers on the line before their label, as 洪泽区 2023's does)."""

    size: float = 9.0
    text_size: float = 12.0
    values_top: bool = False
    row_height: float = 0.0


def make_layout_docx(report: Report, tables: dict[str, list[list[Cell]]], widths: dict[str, tuple[float, ...]],
                     style: LayoutStyle = LayoutStyle()) -> bytes:
    """The report as a Word file whose official tables are `tables` (name -> rows of Cells, the body's
    [[name]] blocks) with column widths `widths` (cm, one per grid column), set as `style` says."""
    spec = repr((sorted((k, [[(c.text, c.header, c.rowspan, c.colspan) for c in row] for row in rows])
                        for k, rows in tables.items()), sorted(widths.items()), style))
    kind = "layout-" + hashlib.sha256(spec.encode()).hexdigest()[:12] + ".docx"
    return _cached(kind, report, lambda: _layout_docx_bytes(report, tables, widths, style))


def make_layout_pdf(report: Report, tables: dict[str, list[list[Cell]]], widths: dict[str, tuple[float, ...]],
                    style: LayoutStyle = LayoutStyle()) -> bytes:
    """make_layout_docx's file printed to PDF by LibreOffice (a real text layer, as agencies publish)."""
    docx_bytes = make_layout_docx(report, tables, widths, style)
    kind = "layout-" + hashlib.sha256(docx_bytes).hexdigest()[:12] + ".pdf"
    return _cached(kind, report, lambda: _soffice(docx_bytes, "report.docx", "pdf:writer_pdf_Export"))


def pdf_text_layer(data: bytes) -> str:
    """A PDF's text as another tool extracts it (pdfplumber, page after page, footers included)."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages) + "\n"


def pdf_layout_text(data: bytes) -> str:
    """A PDF's text as poppler's ``pdftotext -layout`` gives it: columns kept by spaces, so a label set
    one character a line reads "三 、本 年 度…" across the rows it spans."""
    with tempfile.TemporaryDirectory(prefix="replica-pdftotext-") as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(data)
        out = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(src), "-"], capture_output=True,
                             check=True, timeout=60)
    return out.stdout.decode("utf-8")


def _layout_docx_bytes(report: Report, tables: dict[str, list[list[Cell]]], widths: dict[str, tuple[float, ...]],
                       style: LayoutStyle) -> bytes:
    text_size = style.text_size
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.7)
    section.top_margin, section.bottom_margin = Cm(3.0), Cm(2.6)
    _page_number_footer(section)
    core = doc.core_properties
    core.title, core.author = report.title, report.source
    core.created = core.modified = dt.datetime(report.published.year, report.published.month, report.published.day, 9, 0)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(18)
    _runs(title, report.title, SANS, 18, bold=True)
    for block in _body_blocks(report):
        if block.kind == "table":
            _add_layout_table(doc, tables[block.text], widths[block.text], style)
            continue
        para = doc.add_paragraph()
        fmt = para.paragraph_format
        fmt.line_spacing, fmt.space_after = 1.5, Pt(0)
        if block.kind == "sig":
            para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _runs(para, block.text, SERIF, text_size)
        else:
            para.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            fmt.first_line_indent = Pt(2 * text_size)
            heading = block.kind == "h"
            _runs(para, block.text, SANS if heading else SERIF, text_size, bold=heading)
    out = io.BytesIO()
    doc.save(out)
    return _stable_zip(out.getvalue())


def _add_layout_table(doc, rows: list[list[Cell]], widths: tuple[float, ...], style: LayoutStyle) -> None:
    placed, nrows, ncols = grid(rows)
    if len(widths) != ncols:
        raise ValueError(f"{len(widths)} widths for {ncols} columns")
    table = doc.add_table(rows=nrows, cols=ncols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths):
        col.set(qn("w:w"), str(round(width / 2.54 * 1440)))
    for row in table.rows:
        if style.row_height:
            height = OxmlElement("w:trHeight")
            height.set(qn("w:val"), str(round(style.row_height / 2.54 * 1440)))
            height.set(qn("w:hRule"), "atLeast")
            row._tr.get_or_add_trPr().append(height)
        for k, cell in enumerate(row.cells):
            cell.width = Cm(widths[k])
    for r, c, spec in placed:
        cell = table.cell(r, c)
        if spec.rowspan > 1 or spec.colspan > 1:
            cell = cell.merge(table.cell(r + spec.rowspan - 1, c + spec.colspan - 1))
        cell.text = ""
        # labels centred vertically, as the template's cells are; values too unless style.values_top
        tc_pr = cell._tc.get_or_add_tcPr()
        valign = OxmlElement("w:vAlign")
        label = spec.header or bool(re.search(r"[\u4e00-\u9fff]", spec.text))
        valign.set(qn("w:val"), "top" if style.values_top and not label else "center")
        tc_pr.append(valign)
        para = cell.paragraphs[0]
        para.alignment = WD_ALIGN_PARAGRAPH.LEFT if label and not spec.header else WD_ALIGN_PARAGRAPH.CENTER
        for k, line in enumerate(_cell_text(spec).split("\n")):
            if k:
                para.runs[-1].add_break()
            _runs(para, line, SANS if spec.header else SERIF, style.size, spec.header)
