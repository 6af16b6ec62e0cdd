"""One report, parsed: its format, metadata, sections, standard tables, prose figures and checks.

`parse_text` works on nianbao's extracted text (what the feed carries: table rows as tab-joined
cells, or flattened text with one cell per line); `parse_document` first reads any carrier the
crawler reads (HTML page, PDF, DOC/DOCX/WPS, XLS/XLSX, plain text) into that text.
"""

from __future__ import annotations

import re

from crawler.read.document import read_body
from crawler.read.encoding import decode_text
from crawler.read.extract import Page, byline_pairs, is_byline
from crawler.read.metadata import extract_metadata
from crawler.vocab import REPORT_NAME_RE

from .audit import report_audit
from .checks import prose_checks, table_checks
from .prose import PROSE_KEYS, prose_figures
from .sections import split_sections
from .statistics import statistics_figures
from .tables import read_tables

# Bumped whenever a change can alter what the parser returns for the same text: `nianbao parse
# --store` re-parses every fed report whose parsed line has another version.
PARSER_VERSION = 2
# How far into a bare text its title and byline are looked for.
_HEAD_LINES = 15

# Headings that make prose without tables a report of the older, free form (not any text at all).
_REPORT_SECTION_WORDS = ("主动公开", "依申请", "申请公开", "复议", "诉讼", "收费", "存在的主要问题", "存在问题")


def _format(read, sections: list[dict], figures: dict) -> str:
    if read.tables or read.format:
        return read.format        # read.format without tables: figures run together past recovery
    if read.labels_seen:
        return "unknown"          # the template's labels without figures: a format notice, a blank form
    report_like = sum(any(w in s["heading"] for w in _REPORT_SECTION_WORDS) for s in sections)
    return "pre-2019" if figures or report_like >= 2 else "unknown"


def _with_statistics(figures: dict, table: dict) -> dict:
    """The prose's figures and a pre-2019 statistics table's (marked "source": "table"), in key order."""
    if not table:
        return figures
    merged = {key: figures.get(key, []) + table.get(key, []) for key in PROSE_KEYS if key in figures or key in table}
    return merged


def _title_of(lines: list[str]) -> str:
    """The report's title in a bare text: the first early line naming a report (a text copied from a page
    opens with its chrome: 登录 注册, the site's name), else the first line."""
    head = [_TITLE_LABEL_RE.sub("", line.strip()) for line in lines[:_HEAD_LINES] if line.strip()]
    named = next((line for line in head if len(line) <= 60 and REPORT_NAME_RE.search(line.replace(" ", ""))), None)
    return named or (head[0] if head else "")


# "标题: …": the label another crawler's saved page text puts before the title
_TITLE_LABEL_RE = re.compile(r"^(?:标\s*题|题\s*目)\s*[:：]\s*")


def _byline(lines: list[str]) -> dict[str, str]:
    """发布日期 / 来源 … fields of the byline lines near the top of a bare text."""
    return {label: value for line in lines[:_HEAD_LINES] if is_byline(line.strip())
            for label, value in byline_pairs(line.strip())}


def parse_text(text: str, *, title: str | None = None, agency: str | None = None, year: int | None = None,
               published: str | None = None) -> dict:
    """The parsed report.  Metadata not given is read from the text (as the crawler reads it)."""
    lines = text.split("\n")
    title = title if title is not None else _title_of(lines)
    if agency is None and year is None and published is None:
        meta = extract_metadata(Page(title=title, text=text, byline=_byline(lines)))
        agency, year, published = meta.agency, meta.year, meta.published
    read = read_tables(lines)
    prose = "\n".join(line for n, line in enumerate(lines) if n not in read.lines)
    figures = _with_statistics(prose_figures(prose), statistics_figures(lines, read.warnings))
    sections = split_sections(lines, read.lines - read.heading_lines, title)
    checks = table_checks(read.tables, read.format) if read.tables else []
    checks += prose_checks(read.tables, figures)
    parsed = {
        "parser_version": PARSER_VERSION,
        "format": _format(read, sections, figures),
        "title": title,
        "agency": agency,
        "year": year,
        "published": published,
        "sections": sections,
        "tables": read.tables,
        "printed": read.printed,
        "inferred": read.inferred,
        "variants": read.variants,
        "checks": checks,
        "prose_figures": figures,
        "warnings": read.warnings,
    }
    # deadline, sections, failing checks: what the report says on its own (reuse needs the store: audit.py)
    parsed["audit"] = report_audit(parsed)
    return parsed


def _is_plain_text(body: bytes, name: str, content_type: str | None) -> bool:
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media == "text/plain" or name.lower().endswith((".txt", ".text")):
        return not body.lstrip()[:1] == b"<"
    if not media and not name.rpartition("/")[2].count("."):
        # text with nothing to say what it is (stdin: another tool's extraction, a PDF's text layer): plain
        # text unless its bytes are a file the crawler reads or markup
        from crawler.read.files import file_kind
        return file_kind(body, None, name) is None and not _looks_like_markup(body)
    return False


def _looks_like_markup(body: bytes) -> bool:
    head = body.lstrip(b"\xef\xbb\xbf \t\r\n")[:512].lower()
    return head.startswith(b"<") or b"<html" in head or b"<body" in head or b"<p" in head or b"<table" in head


def document_text(body: bytes, name: str = "", content_type: str | None = None) -> tuple[str, dict]:
    """The text of any carrier, and the metadata read with it; raises the crawler's read errors
    (DecodeError, UnsupportedContent, BadFile)."""
    if _is_plain_text(body, name, content_type):
        text = decode_text(body, content_type).text.replace("\r\n", "\n")
        return text, {}
    doc = read_body(body, content_type, name or "document", name=name or None)
    meta = {"title": doc.meta.title, "agency": doc.meta.agency, "year": doc.meta.year,
            "published": doc.meta.published}
    extra = {"ocr": doc.ocr, "ocr_confidence": doc.ocr_confidence, "source_kind": doc.kind}
    return doc.page.text, {**meta, **extra}


def parse_document(body: bytes, name: str = "", content_type: str | None = None) -> dict:
    """Parse a document's bytes: `name` (file name or URL) and `content_type` help tell the carrier."""
    return read_and_parse(body, name, content_type)[1]


def read_and_parse(body: bytes, name: str = "", content_type: str | None = None) -> tuple[str, dict]:
    """(the document's text, its parse): what `nianbao parse` needs to judge the text too."""
    text, meta = document_text(body, name, content_type)
    fields = {k: meta[k] for k in ("title", "agency", "year", "published") if k in meta}
    if fields and all(fields.get(k) is None for k in ("agency", "year", "published")):
        fields = {"title": fields.get("title")}
    parsed = parse_text(text, **fields)
    if meta.get("ocr"):
        parsed["ocr"] = True
        parsed["ocr_confidence"] = meta.get("ocr_confidence")
    return text, parsed
