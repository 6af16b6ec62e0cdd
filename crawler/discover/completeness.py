"""How complete a column's walk is: what the column states about its list against what the walk found.

A report column's pages say how long their list is in many ways: 共35条 beside the pager, 共4页 / 第1/4页,
``totalRecord:160`` in a Hanweb init, ``createPageHTML(4, …)``, a JSON answer's ``totalCount``, a last page
number. The walk records the distinct entry URLs it found and by which means: ``static`` (plain HTTP of the
pages the HTML and its scripts name), ``api`` (a list API or HTML fragment the page calls, replayed), or
``browser`` (Chromium operating the page). A column found short of what it states climbs that ladder; one
still short at the top is a recorded failure with the figures, never a silent "0 failures".

This module is the bookkeeping and the reading of stated figures, with no Scrapy in it; the spider decides
when to escalate (spiders/reports.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Stated", "stated_figures", "ColumnWalk", "ColumnLedger", "LADDER"]

# The means of walking a list, cheapest first: the ladder a short column climbs.
LADDER = ("static", "api", "browser")

# 共35条 / 共 35 条记录 / 共有35篇 / 总记录数：35 / 35条记录 (the units lists count in; 个/项/件 also count things
# in prose, so they are left out).
_TOTAL_TEXT_RE = re.compile(r"共\s*有?\s*(\d{1,6})\s*(?:条|篇)|(?:总记录数|记录总数|总条数|信息总数|总记录)\s*[:：为]?\s*"
                            r"(\d{1,6})|(?<![\d/])(\d{1,6})\s*条记录")
# Record totals in scripts and data islands: totalRecord:160, "totalCount": 35, recordCount = 35 …
_TOTAL_SCRIPT_RE = re.compile(
    r"""["']?\b(?:total_?records?|total_?count|record_?count|total_?num|total_?rows|total_?size|record_?total|"""
    r"""all_?count|all_?records?|row_?count|total_?elements|total_?items|totalrow|total)\b["']?\s*[:=]\s*"""
    r"""["']?(\d{1,6})\b""", re.I)
# 共4页 / 第1/4页 / 页次：1/4 / 1/4页
_PAGES_TEXT_RE = re.compile(r"共\s*(\d{1,4})\s*页|第?\s*\d{1,4}\s*/\s*(\d{1,4})\s*页|页次\s*[:：]?\s*\d{1,4}\s*/\s*(\d{1,4})")
_PAGES_SCRIPT_RE = re.compile(
    r"""["']?\b(?:count_?page|total_?pages?|page_?count|page_?total|total_?page_?num|max_?page|page_?num_?total|"""
    r"""pages|page_?size_?total)\b["']?\s*[:=]\s*["']?(\d{1,4})\b""", re.I)
_CREATE_PAGE_RE = re.compile(r"createPageHTML\s*\(\s*(?:['\"][^'\"]*['\"]\s*,\s*)?['\"]?(\d{1,4})", re.I)
_PER_PAGE_SCRIPT_RE = re.compile(r"""["']?\b(?:per_?page|page_?size|rows|limit)\b["']?\s*[:=]\s*["']?(\d{1,4})\b""",
                                 re.I)


@dataclass(frozen=True)
class Stated:
    """What one listing page (or list-API answer) says about the whole list."""

    total: int | None = None        # entries in the whole list
    pages: int | None = None        # pages of the whole list
    per_page: int | None = None     # entries per page, when the page's script says
    source: str = ""                # the words that said it, for the failure line

    def __bool__(self) -> bool:
        return self.total is not None or self.pages is not None


def _first_int(match: re.Match) -> int:
    return int(next(g for g in match.groups() if g))


def stated_figures(text: str) -> Stated:
    """The list's length as the page states it, from its HTML (pager text and scripts alike).

    Several statements may disagree (a sidebar's 共3条 beside the list's 共35条): the largest counts, since a
    figure taken too low would hide a miss while one too high only costs an escalation.
    """
    total = pages = per_page = None
    source = []
    totals = [(_first_int(m), m.group(0)) for m in _TOTAL_TEXT_RE.finditer(text)]
    totals += [(int(m.group(1)), m.group(0)) for m in _TOTAL_SCRIPT_RE.finditer(text)]
    totals = [(n, s) for n, s in totals if n > 0]
    if totals:
        total, words = max(totals)
        source.append(" ".join(words.split()))
    counts = [(_first_int(m), m.group(0)) for m in _PAGES_TEXT_RE.finditer(text)]
    counts += [(int(m.group(1)), m.group(0)) for m in _PAGES_SCRIPT_RE.finditer(text)]
    counts += [(int(m.group(1)), m.group(0)) for m in _CREATE_PAGE_RE.finditer(text)]
    counts = [(n, s) for n, s in counts if n > 0]
    if counts:
        pages, words = max(counts)
        source.append(" ".join(words.split()))
    sizes = [int(m.group(1)) for m in _PER_PAGE_SCRIPT_RE.finditer(text) if int(m.group(1)) > 0]
    if sizes:
        per_page = max(sizes)
    return Stated(total, pages, per_page, "; ".join(source))


@dataclass
class ColumnWalk:
    """One report column's walk: its entries found so far, what its pages stated, the means used."""

    url: str                        # the column's first listing page
    site: str
    found: set[str] = field(default_factory=set)
    stated_total: int | None = None
    stated_pages: int | None = None
    per_page: int = 0               # entries on the first page read (or the script's page size)
    source: str = ""
    method: str = "static"          # the highest rung used so far
    tried: list[str] = field(default_factory=lambda: ["static"])
    pages: int = 0                  # listing pages (and API answers) read
    capped: bool = False            # a per-site cap stopped the walk
    first_html: str = ""            # the first page as served: what the next rung works from
    base: str = ""                  # its base URL: what the answers of its data calls resolve against
    finished: bool = False
    stopped_early: bool = False     # a re-crawl stopped it at known reports on purpose: not judged
    children: set[str] = field(default_factory=set)   # column pages this one links to
    skipped: list[str] = field(default_factory=list)  # pages the walk knows it could not ask for, and why
    last_new: int = 0               # entries the last page read brought that the walk had not met

    def note_page(self, entries, stated: Stated | None = None, *, method: str = "static") -> int:
        """One page of the list read; returns how many of its entries were new."""
        entries = set(entries)
        new = len(entries - self.found)
        self.last_new = new
        self.found |= entries
        self.pages += 1
        if self.pages == 1:
            # the first page's length is the page size (a browser's growing list or a later page is not)
            self.per_page = max(self.per_page, len(entries))
        if LADDER.index(method) > LADDER.index(self.method):
            self.method = method
        if stated:
            if stated.total is not None and (self.stated_total is None or stated.total > self.stated_total):
                self.stated_total = stated.total
                self.source = stated.source
            if stated.pages is not None and (self.stated_pages is None or stated.pages > self.stated_pages):
                self.stated_pages = stated.pages
                self.source = self.source or stated.source
            if stated.per_page:
                self.per_page = max(self.per_page, stated.per_page)
        return new

    def skip(self, why: str) -> None:
        """A page of the list the walk saw but could not ask for: without a stated count to meet, the walk is
        not complete (with one, the count decides)."""
        self.skipped.append(why)

    @property
    def expected(self) -> int | None:
        """Entries the column states (共N条 …), else the fewest its page count implies (pages − 1 full pages
        and one more entry), else None."""
        if self.stated_total is not None:
            return self.stated_total
        if self.stated_pages and self.stated_pages > 1 and self.per_page:
            return (self.stated_pages - 1) * self.per_page + 1
        return None

    @property
    def complete(self) -> bool:
        """Found at least what the column states (共N条: whatever a cap left unasked); else at least what its page
        count implies, when no cap cut the walk; a column that states nothing is complete when its walk found
        entries and no cap cut it short (a page of no entries is never a whole list)."""
        if self.stated_total is not None:
            return len(self.found) >= self.stated_total    # a cap's unasked pages, if any, are counted here
        if self.capped:
            return False                # a page count's floor met is not the whole list a cap may have cut
        expected = self.expected
        if expected is not None:
            return len(self.found) >= expected
        # pages the static walk could not ask for were clicked through by the browser, if it got that far
        return bool(self.found) and (not self.skipped or self.method == "browser")

    def next_rung(self) -> str | None:
        """The next means to try on a short column, or None at the top of the ladder."""
        for rung in LADDER:
            if not any(t.split(" ", 1)[0] == rung for t in self.tried):
                return rung
        return None

    def shortfall(self) -> str:
        """The failure line of a column still short at the top of the ladder."""
        expected = self.expected
        tried = ", ".join(self.tried)
        if self.capped:
            return (f"found {len(self.found)} entries before the listing-page cap"
                    + (f" of {expected} the page states ({self.source})" if expected is not None else "")
                    + f"; tried {tried}")
        if expected is None and self.skipped:
            return (f"found {len(self.found)} entries; left out {len(self.skipped)} pages ({self.skipped[0]}); "
                    f"tried {tried}")
        if expected is None:
            return f"found no entries in the column; tried {tried}"
        what = "the page states" if self.stated_total is not None else "its page count implies"
        return f"found {len(self.found)} of {expected} {what} ({self.source}); tried {tried}"

    def record(self) -> dict:
        """The `listings` row's completeness fields."""
        return {"expected": self.expected, "found": len(self.found), "method": self.method,
                "complete": self.complete, "stated": self.source, "tried": ",".join(self.tried)}


class ColumnLedger:
    """Every column walked in a crawl, by its first page's URL."""

    def __init__(self):
        self.walks: dict[str, ColumnWalk] = {}

    def walk(self, url: str, site: str) -> ColumnWalk:
        if url not in self.walks:
            self.walks[url] = ColumnWalk(url, site)
        return self.walks[url]

    def get(self, url: str | None) -> ColumnWalk | None:
        return self.walks.get(url) if url else None

    def is_parent(self, walk: ColumnWalk) -> bool:
        """A column page without entries of its own whose linked columns have them: a parent (政府信息公开年报
        over 县政府及部门年报, 乡镇年报 …), judged through its children."""
        return not walk.found and walk.expected is None and any(
            (child := self.walks.get(url)) is not None and child.found for url in walk.children)

    def of_site(self, site: str) -> list[ColumnWalk]:
        return [w for w in self.walks.values() if w.site == site]

    def __iter__(self):
        return iter(list(self.walks.values()))
