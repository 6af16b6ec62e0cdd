"""Self-check of the independent replica sites multipage_articles, viewer_documents, extensionless_downloads and
same_name_towns (with its two county sites), served in-process and read over plain HTTP: every truth path serves its
report (all pages of a paginated article, the file behind a viewer or an extensionless download), every report
column's whole list names exactly its report entries, the counts the pages state are the truth's, and the
variants each site claims are really what it serves."""

from __future__ import annotations

import base64
import difflib
import io
import re
import shutil
import subprocess
import urllib.error
import urllib.request
from urllib.parse import parse_qs, quote, unquote, urljoin, urlsplit

import lxml.html
import pytest
from docx import Document

from replica.independent import REGISTRY
from replica.independent.extensionless_downloads import DOWNLOAD_JS, IMAGE_PAGES, ExtensionlessDownloads
from replica.independent.multipage_articles import MultipageArticles
from replica.independent.same_name_towns import SAME_NAMES, YEARS, Lushi, Mianchi, SameNameTowns
from replica.independent.viewer_documents import VARIANTS, ViewerDocuments
from replica.server import serve, stop

OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
CLASSES = (MultipageArticles, ViewerDocuments, ExtensionlessDownloads, SameNameTowns, Lushi, Mianchi)
MINE = tuple(cls.name for cls in CLASSES)
ENCODINGS = {cls.name: cls.encoding for cls in CLASSES}
PAGER_WORDS = {"首页", "上一页", "下一页", "尾页", "末页", "上页", "下页"}


@pytest.fixture(scope="module")
def world():
    sites = [cls() for cls in CLASSES]
    ctx, servers = serve(sites, base="127.0.8", port=0)
    yield ctx, {s.name: s for s in sites}
    stop(ctx, servers)


def fetch(ctx, site: str, path: str) -> tuple[int, dict, bytes]:
    url = quote(urljoin(ctx.bases[site], path), safe=":/?&=%,#")
    request = urllib.request.Request(url, headers={"User-Agent": "Mozilla/5.0 replica-selfcheck"})
    try:
        with OPENER.open(request, timeout=20) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def ok(ctx, site: str, path: str) -> str:
    status, _, body = fetch(ctx, site, path)
    assert status == 200, (site, path, status)
    return body.decode(ENCODINGS[site])


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def page_text(page: str) -> str:
    """What a reader sees: the page's text without scripts and styles, whitespace removed."""
    root = lxml.html.document_fromstring(page)
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    return squash(root.text_content())


def reports(site) -> list[dict]:
    return [e for e in site.truth if e["kind"] == "report"]


def columns(site) -> list[dict]:
    return [e for e in site.truth if e["kind"] == "column"]


def assert_text_in(text_lines: str, seen: str, where) -> None:
    for line in text_lines.splitlines():
        assert squash(line) in seen, (where, line[:60])


def pdf_text(data: bytes) -> str:
    proc = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, timeout=60, check=True)
    return squash(proc.stdout.decode("utf-8"))


def docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return squash("".join(parts))


def file_text(kind: str, data: bytes) -> str:
    if kind == "pdf":
        assert data[:5] == b"%PDF-"
        return pdf_text(data)
    assert kind == "docx" and data[:2] == b"PK"
    return docx_text(data)


def prose_needles(entry: dict) -> list[str]:
    """The report's text lines that are prose (table rows are laid out by the file format, not one per line)."""
    return [line for line in entry["text"].splitlines()[1:] if "\t" not in line]


# -- every site ------------------------------------------------------------------------------------------

def test_registered_and_deterministic():
    assert set(MINE) <= set(REGISTRY)

    def plain(site) -> list[dict]:
        return [{k: v for k, v in e.items() if k != "_report"} for e in site.truth]
    for cls in CLASSES:
        one, two = cls(), cls()
        assert plain(one) == plain(two), cls.name
        kinds = [e["kind"] for e in one.truth]
        assert {"report", "lookalike", "column"} <= set(kinds), cls.name
        assert kinds.count("report") >= 10, cls.name
        assert [e["kind"] for e in cls(2).truth].count("report") > 1.4 * kinds.count("report"), cls.name
        # every report is listed in some column, once
        assert sum(e["reports"] for e in columns(one) if "/" in e["path"] and not re.search(r"/20\d\dnb/$", e["path"])) \
            == kinds.count("report"), cls.name


@pytest.mark.parametrize("name", MINE)
def test_truth_paths_serve_the_report(world, name):
    ctx, sites = world
    site = sites[name]
    years = set()
    for entry in reports(site):
        years.add(entry["year"])
        for path in entry["paths"]:
            status, headers, body = fetch(ctx, name, path)
            assert status == 200, (path, status)
            if entry.get("raw_kind") in ("pdf", "docx") and path == entry["raw_path"]:
                seen = file_text(entry["raw_kind"], body)           # a download listed as is
            elif entry.get("raw_kind") in ("pdf", "docx"):
                page = body.decode(ENCODINGS[name])
                assert "网站标识码" in page and "当前位置" in page and entry["title"] in page
                status, _, data = fetch(ctx, name, entry["raw_path"])
                assert status == 200, entry["raw_path"]
                seen = file_text(entry["raw_kind"], data)
            elif entry.get("raw_kind") == "image":
                page = body.decode(ENCODINGS[name])
                assert len(entry["parts"]) == IMAGE_PAGES
                for part in entry["parts"]:
                    assert f'<img src="{part}" width="100%"' in page
                    status, headers, data = fetch(ctx, name, part)
                    assert status == 200 and data[:8] == b"\x89PNG\r\n\x1a\n" and headers["Content-Type"] == "image/png"
                assert entry["ocr"] and not any(squash(line) in page_text(page) for line in prose_needles(entry)
                                                if len(line) > 15)
                continue
            else:
                page = body.decode(ENCODINGS[name])
                assert "网站标识码" in page and "当前位置" in page
                pages = [page] + [ok(ctx, name, p) for p in entry.get("parts", [path])[1:]]
                for part in pages:
                    assert entry["title"] in part
                seen = "".join(page_text(p) for p in pages)
                assert_text_in(entry["text"], seen, path)
                for needle in entry["must_contain"]:
                    assert squash(needle) in seen, (path, needle)
                continue
            for line in prose_needles(entry):
                assert squash(line) in seen, (path, line[:40])
    assert max(years) >= 2021 and min(years) <= 2019, years
    assert fetch(ctx, name, "/no/such/page.html")[0] == 404
    home = ok(ctx, name, "/")
    assert "网站标识码" in home and "ICP备" in home


# -- column walking ------------------------------------------------------------------------------------------

def _script_pages(page: str, base: str) -> list[str]:
    """Page URLs a createPageHTML call in the page writes (the 4-argument TRS form, 0-based, or the 6-argument
    UCAP form, 1-based with the record count last)."""
    out = []
    for args in re.findall(r"createPageHTML\(([^)]*)\)", page):
        parts = [a.strip().strip("'\"") for a in args.split(",")]
        if len(parts) == 4:
            count, prefix, ext = int(parts[0]), parts[2], parts[3]
        elif len(parts) == 6:
            count, prefix, ext = int(parts[1]), parts[3], parts[4]
        else:
            continue
        out += [urljoin(base, f"{prefix}.{ext}" if i == 0 else f"{prefix}_{i}.{ext}") for i in range(count)]
    return out


def walk_column(ctx, name: str, first: str) -> tuple[list[str], list[str]]:
    """Every listing page of a column (following its pager's links and script calls, within the column) and the
    entries they list (anchors with a title attribute, as these list templates print rows), in order.  A page
    served under two names (``/col/`` and ``/col/index.html``) is one page."""
    stem = re.sub(r"(index\.html?|\.htm)$", "", urlsplit(first).path)
    todo, pages, listed = [first], [], []
    seen_paths, seen_bodies = set(), set()
    while todo:
        path = todo.pop(0)
        if path in seen_paths:
            continue
        seen_paths.add(path)
        page = ok(ctx, name, path)
        if page in seen_bodies:
            continue
        seen_bodies.add(page)
        pages.append(page)
        base = urljoin("http://h", path)
        root = lxml.html.document_fromstring(page)
        for a in root.iter("a"):
            href = a.get("href")
            if not href or href.startswith(("#", "javascript")):
                continue
            target = urlsplit(urljoin(base, href))
            if target.netloc != "h":
                continue
            local = target.path + (f"?{target.query}" if target.query else "")
            if a.get("title"):
                listed.append(local)
            elif (a.text_content().strip() in PAGER_WORDS or a.text_content().strip().isdigit()) \
                    and target.path.startswith(stem):
                todo.append(local)
        for url in _script_pages(page, base):
            todo.append(urlsplit(url).path)
    return pages, listed


def stated_on(page: str) -> int | None:
    for pattern in (r"createPageHTML\('page_div',\s*\d+,\s*\d+,\s*'\w+',\s*'\w+',\s*(\d+)\)",
                    r"共\s*(\d+)\s*条", r"<strong>(\d+)</strong>条", r'<a class="a1">(\d+)条</a>',
                    r'<a title="Total record">&nbsp;<b>(\d+)</b>'):
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
    assert columns(site)
    for column in columns(site):
        pages, listed = walk_column(ctx, name, column["path"])
        rows = list(dict.fromkeys(listed))          # a row is one entry however many pages repeat the walk
        per_page = [len([a for a in lxml.html.document_fromstring(p).iter("a") if a.get("title") and a.get("href")])
                    for p in pages]
        assert sum(per_page) == len(rows), ("an entry listed on two pages", column["path"])
        assert set(rows) <= report_paths | looks, set(rows) - report_paths - looks
        assert len(set(rows) & report_paths) == column["reports"], column["path"]
        assert set(rows) & looks or re.search(r"/20\d\dnb/$", column["path"]), ("no look-alike", column["path"])
        assert stated_on(pages[0]) == column["stated"], column["path"]
        if column["stated"] is not None:
            assert column["stated"] == len(rows)
        else:
            printed = re.search(r"共(\d+)页", pages[0])
            assert printed is None or int(printed.group(1)) == len(pages), column["path"]


def test_columns_are_reached_from_the_home_page(world):
    """Home → 政务公开/信息公开 hub → 年报 column (→ its sub-columns): every column within three links of the home
    page, following only the site's own HTML pages."""
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
                    # list rows and articles are not the way to a column: skip anchors with a title
                    if target.netloc == "h" and local not in found and not a.get("title"):
                        found.add(local)
                        nxt.append(local)
            frontier = nxt
        for column in columns(site):
            assert column["path"] in found, (name, column["path"])


# -- multipage_articles ---------------------------------------------------------------------------------------

def test_multipage_articles_are_split_and_linked(world):
    ctx, sites = world
    site = sites["multipage_articles"]
    multi = [e for e in reports(site) if e.get("parts")]
    single = [e for e in reports(site) if not e.get("parts")]
    assert len(multi) >= 10 and single
    cut_tables = 0
    for entry in multi:
        parts = entry["parts"]
        assert parts[0] == entry["paths"][0] and len(parts) >= 2
        pages = [ok(ctx, "multipage_articles", p) for p in parts]
        lines = entry["text"].splitlines()
        # the report really is split: its last line is not on the first page, its first body line not on the last
        assert squash(lines[-1]) not in page_text(pages[0])
        assert squash(lines[1]) not in page_text(pages[-1])
        for k, (path, page) in enumerate(zip(parts, pages)):
            name = path.rsplit("/", 1)[1]
            if "/xzjd/" in path:                       # DedeCMS: static links, 1-based _2, _3
                assert f"共{len(parts)}页: " in page
                for other in parts:
                    if other != path:
                        assert f"'{other.rsplit('/', 1)[1]}'" in page
            elif "/szfnb/" in path:                    # TRS createPageHTML: links only in the script call
                stem = "_".join(name.split(".")[0].split("_")[:2])
                assert f'createPageHTML({len(parts)}, {k}, "{stem}", "html")' in page
                assert [urlsplit(u).path for u in _script_pages(page, urljoin("http://h", path))] == parts
            else:                                      # inline document.write pager
                assert f"var countPage = {len(parts)};" in page and f"var currentPage = {k};" in page
            body = page.split('trs_word">' if "/xzjd/" not in path else 'class="arc_content">', 1)[1]
            if k > 0 and body.lstrip().startswith("<table"):
                cut_tables += 1
    assert cut_tables >= 2


# -- viewer_documents ---------------------------------------------------------------------------------------

def test_viewer_variants(world):
    ctx, sites = world
    site = sites["viewer_documents"]
    by_variant = {e["viewer"]: e for e in reports(site) if e.get("viewer")}
    assert set(by_variant) == set(VARIANTS)
    base = ctx.bases["viewer_documents"]
    for variant, entry in by_variant.items():
        page = ok(ctx, "viewer_documents", entry["paths"][0])
        raw = entry["raw_path"]
        # the article itself holds none of the report's prose: only the viewer or the attachment does
        assert not any(squash(line) in page_text(page) for line in prose_needles(entry) if len(line) > 15)
        if variant == "statics_pdfjs":
            assert f'<iframe src="/statics/js/pdf/web/viewer.html?file={raw}"' in page
        elif variant == "encoded_pdfjs":
            src = re.search(r'src="(/pdfjs/web/viewer\.html\?file=[^"]+)"', page).group(1)
            assert parse_qs(urlsplit(src).query)["file"] == [urljoin(base, raw)]
            assert raw not in page                         # only the percent-encoded absolute URL is there
        elif variant == "kkfileview":
            src = re.search(r'src="(/preview/onlinePreview\?url=[^"]+)"', page).group(1)
            token = unquote(src.split("url=", 1)[1])
            assert base64.b64decode(token).decode() == urljoin(base, raw) and raw not in page
            preview = ok(ctx, "viewer_documents", src)
            assert f"var url = '{urljoin(base, raw)}';" in preview and "pdfjs/web/viewer.html?file=" in preview
        elif variant == "embed":
            assert f'<embed src="{raw}" type="application/pdf"' in page
        elif variant == "object":
            assert f'<object data="{raw}" type="application/pdf"' in page
        elif variant == "attachment_docx":
            assert "详见附件" in page and f'<a href="{raw}"' in page and raw.endswith(".docx")
        elif variant == "viewer_link":
            assert "详见附件" in page and f'href="/statics/js/pdf/web/viewer.html?file={raw}"' in page
            assert f'href="{raw}"' not in page
    # the viewers themselves are the same empty shell for every file
    for viewer in ("/statics/js/pdf/web/viewer.html?file=/x.pdf", "/pdfjs/web/viewer.html?file=%2Fy.pdf"):
        shell = ok(ctx, "viewer_documents", viewer)
        assert 'id="viewerContainer"' in shell and "政府信息公开" not in shell


# -- extensionless_downloads -----------------------------------------------------------------------------------

def test_extensionless_download_variants(world):
    ctx, sites = world
    site = sites["extensionless_downloads"]
    by_variant = {e["variant"]: e for e in reports(site) if e.get("variant")}
    assert set(by_variant) == {"fileid_cd", "getfile_magic", "servlet_gbk", "onclick_script", "list_direct",
                               "image_pages"}
    kinds = set()
    for variant, entry in by_variant.items():
        raw = entry["raw_path"]
        if variant != "image_pages":
            # nothing in the URL names the kind: a servlet or .do path, an id
            assert not re.search(r"\.(pdf|docx?|wps|xlsx?|png|jpe?g)\b", raw, re.I), raw
        status, headers, data = fetch(ctx, "extensionless_downloads", raw)
        assert status == 200
        disposition = headers.get("Content-Disposition")
        if variant in ("fileid_cd", "list_direct"):
            assert headers["Content-Type"] == "application/octet-stream"
            assert unquote(disposition.split("filename*=UTF-8''", 1)[1]) == entry["download_name"]
        elif variant == "getfile_magic":
            assert headers["Content-Type"] == "application/octet-stream" and disposition is None
            assert data[:4] == b"PK\x03\x04" and entry["download_name"] is None
        elif variant == "servlet_gbk":
            raw_name = disposition.split("filename=", 1)[1]
            assert raw_name.encode("latin-1").decode("gbk") == entry["download_name"]
        elif variant == "onclick_script":
            page = ok(ctx, "extensionless_downloads", entry["paths"][0])
            fid = re.search(r"""onclick="downloadFile\('([0-9a-f]+)'\)""", page).group(1)
            assert raw not in page and "/assets/js/common/download.js" in page
            script = ok(ctx, "extensionless_downloads", "/assets/js/common/download.js")
            assert script == DOWNLOAD_JS
            # what the script assembles: basePath + "getFile.do?fid=" + id + "&ftype=2"
            assert f'/getFile.do?fid={fid}&ftype=2' == raw
        if variant != "image_pages":
            kinds.add(entry["raw_kind"])
            seen = file_text(entry["raw_kind"], data)
            for line in prose_needles(entry):
                assert squash(line) in seen
        if variant in ("fileid_cd", "getfile_magic", "servlet_gbk"):
            page = ok(ctx, "extensionless_downloads", entry["paths"][0])
            assert f'href="{raw.replace("&", "&amp;")}"' in page
    assert kinds == {"pdf", "docx"}
    # the servlets read parameters by name: another order or an extra parameter is the same file
    entry = by_variant["getfile_magic"]
    fid = parse_qs(urlsplit(entry["raw_path"]).query)["fid"][0]
    same = fetch(ctx, "extensionless_downloads", f"/getFile.do?ftype=1&_t=1710000000000&fid={fid}")
    assert same[0] == 200 and same[2] == fetch(ctx, "extensionless_downloads", entry["raw_path"])[2]
    assert fetch(ctx, "extensionless_downloads", "/getFile.do?fid=1&ftype=1")[0] == 404
    # a look-alike comes the same way: a named Word file straight from the list
    fake = next(e for e in site.truth if e["kind"] == "lookalike" and e["path"].startswith("/attach/download?"))
    status, headers, data = fetch(ctx, "extensionless_downloads", fake["path"])
    assert status == 200 and data[:2] == b"PK"
    assert unquote(headers["Content-Disposition"].split("filename*=UTF-8''", 1)[1]) == fake["title"] + ".docx"


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")
def test_image_report_pages_read_back(world):
    """The 图片版's images really show the report: OCR of two of them finds its lines."""
    ctx, sites = world
    entry = next(e for e in reports(sites["extensionless_downloads"]) if e.get("variant") == "image_pages")
    words = squash("".join(entry["text"].splitlines()[1:]))
    for part in (entry["parts"][0], entry["parts"][-1]):
        _, _, data = fetch(ctx, "extensionless_downloads", part)
        proc = subprocess.run(["tesseract", "stdin", "stdout", "-l", "chi_sim"], input=data, capture_output=True,
                              timeout=120)
        read = squash(proc.stdout.decode("utf-8"))
        assert len(read) > 50
        # most 8-character runs the OCR reads are the report's
        grams = [read[i:i + 8] for i in range(0, len(read) - 8, 8)]
        assert sum(g in words for g in grams) >= len(grams) // 3, read[:100]


# -- same_name_towns ---------------------------------------------------------------------------------------

def test_same_name_towns_are_distinct_reports(world):
    ctx, sites = world
    lushi, mianchi, city = sites["same_name_towns_lushi"], sites["same_name_towns_mianchi"], sites["same_name_towns"]
    bare = 0
    for town in SAME_NAMES:
        for year in YEARS:
            pair = []
            for site in (lushi, mianchi):
                full = f"{site.region}{town}人民政府"
                found = [e for e in reports(site) if e["agency"] == full and e["year"] == year]
                assert len(found) == 1, (site.name, full, year)
                entry = found[0]
                page = ok(ctx, site.name, entry["paths"][0])
                assert full in page_text(page)
                bare += not entry["title"].startswith(site.region)
                assert town in entry["title"]
                pair.append(entry)
            a, b = pair
            assert a["text"] != b["text"] and a["paths"] != b["paths"]
            # one template: nearly the same text, other names and figures
            assert difflib.SequenceMatcher(None, a["text"], b["text"], autojunk=False).ratio() > 0.85
            rows_a = [line for line in a["text"].splitlines() if "\t" in line]
            rows_b = [line for line in b["text"].splitlines() if "\t" in line]
            assert rows_a != rows_b
        # consecutive years of one town: each its own entry
        assert len({e["year"] for e in reports(lushi) if e["agency"] == f"卢氏县{town}人民政府"}) == len(YEARS)
    assert bare >= len(SAME_NAMES) * len(YEARS)            # most titles name only the town
    # the repost: one report, two URLs
    repost = next(e for e in reports(city) if e["repost_of"])
    site_name, original_path = repost["repost_of"]
    original = next(e for e in reports(sites[site_name]) if e["paths"][0] == original_path)
    assert repost["text"] == original["text"] and repost["agency"] == original["agency"]
    page = ok(ctx, "same_name_towns", repost["paths"][0])
    assert "【转载】" in page and "来源：卢氏县人民政府网站" in page
    assert ctx.bases[site_name].rstrip("/") + original_path in page
    assert ok(ctx, site_name, original_path).count(original["title"]) >= 1
    assert sum(1 for e in reports(city) if e["repost_of"]) == 1


def test_vsb_list_pages_are_numbered_backwards(world):
    ctx, sites = world
    first = ok(ctx, "same_name_towns_lushi", "/xxgk/zfxxgknb.htm")
    pages = int(re.search(r'<span class="p_t">共(\d+)页</span>', first).group(1))
    assert pages >= 2
    nxt = re.search(r'<span class="p_next p_fun"><a href="([^"]+)">下页</a>', first).group(1)
    last = re.search(r'<span class="p_last p_fun"><a href="([^"]+)">尾页</a>', first).group(1)
    assert nxt == f"zfxxgknb/{pages - 1}.htm" and last == "zfxxgknb/1.htm"
    second = ok(ctx, "same_name_towns_lushi", urljoin("/xxgk/zfxxgknb.htm", nxt))
    assert '<span class="p_no_d">2</span>' in second


def test_gbk_county_declares_its_charset_in_the_page_only(world):
    ctx, sites = world
    entry = reports(sites["same_name_towns_mianchi"])[0]
    status, headers, body = fetch(ctx, "same_name_towns_mianchi", entry["paths"][0])
    assert status == 200 and headers["Content-Type"] == "text/html"
    assert b'content="text/html; charset=gb2312"' in body
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    assert entry["title"] in body.decode("gbk")
