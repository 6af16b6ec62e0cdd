"""One replica site: its routes (path -> page function) and the ground truth of what it serves."""

from __future__ import annotations

import datetime as dt
import random
from typing import Callable

from .reports import Report, must_contain, text_lines
from .server import Context, Reply, html_reply


class Site:
    """A portal: a table of routes (``path`` or ``path?query`` -> page function) and its ground truth.

    Truth entries are plain dicts (see :func:`replica.expected`); report entries keep their
    :class:`Report` under ``"_report"`` until ``expected()`` strips it.
    """

    name = ""
    title = ""
    encoding = "utf-8"

    def __init__(self):
        self.routes: dict[str, Callable[[Context], Reply]] = {}
        self.truth: list[dict] = []

    def route(self, path: str, page: Callable[[Context], Reply]) -> None:
        self.routes[path] = page

    def dynamic(self, ctx: Context, path: str, query: str) -> Reply | None:
        """Routes that are not a fixed table (traps, endless pagination); None when nothing matches."""
        return None

    def not_found(self, ctx: Context) -> Reply:
        return html_reply("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>404 Not Found</title></head>"
                          "<body><h1>404</h1><p>您访问的页面不存在或已被删除！</p><p><a href=\"/\">返回首页</a></p>"
                          "</body></html>", status=404)

    def respond(self, ctx: Context, path: str, query: str) -> Reply:
        page = self.routes.get(f"{path}?{query}") if query else None
        # static servers ignore query strings they do not use (utm_source and the like)
        page = page or self.routes.get(path)
        if page is not None:
            return page(ctx)
        reply = self.dynamic(ctx, path, query)
        return reply if reply is not None else self.not_found(ctx)

    # -- ground truth ------------------------------------------------------------------------

    def add_report(self, report: Report, paths: list[str], repost_of: tuple[str, str] | None = None) -> None:
        self.truth.append({
            "site": self.name, "kind": "report", "paths": list(paths), "title": report.title,
            "agency": report.agency, "year": report.year, "published": f"{report.published:%Y-%m-%d}",
            "must_contain": [s for s in must_contain(report) if not _is_source_line(s)], "must_not_contain": [],
            "repost_of": list(repost_of) if repost_of else None, "_report": report,
            "text": faithful_text(report),
        })

    def add_lookalike(self, report: Report, path: str, in_report_column: bool = True) -> None:
        """in_report_column: listed in a report column, so a crawler must fetch and judge it."""
        self.truth.append({"site": self.name, "kind": "lookalike", "path": path, "title": report.title,
                           "in_report_column": in_report_column})

    def add_column(self, path: str, *, reports: int, stated: int | None, needs: str = "static",
                   note: str = "") -> None:
        """A report column: the path of its first listing page, how many report entries its whole list holds,
        what the page itself states or implies (共N条, totalRecord, pages x size; None when it says nothing), and
        what a crawler needs to see every entry: ``static`` (plain HTTP of the pages the HTML links or its
        scripts name), ``api`` (replaying a JSON/HTML-fragment call the page makes), ``browser`` (only a real
        browser operating the page reaches them)."""
        assert needs in ("static", "api", "browser"), needs
        self.truth.append({"site": self.name, "kind": "column", "path": path, "reports": reports,
                           "stated": stated, "needs": needs, "note": note})

    def add_trap(self, kind: str, path: str, **extra) -> None:
        self.truth.append({"site": self.name, "kind": kind, "path": path, **extra})


def _is_source_line(line: str) -> bool:
    # a repost's "来源：…" line is byline chrome, like the 来源 of every article's byline
    return line.startswith(("来源：", "来源:"))


def faithful_text(report: Report) -> str:
    """The text a faithful extraction gives: the title line once, paragraphs, tab-joined table rows."""
    lines = [line for line in text_lines(report) if not _is_source_line(line)]
    squash = "".join(report.title.split())
    for n in (1, 2):   # a body that opens with the title (maybe split over two lines) does not repeat it
        if "".join("".join(lines[:n]).split()) == squash:
            lines = lines[n:]
            break
    return "\n".join([report.title, *lines])


def assign_docids(reports: list[Report], rng: random.Random, base: int) -> None:
    """CMS document ids grow with publication time, with gaps left by other columns' documents."""
    used: set[int] = set()
    for report in sorted(reports, key=lambda r: (r.published, r.title)):
        docid = base + (report.published - dt.date(2008, 1, 1)).days * 37 + rng.randint(0, 30)
        while docid in used:
            docid += 1
        used.add(docid)
        report.docid = docid


def trs_path(column: str, report: Report, ext: str = "html") -> str:
    """TRS article path under a column: <column>YYYYMM/tYYYYMMDD_<docid>.<ext>."""
    return f"{column}{report.published:%Y%m}/t{report.published:%Y%m%d}_{report.docid}.{ext}"
