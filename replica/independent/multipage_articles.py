"""禹州市人民政府 (河南): reports published as one article continued over several pages of the same article.

Evidence and what each column exercises (one article pager per column):

- 市政府年报 ``/zwgk/zfxxgknb/szfnb/`` — TRS WCM.  shared/reference/portals.md §1.1 "Long articles are paginated
  the same way: ``createPageHTML(3, 0, "t20151009_67430", "html")`` yields ``t20151009_67430.html``, ``…_1.html``":
  the article prints ``<div class="page-article"><script>createPageHTML(3, 0, "t20240115_3150123", "html")</script></div>``
  and its page links exist only once ``/common/js/createPageHTML.js`` runs (0-based, page i ≥ 1 is ``_i``).  The
  column's own list pages use the same call with ``"index"`` (portals.md §1.1).
- 部门年报 ``/zwgk/zfxxgknb/bmnb/`` — the older TRS template's inline pager (portals.md §1.1 "Older templates inline
  the pager … ``var currentPage = 0;//所在页从0开始``, ``var countPage = 2`` … An inline variant produces
  ``t20090818_27775_{i}.html``"): the article's page links are ``document.write`` output of an inline script, with
  the rendered pager text 第1页 共3页 beside it.  The list pages print a static pager with 共N条 (TRS PageBar).
- 乡镇（街道）年报 ``/xzjd/nb/`` — a DedeCMS section (乡镇 sub-site) under the same host.  A captured DedeCMS
  article (public code, search-index file 44680403303, found with find_string ``共3页: </a></li><li><a href='``)
  prints the pager as static HTML:
  ``<ul class="pagination"><li><a>共3页: </a></li><li><a href='#'>上一页</a></li><li class="thisclass"><a href='#'>1</a></li>
  <li><a href='1869_2.html'>2</a></li><li><a href='1869_3.html'>3</a></li><li><a href='1869_2.html'>下一页</a></li></ul>``
  (1-based: page 2 is ``_2``).  Its list pages are DedeCMS ``list_<typeid>_<n>.html`` with
  ``<span class="pageinfo">共 <strong>P</strong>页<strong>N</strong>条</span>``.

A report's pages each repeat the title and byline; the body is cut between blocks, and in some reports inside a
table (the rows before the cut end page k, the rest open page k+1 as a second table without the header rows).
Some reports fit on one page (no pager: createPageHTML prints nothing for one page).  Each column lists a format
notice, 工作要点 or 统计公报 next to the reports; one look-alike is itself paginated.

Truth: ``paths`` = the first page; ``parts`` = every page of the article in order (only for articles of more than
one page); ``text`` = the concatenated pages' text (title once).
"""

from __future__ import annotations

import random
from functools import partial

from ..fillers import County, filler_reports
from ..reports import Report
from ..server import Context, Reply, html_reply
from ..site import Site, assign_docids, faithful_text
from ._pieces_b import esc, format_notice, lookalikes, pieces_html, split_pages, statutory_footer

NAME = "禹州市人民政府"
DOMAIN = "www.yuzhou.gov.cn"
REGION = "禹州市"
TOWNS = ("钧台街道", "夏都街道", "韩城街道", "颍川街道", "火龙镇", "顺店镇", "方山镇", "神垕镇", "鸿畅镇", "梁北镇",
         "古城镇", "无梁镇", "文殊镇", "鸠山镇", "褚河镇", "范坡镇", "郭连镇", "朱阁镇", "浅井镇", "方岗镇", "花石镇",
         "小吕乡", "磨街乡")
DEPTS = ("发展和改革委员会", "教育局", "科学技术和工业信息化局", "公安局", "民政局", "司法局", "财政局", "人力资源和社会保障局",
         "自然资源和规划局", "住房和城乡建设局", "交通运输局", "水利局", "农业农村局", "商务局", "文化广电和旅游局",
         "卫生健康委员会", "退役军人事务局", "应急管理局", "审计局", "市场监督管理局", "统计局", "医疗保障局")
GOV = County(REGION, NAME, (), (), "461670", "0374", f"http://{DOMAIN}")
DEPT = County(REGION, NAME, (), DEPTS, "461670", "0374", f"http://{DOMAIN}")
TOWN = County(REGION, NAME, TOWNS, (), "461670", "0374", f"http://{DOMAIN}")

HUB = "/zwgk/"
NB = "/zwgk/zfxxgknb/"
SZF = NB + "szfnb/"
BM = NB + "bmnb/"
XZ = "/xzjd/nb/"
DEDE_TYPEID = 7
PER_PAGE = {SZF: 6, BM: 8, XZ: 7}
COLUMN_NAMES = {SZF: "市政府年报", BM: "部门年报", XZ: "乡镇（街道）年报"}
NAV = [("/", "首页"), ("/zwdt/", "政务动态"), (HUB, "政务公开"), ("/zwfw/", "政务服务"), ("/hdjl/", "互动交流"),
       ("/zjyz/", "走进禹州")]

CREATE_PAGE_JS = r"""/* 文章及列表分页 */
function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){
  if(_nPageCount == null || _nPageCount <= 1){ return; }
  var html = [];
  function url(i){ return i == 0 ? _sPageName + "." + _sPageExt : _sPageName + "_" + i + "." + _sPageExt; }
  html.push("<span class='total'>共" + _nPageCount + "页</span>");
  if(_nCurrIndex > 0){
    html.push("<a href='" + url(0) + "'>首页</a>");
    html.push("<a href='" + url(_nCurrIndex - 1) + "'>上一页</a>");
  }
  for(var i = 0; i < _nPageCount; i++){
    if(i == _nCurrIndex){ html.push("<span class='cur'>" + (i + 1) + "</span>"); }
    else { html.push("<a href='" + url(i) + "'>" + (i + 1) + "</a>"); }
  }
  if(_nCurrIndex < _nPageCount - 1){
    html.push("<a href='" + url(_nCurrIndex + 1) + "'>下一页</a>");
    html.push("<a href='" + url(_nPageCount - 1) + "'>尾页</a>");
  }
  document.write(html.join("&nbsp;"));
}
"""


def _trs_name(report: Report) -> str:
    return f"t{report.published:%Y%m%d}_{report.docid}"


class MultipageArticles(Site):
    name = "multipage_articles"
    title = NAME

    def __init__(self, scale: int = 1):
        super().__init__()
        rng = random.Random(f"multipage-{scale}")
        self.scale = scale
        gov = filler_reports(f"multipage-gov-{scale}", GOV, min(16, 6 + 3 * (scale - 1)), range(2008, 2024))
        # the government's own reports are only in 市政府年报
        not_gov = {(NAME, y) for y in range(2008, 2024)}
        depts = filler_reports(f"multipage-dept-{scale}", DEPT, 9 + 10 * (scale - 1), range(2008, 2024), not_gov)
        towns = filler_reports(f"multipage-town-{scale}", TOWN, 10 + 10 * (scale - 1), range(2008, 2024), not_gov)
        fakes = lookalikes(REGION, NAME, f"{NAME}办公室", random.Random("multipage-lookalikes"))
        notice = format_notice()
        columns = {SZF: [*gov, notice, fakes[1]], BM: [*depts, fakes[0]], XZ: [*towns, fakes[2]]}
        assign_docids([r for items in columns.values() for r in items], rng, 3150000)
        self.lists: dict[str, list[tuple[str, Report]]] = {}
        for column, items in columns.items():
            items.sort(key=lambda r: (r.published, r.docid), reverse=True)
            rows = []
            for report in items:
                pages = self._pagination(rng, report, multi=report is notice)
                paths = self.publish(column, report, pages)
                rows.append((paths[0], report))
                if report.is_report:
                    self.add_report(report, [paths[0]])
                    self.truth[-1]["text"] = faithful_text(report)
                    if len(paths) > 1:
                        self.truth[-1]["parts"] = paths
                else:
                    self.add_lookalike(report, paths[0])
            self.lists[column] = rows
        self.listing_pages()
        self.chrome_pages()

    # -- articles ----------------------------------------------------------------------------------

    def _pagination(self, rng: random.Random, report: Report, multi: bool = False) -> list:
        """How the editor broke this article into pages: 1-4 pages, a table cut in some."""
        count = rng.choices((1, 2, 3, 4), weights=(2, 4, 3, 2))[0]
        if multi:
            count = max(count, 2)
        if report.figures is None or count == 1:
            return split_pages(report, min(count, 3))
        cut = rng.choice((None, "table2", "table3", "table3"))
        return split_pages(report, count, cut)

    def publish(self, column: str, report: Report, pages: list) -> list[str]:
        if column == XZ:
            base = f"{XZ}{report.published:%Y}/{report.published:%m%d}/{report.docid}"
            paths = [f"{base}.html" if i == 0 else f"{base}_{i + 1}.html" for i in range(len(pages))]
            page = self.dede_article
        else:
            base = f"{column}{report.published:%Y%m}/{_trs_name(report)}"
            paths = [f"{base}.html" if i == 0 else f"{base}_{i}.html" for i in range(len(pages))]
            page = self.trs_article
        for i, (path, items) in enumerate(zip(paths, pages)):
            self.route(path, partial(page, column, report, pieces_html(report, items), i, len(pages), path))
        return paths

    def _shell(self, title: str, body: str, head: str = "") -> str:
        nav = "".join(f'<li><a href="{h}">{t}</a></li>' for h, t in NAV)
        return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge,chrome=1">
<title>{esc(title)}</title>
<meta name="SiteName" content="{NAME}"><meta name="SiteDomain" content="{DOMAIN}"><meta name="SiteIDCode" content="4110810001">
{head}
<link rel="stylesheet" href="/common/css/base.css"><script src="/common/js/jquery.min.js"></script>
<script src="/common/js/createPageHTML.js"></script>
</head><body>
<div class="top"><div class="wrap"><span>今天是：2024年3月18日 星期一</span><a href="javascript:;" id="wza">无障碍</a>
<a href="javascript:;" onclick="toElder()">长者模式</a></div></div>
<div class="header"><div class="wrap"><a class="logo" href="/"><img src="/common/images/logo.png" alt="{NAME}"></a>
<form action="/was5/web/search" method="get"><input name="searchword" placeholder="请输入搜索内容"><button>搜索</button></form></div></div>
<div class="nav"><ul class="wrap">{nav}</ul></div>
{body}
{statutory_footer(host_org="禹州市人民政府办公室", site_code="4110810001", icp="豫ICP备05018732号",
                  police="豫公网安备 41108102000123号", address="河南省禹州市府东路1号", phone="0374-8866001")}
</body></html>"""

    def _crumbs(self, column: str, extra: str = "") -> str:
        if column == XZ:
            trail = (f'<a href="/">首页</a> &gt; <a href="{HUB}">政务公开</a> &gt; <a href="{NB}">政府信息公开年报</a> &gt; '
                     f'<a href="{XZ}">乡镇（街道）年报</a>')
        elif column == NB:
            trail = f'<a href="/">首页</a> &gt; <a href="{HUB}">政务公开</a> &gt; <a href="{NB}">政府信息公开年报</a>'
        else:
            trail = (f'<a href="/" class="CurrChnlCls">首页</a> &gt; <a href="{HUB}" class="CurrChnlCls">政务公开</a> &gt; '
                     f'<a href="{NB}" class="CurrChnlCls">政府信息公开年报</a> &gt; '
                     f'<a href="{column}" class="CurrChnlCls">{COLUMN_NAMES[column]}</a>')
        return f'<div class="location wrap">当前位置：{trail}{extra}</div>'

    def trs_article(self, column: str, report: Report, body: str, index: int, count: int, path: str,
                    ctx: Context) -> Reply:
        name = path.rsplit("/", 1)[1].split(".")[0].split("_")
        stem = "_".join(name[:2])
        if column == SZF:
            pager = (f'<div class="page-article" id="pagenav"><script type="text/javascript">'
                     f'createPageHTML({count}, {index}, "{stem}", "html");</script></div>')
        else:
            pager = _inline_article_pager(count, index, stem) if count > 1 else ""
        head = (f'<meta name="ColumnName" content="{COLUMN_NAMES[column]}">\n<meta name="ArticleTitle" content="{esc(report.title)}">\n'
                f'<meta name="PubDate" content="{report.published:%Y-%m-%d} 09:{report.docid % 60:02d}">\n'
                f'<meta name="ContentSource" content="{esc(report.source)}">')
        body_html = f"""{self._crumbs(column)}
<div class="wrap article">
  <h1 class="tit">{esc(report.title)}</h1>
  <div class="info"><span>发布时间：{report.published:%Y-%m-%d}</span><span>来源：{esc(report.source)}</span>
  <span>浏览次数：<em id="views">{ctx.hit()}</em></span>
  <span class="fontsize">字号：<a href="javascript:setFont(18)">大</a> <a href="javascript:setFont(16)">中</a> <a href="javascript:setFont(14)">小</a></span></div>
  <div class="content" id="zoom"><div class="trs_editor_view TRS_UEDITOR trs_paper_default trs_word">
{body}
  </div></div>
  {pager}
  <div class="print"><a href="javascript:window.print()">【打印】</a><a href="javascript:window.close()">【关闭】</a></div>
</div>"""
        return html_reply(self._shell(f"{report.title}_{COLUMN_NAMES[column]}_{NAME}", body_html, head))

    def dede_article(self, column: str, report: Report, body: str, index: int, count: int, path: str,
                     ctx: Context) -> Reply:
        aid = report.docid
        pager = ""
        if count > 1:
            def href(i: int) -> str:
                return f"{aid}.html" if i == 1 else f"{aid}_{i}.html"
            cur = index + 1
            items = [f"<li><a>共{count}页: </a></li>",
                     f"<li><a href='{href(cur - 1) if cur > 1 else '#'}'>上一页</a></li>"]
            for i in range(1, count + 1):
                items.append(f"<li class=\"thisclass\"><a href='#'>{i}</a></li>" if i == cur
                             else f"<li><a href='{href(i)}'>{i}</a></li>")
            items.append(f"<li><a href='{href(cur + 1) if cur < count else '#'}'>下一页</a></li>")
            pager = f'<p><ul class="pagination">{"".join(items)}</ul></p>'
        body_html = f"""{self._crumbs(column)}
<div class="wrap arc">
  <div class="arc_title"><h2>{esc(report.title)}</h2></div>
  <div class="arc_info">发布时间：{report.published:%Y-%m-%d} 10:{aid % 60:02d}　来源：{esc(report.source)}　
  点击：<script src="/plus/count.php?view=yes&amp;aid={aid}&amp;mid=1" type="text/javascript" language="javascript"></script></div>
  <div class="arc_content">
{body}
  </div>
  {pager}
  <ul class="text-center"><li>上一篇：<a href="{XZ}">返回列表</a></li></ul>
</div>"""
        return html_reply(self._shell(f"{report.title}_{NAME}", body_html,
                                      '<meta name="generator" content="DedeCMS_V57">'))

    # -- lists -------------------------------------------------------------------------------------

    def listing_pages(self) -> None:
        for column, rows in self.lists.items():
            size = PER_PAGE[column]
            chunks = [rows[i:i + size] for i in range(0, len(rows), size)] or [[]]
            for i, chunk in enumerate(chunks):
                if column == XZ:
                    names = [f"list_{DEDE_TYPEID}_{i + 1}.html"] + (["", "index.html"] if i == 0 else [])
                else:
                    names = ["index.html" if i == 0 else f"index_{i}.html"] + ([""] if i == 0 else [])
                page = partial(self.list_page, column, chunk, i, len(chunks), len(rows))
                for name in names:
                    self.route(column + name, page)
            reports = sum(1 for _, r in rows if r.is_report)
            stated = None if column == SZF else len(rows)
            pager = {SZF: "createPageHTML(count, index, \"index\", \"html\") written by /common/js/createPageHTML.js",
                     BM: "static TRS PageBar (共N条, index_i.html)",
                     XZ: "DedeCMS pagelist (list_7_n.html, 共P页N条)"}[column]
            self.add_column(column, reports=reports, stated=stated, needs="static",
                            note=f"{pager}; articles paginated by " + {
                                SZF: "createPageHTML in the article", BM: "an inline document.write pager",
                                XZ: "a static DedeCMS pagination list"}[column])

    def list_page(self, column: str, chunk: list, index: int, count: int, total: int, ctx: Context) -> Reply:
        if column == XZ:
            lis = "\n".join(f'<li><span class="date">{r.published:%Y-%m-%d}</span><a href="{p}" title="{esc(r.title)}">'
                            f'{esc(r.title)}</a></li>' for p, r in chunk)
            items = ["<li><a href='list_7_1.html'>首页</a></li>"]
            if index > 0:
                items.append(f"<li><a href='list_7_{index}.html'>上一页</a></li>")
            for i in range(count):
                items.append(f'<li class="thisclass">{i + 1}</li>' if i == index
                             else f"<li><a href='list_7_{i + 1}.html'>{i + 1}</a></li>")
            if index < count - 1:
                items.append(f"<li><a href='list_7_{index + 2}.html'>下一页</a></li>")
            items.append(f"<li><a href='list_7_{count}.html'>末页</a></li>")
            items.append(f'<li><span class="pageinfo">共 <strong>{count}</strong>页<strong>{total}</strong>条</span></li>')
            pager = f'<div class="dede_pages"><ul class="pagelist">{"".join(items)}</ul></div>'
            list_html = f'<ul class="e2">{lis}</ul>{pager}'
        else:
            lis = "\n".join(f'<li><a href="./{p[len(column):]}" target="_blank" title="{esc(r.title)}">{esc(r.title)}</a>'
                            f'<span>{r.published:%Y-%m-%d}</span></li>' for p, r in chunk)
            if column == SZF:
                pager = (f'<div class="page"><script type="text/javascript">createPageHTML({count}, {index}, "index", '
                         f'"html");</script></div>')
            else:
                pager = _pagebar(count, index, total)
            list_html = f'<ul class="list">{lis}</ul>{pager}'
        side = "".join(f'<li><a href="{c}"{" class=on" if c == column else ""}>{n}</a></li>'
                       for c, n in COLUMN_NAMES.items())
        body = f"""{self._crumbs(column)}
<div class="wrap main"><div class="left"><h3>政府信息公开年报</h3><ul>{side}</ul></div>
<div class="right"><div class="right-tit">{COLUMN_NAMES[column]}</div>{list_html}</div></div>"""
        return html_reply(self._shell(f"{COLUMN_NAMES[column]}_{NAME}", body,
                                      f'<meta name="ColumnName" content="{COLUMN_NAMES[column]}">'))

    # -- home, hub, the 年报 column --------------------------------------------------------------

    def chrome_pages(self) -> None:
        self.route("/common/js/createPageHTML.js",
                   lambda ctx: Reply(200, CREATE_PAGE_JS.encode(), "application/javascript; charset=utf-8"))
        self.route("/plus/count.php", lambda ctx: Reply(200, f"document.write('{ctx.hit()}');".encode(),
                                                         "application/javascript"))
        for path in ("/", "/index.html"):
            self.route(path, self.home)
        for path in (HUB, HUB + "index.html"):
            self.route(path, self.hub)
        for path in (NB, NB + "index.html"):
            self.route(path, self.nb)
        for path, title in (("/zwdt/", "政务动态"), ("/zwfw/", "政务服务"), ("/hdjl/", "互动交流"), ("/zjyz/", "走进禹州"),
                            ("/zwgk/xxgkzn/", "政府信息公开指南"), ("/zwgk/xxgkzd/", "政府信息公开制度"),
                            ("/zwgk/fdzdgknr/", "法定主动公开内容"), ("/was5/web/search", "站内搜索")):
            self.route(path, partial(self.stub, title))

    def stub(self, title: str, ctx: Context) -> Reply:
        body = (f'<div class="location wrap">当前位置：<a href="/">首页</a> &gt; {title}</div>'
                f'<div class="wrap main"><div class="right-tit">{title}</div><p class="no-data">暂无信息</p></div>')
        return html_reply(self._shell(f"{title}_{NAME}", body))

    def home(self, ctx: Context) -> Reply:
        body = f"""<div class="wrap banner"><img src="/common/images/banner.jpg" alt="魅力禹州"></div>
<div class="wrap home"><div class="news"><div class="tit"><a href="/zwdt/">政务动态</a></div>
<ul><li><a href="/zwdt/">禹州市召开2024年优化营商环境工作推进会</a><span>03-15</span></li>
<li><a href="/zwdt/">我市开展春季植树造林活动</a><span>03-12</span></li></ul></div>
<div class="gk"><a href="{HUB}"><img src="/common/images/zwgk.png" alt="">政务公开</a>
<a href="/zwfw/"><img src="/common/images/zwfw.png" alt="">政务服务</a></div></div>"""
        return html_reply(self._shell(NAME, body))

    def hub(self, ctx: Context) -> Reply:
        links = (("/zwgk/xxgkzn/", "政府信息公开指南"), ("/zwgk/xxgkzd/", "政府信息公开制度"),
                 ("/zwgk/fdzdgknr/", "法定主动公开内容"), (NB, "政府信息公开年报"))
        boxes = "".join(f'<li><a href="{h}">{t}</a></li>' for h, t in links)
        body = (f'<div class="location wrap">当前位置：<a href="/">首页</a> &gt; <a href="{HUB}">政务公开</a></div>'
                f'<div class="wrap main"><div class="gk-tit">政府信息公开</div><ul class="gk-list">{boxes}</ul></div>')
        return html_reply(self._shell(f"政务公开_{NAME}", body))

    def nb(self, ctx: Context) -> Reply:
        """The 年报 column: a box per sub-column with its five newest entries and 更多."""
        boxes = []
        for column, name in COLUMN_NAMES.items():
            top = "".join(f'<li><a href="{p}" title="{esc(r.title)}">{esc(r.title)}</a><span>{r.published:%Y-%m-%d}</span></li>'
                          for p, r in self.lists[column][:5])
            boxes.append(f'<div class="box"><div class="box-tit"><span>{name}</span>'
                         f'<a class="more" href="{column}">更多&gt;&gt;</a></div><ul>{top}</ul></div>')
        body = f'{self._crumbs(NB)}<div class="wrap main nb">{"".join(boxes)}</div>'
        return html_reply(self._shell(f"政府信息公开年报_{NAME}", body,
                                      '<meta name="ColumnName" content="政府信息公开年报">'))


def _pagebar(count: int, index: int, total: int) -> str:
    """TRS PageBar as a static template prints it: 共N条 第i/P页 首页 上一页 下一页 尾页."""
    def href(i: int) -> str:
        return "index.html" if i == 0 else f"index_{i}.html"
    parts = [f"<span>共{total}条</span>", f"<span>第{index + 1}/{count}页</span>", f'<a href="{href(0)}">首页</a>']
    parts.append(f'<a href="{href(index - 1)}">上一页</a>' if index > 0 else "<span>上一页</span>")
    parts.append(f'<a href="{href(index + 1)}">下一页</a>' if index < count - 1 else "<span>下一页</span>")
    parts.append(f'<a href="{href(count - 1)}">尾页</a>')
    return f'<div class="pagebar">{"&nbsp;".join(parts)}</div>'


def _inline_article_pager(count: int, index: int, stem: str) -> str:
    """The older TRS article template: an inline script writes the page links (0-based, _i for i ≥ 1)."""
    return f"""<div class="page-article"><script language="JavaScript">
var currentPage = {index};//所在页从0开始
var prevPage = currentPage-1;//上一页
var nextPage = currentPage+1;//下一页
var countPage = {count};//共多少页
document.write("第"+(currentPage+1)+"页&nbsp;共"+countPage+"页&nbsp;&nbsp;");
if(currentPage>1)
	document.write("<a href=\\"{stem}_"+prevPage+".html\\">上一页</a>&nbsp;");
else if(currentPage==1)
	document.write("<a href=\\"{stem}.html\\">上一页</a>&nbsp;");
for(var i=0;i<countPage;i++){{
	if(i==currentPage) document.write("<b>"+(i+1)+"</b>&nbsp;");
	else if(i==0) document.write("<a href=\\"{stem}.html\\">1</a>&nbsp;");
	else document.write("<a href=\\"{stem}_"+i+".html\\">"+(i+1)+"</a>&nbsp;");
}}
if(currentPage<countPage-1)
	document.write("<a href=\\"{stem}_"+nextPage+".html\\">下一页</a>");
</script></div>"""
