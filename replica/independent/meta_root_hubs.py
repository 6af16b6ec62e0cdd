"""浏阳市人民政府 (湖南): a TRS WCM portal whose shared page template leaves ``<meta name="ColumnName"
content="政府信息公开年报">`` on every page, home page and news articles included, while the reports sit three
hubs deep in a column named 年度报告（2008-2023）.

Evidence (shared/reference/portals.md §1.1-1.3):
- the ``SiteName``/``SiteDomain``/``SiteIDCode``/``ColumnName``/``ColumnType`` meta set of TRS templates (§1.3),
  here left with one column's name in the shared head, as templates copied from a column page are;
- ``createPageHTML(count, current, "index", "shtml")`` with 0-based ``index.shtml``, ``index_1.shtml`` (Hubei's
  ``index_{i}.shtml`` in §1.1);
- article paths ``./YYYYMM/tYYYYMMDD_<docid>.shtml`` relative to the column directory (§1.2) and the newer editor
  container ``div.view.TRS_UEDITOR.trs_paper_default.trs_web`` (§1.2);
- breadcrumb links with ``class="CurrChnlCls"`` (§1.2).

Variant exercised:
- the home page has a news list (政务要闻, articles under ``/xwzx/zwyw/``) and its head names the 年报 column;
  the reports are reached only home → 政务公开 (``/zwgk/``) → 政府信息公开 (``/zwgk/zfxxgk/``) → 年度报告（2008-2023）
  (``/zwgk/zfxxgk/ndbg/``);
- the column lists the reports of 2008-2018 itself (paged by createPageHTML) and links per-year sub-columns
  ``2019nd/`` … ``2023nd/`` (2019 and later), each listing that year's reports;
- reports before 2019 are titled …政府信息公开工作报告 / …政府信息公开情况报告 (neither 年报 nor 年度报告);
- every column page prints no count: ``stated`` is None.
"""

from __future__ import annotations

import random
from functools import partial

from ..fillers import County, filler_reports
from ..news import news_items
from ..reports import Report, body_html
from ..server import Context, html_reply
from ..site import Site, assign_docids
from ._kit_a import cut, esc, gov_footer, lookalikes

NAME = "浏阳市人民政府"
DOMAIN = "www.liuyang.gov.cn"
SITE_CODE = "4301810001"
ICP = "湘ICP备05004382号"
POLICE = "湘公网安备 43018102000125号"
ADDRESS = "湖南省长沙市浏阳市淮川街道白沙西路1号"
PHONE = "0731-83612345"
COUNTY = County(
    "浏阳市", NAME,
    ("淮川街道", "集里街道", "荷花街道", "关口街道", "大围山镇", "古港镇", "永安镇", "北盛镇", "官渡镇", "达浒镇",
     "沿溪镇", "社港镇", "淳口镇", "高坪镇", "龙伏镇", "镇头镇", "普迹镇", "柏加镇", "枨冲镇", "澄潭江镇"),
    ("发展和改革局", "教育局", "科学技术局", "工业和信息化局", "民政局", "司法局", "财政局", "人力资源和社会保障局",
     "自然资源局", "住房和城乡建设局", "交通运输局", "水利局", "农业农村局", "商务局", "文化旅游广电体育局",
     "卫生健康局", "应急管理局", "审计局", "市场监督管理局", "统计局", "林业局", "医疗保障局"),
    "410300", "0731", "http://www.liuyang.gov.cn", contacts=("陈志强", "罗丽华", "黄建军", "周晓芳", "刘国平"))

META_COLUMN = "政府信息公开年报"          # what the shared template's head says on every page
COLUMN = "/zwgk/zfxxgk/ndbg/"
COLUMN_NAME = "年度报告（2008-2023）"
SUB_YEARS = range(2019, 2024)
PER_PAGE = 15
NAV = (("/", "首页"), ("/xwzx/", "新闻中心"), ("/zwgk/", "政务公开"), ("/zwfw/", "政务服务"), ("/hdjl/", "互动交流"),
       ("/zjly/", "走进浏阳"))
XXGK = (("/zwgk/zfxxgk/zn/", "政府信息公开指南"), ("/zwgk/zfxxgk/zd/", "政府信息公开制度"),
        ("/zwgk/zfxxgk/fdzdgknr/", "法定主动公开内容"), (COLUMN, COLUMN_NAME))

PAGE_JS = """function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){
  if(_nPageCount == null || _nPageCount <= 1) return;
  var html = '<div class="fenye">';
  var cur = _nCurrIndex || 0;
  function name(i){ return i == 0 ? _sPageName + "." + _sPageExt : _sPageName + "_" + i + "." + _sPageExt; }
  html += cur == 0 ? '<span>首页</span><span>上一页</span>' : '<a href="' + name(0) + '">首页</a><a href="' + name(cur - 1) + '">上一页</a>';
  for (var i = 0; i < _nPageCount; i++) html += i == cur ? '<b>' + (i + 1) + '</b>' : '<a href="' + name(i) + '">' + (i + 1) + '</a>';
  html += cur == _nPageCount - 1 ? '<span>下一页</span><span>尾页</span>' : '<a href="' + name(cur + 1) + '">下一页</a><a href="' + name(_nPageCount - 1) + '">尾页</a>';
  document.write(html + '</div>');
}
"""


def old_title(rng: random.Random, agency: str, year: int) -> str:
    """How reports were titled before the 2019 format: 工作报告 or 情况报告, never 年报/年度报告."""
    return rng.choice([f"{agency}{year}年政府信息公开工作报告", f"{agency}{year}年政府信息公开情况报告",
                       f"{agency}关于{year}年政府信息公开工作情况的报告"])


def article_path(column: str, report: Report) -> str:
    return f"{column}{report.published:%Y%m}/t{report.published:%Y%m%d}_{report.docid}.shtml"


def page_file(index: int) -> str:
    return "index.shtml" if index == 0 else f"index_{index}.shtml"


class MetaRootHubs(Site):
    name = "meta_root_hubs"
    title = NAME

    def __init__(self, scale: int = 1):
        super().__init__()
        rng = random.Random(f"meta_root_hubs-{scale}")
        fillers = filler_reports(f"meta_root_hubs-fillers-{scale}", COUNTY, 44 * scale, range(2008, 2024))
        for report in fillers:
            if report.year < 2019:
                report.title = old_title(rng, report.agency, report.year)
        yaodian, bianzhi, guide, fmt, gongbao = lookalikes(COUNTY, ADDRESS, 2022)
        news = news_items(f"meta_root_hubs-news-{scale}", COUNTY.region, NAME, count=6)
        assign_docids([*fillers, yaodian, bianzhi, guide, fmt, gongbao, *news], rng, 5100000)

        old = [r for r in fillers if r.year < 2019] + [yaodian, gongbao]
        self.lists: dict[str, list[Report]] = {COLUMN: sorted(old, key=lambda r: (r.published, r.docid), reverse=True)}
        for year in SUB_YEARS:
            extra = [bianzhi] if year == 2022 else [fmt] if year == 2021 else []
            listed = [r for r in fillers if r.year == year] + extra
            self.lists[f"{COLUMN}{year}nd/"] = sorted(listed, key=lambda r: (r.published, r.docid), reverse=True)

        for column, listed in self.lists.items():
            label = COLUMN_NAME if column == COLUMN else f"{column[-7:-3]}年度"
            for report in listed:
                path = article_path(column, report)
                self.route(path, partial(self.article, report, column, label))
                if report.is_report:
                    self.add_report(report, [path])
                else:
                    self.add_lookalike(report, path)
            pages = [listed[i:i + PER_PAGE] for i in range(0, len(listed), PER_PAGE)] or [[]]
            for index, rows in enumerate(pages):
                page = partial(self.column_page, column, label, rows, index, len(pages))
                self.route(column + page_file(index), page)
                if index == 0:
                    self.route(column, page)
            self.add_column(column, reports=sum(r.is_report for r in listed), stated=None, needs="static",
                            note="createPageHTML(n, i, \"index\", \"shtml\") pager" if len(pages) > 1 else
                            "one page, no count printed")
        guide_path = article_path("/zwgk/zfxxgk/zn/", guide)
        self.route(guide_path, partial(self.article, guide, "/zwgk/zfxxgk/zn/", "政府信息公开指南"))
        self.add_lookalike(guide, guide_path, in_report_column=False)
        self.route("/zwgk/zfxxgk/zn/", partial(self.plain_list, "政府信息公开指南", [(guide_path, guide)]))
        self.news = news
        for story in news:
            self.route(article_path("/xwzx/zwyw/", story), partial(self.article, story, "/xwzx/zwyw/", "政务要闻"))
        self.route("/xwzx/zwyw/", partial(self.plain_list, "政务要闻",
                                          [(article_path("/xwzx/zwyw/", s), s) for s in news]))
        self.route("/", self.home)
        self.route("/index.shtml", self.home)
        self.route("/zwgk/", self.hub_zwgk)
        self.route("/zwgk/index.shtml", self.hub_zwgk)
        self.route("/zwgk/zfxxgk/", self.hub_xxgk)
        self.route("/zwgk/zfxxgk/index.shtml", self.hub_xxgk)
        self.route("/js/page.js", lambda ctx: html_reply(PAGE_JS, content_type="application/javascript; charset=utf-8"))

    def dynamic(self, ctx: Context, path: str, query: str):
        # the hubs link many columns nobody filled
        if path.endswith("/") and path.count("/") in (2, 3, 4) and not path.startswith(COLUMN):
            return html_reply(self._page(f"栏目_{NAME}", [(path, "栏目")], '<div class="right"><p class="empty">暂无信息</p></div>'))
        return None

    # -- template ---------------------------------------------------------------------------------

    def _page(self, title: str, crumbs: list[tuple[str, str]], content: str, head: str = "") -> str:
        nav = "".join(f'<li><a href="{h}" target="_self">{t}</a></li>' for h, t in NAV)
        crumb = "".join(f' &gt; <a href="{esc(h)}" target="_self" class="CurrChnlCls">{esc(t)}</a>' for h, t in crumbs)
        where = (f'<div class="location">当前位置：<a href="/" target="_self" class="CurrChnlCls">首页</a>{crumb}</div>'
                 if crumbs else "")
        return f"""<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<meta name="SiteName" content="{NAME}">
<meta name="SiteDomain" content="{DOMAIN}">
<meta name="SiteIDCode" content="{SITE_CODE}">
<meta name="ColumnName" content="{META_COLUMN}">
<meta name="ColumnType" content="{META_COLUMN}">
<meta name="ColumnDescription" content="{META_COLUMN}">
<meta name="ColumnKeywords" content="{META_COLUMN}">
{head}
<title>{esc(title)}</title>
<link rel="stylesheet" href="/images/style.css">
<script src="/js/jquery.min.js"></script>
<script src="/js/page.js"></script>
</head>
<body>
<div class="topbar"><div class="w1200"><span>欢迎访问{NAME}门户网站</span><span class="fr"><a href="javascript:;" id="wza">无障碍</a> <a href="javascript:;">长者版</a> <a href="/was5/web/search?channelid=200001">站内搜索</a></span></div></div>
<div class="header"><div class="w1200"><a href="/"><img src="/images/logo.png" alt="{NAME}"></a></div></div>
<div class="nav"><ul class="w1200">{nav}</ul></div>
<div class="w1200 main">
{where}
{content}
</div>
{gov_footer(NAME, "浏阳市人民政府办公室", SITE_CODE, ICP, POLICE, ADDRESS, PHONE)}
<script>var _trs_uv = "";</script>
</body>
</html>
"""

    def _rows(self, column: str, rows: list[Report]) -> str:
        return "\n".join(f'<li><a href="./{r.published:%Y%m}/t{r.published:%Y%m%d}_{r.docid}.shtml" target="_blank" '
                         f'title="{esc(r.title)}">{esc(cut(r.title, 34))}</a><span>{r.published:%Y-%m-%d}</span></li>'
                         for r in rows)

    # -- pages ------------------------------------------------------------------------------------

    def column_page(self, column: str, label: str, rows: list[Report], index: int, count: int, ctx: Context):
        on = ' class="on"'
        years = "".join(f'<a href="{COLUMN}{y}nd/"{on if column.endswith(f"{y}nd/") else ""}>{y}年度</a>'
                        for y in reversed(SUB_YEARS))
        tabs = (f'<div class="year-tabs"><a href="{COLUMN}"{on if column == COLUMN else ""}>2008-2018年度</a>'
                f'{years}</div>')
        pager = f'<script>createPageHTML({count}, {index}, "index", "shtml");</script>' if count > 1 else ""
        crumbs = [("/zwgk/", "政务公开"), ("/zwgk/zfxxgk/", "政府信息公开"), (COLUMN, COLUMN_NAME)]
        if column != COLUMN:
            crumbs.append((column, label))
        side = "".join(f'<li><a href="{h}">{t}</a></li>' for h, t in XXGK)
        content = f"""<div class="left"><div class="left-tit">政府信息公开</div><ul class="left-menu">{side}</ul></div>
<div class="right"><div class="right-tit">{esc(label)}</div>
{tabs}
<ul class="xxgk-list">
{self._rows(column, rows)}
</ul>
{pager}
</div>"""
        return html_reply(self._page(f"{label}_{NAME}", crumbs, content))

    def plain_list(self, label: str, rows: list[tuple[str, Report]], ctx: Context):
        lis = "".join(f'<li><a href="{h}" target="_blank">{esc(r.title)}</a><span>{r.published:%Y-%m-%d}</span></li>'
                      for h, r in rows)
        return html_reply(self._page(f"{label}_{NAME}", [(rows[0][0].rsplit("/", 2)[0] + "/", label)],
                                     f'<div class="right-tit">{label}</div><ul class="xxgk-list">{lis}</ul>'))

    def article(self, report: Report, column: str, label: str, ctx: Context):
        d = report.published
        content = f"""<div class="article">
<h1 class="title">{esc(report.title)}</h1>
<div class="info"><span>发布时间：{d:%Y-%m-%d} 10:{report.docid % 60:02d}</span><span>来源：{esc(report.source)}</span>
<span>字体：<a href="javascript:;" onclick="fontZoom(18)">大</a> <a href="javascript:;" onclick="fontZoom(16)">中</a> <a href="javascript:;" onclick="fontZoom(14)">小</a></span></div>
<div class="view TRS_UEDITOR trs_paper_default trs_web">
{body_html(report, "trs_word")}
</div>
<div class="tools"><a href="javascript:window.print();">打印本页</a> <a href="javascript:window.close();">关闭窗口</a></div>
</div>"""
        crumbs = [(column, label)] if column.startswith("/xwzx/") else [("/zwgk/", "政务公开"), ("/zwgk/zfxxgk/", "政府信息公开")]
        if column.startswith(COLUMN):
            crumbs.append((COLUMN, COLUMN_NAME))
            if column != COLUMN:
                crumbs.append((column, label))
        elif not column.startswith("/xwzx/"):
            crumbs.append((column, label))
        head = (f'<meta name="ArticleTitle" content="{esc(report.title)}">\n'
                f'<meta name="PubDate" content="{d:%Y-%m-%d} 10:{report.docid % 60:02d}">\n'
                f'<meta name="ContentSource" content="{esc(report.source)}">')
        return html_reply(self._page(f"{report.title}_{NAME}", crumbs, content, head))

    def hub_zwgk(self, ctx: Context):
        blocks = (("政府信息公开", [("/zwgk/zfxxgk/", "政府信息公开"), ("/zwgk/zfxxgk/zn/", "政府信息公开指南"),
                                  ("/zwgk/zfxxgk/fdzdgknr/", "法定主动公开内容")]),
                  ("政策文件", [("/zwgk/zcwj/szfwj/", "市政府文件"), ("/zwgk/zcwj/szfbwj/", "市政府办文件"),
                            ("/zwgk/zcjd/", "政策解读")]),
                  ("重点领域", [("/zwgk/zdly/czzj/", "财政资金"), ("/zwgk/zdly/zdxm/", "重大项目")]))
        content = "".join(f'<div class="gk-box"><h3>{t}</h3><ul>' + "".join(f'<li><a href="{h}">{x}</a></li>' for h, x in links)
                          + "</ul></div>" for t, links in blocks)
        return html_reply(self._page(f"政务公开_{NAME}", [("/zwgk/", "政务公开")], content))

    def hub_xxgk(self, ctx: Context):
        side = "".join(f'<li><a href="{h}">{t}</a></li>' for h, t in XXGK)
        content = (f'<div class="left"><div class="left-tit">政府信息公开</div><ul class="left-menu">{side}</ul></div>'
                   '<div class="right"><div class="right-tit">政府信息公开</div><p>本栏目依据《中华人民共和国政府信息公开条例》'
                   '设置，集中公开浏阳市人民政府及其工作部门、乡镇（街道）的政府信息。</p></div>')
        return html_reply(self._page(f"政府信息公开_{NAME}", [("/zwgk/", "政务公开"), ("/zwgk/zfxxgk/", "政府信息公开")], content))

    def home(self, ctx: Context):
        lis = "".join(f'<li><a href="{article_path("/xwzx/zwyw/", s)}" target="_blank" title="{esc(s.title)}">'
                      f'{esc(cut(s.title, 28))}</a><span>{s.published:%m-%d}</span></li>' for s in self.news)
        content = (f'<div class="home-news"><div class="tit"><a href="/xwzx/zwyw/">政务要闻</a></div><ul>{lis}</ul></div>'
                   '<div class="home-entries"><a href="/zwgk/">政务公开</a><a href="/zwfw/">政务服务</a>'
                   '<a href="/hdjl/">互动交流</a></div>')
        return html_reply(self._page(NAME, [], content))
