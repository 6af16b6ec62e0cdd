"""Read a fetched body as a report document: decode, extract the text, read the metadata.

Only HTML pages for now; attachments (PDF/DOC/DOCX/WPS/XLS) are the next step and will dispatch here.
"""

from __future__ import annotations

from dataclasses import dataclass

from crawler.encoding import DecodeError, decode_html
from crawler.extract import Page, extract_page
from crawler.metadata import Metadata, extract_metadata

__all__ = ["Document", "read_document", "UnsupportedContent", "DecodeError"]

_HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "")
_SNIFF = (b"<html", b"<!doctype html", b"<head", b"<body", b"<meta", b"<div", b"<table", b"<p")


class UnsupportedContent(ValueError):
    """The body is not something nianbao reads as a report (yet)."""


@dataclass
class Document:
    page: Page
    meta: Metadata
    encoding: str


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def _looks_like_html(body: bytes) -> bool:
    head = body[:2048].lstrip().lower()
    return any(marker in head for marker in _SNIFF)


def read_document(body: bytes, content_type: str | None, url: str) -> Document:
    """Decode and extract a report page; raises DecodeError or UnsupportedContent."""
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
