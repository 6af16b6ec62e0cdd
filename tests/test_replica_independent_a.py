"""Self-check of the independent replica sites hanweb_jsinit, vue_loading_shell, meta_root_hubs and fragment_lists,
served in-process and read over plain HTTP: every truth path serves its report, every report column's whole list
(including what only its API, fragment endpoint or script reaches) names exactly its report entries, and the
counts the pages state are the truth's."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlencode, urljoin, urlsplit

import lxml.html
import pytest

from replica.independent import REGISTRY
from replica.independent.fragment_lists import CAT_A as F_A, CAT_B as F_B, CAT_C as F_C, FIRST_C, FragmentLists, column_path
from replica.independent.hanweb_jsinit import (COL_A, COL_B, OLD_PROXY, PER_A, GROUP_A, PER_B, GROUP_B, PROXY, UNIT_A,
                                               UNIT_B, WEBID, HanwebJsinit)
from replica.independent.meta_root_hubs import COLUMN, META_COLUMN, SUB_YEARS, MetaRootHubs
from replica.independent.vue_loading_shell import CHAN_REPORTS, REPORTS_LIST, VueLoadingShell
from replica.server import serve, stop

OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
MINE = ("hanweb_jsinit", "vue_loading_shell", "meta_root_hubs", "fragment_lists")


@pytest.fixture(scope="module")
def world():
    sites = [HanwebJsinit(), VueLoadingShell(), MetaRootHubs(), FragmentLists()]
    ctx, servers = serve(sites, base="127.0.7", port=0)
    yield ctx, {s.name: s for s in sites}
    stop(ctx, servers)


def get(ctx, site: str, path: str, data: bytes | None = None) -> tuple[int, bytes]:
    # a browser percent-encodes the raw Chinese these pages put in their URLs
    url = quote(urljoin(ctx.bases[site], path), safe=":/?&=%,#")
    request = urllib.request.Request(url, data=data, headers={"User-Agent": "Mozilla/5.0 replica-selfcheck"})
    try:
        with OPENER.open(request, timeout=10) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def ok(ctx, site: str, path: str, data: bytes | None = None) -> str:
    status, body = get(ctx, site, path, data)
    assert status == 200, (site, path, status)
    return body.decode("utf-8")


def text_of(page: str) -> str:
    root = lxml.html.document_fromstring(page)
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    lines = ["".join(p.itertext()) for p in root.iter("p", "h1")]
    lines += ["\t".join(c.text_content().strip() for c in tr if c.tag in ("td", "th")) for tr in root.iter("tr")]
    return "\n".join(lines)


def hrefs(html: str, base: str = "/") -> list[str]:
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    return [urljoin(base, a.get("href")) for a in root.iter("a") if a.get("href")]


def entries(site) -> tuple[set[str], set[str]]:
    reports = {p for e in site.truth if e["kind"] == "report" for p in e["paths"]}
    looks = {e["path"] for e in site.truth if e["kind"] == "lookalike" and e["in_report_column"]}
    return reports, looks


def column(site, path: str) -> dict:
    return next(e for e in site.truth if e["kind"] == "column" and e["path"] == path)


def check_listing(site, path: str, listed: list[str]) -> set[str]:
    """The whole list of a column names each entry once, `reports` of them reports, `stated` in all."""
    entry = column(site, path)
    reports, looks = entries(site)
    assert len(listed) == len(set(listed)), "an entry listed twice"
    assert set(listed) <= reports | looks, set(listed) - reports - looks
    assert len(set(listed) & reports) == entry["reports"]
    if entry["stated"] is not None:
        assert len(listed) == entry["stated"]
    return set(listed) & reports


# -- every site ---------------------------------------------------------------------------------------

def test_registered_and_deterministic():
    assert set(MINE) <= set(REGISTRY)
    classes = (HanwebJsinit, VueLoadingShell, MetaRootHubs, FragmentLists)

    def plain(site) -> list[dict]:
        return [{k: v for k, v in e.items() if k != "_report"} for e in site.truth]
    for cls, name in zip(classes, MINE):
        one, two = cls(), cls()
        assert one.name == name and plain(one) == plain(two)
        kinds = [e["kind"] for e in one.truth]
        assert {"report", "lookalike", "column"} <= set(kinds), name
        assert kinds.count("report") >= 12
        # scale multiplies the fillers, up to the bench's scale where counties run out of agency-year pairs
        assert [e["kind"] for e in cls(2).truth].count("report") > 1.8 * kinds.count("report")
        assert [e["kind"] for e in cls(20).truth].count("report") > 5 * kinds.count("report")


@pytest.mark.parametrize("name", MINE)
def test_truth_paths_serve_the_report(world, name):
    ctx, sites = world
    site = sites[name]
    years = set()
    for entry in site.truth:
        if entry["kind"] == "report":
            years.add(entry["year"])
            for path in entry["paths"]:
                page = ok(ctx, name, path)
                text = text_of(page)
                assert entry["title"] in lxml.html.document_fromstring(page).text_content(), (path, entry["title"])
                for needle in entry["must_contain"]:
                    assert needle in text, (path, needle)
                assert "网站标识码" in page and "当前位置" in page
        elif entry["kind"] == "lookalike":
            assert entry["title"] in lxml.html.document_fromstring(ok(ctx, name, entry["path"])).text_content()
    assert min(years) < 2019 and max(years) >= 2021, years
    assert get(ctx, name, "/no/such/page.html")[0] == 404
    home = ok(ctx, name, "/")
    assert "网站标识码" in home and "ICP备" in home


def test_every_report_is_listed_in_some_column(world):
    ctx, sites = world
    for name, site in sites.items():
        reports, _ = entries(site)
        counted = sum(e["reports"] for e in site.truth if e["kind"] == "column")
        assert counted == len(reports), name


# -- hanweb_jsinit --------------------------------------------------------------------------------------

def _records(xml: str) -> list[str]:
    return re.findall(r"<record><!\[CDATA\[(.*?)\]\]></record>", xml, re.S)


def _hanweb_form(column: int, unit: str, content_type: int) -> bytes:
    return urlencode({"col": 1, "appid": 1, "webid": WEBID, "path": "/", "columnid": column,
                      "sourceContentType": content_type, "unitid": unit, "webname": "榆中县人民政府",
                      "permissiontype": 0}).encode()


def test_hanweb_string_datastore_and_nextgroup_chain(world):
    ctx, sites = world
    site = sites["hanweb_jsinit"]
    path = f"/col/col{COL_A}/index.html"
    page = ok(ctx, "hanweb_jsinit", path)
    assert ".jpage(" not in page and f'$("#{UNIT_A}").pagination({{' in page
    assert 'type="text/xml"' not in page
    # an HTML parser sees no record links: they live inside a JS string
    assert not any("/art/" in h for h in hrefs(page))
    total = int(re.search(r"totalRecord: (\d+),", page).group(1))
    assert total == column(site, path)["stated"]
    store = re.search(rf"var InitData{UNIT_A} = (.*?);\n</script>", page, re.S).group(1)
    store = "".join(re.findall(r"'((?:[^'\\]|\\.)*)'", store))
    listed = [h for r in _records(store) for h in hrefs(r)]
    assert len(listed) == PER_A * GROUP_A < total
    nxt = re.search(r'<nextgroup><!\[CDATA\[<a href="([^"]+)">', store).group(1)
    hops = 0
    while nxt:
        xml = ok(ctx, "hanweb_jsinit", nxt)
        assert int(re.search(r"<totalrecord>(\d+)</totalrecord>", xml).group(1)) == total
        listed += [h for r in _records(xml) for h in hrefs(r)]
        found = re.search(r'<nextgroup><!\[CDATA\[<a href="([^"]+)">', xml)
        nxt = found.group(1) if found else None
        hops += 1
    assert hops == -(-total // (PER_A * GROUP_A)) - 1
    check_listing(site, path, listed)
    # the plugin's own call: POST with the record window in the query gives the same records
    window = PER_A * GROUP_A
    posted = []
    for start in range(1, total + 1, window):
        xml = ok(ctx, "hanweb_jsinit", f"{PROXY}?startrecord={start}&endrecord={start + window - 1}&perpage={PER_A}",
                 _hanweb_form(COL_A, UNIT_A, 1))
        posted += [h for r in _records(xml) for h in hrefs(r)]
    assert posted == listed
    # without the form the proxy knows no column
    assert "<totalrecord>0</totalrecord>" in ok(ctx, "hanweb_jsinit", f"{PROXY}?startrecord=1&endrecord=24&perpage=12", b"")


def test_hanweb_js_array_unit_and_old_proxy(world):
    ctx, sites = world
    site = sites["hanweb_jsinit"]
    path = f"/col/col{COL_B}/index.html"
    page = ok(ctx, "hanweb_jsinit", path)
    assert '<base href="/" />' in page and "nextgroup" not in page and OLD_PROXY in page
    total = int(re.search(r"totalRecord: (\d+),", page).group(1))
    array = re.search(rf"var InitData{UNIT_B} = \[(.*?)\n\];", page, re.S).group(1)
    first = [h for s in re.findall(r"'((?:[^'\\]|\\.)*)'", array) if s for h in hrefs(s, "/")]
    assert len(first) == PER_B * GROUP_B < total
    window = PER_B * GROUP_B
    listed = list(first)
    for start in range(window + 1, total + 1, window):
        body = ok(ctx, "hanweb_jsinit", f"{OLD_PROXY}?startrecord={start}&endrecord={start + window - 1}&perpage={PER_B}",
                  _hanweb_form(COL_B, UNIT_B, 3))
        assert body.startswith(f"totalRecord={total};")
        records = json.loads(body[body.index("=["):].lstrip("=").rstrip(";"))
        # the records link relative to the site root, as the page's <base> resolves them
        assert all("href=\"art/" in r for r in records)
        listed += [h for r in records for h in hrefs(r, "/")]
    check_listing(site, path, listed)


# -- vue_loading_shell ------------------------------------------------------------------------------------

def test_vue_shell_shows_loading_and_the_api_lists_ids(world):
    ctx, sites = world
    site = sites["vue_loading_shell"]
    home = ok(ctx, "vue_loading_shell", "/")
    assert REPORTS_LIST in hrefs(home)
    shell = ok(ctx, "vue_loading_shell", REPORTS_LIST)
    root = lxml.html.document_fromstring(shell)
    app = root.get_element_by_id("zwgk-app")
    assert "加载中" in app.text_content() and root.xpath("//*[@id='app']") == []
    assert not any("detail" in h for h in hrefs(shell))
    bundles = [s.get("src") for s in root.iter("script") if s.get("src")]
    assert any(b.startswith("/zwgk/static/js/app.") for b in bundles)
    bundle = ok(ctx, "vue_loading_shell", next(b for b in bundles if "/app." in b))
    assert "/zwgk/publicInfo/searchFile?chanPath=" in bundle and "/zwgk/publicInfo/detail?id=" in bundle
    listed, page, pages = [], 1, 1
    while page <= pages:
        data = json.loads(ok(ctx, "vue_loading_shell", f"/zwgk/publicInfo/searchFile?chanPath=2,{CHAN_REPORTS},",
                             urlencode({"chanId": CHAN_REPORTS, "chanP": f"2,{CHAN_REPORTS},", "page": page,
                                        "limit": 10, "total": 0}).encode()))
        assert data["code"] == "0" and data["data"]["current"] == page
        assert all("url" not in r and isinstance(r["publishTime"], int) for r in data["data"]["records"])
        listed += [f"/zwgk/publicInfo/detail?id={r['id']}" for r in data["data"]["records"]]
        pages, total = data["data"]["pages"], data["data"]["total"]
        page += 1
    assert total == column(site, REPORTS_LIST)["stated"]
    check_listing(site, REPORTS_LIST, listed)
    # GET with everything in the query answers the same (one public scraper does that)
    again = json.loads(ok(ctx, "vue_loading_shell", f"/zwgk/publicInfo/searchFile?chanPath=2,{CHAN_REPORTS},&page=1&limit=100"))
    assert [f"/zwgk/publicInfo/detail?id={r['id']}" for r in again["data"]["records"]] == listed
    # the tree the platform index draws comes from the API too
    tree = json.loads(ok(ctx, "vue_loading_shell", "/zwgk/publicInfo/chanTree", b"siteId=1"))
    assert CHAN_REPORTS in [c["chanId"] for c in tree["data"]]


# -- meta_root_hubs ---------------------------------------------------------------------------------------

def _meta_column(page: str) -> str:
    return lxml.html.document_fromstring(page).xpath("//meta[@name='ColumnName']/@content")[0]


def test_meta_root_hubs_meta_everywhere_reports_three_hubs_deep(world):
    ctx, sites = world
    site = sites["meta_root_hubs"]
    home = ok(ctx, "meta_root_hubs", "/")
    assert _meta_column(home) == META_COLUMN
    home_links = hrefs(home)
    assert not any(h.startswith(COLUMN) for h in home_links)
    news = [h for h in home_links if h.startswith("/xwzx/zwyw/2")]
    assert len(news) >= 3 and all(_meta_column(ok(ctx, "meta_root_hubs", h)) == META_COLUMN for h in news)
    # home -> 政务公开 -> 政府信息公开 -> the column
    assert "/zwgk/" in home_links
    assert "/zwgk/zfxxgk/" in hrefs(ok(ctx, "meta_root_hubs", "/zwgk/"))
    assert COLUMN in hrefs(ok(ctx, "meta_root_hubs", "/zwgk/zfxxgk/"))
    reports, _ = entries(site)
    old = [e for e in site.truth if e["kind"] == "report" and e["year"] < 2019]
    assert old and all("年报" not in e["title"] and "年度报告" not in e["title"] for e in old)
    seen = set()
    for col in [COLUMN, *(f"{COLUMN}{y}nd/" for y in SUB_YEARS)]:
        first = ok(ctx, "meta_root_hubs", col)
        assert _meta_column(first) == META_COLUMN
        found = re.search(r'createPageHTML\((\d+), 0, "index", "shtml"\)', first)
        count = int(found.group(1)) if found else 1
        listed = []
        for i in range(count):
            path = col + ("index.shtml" if i == 0 else f"index_{i}.shtml")
            page = first if i == 0 else ok(ctx, "meta_root_hubs", path)
            listed += [h for h in hrefs(page, path) if re.search(r"/t\d{8}_\d+\.shtml$", h)]
        seen |= check_listing(site, col, listed)
        if col == COLUMN:
            assert count > 1
            subs = {h for h in hrefs(first, col) if re.fullmatch(rf"{COLUMN}\d{{4}}nd/", h)}
            assert subs == {f"{COLUMN}{y}nd/" for y in SUB_YEARS}
    assert seen == reports


# -- fragment_lists ----------------------------------------------------------------------------------------

def _total(html: str) -> int:
    return int(re.search(r"共(\d+)条", html).group(1))


def test_fragment_column_loads_its_list_from_the_label_api(world):
    ctx, sites = world
    site = sites["fragment_lists"]
    path = column_path(F_A)
    page = ok(ctx, "fragment_lists", path)
    assert not any(h.startswith("/public/6616001/") for h in hrefs(page))
    url = re.search(r'var url = "([^"]+)";', page).group(1)
    assert '$("#xxgk_lmcon").load(url' in page and "pageIndex=1" in url
    todo, done, listed = [url], set(), []
    while todo:
        link = todo.pop(0)
        index = re.search(r"pageIndex=(\d+)", link).group(1)
        if index in done:
            continue
        done.add(index)
        fragment = ok(ctx, "fragment_lists", link + "&_=0.5169706870968473")
        assert _total(fragment) == column(site, path)["stated"]
        listed += [h for h in hrefs(fragment) if h.startswith("/public/6616001/")]
        todo += [h for h in hrefs(fragment) if h.startswith("/site/label/8888?")]
    assert len(done) > 1
    check_listing(site, path, listed)
    assert "暂无相关信息" in ok(ctx, "fragment_lists", url.replace("pageIndex=1", "pageIndex=99"))


def test_fragment_iframe_column_pages_from_zero_behind_a_select(world):
    ctx, sites = world
    site = sites["fragment_lists"]
    path = column_path(F_B)
    page = ok(ctx, "fragment_lists", path)
    frame = lxml.html.document_fromstring(page).xpath("//iframe/@src")[0]
    assert frame.endswith("page=0")
    first = ok(ctx, "fragment_lists", frame)
    options = lxml.html.document_fromstring(first).xpath("//select/option/@value")
    assert len(options) > 1 and options[0] == frame
    listed = []
    for option in options:
        body = first if option == frame else ok(ctx, "fragment_lists", option)
        assert _total(body) == column(site, path)["stated"]
        listed += [h for h in hrefs(body) if h.startswith("/public/6616001/")]
    check_listing(site, path, listed)


def test_fragment_load_more_column_hides_most_of_its_list(world):
    ctx, sites = world
    site = sites["fragment_lists"]
    path = column_path(F_C)
    page = ok(ctx, "fragment_lists", path)
    entry = column(site, path)
    assert entry["needs"] == "browser" and _total(page) == entry["stated"] == 35
    shown = [h for h in hrefs(page) if h.startswith("/public/6616001/")]
    assert len(shown) == FIRST_C
    # the endpoint is never written whole in the page: it is assembled when the button is clicked
    assert "moreInfo.jsp" not in page and "加载更多" in page
    listed, page_no = list(shown), 2
    while True:
        more = [h for h in hrefs(ok(ctx, "fragment_lists", f"/xxgk/moreInfo.jsp?catId={F_C}&pageNo={page_no}&size=10"))]
        if not more:
            break
        listed += more
        page_no += 1
    check_listing(site, path, listed)


# -- in Chromium: what the pages' own scripts show ----------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-background-networking"])
        yield chromium
        chromium.close()


def _links(page, selector: str, prefix: str) -> list[str]:
    return [h for h in (urlsplit(u).path + ("?" + urlsplit(u).query if urlsplit(u).query else "")
                        for u in page.eval_on_selector_all(selector, "els => els.map(e => e.href)"))
            if h.startswith(prefix)]


def _page_through(page, box: str, items: str, prefix: str, done: str) -> list[str]:
    """Every page of a script-drawn list, by clicking 下一页 until it is gone; `done` tells a page has drawn."""
    seen = []
    while True:
        seen += _links(page, items, prefix)
        nxt = page.locator(f"{box} a:has-text('下一页')")
        if nxt.count() == 0:
            return seen
        before = page.eval_on_selector(box, done)
        nxt.first.click()
        page.wait_for_function(f"() => {{ const el = document.querySelector({json.dumps(box)}); "
                               f"return el && ({done})(el) !== {json.dumps(before)}; }}")


def test_pages_draw_their_whole_lists_in_chromium(world, browser):
    ctx, sites = world
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        hanweb = sites["hanweb_jsinit"]
        for col, unit in ((COL_A, UNIT_A), (COL_B, UNIT_B)):
            path = f"/col/col{col}/index.html"
            page.goto(urljoin(ctx.bases["hanweb_jsinit"], path))
            box = f"[id='{unit}']"
            page.wait_for_selector(f"{box} .pagination_list a")
            check_listing(hanweb, path, _page_through(page, box, f"{box} .pagination_list a", "/art/",
                                                      "el => el.getAttribute('data-page')"))

        vue = sites["vue_loading_shell"]
        page.goto(quote(urljoin(ctx.bases["vue_loading_shell"], REPORTS_LIST), safe=":/?&=%,"))
        page.wait_for_selector("#zwgk-app ul.zc-list li")
        seen = []
        for number in range(1, int(page.eval_on_selector_all("#zwgk-app .number", "e => e.length")) + 1):
            if number > 1:
                page.click(f"#zwgk-app a[data-p='{number}']")
                page.wait_for_function(f"document.getElementById('zwgk-app').getAttribute('data-page') === '{number}'")
            seen += _links(page, "#zwgk-app ul.zc-list a", "/zwgk/publicInfo/detail")
        check_listing(vue, REPORTS_LIST, seen)

        frag = sites["fragment_lists"]
        base = ctx.bases["fragment_lists"]
        page.goto(urljoin(base, column_path(F_A)))
        page.wait_for_selector("#xxgk_lmcon .xxgk_navli")
        check_listing(frag, column_path(F_A), _page_through(page, "#xxgk_lmcon", "#xxgk_lmcon .xxgk_navli a",
                                                            "/public/", "el => el.querySelector('.pagination b').textContent"))

        page.goto(urljoin(base, column_path(F_C)))
        while page.is_visible("#loadMore"):
            shown = page.eval_on_selector_all("#moreList li", "e => e.length")
            page.click("#loadMore")
            page.wait_for_function(f"document.querySelectorAll('#moreList li').length > {shown}")
        check_listing(frag, column_path(F_C), _links(page, "#moreList a", "/public/"))

        page.goto(urljoin(base, column_path(F_B)))
        frame = page.frame(name="listFrame")
        frame.wait_for_selector("select")
        seen = []
        for index in range(frame.eval_on_selector_all("select option", "e => e.length")):
            if index:
                with page.expect_event("framenavigated"):
                    frame.select_option("select", index=index)
                frame = page.frame(name="listFrame")
                frame.wait_for_selector("select")
            seen += _links(frame, "table a", "/public/")
        check_listing(frag, column_path(F_B), seen)
    finally:
        page.close()
    assert errors == []
