"""Find the files an article page publishes: attached report files, and the page images of a 图片版 report.

Reports are often published as "附件：…年度报告.pdf" under a short article, or as a page whose body is only
`<img>` scans (portals.md §6). Attachment anchors are recognised by the file's extension in the path, in
a download script's filename parameter (Hanweb `downfile.jsp?...filename=<hex>.pdf`), or in the anchor
text when the href is an opaque download id. Anchors in page chrome (header, nav, footer, 下载中心,
reader download links) are not attachments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from crawler.read.extract import find_container, visible_chars
from crawler.discover.urls import canonicalize, is_valid_http_url

__all__ = ["AttachmentLink", "attachment_links", "MAX_ATTACHMENTS"]

MAX_ATTACHMENTS = 8
FILE_EXT_RE = re.compile(r"\.(pdf|docx?|wps|rtf|xlsx?|et)$", re.I)
IMAGE_EXT_RE = re.compile(r"\.(png|jpe?g|gif|bmp|tiff?)$", re.I)
# A body with less visible text than this and images in it is an image-only (图片版) report.
IMAGE_ONLY_MAX_CHARS = 150
# Page-chrome containers whose links are never a report's attachments.
_CHROME_RE = re.compile(r"(?:^|[\s_-])(?:foot(?:er)?|nav|navbar|menu|header|head|top|topbar|bottom|sidebar|side|"
                        r"links?|friend|yqlj|share|bdshare|toolbar|login)(?:$|[\s_-]|\d)", re.I)
_CHROME_TEXT_RE = re.compile(r"阅读器|Adobe|Reader|下载中心|客户端|插件|浏览器|WPS\s*Office|办公软件")
_IMAGE_SKIP_RE = re.compile(r"logo|icon|banner|ewm|qrcode|erweima|share|weixin|weibo|button|btn|arrow|dot|"
                            r"spacer|blank|print|close|jiucuo|conac|dzjg|gh\.png|wza|zoom", re.I)
MIN_IMAGE_SIDE = 200
_PARSER = lxml.html.HTMLParser(encoding="utf-8", remove_comments=False)


@dataclass(frozen=True)
class AttachmentLink:
    url: str
    label: str        # the anchor text (often the file's published name) or the image's alt
    kind: str         # "file" | "image"


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
    m = re.match(r"\s*(\d+)", value or "")
    return int(m.group(1)) if m else None


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
    seen: set[str] = set()
    for a in root.iter("a"):
        target = _resolve(a.get("href"), base)
        if target is None or target in seen:
            continue
        label = " ".join(a.text_content().split()) or (a.get("title") or "").strip()
        if _file_ext_of(target, label) is None or _CHROME_TEXT_RE.search(label) or _in_chrome(a):
            continue
        seen.add(target)
        out.append(AttachmentLink(target, label, "file"))
    # finding the article body costs more than the rest: only a page with a report-sized image anywhere needs it
    if any(_report_image(img, base) for img in root.iter("img")):
        container, _ = find_container(root)
        if container is not None and visible_chars(container) < IMAGE_ONLY_MAX_CHARS:
            for img in container.iter("img"):
                src = _report_image(img, base)
                if src is None or src in seen:
                    continue
                seen.add(src)
                out.append(AttachmentLink(src, (img.get("alt") or "").strip(), "image"))
    return out[:MAX_ATTACHMENTS]


def _report_image(img, base: str) -> str | None:
    """The URL of an <img> that may be a page of a scanned report (not an icon, logo or spacer), else None."""
    src = _resolve(img.get("src") or img.get("data-src"), base)
    if src is None or not IMAGE_EXT_RE.search(urlsplit(src).path) or _IMAGE_SKIP_RE.search(src):
        return None
    if any((_side(img.get(k)) or MIN_IMAGE_SIDE) < MIN_IMAGE_SIDE for k in ("width", "height")):
        return None
    return src
