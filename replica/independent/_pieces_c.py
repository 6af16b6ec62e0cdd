"""Shared pieces of the sites vsb_bodao, cms_php_county and gkml_platform: scanned-page images of a report (the
图片版 a small county posts as a list of <img>s), a download reply with a Content-Disposition name, and integer
query parsing.  Chrome, lists and bodies are each site's own (the CMS family of its evidence)."""

from __future__ import annotations

import io
from urllib.parse import quote

from .. import documents as F
from ..reports import Report
from ..server import Reply

_SCANS: dict[tuple[str, int], tuple[bytes, ...]] = {}


def scanned_pages(report: Report) -> tuple[bytes, ...]:
    """The report printed on A4-shaped pages (1000 x 1414 px, grey) and saved one PNG a page, as a scanner's
    output is pasted into an article: every page whole, text never cut between two images."""
    key = (report.title, report.docid)
    if key not in _SCANS:
        painter = F._Painter((1000, 1414), margin=80, body_px=26)
        painter.report(report)
        out = []
        for page in painter.pages:
            buf = io.BytesIO()
            page.save(buf, format="PNG", optimize=True)
            out.append(buf.getvalue())
        _SCANS[key] = tuple(out)
    return _SCANS[key]


def page_count(report: Report) -> int:
    return len(scanned_pages(report))


def download(data: bytes, name: str, *, content_type: str = "application/octet-stream",
             style: str = "urlencoded") -> Reply:
    """A file behind a servlet or script URL: the kind only in Content-Disposition (and the bytes).

    style ``urlencoded``: ``attachment; filename="<URLEncoder.encode(name, "UTF-8")>"`` (Java servlets: spaces as
    ``+``); ``rfc5987``: ``attachment; filename*=UTF-8''<name>``.
    """
    if style == "urlencoded":
        disposition = f'attachment; filename="{quote(name, safe="").replace("%20", "+")}"'
    else:
        disposition = f"attachment; filename*=UTF-8''{quote(name, safe='')}"
    return Reply(200, data, content_type, [("Content-Disposition", disposition), ("Cache-Control", "private")])


def as_int(value: str | None, default: int) -> int:
    try:
        return int(value) if value not in (None, "") else default
    except ValueError:
        return default
