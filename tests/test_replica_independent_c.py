"""Self-check of the independent replica sites vsb_bodao, cms_php_county and gkml_platform, served in-process and
read over plain HTTP as a client would: every truth path serves its report (the file behind an extensionless
download.jsp, the PDF under a short page, the scanned images of a 图片版), every report column's whole list — walked
through its pager links, or through the POSTed fragment pages its goPage(n) asks for — names exactly its report and
look-alike entries, and the counts the pages state are the truth's."""

from __future__ import annotations

import io
import re
import subprocess
import urllib.error
import urllib.request
from urllib.parse import quote, unquote, urlencode, urljoin, urlsplit

import lxml.html
import pytest
from docx import Document

from replica.independent.cms_php_county import CmsPhpCounty
from replica.independent.gkml_platform import GkmlPlatform
from replica.independent.vsb_bodao import VsbBodao
from replica.server import serve, stop

OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
CLASSES = (VsbBodao, CmsPhpCounty, GkmlPlatform)
MINE = tuple(cls.name for cls in CLASSES)
ENCODINGS = {cls.name: cls.encoding for cls in CLASSES}
PAGER_WORDS = {"首页", "上一页", "下一页", "尾页", "末页", "上页", "下页"}


@pytest.fixture(scope="module")
def world():
    sites = [cls() for cls in CLASSES]
    ctx, servers = serve(sites, base="127.0.6", port=0)
    yield ctx, {s.name: s for s in sites}
    stop(ctx, servers)


def fetch(ctx, site: str, path: str, data: dict | None = None) -> tuple[int, dict, bytes]:
    url = quote(urljoin(ctx.bases[site], path), safe=":/?&=%,#")
    body = urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers={"User-Agent": "Mozilla/5.0 replica-selfcheck"})
    try:
        with OPENER.open(request, timeout=30) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def ok(ctx, site: str, path: str, data: dict | None = None) -> str:
    status, _, body = fetch(ctx, site, path, data)
    assert status == 200, (site, path, status)
    return body.decode(ENCODINGS[site])


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def page_text(page: str) -> str:
    root = lxml.html.document_fromstring(page)
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    return squash(root.text_content())


def reports(site) -> list[dict]:
    return [e for e in site.truth if e["kind"] == "report"]


def columns(site) -> list[dict]:
    return [e for e in site.truth if e["kind"] == "column"]


def pdf_text(data: bytes) -> str:
    proc = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, timeout=60, check=True)
    return squash(proc.stdout.decode("utf-8"))


def docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs] + [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return squash("".join(parts))


def prose_needles(entry: dict) -> list[str]:
    return [line for line in entry["text"].splitlines()[1:] if "\t" not in line]


# -- every site ------------------------------------------------------------------------------------------

def test_deterministic_and_scaled():
    def plain(site) -> list[dict]:
        return [{k: v for k, v in e.items() if k != "_report"} for e in site.truth]
    for cls in CLASSES:
        one, two = cls(), cls()
        assert one.name == cls.__module__.rsplit(".", 1)[1] and one.title
        assert plain(one) == plain(two), cls.name
        kinds = [e["kind"] for e in one.truth]
        assert {"report", "lookalike", "column"} <= set(kinds), cls.name
        assert 15 <= kinds.count("report") <= 40, cls.name
        assert [e["kind"] for e in cls(2).truth].count("report") > 1.4 * kinds.count("report"), cls.name
        assert sum(e["reports"] for e in columns(one)) == kinds.count("report"), cls.name
        paths = [p for e in one.truth if e["kind"] == "report" for p in e["paths"]]
        assert len(paths) == len(set(paths))


@pytest.mark.parametrize("name", MINE)
def test_truth_paths_serve_the_report(world, name):
    ctx, sites = world
    years = set()
    for entry in reports(sites[name]):
        years.add(entry["year"])
        for path in entry["paths"]:
            page = ok(ctx, name, path)
            assert "网站标识码" in page and "当前位置" in page and entry["title"] in page, path
            kind = entry.get("raw_kind")
            if kind in ("pdf", "docx"):
                assert f'href="{entry["raw_path"].replace("&", "&amp;")}"' in page
                status, headers, data = fetch(ctx, name, entry["raw_path"])
                assert status == 200
                seen = pdf_text(data) if kind == "pdf" else docx_text(data)
                assert data[:5] == b"%PDF-" if kind == "pdf" else data[:4] == b"PK\x03\x04"
                # the article holds none of the report's prose: only the file does
                assert not any(squash(line) in page_text(page) for line in prose_needles(entry) if len(line) > 15)
                for line in prose_needles(entry):
                    assert squash(line) in seen, (path, line[:40])
            elif kind == "image":
                for part in entry["parts"]:
                    assert f'src="{part}"' in page
                    status, headers, data = fetch(ctx, name, part)
                    assert status == 200 and data[:8] == b"\x89PNG\r\n\x1a\n" and headers["Content-Type"] == "image/png"
                assert len(entry["parts"]) >= 2 and entry["ocr"]
                assert not any(squash(line) in page_text(page) for line in prose_needles(entry) if len(line) > 15)
            else:
                seen = page_text(page)
                for line in entry["text"].splitlines():
                    assert squash(line) in seen, (path, line[:40])
                for needle in entry["must_contain"]:
                    assert squash(needle) in seen, (path, needle)
    assert max(years) >= 2021 and min(years) <= 2019, years
    assert fetch(ctx, name, "/no/such/page.html")[0] == 404
    home = ok(ctx, name, "/")
    assert "网站标识码" in home and "ICP备" in home


# -- column walking ------------------------------------------------------------------------------------------

def walk_column(ctx, name: str, first: str) -> tuple[list[str], list[str]]:
    """Every listing page of a column and the entries (anchors with a title attribute) they list, in order.

    Static pages: follow pager anchors (pager words or page numbers) that stay under the column's path.  A page
    with a hidden ``#pageForm`` is the catalogue's: POST the form to its action, then follow the fragment's
    ``javascript:goPage(n)`` links by posting the form again with pageNo=n.  A page served under two names is
    one page."""
    stem = re.sub(r"(index\.html?|\.htm|\.jsp|\.php)$", "", urlsplit(first).path)
    todo, pages, listed = [(first, None)], [], []
    seen, bodies = set(), set()
    while todo:
        path, form = todo.pop(0)
        key = (path, tuple(sorted(form.items())) if form else None)
        if key in seen:
            continue
        seen.add(key)
        page = ok(ctx, name, path, form)
        if page in bodies:          # one page under two names (the entry URL and its 首页 link)
            continue
        bodies.add(page)
        pages.append(page)
        root = lxml.html.fragment_fromstring(page, create_parent="div") if form else lxml.html.document_fromstring(page)
        found = root.xpath('//form[@id="pageForm"]')
        if found:
            action = found[0].get("action")
            fields = {i.get("name"): i.get("value") or "" for i in found[0].iter("input")}
            todo.append((action, fields))
        base = urljoin("http://h", path)
        for a in root.iter("a"):
            href = a.get("href")
            text = a.text_content().strip()
            if not href or href.startswith("#"):
                continue
            go = re.fullmatch(r"javascript:goPage\((\d+)\)", href)
            if go and form is not None:
                todo.append((path, {**form, "pageNo": go.group(1)}))
                continue
            if href.startswith("javascript"):
                continue
            target = urlsplit(urljoin(base, href))
            if target.netloc != "h":
                continue
            local = target.path + (f"?{target.query}" if target.query else "")
            if a.get("title"):
                listed.append(local)
            elif (text in PAGER_WORDS or text.isdigit()) and target.path.startswith(stem):
                todo.append((local, None))
    return pages, listed


def stated_on(pages: list[str]) -> int | None:
    for page in pages:
        for pattern in (r'<span class="p_t">共(\d+)条</span>', r"共(\d+)条", r'<a class="a1">(\d+)条</a>'):
            found = re.search(pattern, page)
            if found:
                return int(found.group(1))
    return None


@pytest.mark.parametrize("name", MINE)
def test_columns_list_exactly_their_reports(world, name):
    ctx, sites = world
    site = sites[name]
    report_paths = {p for e in reports(site) for p in e["paths"]}
    looks = {e["path"] for e in site.truth if e["kind"] == "lookalike"}
    for column in columns(site):
        pages, listed = walk_column(ctx, name, column["path"])
        rows = list(dict.fromkeys(listed))
        assert len(rows) == len(listed), ("an entry listed on two pages", column["path"])
        assert set(rows) <= report_paths | looks, set(rows) - report_paths - looks
        assert len(set(rows) & report_paths) == column["reports"], column["path"]
        assert set(rows) & looks, ("no look-alike", column["path"])
        assert len(pages) >= 2, column["path"]
        assert stated_on(pages) == column["stated"] == len(rows), column["path"]
    # every report is in some column
    seen = set()
    for column in columns(site):
        seen |= set(walk_column(ctx, name, column["path"])[1])
    assert report_paths <= seen


def test_columns_are_reached_from_the_home_page(world):
    ctx, sites = world
    for name, site in sites.items():
        found, frontier = {"/"}, ["/"]
        for _ in range(3):
            nxt = []
            for path in frontier:
                status, headers, body = fetch(ctx, name, path)
                if status != 200 or "html" not in headers.get("Content-Type", ""):
                    continue
                for a in lxml.html.document_fromstring(body.decode(ENCODINGS[name])).iter("a"):
                    target = urlsplit(urljoin(urljoin("http://h", path), a.get("href") or "#"))
                    local = target.path + (f"?{target.query}" if target.query else "")
                    if target.netloc == "h" and local not in found and not a.get("title"):
                        found.add(local)
                        nxt.append(local)
            frontier = nxt
        for column in columns(site):
            assert column["path"] in found, (name, column["path"])


# -- vsb_bodao ---------------------------------------------------------------------------------------------

def test_vsb_pages_backwards_and_query_only_dynamic_pager(world):
    ctx, sites = world
    first = ok(ctx, "vsb_bodao", "/zwgk/zfxxgknb.htm")
    pages = int(re.search(r'<span class="p_t">1/(\d+)</span>', first).group(1))
    assert pages >= 2
    nxt = re.search(r'<span class="p_next p_fun"><a href="([^"]+)">下页</a>', first).group(1)
    assert nxt == f"zfxxgknb/{pages - 1}.htm"
    assert 'href="../info/1061/' in first and '<div class="v_news_content">' not in first
    second = ok(ctx, "vsb_bodao", urljoin("/zwgk/zfxxgknb.htm", nxt))
    assert '<span class="p_no_d">2</span>' in second and 'href="../../info/1061/' in second
    dyn = ok(ctx, "vsb_bodao", "/bmnb.jsp?urltype=tree.TreeTempUrl&wbtreeid=1063")
    assert re.search(r'href="\?a3t=\d+&amp;a3p=2&amp;a3c=10&amp;urltype=tree.TreeTempUrl&amp;wbtreeid=1063"', dyn)
    entry = reports(sites["vsb_bodao"])[0]
    page = ok(ctx, "vsb_bodao", entry["paths"][0])
    assert '<div id="vsb_content_2"><div class="v_news_content">' in page and "_showDynClicks(\"wbnews\"" in page


def test_vsb_downloads_are_extensionless_and_named(world):
    ctx, sites = world
    by_variant = {e["variant"]: e for e in reports(sites["vsb_bodao"]) if e.get("variant")}
    assert set(by_variant) == {"pdf_only", "docx_only"}
    for entry in by_variant.values():
        raw = entry["raw_path"]
        assert raw.startswith("/system/_content/download.jsp?urltype=news.DownloadAttachUrl&owner=")
        assert not re.search(r"\.(pdf|docx?)\b", raw)
        status, headers, data = fetch(ctx, "vsb_bodao", raw)
        assert status == 200 and headers["Content-Type"] == "application/octet-stream"
        name = unquote(re.search(r'filename="([^"]+)"', headers["Content-Disposition"]).group(1).replace("+", " "))
        assert name == entry["download_name"] and name.endswith("." + entry["raw_kind"])
        page = ok(ctx, "vsb_bodao", entry["paths"][0])
        assert f"附件【<a href=\"{raw.replace('&', '&amp;')}\" target=\"_blank\">{name}</a>】" in page
    assert fetch(ctx, "vsb_bodao", "/system/_content/download.jsp?urltype=news.DownloadAttachUrl&owner=1&wbfileid=2")[0] == 404


# -- cms_php_county ------------------------------------------------------------------------------------------

def test_php_county_is_gbk_with_a_last_page_link(world):
    ctx, sites = world
    site = sites["cms_php_county"]
    column = columns(site)[0]["path"]
    status, headers, body = fetch(ctx, "cms_php_county", column)
    assert headers["Content-Type"] == "text/html; charset=gbk" and b'content="text/html; charset=gbk"' in body
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    page = body.decode("gbk")
    assert "<th>标题</th>" in page and "发布日期</th>" in page
    pages = -(-columns(site)[0]["stated"] // 10)
    assert f'&amp;page={pages}" class="a1">末页</a>' in page
    # the window of page numbers does not reach the last page from page 1: only 末页 / 下一页 do
    assert f'>{pages}</a>' not in page
    hub = ok(ctx, "cms_php_county", "/index.php?m=content&c=index&a=lists&catid=5")
    assert column.replace("&", "&amp;") in hub
    image = next(e for e in reports(site) if e.get("variant") == "image_pages")
    assert image["title"].endswith("（图片版）")


# -- gkml_platform -------------------------------------------------------------------------------------------

def test_gkml_list_is_only_in_the_posted_fragment(world):
    ctx, sites = world
    site = sites["gkml_platform"]
    column = columns(site)[0]
    page = ok(ctx, "gkml_platform", column["path"])
    assert 'id="pageForm"' in page and "function goPage(n)" in page and 'type: "POST"' in page
    assert not any(e["title"] in page for e in reports(site))       # no row in the page itself
    assert not re.search(r"共\d+条", page)
    first = ok(ctx, "gkml_platform", "/xxgk/infoList.jsp", {"pageNo": "1", "pageSize": "15", "catId": "1081"})
    assert f"共{column['stated']}条" in first and "javascript:goPage(2)" in first
    assert first.lstrip().startswith("<tr><td>")
    rows = lxml.html.fragment_fromstring(f"<table>{first}</table>").xpath("//tr[td/a[@title]]")
    assert len(rows) == 15 and all(len(r.findall("td")) == 4 for r in rows)
    second = ok(ctx, "gkml_platform", "/xxgk/infoList.jsp", {"pageNo": "2", "pageSize": "15", "catId": "1081"})
    assert "第2/" in second and second != first
    looks = [e["title"] for e in site.truth if e["kind"] == "lookalike"]
    assert any("信息公开指南" in t for t in looks) and any("工作要点" in t for t in looks)
    pdf = next(e for e in reports(site) if e.get("variant") == "pdf_attachment")
    status, headers, data = fetch(ctx, "gkml_platform", pdf["raw_path"])
    assert status == 200 and headers["Content-Type"] == "application/pdf" and data[:5] == b"%PDF-"
