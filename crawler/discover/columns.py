"""Does a page name itself an annual-report column? Its labels (ColumnName meta, <title>, breadcrumb, current
nav item) and the column names portals use.

Part of the listing analysis (crawler.discover.listing.analyse_listing); no Scrapy in it."""

from __future__ import annotations

from crawler.discover.page import _classes, _has_report_slug, _norm, _text
from crawler.vocab import (
    COLUMN_NAME_MAX_LEN,
    COLUMN_NAME_RE,
    CRUMB_CLASS_RE,
    CRUMB_LEADS,
    CRUMB_SEPARATORS_RE,
    CURRENT_NAV_TOKENS,
    EDGE_PUNCT,
    LABEL_MAX_LEN,
    LINK_NAMES_REPORT_RE,
    LISTING_TITLE_SEPARATORS_RE,
    NOT_COLUMN_WORDS,
    YEAR_RE,
    YEAR_SPAN_RE,
)


def _labels(root, url: str) -> list[str]:
    """Names the page gives itself: ColumnName meta, <title> pieces, breadcrumb pieces, the current nav item."""
    labels = []
    for meta in root.iter("meta"):
        if (meta.get("name") or "").lower() in ("columnname", "columntype"):
            labels.append(meta.get("content") or "")
    for title in root.iter("title"):
        labels.extend(LISTING_TITLE_SEPARATORS_RE.split(_text(title)))
    crumbs = [el for el in root.iter("div", "span", "p", "td", "ul", "ol") if CRUMB_CLASS_RE.search(_classes(el))]
    crumbs += [t.getparent() for t in root.xpath("//text()[contains(., '位置')]")
               if t.getparent() is not None and any(lead in t for lead in CRUMB_LEADS)]
    for el in crumbs:
        labels.extend(CRUMB_SEPARATORS_RE.split(_text(el)))
    for el in root.iter("a", "li", "span"):
        cls = el.get("class")
        if cls and (el.tag == "a" and "CurrChnlCls" in cls or CURRENT_NAV_TOKENS & set(cls.lower().split())):
            labels.append(_text(el))
    return [n for n in (_norm(label) for label in labels) if 0 < len(n) <= LABEL_MAX_LEN]


def _is_column_name(text: str) -> bool:
    if any(w in text for w in NOT_COLUMN_WORDS):
        return False
    if COLUMN_NAME_RE.match(text):
        return True
    # the other names portals give the column: short, naming the report, no single year (a title has one)
    bare = YEAR_SPAN_RE.sub("", text)
    return len(bare) <= COLUMN_NAME_MAX_LEN and bool(LINK_NAMES_REPORT_RE.search(bare)) and not YEAR_RE.search(bare)


def _is_report_column_page(labels: list[str], url: str) -> bool:
    # "当前位置：首页 > 政府信息公开年报" leaves the lead-in glued to the first piece; check suffixes too.
    for label in labels:
        for lead in CRUMB_LEADS:
            label = label.removeprefix(lead).strip(EDGE_PUNCT)
        if _is_column_name(label):
            return True
    return _has_report_slug(url)
