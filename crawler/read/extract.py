"""Main text, title, <meta> fields and byline of a portal article page, without the chrome."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import islice

import lxml.html
from cssselect import GenericTranslator
from lxml import etree

from crawler.vocab import (
    BLOCK_TAGS,
    BYLINE_ALIASES,
    BYLINE_LABELS,
    BYLINE_MAX_CHARS,
    BYLINE_MAX_VALUE,
    BYLINE_PAIR_RE,
    CHROME_BLOCK_MAX_CHARS,
    CHROME_CLASS_RE,
    CHROME_LINE_RE,
    CHROME_WORDS,
    CONTENT_SELECTORS,
    DENSITY_CHROME_PENALTY,
    DENSITY_OVER_SELECTOR,
    DENSITY_TAGS,
    FOOTER_LINE_RE,
    FOOTER_MAX_CHARS,
    GENERIC_SELECTORS,
    HANWEB_CONTENT_BEGIN,
    HANWEB_CONTENT_END,
    LINK_LINE_RATIO,
    MIN_CONTAINER_CHARS,
    NESTED_MATCH_SHARE,
    RELATED_HEADING_RE,
    SITE_NAME_MAX_CHARS,
    SITE_NAME_SUFFIX_RE,
    SKIP_TAGS,
    TITLE_MAX_CHARS,
    TITLE_META,
    TITLE_MIN_CHARS,
    TITLE_SELECTORS,
    TITLE_SEPARATORS_RE,
)

__all__ = ["Page", "extract_page", "compact", "split_html_title"]


@dataclass
class Page:
    title: str               # the report's title
    text: str                # title line, then paragraphs; table rows as tab-joined cells; no chrome
    meta: dict[str, str] = field(default_factory=dict)     # <meta name|property> content, keys lower-cased
    byline: dict[str, str] = field(default_factory=dict)   # 发布日期 / 来源 / 点击数 … found around the body
    html_title: str = ""     # <title> text
    found_by: str = ""       # stage that found the body: hanweb-markers | selector:<css> | density | body | empty


_PARSER = lxml.html.HTMLParser(encoding="utf-8", remove_comments=False, remove_pis=True)
_WS_RE = re.compile(r"[\s\u3000\xa0]+")
_INVISIBLE_RE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_CJK_GAP_RE = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])\s+(?=[\u3000-\u9fff\uff00-\uffef])")
_HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_DATE_RE = re.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}")

_CSS = GenericTranslator()
_CONTENT_XPATHS = tuple((css, etree.XPath(_CSS.css_to_xpath(css, prefix="descendant-or-self::")))
                        for css in CONTENT_SELECTORS)
_TITLE_INSIDE = etree.XPath(" | ".join(_CSS.css_to_xpath(c, prefix="descendant::") for c in TITLE_SELECTORS))
_TITLE_BEFORE = etree.XPath(" | ".join(_CSS.css_to_xpath(c, prefix="preceding::") for c in TITLE_SELECTORS))
_VISIBLE_TEXT = etree.XPath(".//text()[not(ancestor::script or ancestor::style or ancestor::noscript)]")
_HANWEB_BEGIN = etree.XPath("//comment()[contains(., $marker)]")
# Text nodes that may hold a byline label (one C-level scan instead of a Python walk).
_BYLINE_KEYS = sorted({label[:2] for label in BYLINE_LABELS})
_BYLINE_TEXTS = etree.XPath(
    "//text()[(" + " or ".join(f"contains(., '{k}')" for k in _BYLINE_KEYS) + ")"
    " and not(ancestor::script or ancestor::style or ancestor::title)]"
)
#: A byline's block is rendered only when small; a label sitting directly in <body> is read alone.
_BYLINE_BLOCK_MAX_ELEMENTS = 60


def extract_page(html: str, url: str = "") -> Page:
    """Extract a portal article page, in stages (each runs once, on one lxml parse):

    1. parse: lxml.html with comments kept (Hanweb's body markers are comments);
    2. head: <meta name|property> fields and <title>;
    3. container: Hanweb `<$[信息内容]>begin/end` markers, else CONTENT_SELECTORS in order (a match
       must hold MIN_CONTAINER_CHARS), else text-density scoring of blocks (text minus link text,
       chrome words penalised); a tiny selector match (image-only body) is kept unless density
       finds DENSITY_OVER_SELECTOR times more text; last resort <body>;
    4. byline: "label：value" fields (发布日期, 来源, 点击数 …) anywhere on the page, first wins;
    5. render: block elements break lines, inline elements never break nor lose text; tables
       with 2+ cells in a row become one line per <tr>, cells joined by tab, empty cells kept;
       scripts, styles, forms, comments, hidden and small chrome-classed elements are skipped;
    6. chrome lines: lines that ARE chrome (login bar, breadcrumb, byline, share/print, prev/next,
       related-link blocks, footer) are dropped; prose that merely mentions such words stays;
    7. title: meta ArticleTitle > a heading in/above the body > <title> minus the site suffix;
       it is the first line, replacing the body's own first lines when they spell it.
    """
    if not html or not html.strip():
        return Page(title="", text="", found_by="empty")
    try:
        root = lxml.html.document_fromstring(html.encode("utf-8", "surrogatepass"), parser=_PARSER)
    except (etree.ParserError, ValueError):
        return Page(title="", text="", found_by="empty")
    meta = extract_meta(root)
    html_title = clean_inline(root.findtext(".//title") or "")
    byline = extract_byline(root)
    container, found_by = find_container(root)
    if container is None:
        return Page(title=html_title, text="", meta=meta, byline=byline, html_title=html_title, found_by="empty")
    title = choose_title(meta, container, html_title)
    lines = drop_chrome_lines(render_lines(container))
    return Page(title=title, text="\n".join(with_title_first(title, lines)), meta=meta, byline=byline,
                html_title=html_title, found_by=found_by)


# ----------------------------------------------------------------------------- head, byline

def extract_meta(root: etree._Element) -> dict[str, str]:
    """<meta name=…|property=…> contents, keys lower-cased, first non-empty value per key."""
    out: dict[str, str] = {}
    for el in root.iter("meta"):
        key = (el.get("name") or el.get("property") or "").strip().lower()
        value = clean_inline(el.get("content") or "")
        if key and value and key not in out:
            out[key] = value
    return out


def extract_byline(root: etree._Element) -> dict[str, str]:
    """Byline fields (发布日期, 来源, 点击数 …) shown around the body; first occurrence of each wins."""
    out: dict[str, str] = {}
    seen_blocks: set = set()
    for text in _BYLINE_TEXTS(root):
        owner = text.getparent()
        if owner is None:
            continue
        block = nearest_block(owner)
        if block in seen_blocks:
            continue
        seen_blocks.add(block)
        if sum(1 for _ in islice(block.iter(), _BYLINE_BLOCK_MAX_ELEMENTS + 1)) <= _BYLINE_BLOCK_MAX_ELEMENTS:
            lines = [line for line, _ in render_lines(block)]
        else:
            lines = [clean_inline(str(text))]
        for line in lines:
            if len(line) <= BYLINE_MAX_CHARS:
                for label, value in byline_pairs(line):
                    out.setdefault(label, value)
    return out


def byline_pairs(line: str) -> list[tuple[str, str]]:
    """(label, value) pairs of a byline line, labels canonicalised; implausible values left out."""
    pairs = []
    for match in BYLINE_PAIR_RE.finditer(line):
        label, value = match.group(1), match.group(2).strip(" |｜")
        label = BYLINE_ALIASES.get(label, label)
        if not value or len(value) > BYLINE_MAX_VALUE:
            continue
        if label in ("发布日期", "发布时间", "成文日期", "时间", "日期"):
            date = _DATE_RE.search(value)
            if not date:
                continue
            value = value[date.start():].strip()
        elif label in ("点击数", "浏览次数") and not value.isdigit():
            continue
        pairs.append((label, value))
    return pairs


def is_byline(line: str) -> bool:
    """Whether a line consists only of byline fields (and the 字号/打印 widgets next to them)."""
    if len(line) > BYLINE_MAX_CHARS or not any(label in line for label in BYLINE_LABELS):
        return False
    rest = BYLINE_PAIR_RE.sub("", line)
    rest = re.sub(r"[【\[]?(?:打印|关闭|收藏|分享|大|中|小|默认|字号|打印本页|关闭窗口)[】\]]?|[|｜\s:：]", "", rest)
    if rest:
        return False
    return all(len(m.group(2)) <= BYLINE_MAX_VALUE for m in BYLINE_PAIR_RE.finditer(line))


# ----------------------------------------------------------------------------- container

def find_container(root: etree._Element) -> tuple[etree._Element | None, str]:
    """The element holding the article body, and the stage that found it."""
    marked = container_by_hanweb_markers(root)
    if marked is not None:
        return marked, "hanweb-markers"
    tiny = generic = None
    for css, xpath in _CONTENT_XPATHS:
        best, chars = largest_match(xpath(root))
        if best is None:
            continue
        if chars >= MIN_CONTAINER_CHARS:
            return best, f"selector:{css}"
        if css in GENERIC_SELECTORS:
            generic = generic or (best, chars, css)
        else:
            tiny = tiny or (best, chars, css)
    dense, score = container_by_density(root)
    if tiny is not None and (dense is None or score < DENSITY_OVER_SELECTOR * max(tiny[1], MIN_CONTAINER_CHARS)):
        return tiny[0], f"selector:{tiny[2]}"
    if dense is not None:
        return dense, "density"
    if generic is not None:
        return generic[0], f"selector:{generic[2]}"
    body = root.find("body")
    return (body if body is not None else root), "body"


def container_by_hanweb_markers(root: etree._Element) -> etree._Element | None:
    """A fresh <div> holding what sits between Hanweb's <$[信息内容]>begin and end comments."""
    for begin in _HANWEB_BEGIN(root, marker=HANWEB_CONTENT_BEGIN):
        between = []
        for sibling in begin.itersiblings():
            if isinstance(sibling, etree._Comment) and HANWEB_CONTENT_END in (sibling.text or ""):
                holder = lxml.html.Element("div")
                holder.text, begin.tail = begin.tail, None
                for node in between:
                    holder.append(node)   # moves the node, its tail with it
                begin.addnext(holder)     # stays in place: headings above it are still "preceding"
                if visible_chars(holder) or len(holder):
                    return holder
                break
            between.append(sibling)
    return None


def largest_match(matches: list) -> tuple[etree._Element | None, int]:
    """The match with most visible text; a nested match with nearly as much text is preferred
    (an outer .content around an inner .content holds the inner one plus chrome)."""
    best, best_chars = None, -1
    for el in matches:
        chars = visible_chars(el)
        if chars > best_chars:
            best, best_chars = el, chars
    if best is None:
        return None, 0
    for el in matches:
        if el is not best and best in el.iterancestors():
            chars = visible_chars(el)
            if chars >= NESTED_MATCH_SHARE * best_chars:
                best, best_chars = el, chars
    return best, best_chars


def visible_chars(el: etree._Element) -> int:
    """Characters of text under `el`, scripts and styles excluded, whitespace not counted."""
    return sum(len(_WS_RE.sub("", t)) for t in _VISIBLE_TEXT(el))


def container_by_density(root: etree._Element) -> tuple[etree._Element | None, float]:
    """The block with the highest text score: each block's own text (inline descendants included,
    link text excluded, chrome words penalised) counts for itself, its block parent and half
    for its block grandparent (the readability idea, in one pass over the tree)."""
    nearest: dict = {}
    skipped: set = set()
    in_link: set = set()
    own_text: dict = {}
    for el in root.iter(etree.Element):
        parent = el.getparent()
        tag = el.tag if isinstance(el.tag, str) else ""
        if parent in skipped or tag in SKIP_TAGS or is_hidden(el):
            skipped.add(el)
            continue
        if tag == "a" or parent in in_link:
            in_link.add(el)
        nearest[el] = el if (tag in BLOCK_TAGS or parent is None) else nearest[parent]
        if el.text and el not in in_link:
            own_text.setdefault(nearest[el], []).append(el.text)
        if el.tail and parent is not None and parent not in in_link and parent in nearest:
            own_text.setdefault(nearest[parent], []).append(el.tail)
    scores: dict = {}
    for block, pieces in own_text.items():
        text = "".join(pieces)
        score = len(_WS_RE.sub("", text)) - DENSITY_CHROME_PENALTY * sum(text.count(w) for w in CHROME_WORDS)
        if score == 0:
            continue
        up = block.getparent()
        parent_block = nearest.get(up) if up is not None else None
        up = parent_block.getparent() if parent_block is not None else None
        grand_block = nearest.get(up) if up is not None else None
        for target, weight in ((block, 1.0), (parent_block, 1.0), (grand_block, 0.5)):
            if target is not None and target.tag in DENSITY_TAGS:
                scores[target] = scores.get(target, 0.0) + weight * score
    if not scores:
        return None, 0.0
    best = max(scores, key=scores.get)
    return (best, scores[best]) if scores[best] > 0 else (None, 0.0)


def nearest_block(el: etree._Element) -> etree._Element:
    """`el` or its closest block-level ancestor."""
    node = el
    while node is not None:
        if isinstance(node.tag, str) and node.tag in BLOCK_TAGS:
            return node
        parent = node.getparent()
        if parent is None:
            return node
        node = parent
    return el


def is_hidden(el: etree._Element) -> bool:
    """Hidden by attribute or inline style (Hanweb's 'Produced By 大汉网络' link, counters)."""
    if el.get("hidden") is not None or el.get("type") == "hidden":
        return True
    style = el.get("style")
    return bool(style and _HIDDEN_STYLE_RE.search(style))


def is_chrome_block(el: etree._Element) -> bool:
    """A small element whose class or id names it as chrome (share bar, pager, related list …)."""
    names = f"{el.get('class') or ''} {el.get('id') or ''}".strip().lower()
    return bool(names and CHROME_CLASS_RE.search(names) and visible_chars(el) <= CHROME_BLOCK_MAX_CHARS)


# ----------------------------------------------------------------------------- render

def render_lines(container: etree._Element) -> list[tuple[str, float]]:
    """(line, share of link text) for each line of the container's text."""
    lines: list[tuple[str, float]] = []
    buf: list[str] = []
    link_chars = 0
    link_depth = 0

    def flush() -> None:
        nonlocal link_chars
        line = clean_inline("".join(buf))
        if line:
            lines.append((line, min(1.0, link_chars / max(len(line), 1))))
        buf.clear()
        link_chars = 0

    def add(text: str | None, linked: bool) -> None:
        nonlocal link_chars
        if text:
            buf.append(text)
            if linked:
                link_chars += len(text.strip())

    # comments and PIs come as their own events (their tails are text); a skipped subtree still
    # gets its "end" event, where its tail is added like any other element's
    walker = etree.iterwalk(container, events=("start", "end", "comment", "pi"))
    skipped: set = set()
    for event, el in walker:
        if event in ("comment", "pi"):
            add(el.tail, link_depth > 0)
            continue
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if el is not container and (not tag or tag in SKIP_TAGS or is_hidden(el) or is_chrome_block(el)):
                skipped.add(el)
                walker.skip_subtree()
                continue
            if tag == "table" and el is not container and is_data_table(el):
                flush()
                lines.extend((row, 0.0) for row in table_rows(el))
                skipped.add(el)
                walker.skip_subtree()
                continue
            if tag in BLOCK_TAGS or tag in ("br", "hr"):
                flush()
            if tag == "a":
                link_depth += 1
            add(el.text, link_depth > 0)
        else:
            if el in skipped:
                if tag in BLOCK_TAGS:
                    flush()
            else:
                if tag == "a":
                    link_depth -= 1
                if tag in BLOCK_TAGS:
                    flush()
            if el is not container:
                add(el.tail, link_depth > 0)
    flush()
    return lines


def is_data_table(table: etree._Element) -> bool:
    """A table of figures rather than layout: some row has 2+ cells and no table is nested in it."""
    if table.find(".//table") is not None:
        return False
    return any(len(row_cells(row)) >= 2 for row in table_rows_elements(table))


def table_rows_elements(table: etree._Element) -> list[etree._Element]:
    """The table's own <tr>s, through thead/tbody/tfoot."""
    return [row for row in table.iterchildren("tr", "thead", "tbody", "tfoot")
            for row in ([row] if row.tag == "tr" else row.iterchildren("tr"))]


def row_cells(row: etree._Element) -> list[etree._Element]:
    return [cell for cell in row.iterchildren("td", "th")]


def table_rows(table: etree._Element) -> list[str]:
    """One line per row: cell texts (inner line breaks joined by "") joined by tab; empty cells
    stay as empty strings so columns keep their places; rows with no text are dropped."""
    rows = []
    for row in table_rows_elements(table):
        if is_hidden(row):
            continue
        cells = ["".join(line for line, _ in render_lines(cell)) for cell in row_cells(row)]
        if any(cells):
            rows.append("\t".join(cells))
    return rows


def clean_inline(text: str) -> str:
    """Whitespace runs (NBSP, full-width space, newlines) to one space; invisible marks removed."""
    return _WS_RE.sub(" ", _INVISIBLE_RE.sub("", text)).strip()


def compact(text: str) -> str:
    """Text with all whitespace removed, for comparing titles and lines."""
    return _WS_RE.sub("", _INVISIBLE_RE.sub("", text))


# ----------------------------------------------------------------------------- chrome lines

def drop_chrome_lines(lines: list[tuple[str, float]]) -> list[str]:
    """Lines that are not chrome. Tables rows (tab-joined) are never chrome."""
    out: list[str] = []
    in_related = False
    for line, link_share in lines:
        if "\t" in line:
            in_related = False
            out.append(line)
            continue
        flat = compact(line)
        if in_related and (link_share >= LINK_LINE_RATIO or _DATE_RE.fullmatch(flat)):
            continue
        in_related = False
        if RELATED_HEADING_RE.match(flat):
            in_related = True
            continue
        if CHROME_LINE_RE.match(flat) or is_byline(line):
            continue
        if len(line) <= FOOTER_MAX_CHARS and FOOTER_LINE_RE.search(line):
            continue
        out.append(line)
    return out


# ----------------------------------------------------------------------------- title

def choose_title(meta: dict[str, str], container: etree._Element, html_title: str) -> str:
    """meta ArticleTitle > heading in/above the body > <title> minus the site suffix."""
    for key in TITLE_META:
        if meta.get(key):
            return tidy_title(meta[key])
    heading = heading_title(container, html_title)
    if heading:
        return heading
    return tidy_title(split_html_title(html_title)[0])


def heading_title(container: etree._Element, html_title: str) -> str:
    """The article heading: one the <title> contains, else the nearest heading above the body,
    else the first heading inside it."""
    inside = [tidy_title(" ".join(line for line, _ in render_lines(el))) for el in _TITLE_INSIDE(container)[:3]]
    before = [tidy_title(" ".join(line for line, _ in render_lines(el))) for el in _TITLE_BEFORE(container)[-3:]]
    usable = [t for t in inside + before[::-1] if TITLE_MIN_CHARS <= len(t) <= TITLE_MAX_CHARS]
    page_title = compact(html_title)
    for title in usable:
        if page_title and compact(title) in page_title:
            return title
    for title in before[::-1] + inside:
        if TITLE_MIN_CHARS <= len(title) <= TITLE_MAX_CHARS:
            return title
    return ""


def split_html_title(html_title: str) -> tuple[str, str | None]:
    """(article title, site name) from a <title> such as "…年度报告_磐石市人民政府" or Hanweb's
    "…年度报告 剑川县人民政府"; trailing segments that look like site names are cut off."""
    text = clean_inline(html_title)
    separators = list(TITLE_SEPARATORS_RE.finditer(text)) or list(re.finditer(r"\s+", text))
    site = None
    end = len(text)
    while separators:
        sep = separators.pop()
        segment = text[sep.end():end]
        if not (segment and len(segment) <= SITE_NAME_MAX_CHARS and SITE_NAME_SUFFIX_RE.search(segment)):
            break
        site = site or segment
        end = sep.start()
    return (text[:end].strip() or text), site


def tidy_title(title: str) -> str:
    """One line, no gaps between Chinese characters ("报  告" → "报告"), repost tags kept."""
    return _CJK_GAP_RE.sub("", clean_inline(title))


def with_title_first(title: str, lines: list[str]) -> list[str]:
    """The title line, then the body; body lines that spell the title (maybe split) are replaced."""
    if not title:
        return lines
    target = compact(title)
    joined = ""
    for count, line in enumerate(lines[:4], start=1):
        joined += compact(line)
        if joined == target:
            return [title] + lines[count:]
        if not target.startswith(joined):
            break
    return [title] + lines


def body_lines(html: str) -> list[str]:
    """Every rendered line of a page's <body>, page chrome lines dropped: what two pages of one article are
    compared by (extract_continuation)."""
    try:
        root = lxml.html.document_fromstring(html.encode("utf-8", "surrogatepass"), parser=_PARSER)
    except (etree.ParserError, ValueError):
        return []
    body = root.find(".//body")
    return drop_chrome_lines(render_lines(body if body is not None else root))


def extract_continuation(html: str, first_lines: set[str], url: str = "") -> Page:
    """A further page of an article whose first page shows `first_lines` (body_lines of it, read once for all
    its further pages): its own lines are those the first page does not also show (the template, title, byline
    and pager repeat on every page; the report does not). The comparison needs no knowledge of the template,
    so a page of bare tables (where text density finds no body) keeps all of them."""
    if not html or not html.strip():
        return Page(title="", text="", found_by="empty")
    try:
        root = lxml.html.document_fromstring(html.encode("utf-8", "surrogatepass"), parser=_PARSER)
    except (etree.ParserError, ValueError):
        return Page(title="", text="", found_by="empty")
    # one parse: the head and byline as extract_page reads them, the title from the whole body (a further
    # page's body is whatever the first page's is not), then its rendered lines
    meta = extract_meta(root)
    html_title = clean_inline(root.findtext(".//title") or "")
    byline = extract_byline(root)
    body = root.find(".//body")
    body = body if body is not None else root
    title = choose_title(meta, body, html_title)
    own = [line for line in drop_chrome_lines(render_lines(body)) if line not in first_lines]
    return Page(title=title, text="\n".join([title, *own] if title else own), meta=meta, byline=byline,
                html_title=html_title, found_by="continuation")
