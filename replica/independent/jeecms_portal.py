"""漯河市人民政府 (河南): a JEECMS portal (Java, FreeMarker templates, ``.jhtml`` static-looking URLs).

Evidence:
- column pages ``…/index.jhtml`` and later pages ``index_2.jhtml``, ``index_3.jhtml`` … (public scrapers of JEECMS
  sites build them this way: "第一页 index.jhtml，第二页 index_2.jhtml"; ggzy.zwfwb.tj.gov.cn/jyxxzfcg/index_2.jhtml,
  hnsggzy.com ``index_{}.jhtml``), articles ``/<channel>/<id>.jhtml`` (``/zbgg/20849.jhtml``);
- the ``[@cms_content_page]`` list directive and ``[@cms_pagination sysPage='1'/]`` pager (JEECMS tag docs):
  the pager prints 共N条 / 每页N条 / 当前第x/y页 with 首页 上一页 下一页 尾页 and a ``<select>`` page jump whose
  ``onchange`` sets ``location.href``;
- list rows that print a cut title (``title.substring(0, n)…``) with the full title in ``title=`` (generic
  list templates, shared/reference/portals.md §6 "mislabelled anchors" shows title= carrying the real title);
- ``Cms.viewCount`` calling ``/content_view.jspx?contentId=…`` (JEECMS front.js) for the hit counter;
- Tomcat's URL rewriting: the first answer to a client without the JSESSIONID cookie writes
  ``;jsessionid=<32 hex>`` into the links it ``encodeURL``s (here the home page's and the hub's menus).

Shape exercised:
- the report columns are reached only through the 政府信息公开 hub ``/zwgk/index.jhtml`` whose menu is drawn in
  ``<dl><dt>group</dt><dd><a>column</a></dd></dl>`` blocks (the home page links only the hub);
- column A ``/zwgk/ndbg/index.jhtml`` (市政府及县区年度报告): a ``<ul>`` list, 8 a page, pager with 共N条;
- column B ``/zwgk/bmnb/index.jhtml`` (市直部门年度报告): a ``<table>`` list, 10 a page, pager stating only
  当前第x/y页 (no record count: ``stated`` is None), the page numbers in between only in the ``<select>``.
Both are plain HTML pages whose 下一页/尾页 anchors and select options name the next pages: needs ``static``.
"""

from __future__ import annotations

import hashlib
import random
from functools import partial

from ..fillers import County
from ..reports import Report
from ..server import Context, Reply, html_reply
from ..site import Site, assign_docids
from ._kit_a import lookalikes, town_and_dept_reports
from ._pieces_b import pieces, pieces_html, statutory_footer
from ._pieces_d import cut, esc, strip_jsessionid

NAME = "漯河市人民政府"
DOMAIN = "www.luohe.gov.cn"
ADDRESS = "河南省漯河市源汇区黄河路1号"
COUNTY = County(
    "漯河市", NAME,
    ("源汇区", "郾城区", "召陵区", "舞阳县", "临颍县"),
    ("发展和改革委员会", "教育局", "科学技术局", "工业和信息化局", "民政局", "司法局", "财政局",
     "人力资源和社会保障局", "自然资源和规划局", "生态环境局", "住房和城乡建设局", "交通运输局", "水利局",
     "农业农村局", "商务局", "文化广电和旅游局", "卫生健康委员会", "应急管理局", "审计局",
     "市场监督管理局", "统计局", "医疗保障局", "城市管理局", "退役军人事务局"),
    "462000", "0395", "http://www.luohe.gov.cn", contacts=("王建华", "李红梅", "张国强", "刘晓丽", "陈志刚"))

COL_A, COL_B = "/zwgk/ndbg/", "/zwgk/bmnb/"
LABEL = {COL_A: "市政府及县区年度报告", COL_B: "市直部门年度报告"}
PER = {COL_A: 8, COL_B: 10}
HUB = "/zwgk/index.jhtml"
NAV = (("/", "首页"), ("/zwdt/index.jhtml", "政务动态"), (HUB, "政府信息公开"), ("/bsfw/index.jhtml", "办事服务"),
       ("/hdjl/index.jhtml", "互动交流"), ("/zjlh/index.jhtml", "走进漯河"))
# the hub's menu: (group, [(path, label)]) drawn as <dl><dt>group</dt><dd>…</dd></dl>
MENU = (
    ("政府信息公开指南", [("/zwgk/gkzn/index.jhtml", "政府信息公开指南")]),
    ("政府信息公开制度", [("/zwgk/gkzd/index.jhtml", "政府信息公开制度")]),
    ("法定主动公开内容", [("/zwgk/jgzn/index.jhtml", "机构职能"), ("/zwgk/zcwj/index.jhtml", "政策文件"),
                          ("/zwgk/czzj/index.jhtml", "财政资金")]),
    ("政府信息公开年报", [(COL_A + "index.jhtml", LABEL[COL_A]), (COL_B + "index.jhtml", LABEL[COL_B])]),
    ("依申请公开", [("/zwgk/ysqgk/index.jhtml", "依申请公开")]),
)
STUBS = {p: t for p, t in NAV[1:] if p != HUB} | {p: t for _, links in MENU for p, t in links
                                                  if not p.startswith((COL_A, COL_B))}


def page_name(n: int) -> str:
    return "index.jhtml" if n == 1 else f"index_{n}.jhtml"


class JeecmsPortal(Site):
    name = "jeecms_portal"
    title = NAME

    def __init__(self, scale: int = 1):
        super().__init__()
        rng = random.Random(f"jeecms_portal-{scale}")
        gov, depts = town_and_dept_reports(f"jeecms_portal-{scale}", COUNTY, 12 * scale, 20 * scale,
                                           range(2014, 2024))
        yaodian, bianzhi, guide, _fmt, gongbao = lookalikes(COUNTY, ADDRESS, 2021)
        items = {COL_A: [*gov, yaodian, gongbao], COL_B: [*depts, bianzhi, guide]}
        assign_docids([r for col in items.values() for r in col], rng, 10200)
        self.items: dict[str, list[Report]] = {}
        self.paths: dict[int, str] = {}
        for column, reports in items.items():
            reports.sort(key=lambda r: (r.published, r.docid), reverse=True)
            self.items[column] = reports
            for k, report in enumerate(reports):
                path = f"{column}{report.docid}.jhtml"
                self.paths[id(report)] = path
                self.route(path, partial(self.article, column, k))
                if report.is_report:
                    self.add_report(report, [path])
                else:
                    self.add_lookalike(report, path)
            pages = max(1, -(-len(reports) // PER[column]))
            for n in range(1, pages + 1):
                self.route(column + page_name(n), partial(self.listing, column, n))
            if column == COL_A:
                self.route(column, partial(self.listing, column, 1))
            self.add_column(column + "index.jhtml", reports=sum(r.is_report for r in reports),
                            stated=len(reports) if column == COL_A else None, needs="static",
                            note=("JEECMS index_N.jhtml pages, <ul> rows with title=, pager 共N条 当前第x/y页 + "
                                  "<select onchange=location.href>") if column == COL_A else
                                 ("JEECMS index_N.jhtml pages, <table> rows with title=, pager states only "
                                  "当前第x/y页; middle pages named only by the <select> options"))
        for path in ("/", "/index.jhtml"):
            self.route(path, self.home)
        self.route(HUB, self.hub)
        self.route("/zwgk/", self.hub)
        for path, label in STUBS.items():
            self.route(path, partial(self.stub, label))
        self.route("/content_view.jspx", self.views)
        self.route("/r/cms/www/red/js/front.js", lambda ctx: Reply(200, FRONT_JS.encode(), "application/javascript"))

    # -- chrome ---------------------------------------------------------------------------------------

    def _session(self, ctx: Context) -> tuple[str, list[tuple[str, str]]]:
        """Tomcat: no JSESSIONID cookie yet -> a new session, announced in a cookie and in rewritten links."""
        if "JSESSIONID" in ctx.request.cookies():
            return "", []
        sid = hashlib.md5(f"{ctx.hit()}-{ctx.request.client}".encode()).hexdigest().upper()
        return f";jsessionid={sid}", [("Set-Cookie", f"JSESSIONID={sid}; Path=/; HttpOnly")]

    def _shell(self, title: str, crumbs: list[tuple[str, str]], content: str, rewrite: str = "") -> str:
        nav = "".join(f'<li><a href="{p}{rewrite if p != "/" else ""}">{t}</a></li>' for p, t in NAV)
        crumb = " &gt; ".join(['<a href="/">首页</a>', *(f'<a href="{p}">{esc(t)}</a>' for p, t in crumbs)])
        return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>{esc(title)}</title>
<meta name="SiteName" content="{NAME}" /><meta name="SiteDomain" content="{DOMAIN}" /><meta name="SiteIDCode" content="4111000001" />
<link href="/r/cms/www/red/css/layout.css" rel="stylesheet" type="text/css" />
<script src="/r/cms/www/red/js/front.js" type="text/javascript"></script>
</head>
<body>
<div class="top"><div class="w1000"><span class="fl">欢迎访问{NAME}门户网站</span>
<span class="fr"><a href="/login.jspx">登录</a> | <a href="/register.jspx">注册</a> | <a href="javascript:;">无障碍浏览</a></span></div></div>
<div class="header w1000"><a href="/"><img src="/r/cms/www/red/img/logo.png" alt="{NAME}" /></a>
<form action="/search.jspx" method="get" target="_blank"><input type="text" name="q" class="search-input" /><input type="submit" value="搜索" /></form></div>
<div class="nav"><ul class="w1000">{nav}</ul></div>
<div class="w1000 position">当前位置：{crumb}</div>
{content}
{statutory_footer(host_org="漯河市人民政府办公室", site_code="4111000001", icp="豫ICP备05012397号",
                  police="豫公网安备 41110202000101号", address=ADDRESS, phone="0395-3132001",
                  extra='<p><a href="/wzdt.jhtml">网站地图</a> | <a href="/lxwm.jhtml">联系我们</a></p>')}
</body>
</html>"""

    def _reply(self, text: str, headers: list[tuple[str, str]] = ()) -> Reply:
        reply = html_reply(text)
        reply.headers = [*headers]
        return reply

    # -- pages ------------------------------------------------------------------------------------------

    def home(self, ctx: Context) -> Reply:
        rewrite, cookie = self._session(ctx)
        latest = sorted((r for col in self.items.values() for r in col), key=lambda r: r.published, reverse=True)[:6]
        news = "".join(f'<li><a href="/zwdt/index.jhtml{rewrite}">{esc(t)}</a></li>' for t in (
            "漯河市召开2024年优化营商环境工作推进会", "市政府常务会议研究部署春季农业生产工作",
            "漯河市2024年重点项目集中开工", "全市安全生产工作会议召开"))
        gk = "".join(f'<li><span>{r.published:%m-%d}</span>{esc(cut(r.title, 26))}</li>' for r in latest)
        content = f"""<div class="w1000 index-main">
<div class="index-news"><div class="hd"><h3>政务动态</h3><a class="more" href="/zwdt/index.jhtml{rewrite}">更多&gt;&gt;</a></div><ul>{news}</ul></div>
<div class="index-gk"><div class="hd"><h3>政府信息公开</h3><a class="more" href="{HUB}{rewrite}">更多&gt;&gt;</a></div><ul>{gk}</ul></div>
</div>"""
        return self._reply(self._shell(NAME, [], content, rewrite), cookie)

    def hub(self, ctx: Context) -> Reply:
        rewrite, cookie = self._session(ctx)
        blocks = []
        for group, links in MENU:
            dds = "".join(f'<dd><a href="{p}{rewrite}" target="_self">{esc(t)}</a></dd>' for p, t in links)
            blocks.append(f'<dl class="gk-menu-item"><dt><i class="icon"></i>{esc(group)}</dt>{dds}</dl>')
        content = f"""<div class="w1000 gk-main">
<div class="gk-left"><div class="gk-left-title">政府信息公开</div>
<div class="gk-menu">{"".join(blocks)}</div></div>
<div class="gk-right"><div class="gk-intro"><h2>政府信息公开</h2>
<p>根据《中华人民共和国政府信息公开条例》，{NAME}在本平台集中公开政府信息。请从左侧目录选择栏目查看。</p>
<p>联系电话：0395-3132001　　受理地址：{ADDRESS}</p></div></div>
</div>"""
        return self._reply(self._shell(f"政府信息公开_{NAME}", [(HUB, "政府信息公开")], content, rewrite), cookie)

    def stub(self, label: str, ctx: Context) -> Reply:
        content = f'<div class="w1000"><div class="list-title">{esc(label)}</div><p class="empty">暂无信息</p></div>'
        return self._reply(self._shell(f"{label}_{NAME}", [(HUB, "政府信息公开")], content))

    def listing(self, column: str, n: int, ctx: Context) -> Reply:
        reports = self.items[column]
        per = PER[column]
        pages = max(1, -(-len(reports) // per))
        chunk = reports[(n - 1) * per:n * per]
        if column == COL_A:
            rows = "\n".join(
                f'<li><span class="date">{r.published:%Y-%m-%d}</span>'
                f'<a href="{self.paths[id(r)]}" title="{esc(r.title)}" target="_blank">{esc(cut(r.title, 24))}</a></li>'
                for r in chunk)
            body = f'<ul class="news-list">\n{rows}\n</ul>'
        else:
            rows = "\n".join(
                f'<tr><td width="12" class="dot">·</td><td class="tit"><a href="{self.paths[id(r)]}" '
                f'title="{esc(r.title)}" target="_blank">{esc(cut(r.title, 28))}</a></td>'
                f'<td width="100" class="time">[{r.published:%Y-%m-%d}]</td></tr>' for r in chunk)
            body = f'<table class="list-tab" width="100%" border="0" cellspacing="0" cellpadding="0">\n{rows}\n</table>'

        def link(k: int, text: str, on: bool) -> str:
            return f'<a href="{page_name(k)}">{text}</a>' if on else f'<a href="javascript:void(0);" class="disabled">{text}</a>'
        options = "".join(f'<option value="{page_name(k)}"{" selected" if k == n else ""}>{k}</option>'
                          for k in range(1, pages + 1))
        count = f"共{len(reports)}条&nbsp;每页{per}条&nbsp;" if column == COL_A else ""
        pager = (f'<div class="pagination">{count}'
                 f'{link(1, "首页", n > 1)} {link(n - 1, "上一页", n > 1)} {link(n + 1, "下一页", n < pages)} '
                 f'{link(pages, "尾页", n < pages)}&nbsp;当前第{n}/{pages}页&nbsp;转到'
                 f'<select onchange="location.href=this.value">{options}</select>页</div>')
        side = "".join(f'<li{" class=on" if p.startswith(column) else ""}><a href="{p}">{esc(t)}</a></li>'
                       for p, t in MENU[3][1])
        content = f"""<div class="w1000 gk-main">
<div class="gk-left"><div class="gk-left-title">政府信息公开年报</div><ul class="sub-menu">{side}</ul></div>
<div class="gk-right"><div class="list-title">{esc(LABEL[column])}</div>
<div class="list-box">
{body}
</div>
{pager}
</div></div>"""
        crumbs = [(HUB, "政府信息公开"), (column + "index.jhtml", LABEL[column])]
        return html_reply(self._shell(f"{LABEL[column]}_{NAME}", crumbs, content))

    def article(self, column: str, k: int, ctx: Context) -> Reply:
        reports = self.items[column]
        report = reports[k]
        prev_ = reports[k + 1] if k + 1 < len(reports) else None
        next_ = reports[k - 1] if k > 0 else None

        def near(r: Report | None) -> str:
            return f'<a href="{self.paths[id(r)]}">{esc(r.title)}</a>' if r else "没有了"
        content = f"""<div class="w1000 content-main">
<div class="content-title"><h1>{esc(report.title)}</h1></div>
<div class="content-info">发布时间：{report.published:%Y-%m-%d} 10:{report.docid % 60:02d}:{report.docid % 53:02d}&nbsp;&nbsp;
来源：{esc(report.source)}&nbsp;&nbsp;浏览次数：<span id="views"></span>&nbsp;&nbsp;
【字体：<a href="javascript:doZoom(18)">大</a> <a href="javascript:doZoom(16)">中</a> <a href="javascript:doZoom(14)">小</a>】</div>
<div class="content-txt" id="zoom">
{pieces_html(report, pieces(report), "ueditor")}
</div>
<div class="content-tool"><a href="javascript:window.print();">【打印本页】</a> <a href="javascript:window.close();">【关闭窗口】</a></div>
<div class="content-page"><p>上一篇：{near(prev_)}</p><p>下一篇：{near(next_)}</p></div>
<script type="text/javascript">Cms.viewCount("/","{report.docid}","views");</script>
</div>"""
        crumbs = [(HUB, "政府信息公开"), (column + "index.jhtml", LABEL[column])]
        return html_reply(self._shell(f"{report.title}_{NAME}", crumbs, content))

    def views(self, ctx: Context) -> Reply:
        return Reply(200, f"[{ctx.hit()},0,0,0]".encode(), "application/json;charset=UTF-8")

    def dynamic(self, ctx: Context, path: str, query: str) -> Reply | None:
        plain = strip_jsessionid(path)
        if plain is not None:
            return self.respond(ctx, plain, query)
        return None


FRONT_JS = r"""/* JEECMS front.js (cut) */
var Cms = {};
Cms.viewCount = function(base, contentId, viewId) {
  viewId = viewId || "views";
  var x = new XMLHttpRequest();
  x.open("GET", base + "content_view.jspx?contentId=" + contentId, true);
  x.onload = function() { var d = JSON.parse(x.responseText); if (d.length > 0) document.getElementById(viewId).innerHTML = d[0]; };
  x.send();
};
function doZoom(size) { document.getElementById("zoom").style.fontSize = size + "px"; }
"""
