"""Read a fetched body as a report document: decode or open the file, extract the text, read the metadata.

A report reaches nianbao in one of three shapes:
- an HTML article page whose body is the report (`source="page"`);
- a file linked directly from a listing (PDF, DOC, DOCX, WPS, XLS...; `source="file"`);
- an article page that only introduces the report ("附件：…年度报告.pdf", a 图片版 page of images), whose
  text comes from its attachment (`source="attachment"`): the page stays the report's raw and supplies
  title and dates, the file supplies the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from urllib.parse import unquote

from crawler.read.encoding import DecodeError, decode_html
from crawler.read.extract import Page, extract_page, with_title_first
from crawler.read.files import BadFile, FileText, file_kind, read_file
from crawler.read.metadata import Metadata, extract_metadata

__all__ = ["Document", "read_document", "read_body", "use_attachments", "introduces_files", "UnsupportedContent", "DecodeError",
           "BadFile", "filename_of"]

_HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "")
_SNIFF = (b"<html", b"<!doctype html", b"<head", b"<body", b"<meta", b"<div", b"<table", b"<p")
# An article page with less own text than this (title, 附件 lines and byline aside) only introduces its files.
THIN_PAGE_CHARS = 200
# Attachment kinds in the order they are preferred as the report's text: the report itself is a
# document; a spreadsheet holds only its statistics tables.
_TEXT_KIND_RANK = {"pdf": 0, "docx": 0, "doc": 0, "wps": 0, "rtf": 0, "image": 1, "xlsx": 2, "xls": 2, "et": 2}
_ATTACHMENT_LINE_RE = re.compile(r"^(?:附件\s*\d*\s*[:：]?\s*)?.{0,80}\.(?:pdf|docx?|wps|rtf|xlsx?|et)\s*$|^附件\s*\d*\s*[:：]\s*"
                                 r"|^(?:相关)?附件\s*[:：]?\s*$|点击下载|下载附件", re.I)
_FILENAME_RE = re.compile(r"filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)|filename\s*=\s*\"?([^\";]+)\"?", re.I)


_FILE_MEDIA_PREFIXES = ("application/pdf", "application/msword", "application/vnd.", "application/x-pdf",
                        "application/wps", "application/kswps", "application/x-xls")
_FILE_NAME_RE = re.compile(r"\.(?:pdf|docx?|wps|rtf|xlsx?|et)(?:$|[?#])", re.I)


class UnsupportedContent(ValueError):
    """The body is not something nianbao reads as a report."""


@dataclass
class Document:
    page: Page
    meta: Metadata
    encoding: str | None
    source: str = "page"              # page | file | attachment
    kind: str = "html"                # html, or the file kind of the raw
    ocr: bool = False
    ocr_confidence: float | None = None


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def _looks_like_html(body: bytes) -> bool:
    head = body[:2048].lstrip().lower()
    return any(marker in head for marker in _SNIFF)


def filename_of(headers: list[tuple[str, str]], url: str) -> str:
    """The file's published name: Content-Disposition's filename (RFC 6266, percent-decoded) or the URL."""
    for name, value in headers:
        if name.lower() == "content-disposition":
            m = _FILENAME_RE.search(value)
            if m:
                return unquote(m.group(1) or m.group(2)).strip()
    return url


def read_document(body: bytes, content_type: str | None, url: str) -> Document:
    """Decode and extract an HTML report page; raises DecodeError or UnsupportedContent."""
    media = _media_type(content_type)
    if media not in _HTML_TYPES and not (media == "application/octet-stream" and _looks_like_html(body)):
        raise UnsupportedContent(f"content type {media or 'missing'} is not an HTML page")
    if not body.strip():
        raise UnsupportedContent("empty body")
    decoded = decode_html(body, content_type)
    page = extract_page(decoded.text, url)
    if not page.text.strip():
        raise UnsupportedContent("no text found in the page")
    return Document(page=page, meta=extract_metadata(page, url), encoding=decoded.encoding)


def _file_title(text: str, name: str) -> str:
    first = text.split("\n", 1)[0].strip()
    if first:
        return first
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return stem


def _file_document(ft: FileText, url: str, name: str) -> Document:
    page = Page(title=_file_title(ft.text, name), text=ft.text, found_by=f"file:{ft.tool or ft.kind}")
    return Document(page=page, meta=extract_metadata(page, url), encoding=None, source="file", kind=ft.kind,
                    ocr=ft.ocr, ocr_confidence=ft.ocr_confidence)


def read_body(body: bytes, content_type: str | None, url: str, name: str | None = None) -> Document:
    """A report's raw body, HTML page or file; raises DecodeError, UnsupportedContent or BadFile.

    `name` is the file's published name when the server gave one (Content-Disposition), else the URL.
    """
    kind = file_kind(body, content_type, name or url)
    media = _media_type(content_type)
    if kind == "html" and (media.startswith(_FILE_MEDIA_PREFIXES) or _FILE_NAME_RE.search(name or url)):
        # an error page served as the file (200 + application/pdf, or at a .pdf URL): read_file names it
        return _file_document(read_file(body, content_type, name or url), url, name or url)
    if kind is None or kind == "html" or (kind == "image" and media in ("text/html",)):
        if kind is None and _media_type(content_type) not in _HTML_TYPES and not _looks_like_html(body):
            raise UnsupportedContent(f"content type {_media_type(content_type) or 'missing'} is neither an HTML "
                                     f"page nor a report file")
        return read_document(body, content_type if kind != "html" else (content_type or "text/html"), url)
    return _file_document(read_file(body, content_type, name or url), url, name or url)


_POINTS_AT_FILES_RE = re.compile(r"(?:点击|详见|见|查看|下载)(?:附件|附表|文件|原文)|附件(?:下载|查看)|(?:附件|原文)[:：]")


def _own_text_chars(page: Page) -> int:
    """Characters of the page's body that are neither its title nor attachment lines."""
    lines = page.text.split("\n")[1:]
    return sum(len(line) for line in lines if not _ATTACHMENT_LINE_RE.search(line.strip()))


def introduces_files(doc: Document) -> bool:
    """A page whose own text (title and 附件 lines aside) is too short to be the report."""
    return doc.source == "page" and _own_text_chars(doc.page) < THIN_PAGE_CHARS


def use_attachments(doc: Document, files: list[FileText], url: str) -> Document:
    """The report document once its attachments are read: an article page that only introduces its files
    takes its text from the best of them (documents before page images before spreadsheets, then the
    longest); a page with its own report text keeps it."""
    if not files or doc.source != "page":
        return doc
    usable = [f for f in files if f.text and f.text.strip()]
    if not usable:
        return doc
    best = min(usable, key=lambda f: (_TEXT_KIND_RANK.get(f.kind, 3), -len(f.text)))
    # a page that sends the reader to its file (请点击附件查看, 详见附件) beside a catalogue table of 索引号 and
    # 发布机构 is not thin, yet its file is the report: the file wins when it says much more than the page
    points_at_file = bool(_POINTS_AT_FILES_RE.search(doc.page.text)) and len(best.text) > 2 * _own_text_chars(doc.page)
    if not (introduces_files(doc) or points_at_file):
        return doc
    title = doc.page.title or _file_title(best.text, "")
    text = "\n".join(with_title_first(title, best.text.split("\n")))
    page = replace(doc.page, text=text, found_by=f"attachment:{best.tool or best.kind}")
    return Document(page=page, meta=extract_metadata(page, url), encoding=doc.encoding, source="attachment",
                    kind=doc.kind, ocr=best.ocr, ocr_confidence=best.ocr_confidence)


def continue_document(doc: Document, pages: list[Page]) -> Document:
    """The report continued over further pages of the same article: its text is every page's, in order, the
    title (which each page repeats) once. Title, dates and agency stay the first page's."""
    if not pages:
        return doc
    lines = doc.page.text.split("\n")
    title = doc.page.title
    for page in pages:
        more = page.text.split("\n")
        if more and title and more[0] == (page.title or title):
            more = more[1:]
        more = with_title_first(title, more)[1:] if title else more
        lines += [line for line in more if line.strip()]
    page = replace(doc.page, text="\n".join(lines))
    return Document(page=page, meta=doc.meta, encoding=doc.encoding, source=doc.source, kind=doc.kind,
                    ocr=doc.ocr, ocr_confidence=doc.ocr_confidence)
