"""crawler.read.files on real files: made by LibreOffice, python-docx, openpyxl, pypdf and PIL (replica.documents)."""

from __future__ import annotations

import datetime as dt
import difflib
import io
import random
import re
import time
from dataclasses import replace

import docx
import openpyxl
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from pypdf import PdfWriter

from crawler.read.files import FILE_EXTENSIONS, IMAGE_EXTENSIONS, BadFile, file_kind, read_file
from replica import documents as D
from replica.fillers import filler_reports
from replica.fujian import YONGCHUN
from replica.site import faithful_text

# The reports the 永春县 replica publishes as files: their files are already in the cache.
_REPORTS = filler_reports("fujian-files", YONGCHUN, 16, range(2019, 2024))
TABLE_REPORT = [r for r in _REPORTS if r.figures][0]
PROSE_REPORT = filler_reports("fujian-scans", YONGCHUN, 2, range(2015, 2019),
                              {(r.agency, r.year) for r in _REPORTS})[0]
# A one-page scan keeps OCR to a few seconds: the title and the first blocks of a report.
SHORT_REPORT = replace(PROSE_REPORT, blocks=PROSE_REPORT.blocks[:5])
# Measured: the OCR text of these scans scores 0.97-0.99 against the source (difflib ratio).
OCR_MIN_RATIO = 0.9
OCR_MIN_CONFIDENCE = 0.7
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def lines_equal(got: str, want: str) -> None:
    """Equal line for line, whitespace runs folded; on failure the diff says where."""
    fold = lambda text: [re.sub(r"[ \u3000\xa0]+", " ", line).strip() for line in text.splitlines()]  # noqa: E731
    assert fold(got) == fold(want), "\n".join(difflib.unified_diff(fold(want), fold(got), lineterm="", n=0))


def similarity(got: str, want: str) -> float:
    squash = lambda text: "".join(text.split())  # noqa: E731
    return difflib.SequenceMatcher(None, squash(want), squash(got), autojunk=False).ratio()


@pytest.mark.parametrize("kind, make, url, ctype", [
    ("docx", D.make_docx, "http://www.fjyc.gov.cn/zwgk/P020240115512345678901.docx", DOCX_TYPE),
    ("pdf", D.make_pdf, "http://www.fjyc.gov.cn/zwgk/P020240115512345678901.pdf", "application/pdf"),
    ("doc", D.make_doc, "http://www.fjyc.gov.cn/zwgk/P020240115512345678901.doc", "application/msword"),
    ("wps", D.make_wps, "永春县教育局2023年政府信息公开工作年度报告.wps", "application/octet-stream"),
], ids=["docx", "pdf", "doc", "wps"])
def test_word_and_pdf_files_give_the_faithful_text(kind, make, url, ctype):
    body = make(TABLE_REPORT)
    assert file_kind(body, ctype, url) == kind
    result = read_file(body, ctype, url)
    assert result.kind == kind and not result.ocr and result.ocr_confidence is None
    lines_equal(result.text, faithful_text(TABLE_REPORT))
    # the official tables come out as rows in place: merged cells once, figures in their columns
    assert "三、本年度办理结果\t（一）予以公开\t" in result.text
    assert "\n".join(D.spreadsheet_lines(TABLE_REPORT)[-1:]) in result.text


def test_pdf_text_keeps_every_character_and_inserts_no_layout_spaces():
    result = read_file(D.make_pdf(PROSE_REPORT), "application/pdf", "x.pdf")
    assert result.tool == "pdfplumber" and result.pages >= 2
    lines_equal(result.text, faithful_text(PROSE_REPORT))
    # LibreOffice spaces CJK from digits and justifies lines: none of those gaps is a space
    assert f"{PROSE_REPORT.year}年1月1日" in result.text
    assert " 年" not in result.text and "年 " not in result.text


@pytest.mark.parametrize("kind, make", [("xlsx", D.make_xlsx), ("xls", D.make_xls)], ids=["xlsx", "xls"])
def test_spreadsheets_give_one_tab_joined_line_per_row(kind, make):
    body = make(TABLE_REPORT)
    assert file_kind(body, None, f"统计表.{kind}") == kind
    result = read_file(body, None, f"统计表.{kind}")
    lines_equal(result.text, "\n".join(D.spreadsheet_lines(TABLE_REPORT)))
    assert result.pages == 3 and ".0" not in result.text


def test_docx_keeps_every_visible_run_in_document_order():
    doc = docx.Document()
    dated = doc.add_paragraph()
    for piece in ("统计期限为2023", "年", "1", "月", "1", "日。"):   # Word splits edited text into runs
        dated.add_run(piece)
    broken = doc.add_paragraph("第一行")
    broken.runs[0].add_break()
    broken.add_run("第二行\t续")
    w = nsdecls("w")
    xml = (f'<w:p {w}><w:r><w:t>保留</w:t></w:r><w:del w:id="1" w:author="x" w:date="2024-01-01T00:00:00Z">'
           '<w:r><w:delText>删除</w:delText></w:r></w:del><w:smartTag w:uri="urn:x" w:element="place"><w:r>'
           '<w:t>永春县</w:t></w:r></w:smartTag><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r>'
           '<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/>'
           '</w:r><w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>',
           f'<w:sdt {w}><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>控件内文字</w:t></w:r></w:p></w:sdtContent></w:sdt>')
    body = doc.element.body
    for part in xml:
        body.sectPr.addprevious(parse_xml(part))   # the section properties stay last
    table = doc.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "甲"
    table.cell(0, 1).merge(table.cell(0, 2)).text = "乙"
    for (r, c), text in {(1, 1): "1", (1, 2): "2", (2, 0): "丙", (2, 1): "3", (2, 2): ""}.items():
        table.cell(r, c).text = text
    out = io.BytesIO()
    doc.save(out)
    result = read_file(out.getvalue(), DOCX_TYPE, "a.docx")
    assert result.text == "统计期限为2023年1月1日。\n第一行\n第二行 续\n保留永春县3\n控件内文字\n甲\t乙\n1\t2\n丙\t3\t"


def test_spreadsheet_values_print_as_the_sheet_shows_them():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["项目", 3, 2.5, 4.0, dt.date(2024, 1, 2), None, "备注"])
    sheet.append([None, None, None, None, None, None, None])
    sheet.append(["合计", -1, 0.1, None, None, None, None])
    out = io.BytesIO()
    book.save(out)
    result = read_file(out.getvalue(), None, "t.xlsx")
    assert result.text == "项目\t3\t2.5\t4\t2024-01-02\t\t备注\n合计\t-1\t0.1\t\t\t\t"


def test_a_scanned_pdf_is_read_by_ocr():
    body = D.make_scanned_pdf(SHORT_REPORT)
    assert file_kind(body, "application/pdf", "scan.pdf") == "pdf"
    result = read_file(body, "application/pdf", "scan.pdf")
    assert result.ocr and result.tool == "rapidocr" and result.pages == 1   # the default engine (tests/test_ocr.py)
    assert result.ocr_confidence >= OCR_MIN_CONFIDENCE
    assert similarity(result.text, faithful_text(SHORT_REPORT)) >= OCR_MIN_RATIO
    assert result.text.splitlines()[0] == SHORT_REPORT.title or similarity(
        result.text.splitlines()[0], SHORT_REPORT.title) >= OCR_MIN_RATIO
    # Tesseract spaces every Chinese character: none of those spaces survives
    assert not any(" " in line and all("\u4e00" <= ch <= "\u9fff" for ch in line.replace(" ", ""))
                   for line in result.text.splitlines())


def test_an_image_is_read_by_ocr():
    body = D.make_image(SHORT_REPORT)
    assert file_kind(body, "image/png", "W020240115512345678901.png") == "image"
    result = read_file(body, "image/png", "W020240115512345678901.png")
    assert result.ocr and result.kind == "image" and result.ocr_confidence >= OCR_MIN_CONFIDENCE
    assert similarity(result.text, faithful_text(D.image_part(SHORT_REPORT))) >= OCR_MIN_RATIO


def test_scans_are_refused_when_ocr_is_off():
    for body, url in ((D.make_scanned_pdf(SHORT_REPORT), "scan.pdf"), (D.make_image(SHORT_REPORT), "a.png")):
        with pytest.raises(BadFile) as err:
            read_file(body, None, url, ocr=False)
        assert err.value.reason == "scanned file: OCR disabled"


def test_a_pdf_with_only_an_owner_password_is_read():
    body = D.make_encrypted_pdf(TABLE_REPORT, user_password="")
    result = read_file(body, "application/pdf", "x.pdf")
    lines_equal(result.text, faithful_text(TABLE_REPORT))


def _blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


BAD_FILES = {
    "zero_bytes": (lambda: b"", "application/pdf", "a.pdf", "empty file"),
    "truncated_pdf": (lambda: D.make_pdf(TABLE_REPORT)[:60000], "application/pdf", "a.pdf", "truncated or corrupt PDF"),
    "user_password_pdf": (lambda: D.make_encrypted_pdf(TABLE_REPORT, user_password="yc2024"), "application/pdf",
                          "a.pdf", "password-protected PDF"),
    "html_404_as_pdf": (lambda: b"<!DOCTYPE html><html><head><title>404</title></head><body>not found</body></html>",
                        "application/pdf", "http://h/P0.pdf", "mislabelled file: the .pdf is an HTML page"),
    "html_as_doc_download": (lambda: "<html><body>文件不存在</body></html>".encode(), "application/octet-stream",
                             "/module/download/downfile.jsp?classid=0&filename=ab12.doc",
                             "mislabelled file: the .doc is an HTML page"),
    "text_as_pdf": (lambda: "文件不存在或已被删除".encode("gbk"), "application/pdf", "a.pdf",
                    "mislabelled file: the .pdf is plain text"),
    "random_doc": (lambda: random.Random(7).randbytes(20000), "application/msword", "a.doc",
                   "unknown binary: the .doc matches no known file format"),
    "truncated_docx": (lambda: D.make_docx(TABLE_REPORT)[:5000], DOCX_TYPE, "a.docx",
                       "truncated or corrupt Word (.docx) file"),
    "truncated_doc": (lambda: D.make_doc(TABLE_REPORT)[:5000], "application/msword", "a.doc",
                      "truncated or corrupt Word (.doc) file"),
    "truncated_xls": (lambda: D.make_xls(TABLE_REPORT)[:3000], "application/vnd.ms-excel", "a.xls",
                      "truncated or corrupt Excel (.xls) file"),
    "blank_pdf": (_blank_pdf, "application/pdf", "a.pdf", "no text in file"),
    "broken_png": (lambda: b"\x89PNG\r\n\x1a\n" + bytes(200), "image/png", "a.png", "truncated or corrupt image"),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_bad_files_raise_badfile_with_their_reason(name):
    make, ctype, url, reason = BAD_FILES[name]
    with pytest.raises(BadFile) as err:
        read_file(make(), ctype, url, timeout=60)
    assert err.value.reason == reason
    assert isinstance(err.value, ValueError) and str(err.value) == reason


def test_a_conversion_past_the_timeout_is_killed_and_reported():
    started = time.monotonic()
    with pytest.raises(BadFile) as err:
        read_file(D.make_doc(TABLE_REPORT), "application/msword", "a.doc", timeout=0.3)
    assert err.value.reason == "timed out reading the file (LibreOffice)"
    assert time.monotonic() - started < 5


def test_the_bytes_decide_the_kind_and_the_name_only_tells_lookalikes_apart():
    pdf, doc, xls, docx = D.make_pdf(TABLE_REPORT), D.make_doc(TABLE_REPORT), D.make_xls(TABLE_REPORT), \
        D.make_docx(TABLE_REPORT)
    assert file_kind(pdf, "application/msword", "a.doc") == "pdf"
    assert file_kind(docx, "application/msword", "a.doc") == "docx"
    assert file_kind(doc, "application/pdf", "a.pdf") == "doc"
    assert file_kind(doc, "application/octet-stream", "a.wps") == "wps"
    assert file_kind(doc, "application/octet-stream", "/module/download/downfile.jsp?classid=0&filename=x.wps") == "wps"
    assert file_kind(xls, None, "统计表.et") == "et" and file_kind(xls, None, "a.xls") == "xls"
    assert file_kind(D.make_xlsx(TABLE_REPORT), "application/vnd.ms-excel", "a.xls") == "xlsx"
    assert file_kind(b"<html><body>404</body></html>", "application/pdf", "a.pdf") == "html"
    assert file_kind(D.make_image(SHORT_REPORT), "application/pdf", "a.pdf") == "image"
    # bytes that show nothing: the name (or, without one, the type) is all there is
    noise = random.Random(1).randbytes(100)
    assert file_kind(noise, None, "a.doc") == "doc"
    assert file_kind(noise, "application/pdf", "/download?id=3") == "pdf"
    assert file_kind(noise, None, "/download?id=3") is None
    # a PDF read under a .doc name is still read as the PDF it is
    assert read_file(pdf, "application/msword", "a.doc").kind == "pdf"
    assert FILE_EXTENSIONS >= {"pdf", "doc", "docx", "wps", "xls", "xlsx", "et"}
    assert IMAGE_EXTENSIONS == {"png", "jpg", "jpeg", "gif", "bmp", "tif", "tiff"}
