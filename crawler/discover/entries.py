"""A listing's entries: rows grouped by repeated structure, their dates, and the main list among them.

Part of the listing analysis (crawler.discover.listing.analyse_listing); no Scrapy in it."""

from __future__ import annotations

from collections import defaultdict

from crawler.discover.page import _classes, _is_article_url, _norm, _text
from crawler.discover.links import _Anchor, _kind
from crawler.vocab import (
    DATE_CELL_MAX_LEN,
    DATE_RE,
    HEADING_CLASS_RE,
    HEADING_TAGS,
    LIST_ARTICLE_WEIGHT,
    LIST_DATE_WEIGHT,
    LIST_HEADING_LEVELS,
    LIST_MIN_TITLE_LEN,
    LIST_TITLE_WEIGHT,
    ROW_TAGS,
)


# --- list entries ------------------------------------------------------------------------------------
def _date_in(text: str) -> str | None:
    for m in DATE_RE.finditer(text):
        y, mo, d = (int(g) for g in m.groups())
        if 1 <= mo <= 12 and 1 <= d <= 31:
            return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def _anchor_counts(anchors: list[_Anchor]) -> dict:
    counts: dict = defaultdict(int)
    for anchor in anchors:
        for el in anchor.el.iterancestors():
            counts[el] += 1
    return counts


def _row_of(anchor: _Anchor, counts: dict):
    """The entry's row: the highest ancestor holding this link alone, or the nearest li/tr/dd with a few links
    (a title plus an attachment icon or a [栏目] tag)."""
    row = anchor.el
    for el in anchor.el.iterancestors():
        if el.tag in ("body", "html"):
            break
        n = counts.get(el, 0)
        if n <= 1:
            row = el
            continue
        if el.tag in ROW_TAGS and n <= 3:
            row = el
        break
    return row


def _row_date(row, anchor: _Anchor) -> str | None:
    """The date in the link's row; failing that, in the next sibling when it is a bare date cell
    (<dt>title</dt><dd>date</dd>)."""
    date = _date_in(_text(row).replace(anchor.text, " ", 1)) or _date_in(anchor.text)
    if date is None:
        sib = row.getnext()
        if sib is not None and isinstance(sib.tag, str) and next(sib.iter("a"), None) is None:
            text = _text(sib)
            date = _date_in(text) if len(text) <= DATE_CELL_MAX_LEN else None
    return date


def _group_key(row) -> tuple:
    parent = row.getparent()
    grand = parent.getparent() if parent is not None else None
    return (row.tag, row.get("class"), getattr(parent, "tag", None),
            parent.get("class") if parent is not None else None, grand if grand is not None else parent)


def _row_entry(anchors: list[tuple[_Anchor, str | None]]) -> tuple[_Anchor, str | None]:
    """The one entry of a row with several links ([区教育局] tag, title, [PDF] icon): the article link with the longest title."""
    return max(anchors, key=lambda ad: (_is_article_url(ad[0].url), len(ad[0].title)))


def _main_list(entries: list[tuple[_Anchor, object, str | None]]) -> tuple[set[int], object | None]:
    """Ids of the anchors in the page's main list (the best-scoring group of repeated rows) and its first row."""
    by_row: dict[object, list] = defaultdict(list)
    for anchor, row, date in entries:
        by_row[row].append((anchor, date))
    groups: dict[tuple, list] = defaultdict(list)
    first_rows = {}
    for row, anchors in by_row.items():
        key = _group_key(row)
        groups[key].append(_row_entry(anchors))
        first_rows.setdefault(key, row)
    best, best_score = None, 0.0
    for key, rows in groups.items():
        n = len(rows)
        dated = sum(1 for _, d in rows if d)
        article = sum(1 for a, _ in rows if _is_article_url(a.url))
        long_titles = sum(1 for a, _ in rows if len(a.title) >= LIST_MIN_TITLE_LEN)
        if n >= 2:
            listish = 2 * dated >= n or 2 * article >= n or (n >= 3 and 2 * long_titles >= n)
        else:
            listish = bool(dated or article)
        if not listish:
            continue
        score = n + LIST_DATE_WEIGHT * dated + LIST_ARTICLE_WEIGHT * article + LIST_TITLE_WEIGHT * long_titles
        if score > best_score:
            best, best_score = key, score
    if best is None:
        return set(), None
    return {id(a) for a, _ in groups[best]}, first_rows[best]


def _list_heading(row) -> str:
    """The heading just before a list (<h2>政府信息公开年报</h2>, div.lm-title), up to three levels out."""
    el = row.getparent()
    for _ in range(LIST_HEADING_LEVELS):
        if el is None:
            return ""
        for sib in el.itersiblings(preceding=True):
            if not isinstance(sib.tag, str):
                continue
            if (sib.tag in HEADING_TAGS or HEADING_CLASS_RE.search(_classes(sib))
                    or next(sib.iter(*HEADING_TAGS), None) is not None):
                return _norm(_text(sib))
        el = el.getparent()
    return ""


def _classify(candidates: list[_Anchor], in_column: bool, listing_url: str, counts: dict,
              chrome) -> tuple[dict[int, str], list]:
    """Kinds of the named links, and (anchor, row, date) for every link outside page chrome that may be a
    list entry (named reports included: they compete with a row's tag links for being its entry)."""
    kinds, entries = {}, []
    for anchor in candidates:
        kind = _kind(anchor, in_column, listing_url)
        if kind:
            kinds[id(anchor)] = kind
        if kind in (None, "report") and not chrome(anchor.el):
            row = _row_of(anchor, counts)
            entries.append((anchor, row, _row_date(row, anchor)))
    return kinds, entries
