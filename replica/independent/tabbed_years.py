"""绵阳市安州区人民政府 (四川): a modern utf-8 portal whose 政府信息公开年报 page is one page with a year tab widget.

Evidence:
- JSONP list calls as jQuery's ``$.ajax({dataType:'jsonp'})`` makes them: ``…&callback=jQuery1124…_<ms>&_=<ms>``,
  answered ``jQuery…({...})`` (public scrapers replay such URLs: kugou ``&callback=jQuery191006…_1584780452839``,
  qq ``callback=jQuery112409…_1498521559355&_=1498521559356``; portals.md §3 Jilin JSONP
  ``zf_jd_list.jsp?page=N&callback=result…``);
- 年报 pages split by year (viewer-style ``/zfxxgknb/<year>nb/`` sub-columns), lists capped at 10 with 更多;
- reports of departments and towns side by side; a city portal's report reposted by the district with
  【转载】 and a 来源 line (portals.md §6 "Reposts"; the 吉林市 repost in the main replica).

Shape exercised: ``/zwgk/zfxxgknb/`` holds tabs 2023 … 2019; the 2023 tab's ≤10 rows and its 更多 link are in
the HTML; any other tab's rows and 更多 link come only from ``/api/content/nbList?year=Y&size=10&callback=…``
(JSONP; plain JSON without a callback).  Each year's full list is ``/zwgk/zfxxgknb/<Y>nb/`` (``index.html``,
``index_1.html`` …, 10 a page, 共N条), plain HTML.

Columns: the tab page (every report, needs ``api``: years other than the first are named only by the JSONP
answers) and each year column (needs ``static`` from its own first page; only the 2023 one is linked from HTML).
``TabbedYearsCity`` (``tabbed_years_city``) is the city portal whose reports the district reposts.
"""

from __future__ import annotations

import random
from dataclasses import replace
from functools import partial

from ..fillers import County, filler_reports
from ..reports import Report
from ..server import Context, Reply, html_reply
from ..site import Site, assign_docids, trs_path
from ._kit_a import lookalikes
from ._pieces_b import pieces, pieces_html, statutory_footer
from ._pieces_d import cut, esc, jsonp, repost

NAME = "绵阳市安州区人民政府"
ADDRESS = "四川省绵阳市安州区花荄镇安昌路1号"
COUNTY = County(
    "安州区", NAME,
    ("花荄镇", "桑枣镇", "秀水镇", "河清镇", "界牌镇", "塔水镇", "雎水镇", "黄土镇", "千佛镇", "晓坝镇", "高川乡"),
    ("发展和改革局", "教育和体育局", "经济信息化和科学技术局", "民政局", "司法局", "财政局", "人力资源和社会保障局",
     "自然资源局", "住房和城乡建设局", "交通运输局", "水利局", "农业农村局", "商务局", "文化广播电视和旅游局",
     "卫生健康局", "应急管理局", "审计局", "市场监督管理局", "统计局", "医疗保障局", "退役军人事务局"),
    "622650", "0816", "http://www.anzhou.gov.cn", contacts=("杨建平", "何丽", "罗志勇", "邓晓燕", "蒋军"))
CITY = "绵阳市"
CITY_GOV = "绵阳市人民政府"
CITY_COUNTY = County(
    CITY, CITY_GOV, (), ("财政局", "教育和体育局", "生态环境局", "交通运输局", "民政局", "统计局"),
    "621000", "0816", "http://www.my.gov.cn", contacts=("周明", "吴倩", "郑海"))
CITY_SOURCE = "绵阳市人民政府网站"
YEARS = (2023, 2022, 2021, 2020, 2019)
PER_YEAR = {2023: 11, 2022: 9, 2021: 5, 2020: 3, 2019: 3}
TAB_SIZE = 10
PER_PAGE = 10
COLUMN = "/zwgk/zfxxgknb/"
API = "/api/content/nbList"
REPOSTED = (2023, 2022)          # the city government's reports of these years, reposted by the district


def year_column(year: int) -> str:
    return f"{COLUMN}{year}nb/"


def city_originals(scale: int) -> tuple[list[Report], dict[int, Report]]:
    """The city portal's reports (newest first) and, by year, the city government's ones the district reposts."""
    rng = random.Random(f"tabbed_years_city-{scale}")
    gov = County(CITY, CITY_GOV, (), (), CITY_COUNTY.postcode, CITY_COUNTY.area_code, CITY_COUNTY.website,
                 CITY_COUNTY.contacts)
    own = filler_reports(f"tyc-gov-{scale}", gov, len(REPOSTED), range(REPOSTED[-1], REPOSTED[0] + 1))
    depts = filler_reports(f"tyc-dept-{scale}", CITY_COUNTY, 6 * scale, range(2019, 2024),
                           taken={(CITY_GOV, y) for y in range(2019, 2024)})
    items = [*own, *depts]
    assign_docids(items, rng, 3310000)
    items.sort(key=lambda r: (r.published, r.docid), reverse=True)
    return items, {r.year: r for r in own}


def city_path(report: Report) -> str:
    return trs_path("/zwgk/zfxxgknb/", report)


class TabbedYears(Site):
    name = "tabbed_years"
    title = NAME

    def __init__(self, scale: int = 1):
        super().__init__()
        rng = random.Random(f"tabbed_years-{scale}")
        _, originals = city_originals(scale)
        self.originals = originals
        self.years: dict[int, list[Report]] = {}
        fakes_2023 = lookalikes(COUNTY, ADDRESS, 2023)
        fakes_2022 = lookalikes(COUNTY, ADDRESS, 2022)
        extra = {2023: [fakes_2023[0]], 2022: [fakes_2022[1], fakes_2022[4]], 2021: [], 2020: [], 2019: []}
        self.reposts: dict[int, str] = {}
        every = []
        for year in YEARS:
            reports = filler_reports(f"tabbed_years-{scale}-{year}", COUNTY, PER_YEAR[year] * scale,
                                     range(year, year + 1))
            if year in REPOSTED:
                reports.append(repost(originals[year], CITY_SOURCE))
            self.years[year] = [*reports, *extra[year]]
            every += self.years[year]
        assign_docids(every, rng, 560000)
        self.paths: dict[int, str] = {}
        for year in YEARS:
            items = self.years[year]
            items.sort(key=lambda r: (r.published, r.docid), reverse=True)
            for report in items:
                path = f"{year_column(year)}{report.published:%Y%m}/t{report.published:%Y%m%d}_{report.docid}.html"
                self.paths[id(report)] = path
                self.route(path, partial(self.article, year, report))
                if report.extra.get("repost"):
                    self.add_report(report, [path], repost_of=("tabbed_years_city", city_path(originals[year])))
                elif report.is_report:
                    self.add_report(report, [path])
                else:
                    self.add_lookalike(report, path)
            pages = max(1, -(-len(items) // PER_PAGE))
            for n in range(pages):
                page = partial(self.year_page, year, n)
                self.route(year_column(year) + ("index.html" if n == 0 else f"index_{n}.html"), page)
                if n == 0:
                    self.route(year_column(year), page)
        total = sum(r.is_report for items in self.years.values() for r in items)
        self.add_column(COLUMN, reports=total, stated=None, needs="api",
                        note=f"year tabs; {YEARS[0]} rows (≤{TAB_SIZE}) and its 更多 link in the HTML, other years' rows "
                             f"and 更多 links only from the JSONP {API}?year=Y&size={TAB_SIZE}&callback=…; "
                             f"full lists on the year columns {COLUMN}<Y>nb/")
        for year in YEARS:
            items = self.years[year]
            self.add_column(year_column(year), reports=sum(r.is_report for r in items), stated=len(items),
                            needs="static",
                            note="year column: index.html, index_N.html pages, 共N条; linked from the HTML only for "
                                 f"{YEARS[0]}, otherwise from the JSONP answer's more field")
        for path in ("/", "/index.html"):
            self.route(path, self.home)
        for path in ("/zwgk/", "/zwgk/index.html"):
            self.route(path, self.hub)
        self.route(COLUMN, self.tabs)
        self.route(COLUMN + "index.html", self.tabs)
        self.route(API, self.api)
        self.route("/static/js/nbtabs.js", lambda ctx: Reply(200, TABS_JS.encode(), "application/javascript"))

    # -- chrome ---------------------------------------------------------------------------------------

    def _shell(self, title: str, crumbs: list[tuple[str, str]], content: str, head: str = "") -> str:
        nav = "".join(f'<a href="{h}">{t}</a>' for h, t in (
            ("/", "首页"), ("/zwdt/", "政务动态"), ("/zwgk/", "政务公开"), ("/zmhd/", "政民互动"), ("/bsfw/", "办事服务")))
        crumb = " &gt; ".join(['<a href="/">首页</a>', *(f'<a href="{h}">{esc(t)}</a>' for h, t in crumbs)])
        return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta http-equiv="X-UA-Compatible" content="IE=edge,chrome=1">
<title>{esc(title)}</title>
<meta name="SiteName" content="{NAME}"><meta name="SiteDomain" content="www.anzhou.gov.cn"><meta name="SiteIDCode" content="5107240001">
<link rel="stylesheet" href="/static/css/common.css">{head}
</head><body>
<div class="header"><div class="wrap"><a class="logo" href="/"><img src="/static/images/logo.png" alt="{NAME}"></a>
<div class="top-tools"><a href="javascript:;" id="wza">无障碍</a><a href="javascript:;">长者版</a></div></div>
<nav class="nav wrap">{nav}</nav></div>
<div class="wrap crumbs">当前位置：{crumb}</div>
{content}
{statutory_footer(host_org="绵阳市安州区人民政府办公室", site_code="5107240001", icp="蜀ICP备05012006号",
                  police="川公网安备 51072402000101号", address=ADDRESS, phone="0816-4332001")}
</body></html>"""

    def _row(self, report: Report) -> dict:
        return {"title": report.title, "url": self.paths[id(report)], "date": f"{report.published:%Y-%m-%d}",
                "source": report.source}

    # -- pages ------------------------------------------------------------------------------------------

    def home(self, ctx: Context) -> Reply:
        content = ('<div class="wrap index"><div class="box"><h3>政务动态</h3><ul><li><a href="/zwdt/">安州区召开'
                   '2024年一季度经济形势分析会</a></li></ul></div><div class="box"><h3><a href="/zwgk/">政务公开</a>'
                   f'</h3><ul><li><a href="{COLUMN}">政府信息公开年报</a></li></ul></div></div>')
        return html_reply(self._shell(NAME, [], content))

    def hub(self, ctx: Context) -> Reply:
        links = "".join(f'<li><a href="{h}">{t}</a></li>' for h, t in (
            ("/zwgk/xxgkzn/", "政府信息公开指南"), ("/zwgk/xxgkzd/", "政府信息公开制度"),
            ("/zwgk/fdzdgknr/", "法定主动公开内容"), (COLUMN, "政府信息公开年报")))
        return html_reply(self._shell(f"政务公开_{NAME}", [("/zwgk/", "政务公开")],
                                      f'<div class="wrap"><div class="gk-nav"><h2>政府信息公开</h2><ul>{links}</ul></div></div>'))

    def tabs(self, ctx: Context) -> Reply:
        first = YEARS[0]
        tabs = "".join(f'<li class="{"on" if y == first else ""}" data-year="{y}">{y}年</li>' for y in YEARS)
        rows = "".join(self._li(r) for r in self.years[first][:TAB_SIZE])
        panels = [f'<div class="tab-panel on" id="panel-{first}"><ul class="nb-list">{rows}</ul>'
                  f'<a class="more" href="{year_column(first)}">更多&gt;&gt;</a></div>']
        panels += [f'<div class="tab-panel" id="panel-{y}" style="display:none"><ul class="nb-list">'
                   f'<li class="loading">加载中…</li></ul></div>' for y in YEARS[1:]]
        content = f"""<div class="wrap nb-page">
<div class="nb-head"><h2>政府信息公开工作年度报告</h2></div>
<ul class="nb-tabs" id="nbTabs">{tabs}</ul>
<div class="nb-panels" id="nbPanels" data-api="{API}" data-size="{TAB_SIZE}">
{"".join(panels)}
</div></div>
<script src="/static/js/nbtabs.js"></script>"""
        return html_reply(self._shell(f"政府信息公开年报_{NAME}", [("/zwgk/", "政务公开"), (COLUMN, "政府信息公开年报")],
                                      content))

    def _li(self, report: Report) -> str:
        return (f'<li><a href="{self.paths[id(report)]}" title="{esc(report.title)}" target="_blank">'
                f'{esc(cut(report.title, 30))}</a><span>{report.published:%Y-%m-%d}</span></li>')

    def api(self, ctx: Context) -> Reply:
        args = ctx.request.args()
        try:
            year = int(args.get("year", ""))
            size = max(1, min(int(args.get("size", TAB_SIZE) or TAB_SIZE), TAB_SIZE))
        except ValueError:
            year, size = 0, TAB_SIZE
        items = self.years.get(year)
        if items is None:
            payload = {"code": 1, "msg": "年份参数错误", "data": None}
        else:
            payload = {"code": 0, "msg": "success", "data": {
                "year": year, "total": len(items), "list": [self._row(r) for r in items[:size]],
                "more": year_column(year)}}
        body, ctype = jsonp(args.get("callback"), payload)
        return Reply(200, body, ctype, [("Cache-Control", "no-cache")])

    def year_page(self, year: int, n: int, ctx: Context) -> Reply:
        items = self.years[year]
        pages = max(1, -(-len(items) // PER_PAGE))
        chunk = items[n * PER_PAGE:(n + 1) * PER_PAGE]
        rows = "".join(self._li(r) for r in chunk)

        def name(k: int) -> str:
            return "index.html" if k == 0 else f"index_{k}.html"
        parts = [f"共{len(items)}条 第{n + 1}/{pages}页", f'<a href="{name(0)}">首页</a>']
        parts.append(f'<a href="{name(n - 1)}">上一页</a>' if n > 0 else "<span>上一页</span>")
        parts.append(f'<a href="{name(n + 1)}">下一页</a>' if n + 1 < pages else "<span>下一页</span>")
        parts.append(f'<a href="{name(pages - 1)}">尾页</a>')
        content = f"""<div class="wrap nb-page"><div class="nb-head"><h2>{year}年度政府信息公开工作年度报告</h2></div>
<ul class="nb-list">{rows}</ul>
<div class="page">{" ".join(parts)}</div></div>"""
        crumbs = [("/zwgk/", "政务公开"), (COLUMN, "政府信息公开年报"), (year_column(year), f"{year}年度")]
        return html_reply(self._shell(f"{year}年度_{NAME}", crumbs, content))

    def article(self, year: int, report: Report, ctx: Context) -> Reply:
        if report.extra.get("repost"):
            source = (f'来源：<a href="{ctx.url("tabbed_years_city", city_path(self.originals[report.year]))}" '
                      f'target="_blank">{CITY_SOURCE}</a>')
        else:
            source = f"来源：{esc(report.source)}"
        content = f"""<div class="wrap article">
<h1 class="art-title">{esc(report.title)}</h1>
<div class="art-info"><span>发布时间：{report.published:%Y-%m-%d}</span><span>{source}</span>
<span>浏览量：<em id="hits">{ctx.hit()}</em></span><span class="font">字号：<a href="javascript:;">大</a> <a href="javascript:;">中</a> <a href="javascript:;">小</a></span></div>
<div class="art-content" id="zoom">
{pieces_html(report, pieces(report), "ueditor")}
</div>
<div class="art-tools"><a href="javascript:window.print();">打印</a> <a href="javascript:window.close();">关闭</a></div>
</div>"""
        crumbs = [("/zwgk/", "政务公开"), (COLUMN, "政府信息公开年报"), (year_column(year), f"{year}年度")]
        return html_reply(self._shell(f"{report.title}_{NAME}", crumbs, content))


class TabbedYearsCity(Site):
    """绵阳市人民政府: the city portal whose own reports the district reposts (a plain TRS-style column)."""

    name = "tabbed_years_city"
    title = CITY_GOV

    def __init__(self, scale: int = 1):
        super().__init__()
        items, _ = city_originals(scale)
        fakes = lookalikes(CITY_COUNTY, "四川省绵阳市涪城区花园路1号", 2022)
        notice = replace(fakes[1], docid=3319999)
        self.items = sorted([*items, notice], key=lambda r: (r.published, r.docid), reverse=True)
        for report in self.items:
            path = city_path(report)
            self.route(path, partial(self.article, report))
            if report.is_report:
                self.add_report(report, [path])
            else:
                self.add_lookalike(report, path)
        self.add_column(COLUMN, reports=len(items), stated=len(self.items), needs="static", note="one page, 共N条")
        self.route("/", self.home)
        self.route("/index.html", self.home)
        self.route(COLUMN, self.column)
        self.route(COLUMN + "index.html", self.column)

    def _shell(self, title: str, content: str) -> str:
        return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{esc(title)}</title>
<meta name="SiteName" content="{CITY_GOV}"><meta name="SiteIDCode" content="5107000001"></head><body>
<div class="head"><a href="/">{CITY_GOV}</a> <a href="{COLUMN}">政府信息公开年报</a></div>
<div class="crumbs">当前位置：<a href="/">首页</a> &gt; <a href="{COLUMN}">政府信息公开年报</a></div>
{content}
{statutory_footer(host_org="绵阳市人民政府办公室", site_code="5107000001", icp="蜀ICP备05003385号",
                  police="川公网安备 51070302000101号")}
</body></html>"""

    def home(self, ctx: Context) -> Reply:
        return html_reply(self._shell(CITY_GOV, f'<div><a href="{COLUMN}">政府信息公开年报</a></div>'))

    def column(self, ctx: Context) -> Reply:
        rows = "".join(f'<li><a href="{city_path(r)}" title="{esc(r.title)}">{esc(cut(r.title, 32))}</a>'
                       f'<span>{r.published:%Y-%m-%d}</span></li>' for r in self.items)
        return html_reply(self._shell(f"政府信息公开年报_{CITY_GOV}",
                                      f'<ul class="list">{rows}</ul><div class="page">共{len(self.items)}条</div>'))

    def article(self, report: Report, ctx: Context) -> Reply:
        return html_reply(self._shell(f"{report.title}_{CITY_GOV}", f"""<div class="article"><h1>{esc(report.title)}</h1>
<div class="info">发布日期：{report.published:%Y-%m-%d}　来源：{esc(report.source)}</div>
<div class="TRS_Editor">{pieces_html(report, pieces(report), "kind")}</div></div>"""))


TABS_JS = r"""/* year tabs: the first panel is in the page; the others ask the list API by JSONP, as jQuery's
   $.ajax({dataType:'jsonp'}) does (callback=jQuery<version+random>_<ms>&_=<ms>) */
(function () {
  var tabs = document.querySelectorAll('#nbTabs li'), box = document.getElementById('nbPanels');
  var api = box.getAttribute('data-api'), size = box.getAttribute('data-size'), done = {};
  function esc(s) { return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;'); }
  function load(year, panel) {
    var now = Date.now(), cb = 'jQuery1124' + String(Math.random()).replace(/\D/g, '').slice(0, 16) + '_' + now;
    window[cb] = function (res) {
      var d = res && res.data, html = '';
      if (!d) { panel.innerHTML = '<ul class="nb-list"><li>暂无数据</li></ul>'; return; }
      d.list.forEach(function (r) {
        var t = r.title.length > 30 ? r.title.slice(0, 29) + '…' : r.title;
        html += '<li><a href="' + esc(r.url) + '" title="' + esc(r.title) + '" target="_blank">' + esc(t) +
                '</a><span>' + esc(r.date) + '</span></li>';
      });
      panel.innerHTML = '<ul class="nb-list">' + html + '</ul><a class="more" href="' + esc(d.more) + '">更多&gt;&gt;</a>';
      try { delete window[cb]; } catch (e) { window[cb] = undefined; }
    };
    var s = document.createElement('script');
    s.src = api + '?year=' + year + '&size=' + size + '&callback=' + cb + '&_=' + (now + 1);
    document.head.appendChild(s);
  }
  Array.prototype.forEach.call(tabs, function (tab) {
    tab.onclick = function () {
      var year = tab.getAttribute('data-year');
      Array.prototype.forEach.call(tabs, function (t) { t.className = t === tab ? 'on' : ''; });
      Array.prototype.forEach.call(box.children, function (p) { p.style.display = p.id === 'panel-' + year ? '' : 'none'; });
      if (!done[year] && tab !== tabs[0]) { done[year] = true; load(year, document.getElementById('panel-' + year)); }
    };
  });
})();
"""
