"""Self-check of the independent replica sites jeecms_portal, asp_classic_gbk and tabbed_years (with its city portal
tabbed_years_city), served in-process and read over plain HTTP as a client would: every truth path serves its
report (the Word 97 file behind a short ASP page included), every column's whole list (pager anchors, <select>
page jumps, GET pager forms, JSONP tab answers) names exactly its report and look-alike entries, and the counts
the pages state are the truth's."""

from __future__ import annotations

import json
import re
import subprocess
import urllib.error
import urllib.request
from urllib.parse import quote, urlencode, urljoin, urlsplit

import lxml.html
import pytest

from replica.independent.asp_classic_gbk import AspClassicGbk
from replica.independent.jeecms_portal import JeecmsPortal
from replica.independent.tabbed_years import API, YEARS, TabbedYears, TabbedYearsCity, year_column
from replica.server import serve, stop

OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
CLASSES = (JeecmsPortal, AspClassicGbk, TabbedYears, TabbedYearsCity)
MINE = tuple(cls.name for cls in CLASSES)
ENCODINGS = {cls.name: cls.encoding for cls in CLASSES}
PAGER_WORDS = {"首页", "上一页", "下一页", "尾页", "末页", "上页", "下页"}
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@pytest.fixture(scope="module")
def world():
    sites = [cls() for cls in CLASSES]
    ctx, servers = serve(sites, base="127.0.5", port=0)
    yield ctx, {s.name: s for s in sites}
    stop(ctx, servers)


def fetch(ctx, site: str, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    url = quote(urljoin(ctx.bases[site], path), safe=":/?&=%,#;")
    request = urllib.request.Request(url, headers={"User-Agent": "Mozilla/5.0 replica-selfcheck", **(headers or {})})
    try:
        with OPENER.open(request, timeout=60) as resp:
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
    root = lxml.html.document_fromstring(page)
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    return squash(root.text_content())


def reports(site) -> list[dict]:
    return [e for e in site.truth if e["kind"] == "report"]


def columns(site) -> list[dict]:
    return [e for e in site.truth if e["kind"] == "column"]


def local(base: str, href: str) -> str | None:
    target = urlsplit(urljoin(urljoin("http://h", base), href))
    if target.netloc != "h":
        return None
    path = target.path.split(";jsessionid=")[0]
    return path + (f"?{target.query}" if target.query else "")


def doc_text(data: bytes) -> str:
    proc = subprocess.run(["antiword", "-m", "UTF-8.txt", "-"], input=data, capture_output=True, timeout=60)
    if proc.returncode != 0 or not proc.stdout.strip():
        proc = subprocess.run(["catdoc", "-d", "utf-8"], input=data, capture_output=True, timeout=60, check=True)
    return squash(proc.stdout.decode("utf-8", "replace"))


# -- every site ------------------------------------------------------------------------------------------

def test_deterministic_and_scaled():
    def plain(site) -> list[dict]:
        return [{k: v for k, v in e.items() if k != "_report"} for e in site.truth]
    for cls in CLASSES:
        one, two = cls(), cls()
        assert plain(one) == plain(two), cls.name
        kinds = [e["kind"] for e in one.truth]
        assert {"report", "lookalike", "column"} <= set(kinds), cls.name
        if cls is not TabbedYearsCity:
            assert 15 <= kinds.count("report") <= 40, (cls.name, kinds.count("report"))
            assert [e["kind"] for e in cls(2).truth].count("report") > 1.4 * kinds.count("report"), cls.name
        # every report is listed in one top column (year sub-columns repeat the tab page's)
        top = [c for c in columns(one) if not re.search(r"/20\d\dnb/$", c["path"])]
        assert sum(c["reports"] for c in top) == kinds.count("report"), cls.name


@pytest.mark.parametrize("name", MINE)
def test_truth_paths_serve_the_report(world, name):
    ctx, sites = world
    years = set()
    for entry in reports(sites[name]):
        years.add(entry["year"])
        for path in entry["paths"]:
            page = ok(ctx, name, path)
            assert "网站标识码" in page and "当前位置" in page and entry["title"] in page, path
            if entry.get("raw_kind") == "doc":
                assert f'href="{entry["raw_path"]}"' in page
                # the page around the file holds none of the report's prose
                prose = [l for l in entry["text"].splitlines()[1:] if len(l) > 20]
                assert not any(squash(l) in page_text(page) for l in prose)
                status, headers, data = fetch(ctx, name, entry["raw_path"])
                assert status == 200 and data[:8] == OLE2 and headers["Content-Type"] == "application/msword"
                seen = doc_text(data)
                for line in prose:
                    assert squash(line) in seen, (entry["raw_path"], line[:40])
                continue
            seen = page_text(page)
            for line in entry["text"].splitlines():
                assert squash(line) in seen, (path, line[:60])
            for needle in entry["must_contain"]:
                assert squash(needle) in seen, (path, needle)
    assert fetch(ctx, name, "/no/such/page.html")[0] == 404
    home = ok(ctx, name, "/")
    assert "网站标识码" in home and "ICP备" in home
    if name == "asp_classic_gbk":
        assert min(years) == 2009 and max(years) == 2016
    elif name == "tabbed_years":
        assert years == set(YEARS)


# -- column walking ------------------------------------------------------------------------------------------

def _form_pages(page: str, path: str) -> list[str]:
    """URLs a GET pager form reaches: its fields as the page fills them, the page-number input set to 1..N, N
    from the page's own 页次 x/N."""
    root = lxml.html.document_fromstring(page)
    found = re.search(r"页次：<b>(?:<font[^>]*>)?\d+(?:</font>)?/(\d+)</b>页", page)
    out = []
    for form in root.iter("form"):
        if (form.get("method") or "get").lower() != "get" or not found:
            continue
        fields = [(i.get("name"), i.get("value") or "") for i in form.iter("input")
                  if i.get("name") and (i.get("type") or "text") in ("hidden", "text")]
        number = next((n for n, _ in fields if n == "page"), None)
        if number is None:
            continue
        for k in range(1, int(found.group(1)) + 1):
            query = urlencode([(n, str(k) if n == number else v) for n, v in fields])
            out.append(local(path, f"{form.get('action') or ''}?{query}"))
    return out


def walk_column(ctx, name: str, first: str) -> tuple[list[str], list[str]]:
    """Every listing page of a column (pager anchors, <select> page jumps, GET pager forms, within the column's
    folder or script) and the entries they list (anchors with a title attribute), in order."""
    stem = urlsplit(first).path.rsplit("/", 1)[0] + "/"
    todo, pages, listed, seen_paths, seen_bodies = [first], [], [], set(), set()
    while todo:
        path = todo.pop(0)
        key = re.sub(r"/(index\.html)?$", "/", path)
        if key in seen_paths:
            continue
        seen_paths.add(key)
        page = ok(ctx, name, path)
        if page in seen_bodies:
            continue
        seen_bodies.add(page)
        pages.append(page)
        root = lxml.html.document_fromstring(page)
        for a in root.iter("a"):
            href = a.get("href")
            if not href or href.startswith(("#", "javascript")):
                continue
            target = local(path, href)
            if target is None:
                continue
            if a.get("title"):
                listed.append(target)
            elif (a.text_content().strip() in PAGER_WORDS or a.text_content().strip().isdigit()) \
                    and target.startswith(stem):
                todo.append(target)
        for select in root.iter("select"):
            if "location.href" in (select.get("onchange") or ""):
                todo += [local(path, o.get("value")) for o in select.iter("option")]
        todo += [p for p in _form_pages(page, path) if p]
    return pages, listed


def callback_name() -> str:
    return "jQuery112405938471629504417_1710748800123"


def tab_column(ctx, name: str, first: str) -> tuple[list[str], list[str], dict]:
    """The tab page's entries as a client gets them: the first tab's rows from the HTML, the other tabs' rows from
    the JSONP answers; and each tab's 更多 link."""
    page = ok(ctx, name, first)
    root = lxml.html.document_fromstring(page)
    listed = [local(first, a.get("href")) for a in root.iter("a") if a.get("title")]
    more = {}
    tabs = [li.get("data-year") for li in root.xpath('//ul[@id="nbTabs"]/li')]
    first_more = root.xpath('//div[contains(@class,"tab-panel")]/a[@class="more"]/@href')
    assert len(first_more) == 1
    more[int(tabs[0])] = first_more[0]
    api = root.xpath('//div[@id="nbPanels"]/@data-api')[0]
    for year in tabs[1:]:
        cb = callback_name()
        status, headers, body = fetch(ctx, name, f"{api}?year={year}&size=10&callback={cb}&_=1710748800124")
        text = body.decode("utf-8")
        assert status == 200 and "javascript" in headers["Content-Type"]
        found = re.fullmatch(r"/\*\*/" + re.escape(cb) + r"\((.*)\);", text, re.S)
        data = json.loads(found.group(1))["data"]
        assert len(data["list"]) <= 10 and data["total"] >= len(data["list"])
        listed += [row["url"] for row in data["list"]]
        more[int(year)] = data["more"]
    return [page], listed, more


@pytest.mark.parametrize("name", MINE)
def test_columns_list_exactly_their_entries(world, name):
    ctx, sites = world
    site = sites[name]
    report_paths = {p for e in reports(site) for p in e["paths"]}
    looks = {e["path"] for e in site.truth if e["kind"] == "lookalike"}
    covered = set()
    for column in columns(site):
        if column["needs"] == "api":
            pages, listed, more = tab_column(ctx, name, column["path"])
            assert {urlsplit(m).path for m in more.values()} == {year_column(y) for y in YEARS}
            for link in more.values():
                listed += walk_column(ctx, name, link)[1]
        else:
            pages, listed = walk_column(ctx, name, column["path"])
        rows = set(listed)
        assert rows <= report_paths | looks, rows - report_paths - looks
        assert len(rows & report_paths) == column["reports"], column["path"]
        assert rows & looks or re.search(r"/20(19|20|21)nb/$", column["path"]), ("no look-alike", column["path"])
        covered |= rows
        text = pages[0]
        stated = re.search(r"共(?:<b>)?(\d+)(?:</b>)?条", text)
        if column["stated"] is None:
            assert stated is None, column["path"]
            shown = re.search(r"当前第1/(\d+)页", text)
            if shown:
                assert int(shown.group(1)) == len(pages)
        else:
            assert int(stated.group(1)) == column["stated"] == len(rows), column["path"]
    assert covered == report_paths | looks


def test_columns_are_reached_from_the_home_page(world):
    """Home → hub → column through anchors and frame/iframe sources (Tomcat's ;jsessionid stripped); a tabbed
    year column other than the first is reached only from the JSONP answer, as its truth says."""
    ctx, sites = world
    for name, site in sites.items():
        found, frontier = {"/"}, ["/"]
        for _ in range(4):
            nxt = []
            for path in frontier:
                status, headers, body = fetch(ctx, name, path)
                if status != 200 or "html" not in headers.get("Content-Type", ""):
                    continue
                root = lxml.html.document_fromstring(body.decode(ENCODINGS[name]))
                hrefs = [a.get("href") for a in root.iter("a") if not a.get("title")]
                hrefs += [f.get("src") for f in root.xpath("//frame|//iframe")]
                for href in hrefs:
                    target = local(path, href or "#")
                    if target and target not in found:
                        found.add(target)
                        nxt.append(target)
            frontier = nxt
        for column in columns(site):
            if name == "tabbed_years" and column["path"] not in (year_column(YEARS[0]), "/zwgk/zfxxgknb/"):
                assert column["path"] not in found and "HTML only for" in column["note"]
            else:
                assert column["path"] in found, (name, column["path"])


# -- site specifics ---------------------------------------------------------------------------------------------

def test_jeecms_shapes(world):
    ctx, sites = world
    status, headers, body = fetch(ctx, "jeecms_portal", "/")
    home = body.decode("utf-8")
    assert "JSESSIONID=" in headers["Set-Cookie"]
    sid = re.search(r'href="/zwgk/index\.jhtml;jsessionid=([0-9A-F]{32})"', home).group(1)
    hub = ok(ctx, "jeecms_portal", f"/zwgk/index.jhtml;jsessionid={sid}")
    assert "/zwgk/ndbg/index.jhtml" not in home and "/zwgk/bmnb/" not in home
    root = lxml.html.document_fromstring(hub)
    dd = [local("/zwgk/index.jhtml", a.get("href")) for a in root.xpath("//dl/dd/a")]
    assert "/zwgk/ndbg/index.jhtml" in dd and "/zwgk/bmnb/index.jhtml" in dd
    # with the cookie, no rewriting
    status, headers, body = fetch(ctx, "jeecms_portal", "/zwgk/index.jhtml", {"Cookie": f"JSESSIONID={sid}"})
    assert ";jsessionid=" not in body.decode() and "Set-Cookie" not in headers
    col = ok(ctx, "jeecms_portal", "/zwgk/bmnb/index.jhtml")
    assert "当前第1/" in col and '<select onchange="location.href=this.value">' in col and "<table" in col
    assert re.search(r'<a href="/zwgk/bmnb/\d+\.jhtml" title="[^"]+" target="_blank">[^<]+…</a>', col)
    assert ok(ctx, "jeecms_portal", "/zwgk/ndbg/index_2.jhtml").count('<li><span class="date">') >= 1
    assert ok(ctx, "jeecms_portal", "/content_view.jspx?contentId=1").startswith("[")


def test_asp_gbk_shapes(world):
    ctx, sites = world
    site = sites["asp_classic_gbk"]
    entry = next(e for e in reports(site) if "raw_kind" not in e)
    status, headers, body = fetch(ctx, "asp_classic_gbk", entry["paths"][0])
    assert status == 200 and headers["Content-Type"] == "text/html" and headers["X-Powered-By"] == "ASP.NET"
    assert b'content="text/html; charset=gb2312"' in body
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    frames = ok(ctx, "asp_classic_gbk", "/xxgk/index.asp")
    assert '<frame src="/xxgk/left.asp" name="leftFrame"' in frames
    left = ok(ctx, "asp_classic_gbk", "/xxgk/left.asp")
    assert 'href="/news/list.asp?classid=23" target="mainFrame"' in left
    listing = ok(ctx, "asp_classic_gbk", "/news/list.asp?classid=23")
    assert '<form name="pageform" method="get" action="list.asp">' in listing and 'value="GO"' in listing
    assert re.search(r"<a href=show\.asp\?id=\d+ title='", listing)
    # parameters in another order are the same page
    assert ok(ctx, "asp_classic_gbk", "/news/list.asp?page=2&classid=23") == \
        ok(ctx, "asp_classic_gbk", "/news/list.asp?classid=23&page=2")
    titles = [e["title"] for e in reports(site)]
    assert any(re.fullmatch(r"商南县20\d\d年政府信息公开工作年度报告", t) for t in titles)
    assert any("关于20" in t and "年度政府信息公开工作情况的报告" in t for t in titles)
    docs = [e for e in reports(site) if e.get("raw_kind") == "doc"]
    assert len(docs) >= 3 and all(e["raw_path"].endswith(".doc") for e in docs)


def test_tabbed_years_jsonp_and_repost(world):
    ctx, sites = world
    tabs = ok(ctx, "tabbed_years", "/zwgk/zfxxgknb/")
    assert tabs.count('<li><a href="') <= 10 + 5 and "/static/js/nbtabs.js" in tabs
    for year in YEARS[1:]:
        assert year_column(year) not in tabs
    # without a callback the API answers plain JSON; a bad year answers an error code
    status, headers, body = fetch(ctx, "tabbed_years", f"{API}?year=2021&size=10")
    assert "json" in headers["Content-Type"] and json.loads(body)["data"]["year"] == 2021
    assert json.loads(fetch(ctx, "tabbed_years", f"{API}?year=1999")[2])["code"] == 1
    # a year with more than ten entries: the tab shows ten, the year column all of them
    big = next(y for y in YEARS if len(sites["tabbed_years"].years[y]) > 10)
    data = json.loads(fetch(ctx, "tabbed_years", f"{API}?year={big}&size=10")[2])["data"]
    assert len(data["list"]) == 10 and data["total"] > 10
    reposts = [e for e in reports(sites["tabbed_years"]) if e["repost_of"]]
    assert len(reposts) == 2
    city = sites["tabbed_years_city"]
    for entry in reposts:
        site_name, original_path = entry["repost_of"]
        assert site_name == "tabbed_years_city"
        original = next(e for e in reports(city) if e["paths"][0] == original_path)
        # the same text: the original's body lines end the repost's (which may keep the body's own title line)
        body = original["text"].splitlines()[1:]
        assert entry["text"].splitlines()[-len(body):] == body and entry["agency"] == original["agency"]
        assert entry["title"] == "【转载】" + original["title"]
        page = ok(ctx, "tabbed_years", entry["paths"][0])
        assert "来源：绵阳市人民政府网站" in page_text(page)
        assert ctx.bases[site_name].rstrip("/") + original_path in page
        assert original["title"] in ok(ctx, site_name, original_path)
