"""Word and spreadsheet files as text: DOCX by walking its XML (python-docx's package reader); DOC, WPS and RTF
after LibreOffice converts them (antiword/catdoc when it cannot); XLSX by openpyxl; XLS and ET by xlrd."""

from __future__ import annotations

import io
import tempfile
import zipfile

from crawler.read.filetext import (BadFile, FileText, KIND_LABEL, finish_text, fold, join_fragments, run_tool,
                              soffice_convert, table_row)

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
        lines = [fold(part) for part in "".join(out).split("\n")]
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
                    text = join_fragments(text, line.replace("\t", " "))   # a nested table's row inside one cell
                cells.append(text)
            if any(cells):
                rows.append(table_row(cells))
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


def read_docx(body: bytes) -> FileText:
    try:
        lines = _docx_lines(body)
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise BadFile("truncated or corrupt Word (.docx) file") from exc
    return FileText("docx", finish_text(lines), tool="python-docx")


def read_doc(body: bytes, kind: str, deadline: float) -> FileText:
    """DOC, WPS and RTF: LibreOffice makes a DOCX; antiword or catdoc read a .doc it cannot open."""
    ext = "rtf" if kind == "rtf" else "doc"    # WPS files are Word 97 binaries
    converted = soffice_convert(body, ext, "docx:MS Word 2007 XML", deadline)
    if converted:
        return FileText(kind, finish_text(_docx_lines(converted)), tool="libreoffice+python-docx")
    if ext == "doc":
        with tempfile.NamedTemporaryFile(suffix=".doc") as tmp:
            tmp.write(body)
            tmp.flush()
            for tool, cmd in (("antiword", ["antiword", "-m", "UTF-8.txt", "-w", "0", tmp.name]),
                              ("catdoc", ["catdoc", "-d", "utf-8", "-w", tmp.name])):
                proc = run_tool(cmd, deadline, tool)
                text = finish_text(fold(line) for line in proc.stdout.decode("utf-8", "replace").splitlines())
                if proc.returncode == 0 and text:
                    return FileText(kind, text, tool=tool)
    raise BadFile(f"corrupt {KIND_LABEL[kind]} file: no tool could open it")


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
            lines.append(table_row(cells))
    return lines


class _Discard:
    """A log file that keeps nothing: xlrd prints its warnings to stdout unless given one."""

    def write(self, text: str) -> int:
        return len(text)


_DEVNULL = _Discard()
# Above this size an .xlsx is streamed (read_only); merged ranges are then unknown and kept as empty cells.
XLSX_FULL_LOAD_MAX = 5_000_000


def read_xlsx(body: bytes, kind: str = "xlsx", tool: str = "openpyxl") -> FileText:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(body), read_only=len(body) > XLSX_FULL_LOAD_MAX, data_only=True)
    except Exception as exc:  # openpyxl raises KeyError, ValueError, BadZipFile, lxml errors
        raise BadFile(f"truncated or corrupt {KIND_LABEL[kind]} file") from exc
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
    return FileText(kind, finish_text(lines), pages=len(book.worksheets), tool=tool)


def read_xls(body: bytes, kind: str, deadline: float) -> FileText:
    """XLS (and ET, Kingsoft's xls-compatible sheets) with xlrd; LibreOffice for what xlrd refuses."""
    import xlrd

    try:
        try:
            book = xlrd.open_workbook(file_contents=body, formatting_info=True, logfile=_DEVNULL)
        except (NotImplementedError, xlrd.XLRDError):
            # formatting records xlrd does not know: read the cells without merge information
            book = xlrd.open_workbook(file_contents=body, logfile=_DEVNULL)
    except Exception:   # xlrd's errors on BIFF it does not know (BIFF5, Kingsoft's ET) are of many types
        converted = soffice_convert(body, "xls", "xlsx:Calc MS Excel 2007 XML", deadline)
        if converted:
            return read_xlsx(converted, kind, "libreoffice+openpyxl")
        raise BadFile(f"truncated or corrupt {KIND_LABEL[kind]} file") from None
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
    return FileText(kind, finish_text(lines), pages=book.nsheets, tool="xlrd")


