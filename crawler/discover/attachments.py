"""Find the other documents an article's report continues in: attached files, the page images of a 图片版
report, documents shown through a viewer or an embed, and the article's own further pages.

Reports are often published as "附件：…年度报告.pdf" under a short article, or as a page whose body is only
`<img>` scans (portals.md §6). Attachment anchors are recognised by the file's extension in the path, in
a download script's filename parameter (Hanweb `downfile.jsp?...filename=<hex>.pdf`), or in the anchor
text when the href is an opaque download id; a download-shaped link with no extension anywhere
(`/attach/download?fileId=…`, `DownloadServlet?id=…`) is a ``maybe`` file: fetched, and kept only when the
response is a file (Content-Type, Content-Disposition, magic bytes). Documents shown in the page through
``<iframe>``/``<embed>``/``<object>`` — directly or through a viewer whose ``file=`` parameter names them —
count as attachments too. Anchors in page chrome (header, nav, footer, 下载中心, reader download links) are
not attachments. ``continuation_pages`` finds the article's own next pages (t…_1.html, 3367708_2.html,
createPageHTML in an article): the report's text is all of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from crawler.read.extract import find_container, visible_chars
from crawler.discover.links import _anchors
from crawler.discover.page import _base_url, _meta_charset, _parse
from crawler.discover.pagers import _page_links
from crawler.discover.sites import hints_for
from crawler.discover.urls import canonicalize, is_valid_http_url
from crawler.vocab import ARTICLE_PATH_RE, PAGE_QUERY_KEYS

__all__ = ["AttachmentLink", "attachment_links", "continuation_pages", "script_download_anchors", "MAX_ATTACHMENTS",
           "MAX_PAGES"]

# A 图片版 report runs to a few dozen page images; the spider records a failure past this many.
MAX_ATTACHMENTS = 60
MAX_PAGES = 30            # further pages of one article
FILE_EXT_RE = re.compile(r"\.(pdf|docx?|wps|rtf|xlsx?|et)$", re.I)
IMAGE_EXT_RE = re.compile(r"\.(png|jpe?g|gif|bmp|tiff?)$", re.I)
# A body with less visible text than this and images in it is an image-only (图片版) report.
IMAGE_ONLY_MAX_CHARS = 150
SCAN_RUN_MIN_IMAGES = 3
SCAN_CHARS_PER_IMAGE = 100
# Page-chrome containers whose links are never a report's attachments.
_CHROME_RE = re.compile(r"(?:^|[\s_-])(?:foot(?:er)?|nav|navbar|menu|header|head|top|topbar|bottom|sidebar|side|"
                        r"links?|friend|yqlj|share|bdshare|toolbar|login)(?:$|[\s_-]|\d)", re.I)
_CHROME_TEXT_RE = re.compile(r"阅读器|Adobe|Reader|下载中心|客户端|插件|浏览器|WPS\s*Office|办公软件")
_IMAGE_SKIP_RE = re.compile(r"logo|icon|banner|ewm|qrcode|erweima|share|weixin|weibo|button|btn|arrow|dot|"
                            r"spacer|blank|print|close|jiucuo|conac|dzjg|gh\.png|wza|zoom|"
                            # a file-type icon beside an attachment link: named for the type (ext/docx.gif)
                            r"/ext/|/filetype/|(?:^|[/_-])(?:docx?|pdf|xlsx?|wps|et|zip|rar|txt|ofd|pptx?)\.(?:gif|png|jpe?g)$",
                            re.I)
MIN_IMAGE_SIDE = 200
# Links to a download script that name no extension: the response tells whether a file came.
_DOWNLOAD_URL_RE = re.compile(r"down|attach|fujian|enclosure|getfile|file_?id|servlet|/file/|accessory", re.I)
_ATTACHMENT_LABEL_RE = re.compile(r"附件|下载|原文|报告|年报")
# Viewer pages name their document in a query parameter (pdf.js viewer.html?file=…, ?url=…, ?src=…).
_VIEWER_PARAMS = ("file", "url", "src", "path", "filepath", "fileurl", "doc")
_PARSER = lxml.html.HTMLParser(encoding="utf-8", remove_comments=False)


@dataclass(frozen=True)
class AttachmentLink:
    url: str
    label: str        # the anchor text (often the file's published name) or the image's alt
    kind: str         # "file" | "image" | "maybe" (a download link whose response decides) | "page"


def _file_ext_of(url: str, label: str) -> str | None:
    parts = urlsplit(url)
    m = FILE_EXT_RE.search(parts.path)
    if m:
        return m.group(1).lower()
    if "down" in parts.path.lower() or "file" in parts.path.lower():
        for pair in parts.query.split("&"):
            m = FILE_EXT_RE.search(pair.partition("=")[2])
            if m:
                return m.group(1).lower()
    m = FILE_EXT_RE.search(label.strip())
    return m.group(1).lower() if m else None


def _in_chrome(el) -> bool:
    for anc in el.iterancestors():
        if anc.tag in ("header", "footer", "nav"):
            return True
        ident = f"{anc.get('id') or ''} {anc.get('class') or ''}"
        if ident.strip() and _CHROME_RE.search(ident):
            return True
    return False


def _resolve(href: str | None, base: str) -> str | None:
    href = (href or "").strip()
    if not href or href.startswith(("#", "javascript:", "mailto:", "data:")):
        return None
    try:
        url = canonicalize(urljoin(base, href))
    except ValueError:
        return None
    return url if is_valid_http_url(url) else None


def _side(value: str | None) -> int | None:
    """Pixels of a width/height attribute; None for a relative size (100%, auto): not an icon's."""
    m = re.match(r"\s*(\d+)\s*(?:px)?\s*$", value or "")
    return int(m.group(1)) if m else None


def _unwrap_viewer_value(value: str) -> str:
    """A viewer's document parameter as a URL: preview services (kkFileView onlinePreview?url=…) carry it
    base64-encoded."""
    if "/" in value or "." in value:
        return value
    import base64
    import binascii
    for decode in (base64.b64decode, base64.urlsafe_b64decode):
        try:
            text = decode(value + "=" * (-len(value) % 4)).decode("utf-8")
        except (binascii.Error, ValueError):
            continue
        if text.startswith(("http://", "https://", "/")):
            return text
    return value


def _viewed_document(src: str, base: str) -> str | None:
    """The document an iframe/embed/object shows: its own URL when it is a file, else the file a viewer's
    query names (viewer.html?file=/uploadfile/….pdf)."""
    url = _resolve(src, base)
    if url is None:
        return None
    if FILE_EXT_RE.search(urlsplit(url).path):
        return url
    from urllib.parse import parse_qsl, unquote
    for key, value in parse_qsl(urlsplit(url).query, keep_blank_values=False):
        if key.lower() in _VIEWER_PARAMS and value:
            value = _unwrap_viewer_value(unquote(value))
            target = _resolve(value, url if value.startswith(("http:", "https:")) else base)
            if target and (FILE_EXT_RE.search(urlsplit(target).path) or _DOWNLOAD_URL_RE.search(target)):
                return target
    return None


def attachment_links(html: str, url: str) -> list[AttachmentLink]:
    """Files attached to the article at `url`, in page order, at most MAX_ATTACHMENTS; plus the body's
    images when the body has next to no text (an image-only report). Never raises on bad markup."""
    if not html or not html.strip():
        return []
    try:
        root = lxml.html.document_fromstring(html.encode("utf-8", "surrogatepass"), parser=_PARSER)
    except (etree.ParserError, ValueError):
        return []
    base_el = root.find(".//base[@href]")
    base = _resolve(base_el.get("href"), url) if base_el is not None else None
    base = base or url
    out: list[AttachmentLink] = []
    seen: set[str] = {canonicalize(url)}
    for el in root.iter("iframe", "embed", "object"):
        target = _viewed_document(el.get("src") or el.get("data") or "", base)
        if target and target not in seen and not _in_chrome(el):
            seen.add(target)
            out.append(AttachmentLink(target, (el.get("title") or "").strip(), "file"))
    for a in root.iter("a"):
        target = _resolve(a.get("href"), base)
        if target is None or target in seen:
            continue
        label = " ".join(a.text_content().split()) or (a.get("title") or "").strip()
        if _CHROME_TEXT_RE.search(label) or _in_chrome(a):
            continue
        viewed = _viewed_document(a.get("href") or "", base)
        if viewed is not None and viewed != target:
            # [在线预览] links to a viewer page: the document it shows is the attachment
            if viewed not in seen:
                seen.add(viewed)
                out.append(AttachmentLink(viewed, label, "file"))
            continue
        if _file_ext_of(target, label) is not None or _file_ext_of(target, a.get("title") or "") is not None:
            kind = "file"
        elif (_DOWNLOAD_URL_RE.search(urlsplit(target).path + "?" + urlsplit(target).query)
              and _ATTACHMENT_LABEL_RE.search(label) and not ARTICLE_PATH_RE.search(urlsplit(target).path)):
            kind = "maybe"
        else:
            continue
        seen.add(target)
        out.append(AttachmentLink(target, label, kind))
    # finding the article body costs more than the rest: only a page with a report-sized image anywhere needs it
    if any(_report_image(img, base) for img in root.iter("img")):
        container, _ = find_container(root)
        images = [img for img in container.iter("img") if _report_image(img, base)] if container is not None else []
        chars = visible_chars(container) if container is not None else 0
        # next to no text, or a run of page scans whose only text is the catalogue table (索引号, 发布机构 …)
        if container is not None and (chars < IMAGE_ONLY_MAX_CHARS or
                                      (len(images) >= SCAN_RUN_MIN_IMAGES and chars < SCAN_CHARS_PER_IMAGE * len(images))):
            for img in container.iter("img"):
                src = _report_image(img, base)
                if src is None or src in seen:
                    continue
                seen.add(src)
                out.append(AttachmentLink(src, (img.get("alt") or "").strip(), "image"))
    # one more than the cap: the caller sees the cap was reached and says so
    return out[:MAX_ATTACHMENTS + 1]


def _report_image(img, base: str) -> str | None:
    """The URL of an <img> that may be a page of a scanned report (not an icon, logo or spacer), else None."""
    src = _resolve(img.get("src") or img.get("data-src"), base)
    if src is None or not IMAGE_EXT_RE.search(urlsplit(src).path) or _IMAGE_SKIP_RE.search(src):
        return None
    if any((_side(img.get(k)) or MIN_IMAGE_SIDE) < MIN_IMAGE_SIDE for k in ("width", "height")):
        return None
    return src


_LEAF_RE = re.compile(r"^(?P<stem>.+?)(?P<ext>\.[A-Za-z]{2,5})$")


def continuation_pages(html: str, url: str) -> list[str]:
    """The article's own further pages, in order: pager links and pager scripts (createPageHTML, countPage)
    that name pages of this very article — `<stem>_N.<ext>` / `<stem>-N.<ext>` beside `<stem>.<ext>`, or
    this URL with a page parameter — never other articles."""
    parts = urlsplit(canonicalize(url))
    leaf = parts.path.rsplit("/", 1)[-1]
    m = _LEAF_RE.match(leaf)
    directory = parts.path[: len(parts.path) - len(leaf)]
    pages: dict[str, int] = {}
    # one parse, read with the same pager rules as listing pages (crawler.discover.pagers)
    root = _parse(html)
    if root is None:
        return []
    base = _base_url(root, parts.geturl())
    anchors = _anchors(root, base, _meta_charset(root))
    page_keys = PAGE_QUERY_KEYS | frozenset(k.lower() for k in hints_for(url).page_keys)
    candidates, _, _ = _page_links(root, anchors, parts.geturl(), base, page_keys,
                                next(root.iter("record"), None) is not None)
    if m:
        # numbered links anywhere that carry this article's own stem (a pager the listing rules do not
        # take for one: DedeCMS numbers pages of a numeric document id, 3367708_3.html)
        candidates += [a.url for a in anchors if m.group("stem") in a.url]
    for page in candidates:
        p = urlsplit(page)
        number = None
        if m and p.path.startswith(directory) and not p.query:
            other = p.path[len(directory):]
            n = re.fullmatch(re.escape(m.group("stem")) + r"[_-](\d{1,3})" + re.escape(m.group("ext")), other)
            if n:
                number = int(n.group(1))
        elif p.path == parts.path and p.query:
            keys = dict(pair.partition("=")[::2] for pair in p.query.split("&"))
            own = dict(pair.partition("=")[::2] for pair in parts.query.split("&")) if parts.query else {}
            changed = {k for k in keys if keys[k] != own.get(k)}
            if len(changed) == 1 and keys[next(iter(changed))].isdigit():
                number = int(keys[next(iter(changed))])
        if number is not None and number > 0:
            pages.setdefault(page, number)
    return sorted(pages, key=pages.get)[:MAX_PAGES]


def script_download_anchors(html: str) -> list[tuple[int, str]]:
    """File links a script opens (``<a href="javascript:void(0)" onclick="downloadFile('…')">…年度报告.docx</a>``):
    (index among the page's ``a[onclick]`` elements, label) of those whose label names a file. Their URL exists
    only when the script runs, so a browser clicks them (spiders/reports.py)."""
    if not html or "onclick" not in html.lower():
        return []
    try:
        root = lxml.html.document_fromstring(html.encode("utf-8", "surrogatepass"), parser=_PARSER)
    except (etree.ParserError, ValueError):
        return []
    out = []
    for index, a in enumerate(el for el in root.iter("a") if el.get("onclick") is not None):
        href = (a.get("href") or "").strip().lower()
        if href and not href.startswith(("javascript:", "#")):
            continue        # a real href is followed as it is
        label = " ".join(a.text_content().split()) or (a.get("title") or "").strip()
        named = _file_ext_of("", label) or _file_ext_of("", a.get("title") or "")
        if named and not _in_chrome(a) and not _CHROME_TEXT_RE.search(label):
            out.append((index, label))
    return out[:MAX_ATTACHMENTS]
