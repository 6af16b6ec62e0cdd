"""Items that travel from the spider through the pipelines (dataclasses, handled through ItemAdapter)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class FetchedPage:
    """A candidate report page as served, plus what the pipelines learn about it.

    The spider fills the fetch fields; the extract, classify and dedupe pipelines fill the rest.
    """

    url: str                                   # canonical request URL
    final_url: str                             # after redirects
    status: int
    headers: list[tuple[str, str]]             # response headers in order, repeats kept (lossless for WARC)
    request_headers: list[tuple[str, str]]
    body: bytes
    fetched_at: str                            # ISO 8601 UTC
    site: str                                  # host of the start URL the crawl came from
    method: str = "GET"
    referer: str | None = None
    force: bool = False                        # backfill --force: feed even when the classifier rejects
    listed_date: str | None = None             # YYYY-MM-DD the listing showed beside the link (a file has no byline)
    # filled by pipelines
    sha256: str | None = None
    content_type: str | None = None
    encoding: str | None = None
    title: str | None = None
    text: str | None = None
    agency: str | None = None
    year: int | None = None
    published: str | None = None
    site_name: str | None = None
    is_report: bool | None = None
    kind: str | None = None
    reasons: list[str] = field(default_factory=list)
    report_id: str | None = None
    signature: bytes | None = field(default=None, repr=False)
    document: object | None = field(default=None, repr=False)   # crawler.read.document.Document, in-process only
    attachments: list["FetchedFile"] = field(default_factory=list)  # files the article page links to
    raw_kind: str | None = None              # html, or the file kind when the report was linked as a file
    text_source: str | None = None           # page | file | attachment: where `text` was read from
    ocr: bool = False
    ocr_confidence: float | None = None
    revision: int = 1                        # 2, 3 … for a new version of a known report at this URL
    previous_id: str | None = None           # the version it replaces


@dataclass
class FetchedFile:
    """A file an article page publishes (附件 PDF/DOC/DOCX/WPS/XLS, or a 图片版 page image), as served."""

    url: str
    final_url: str
    status: int
    headers: list[tuple[str, str]]
    request_headers: list[tuple[str, str]]
    body: bytes
    fetched_at: str
    label: str = ""                           # the anchor text / image alt on the article page
    link_kind: str = "file"                   # file | image
    # filled by pipelines
    sha256: str | None = None
    content_type: str | None = None
    kind: str | None = None                   # pdf, docx, doc, wps, xls, xlsx, et, image
    text: str | None = None
    ocr: bool = False
    ocr_confidence: float | None = None
    error: str | None = None                  # why no text was read (the bytes are archived all the same)


@dataclass
class FetchFailure:
    """A request that ended without a usable page (HTTP error, timeout, loop, size cap, decode error...)."""

    url: str
    stage: str                                 # fetch | robots | decode | extract | store | ...
    reason: str
    site: str | None = None
