"""Text out of report files (PDF, DOC/DOCX/WPS, XLS/XLSX/ET, RTF, images), in nianbao's text format.

The format is the one :mod:`crawler.read.extract` gives for HTML pages: one line per paragraph, a table
row as one line of cells joined by a tab, no blank lines, whitespace runs inside a line folded to
one space.  Every character of the source is kept; only layout whitespace goes.

This module tells the kind of a file from its bytes (file_kind) and hands it to its reader: crawler.read.pdftext
(pdfplumber's text layer and ruled tables; Tesseract for scanned pages), crawler.read.office (python-docx for DOCX;
DOC, WPS and RTF after LibreOffice converts them; openpyxl for XLSX, xlrd for XLS and ET), crawler.read.ocr (images),
with the helpers they share in crawler.read.filetext.  A file that cannot be read raises :class:`BadFile` with a
one-sentence reason.  Each reader imports its library on first use: spiders import this module for file_kind alone.
"""

from __future__ import annotations

import io
import time
import zipfile
from urllib.parse import parse_qsl, unquote, urlsplit

__all__ = ["FILE_EXTENSIONS", "IMAGE_EXTENSIONS", "FileText", "BadFile", "file_kind", "read_file"]


from crawler.read.filetext import KIND_LABEL, BadFile, FileText
from crawler.read.ocr import read_image
from crawler.read.office import read_doc, read_docx, read_xls, read_xlsx
from crawler.read.pdftext import read_pdf

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
        raise BadFile(f"truncated or corrupt {KIND_LABEL[kind]} file")
    try:
        if kind == "pdf":
            result = read_pdf(body, ocr, deadline)
        elif kind == "docx":
            result = read_docx(body)
        elif kind in ("doc", "wps", "rtf"):
            result = read_doc(body, kind, deadline)
        elif kind == "xlsx":
            result = read_xlsx(body)
        elif kind in ("xls", "et"):
            result = read_xls(body, kind, deadline)
        elif kind == "image":
            result = read_image(body, ocr, deadline)
        else:
            raise BadFile(f"unsupported file kind {kind}")
    except BadFile:
        raise
    except Exception as exc:  # a library's own error on a damaged file: one reason, never a crash
        raise BadFile(f"unreadable {KIND_LABEL.get(kind, kind)} file ({type(exc).__name__})") from exc
    if not result.text.strip():
        raise BadFile("no text in file")
    return result
