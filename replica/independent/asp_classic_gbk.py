"""商南县人民政府 (陕西): an old ASP classic county site in GB2312/GBK (IIS + Access, 动易/新云-era templates), last
redesigned around 2009 and still serving its 2009–2016 reports.

Evidence:
- ``list.asp?classid=…&page=N`` lists and ``show.asp?id=N`` articles, rows written by
  ``<a href=show.asp?id=<%=rs("id")%> title='…'>`` with ``left(title, n)`` cuts (public ASP templates in the code
  corpus: ``news_show.asp?id=<%=rs("id")%>``, ``"<a href=show.asp?id=" & rs("SoftID") & " title='" & …``,
  ``if len(title)>11 then title=left(title,11)``);
- the ASP pager "共N条记录 页次：x/y页 每页N条 首页 上一页 下一页 尾页 转到第[ ]页 [GO]" in a GET ``<form>``
  (the same 共…条记录 / 当前第x/y页 / [首页] [上页] [下页] [尾页] strings in public pager code);
- pages declared ``charset=gb2312`` carrying GBK bytes, served with a bare ``Content-Type: text/html``
  (shared/reference/portals.md §4); ``X-Powered-By: ASP.NET`` from IIS;
- the 政府信息公开 section drawn as a ``<frameset>`` (top, left menu, right list), menu links ``target="mainFrame"``;
- reports of that era titled "XX县2010年政府信息公开工作年度报告", "XX县人民政府关于2009年度政府信息公开工作情况
  的报告", and Word 97 ``.doc`` attachments uploaded by eWebEditor (``/UploadFile/…/2011318093512512.doc``)
  with a short page around them (shared/reference/reports.md: attachments as the report).

Columns: ``/news/list.asp?classid=23`` 政府信息公开年度报告 (county government, towns) and ``classid=24`` 部门
信息公开年度报告, reached home → /xxgk/index.asp (frameset) → frame /xxgk/left.asp → list (in the mainFrame).
Pager anchors and the GET form both name the pages: needs ``static``.  Truth of a ``.doc`` report: its
show.asp page, with ``raw_kind="doc"`` and ``raw_path`` the file.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace
from functools import partial
from urllib.parse import parse_qsl

from .. import documents as F
from ..fillers import County, agencies, filler_reports
from ..reports import Report, body_html
from ..server import Context, Reply
from ..site import Site
from ._kit_a import lookalikes
from ._pieces_b import statutory_footer
from ._pieces_d import cut, esc, old_title

NAME = "商南县人民政府"
REGION = "商南县"
ADDRESS = "陕西省商洛市商南县城关街道鹿城路"
COUNTY = County(
    REGION, NAME,
    ("城关街道", "富水镇", "湘河镇", "赵川镇", "金丝峡镇", "过风楼镇", "试马镇", "清油河镇", "十里坪镇", "青山镇"),
    ("发展和改革局", "教育局", "科学技术局", "公安局", "民政局", "司法局", "财政局", "人力资源和社会保障局",
     "国土资源局", "环境保护局", "住房和城乡建设局", "交通运输局", "水利局", "农业局", "林业局", "商务局",
     "文化广电局", "卫生局", "安全生产监督管理局", "审计局", "统计局", "物价局"),
    "726300", "0914", "http://www.shangnan.gov.cn", contacts=("王建军", "李红霞", "张文斌", "刘小平", "陈丽华"))
YEARS = range(2009, 2017)
CLASSES = {23: "政府信息公开年度报告", 24: "部门信息公开年度报告"}
OTHER_CLASSES = {20: "政府信息公开指南", 21: "政府信息公开制度", 22: "政府信息公开目录", 25: "依申请公开"}
PER_PAGE = 10
GBK = "gbk"


class AspClassicGbk(Site):
    name = "asp_classic_gbk"
    title = NAME
    encoding = GBK

    def __init__(self, scale: int = 1):
        super().__init__()
        rng = random.Random(f"asp_classic_gbk-{scale}")
        kinds = {a.name: a.kind for a in agencies(COUNTY)}
        gov_county = replace(COUNTY, departments=())
        dept_county = replace(COUNTY, towns=())
        gov = filler_reports(f"asp-gov-{scale}", gov_county, 11 * scale, YEARS)
        taken = {(NAME, y) for y in YEARS}
        dept = filler_reports(f"asp-dept-{scale}", dept_county, 12 * scale, YEARS, taken=taken)
        gov = [replace(r, title=old_title(rng, r.agency, REGION, r.year, kinds[r.agency])) for r in gov]
        dept = [replace(r, title=old_title(rng, r.agency, REGION, r.year, kinds[r.agency])) for r in dept]
        yaodian, bianzhi, guide, _fmt, gongbao = lookalikes(COUNTY, ADDRESS, 2013)
        guide = replace(guide, published=dt.date(2010, 3, 2))
        items = {23: [*gov, yaodian, gongbao, guide], 24: [*dept, bianzhi]}
        # Access autonumber ids: in publication order over the whole site, gaps for other columns' news
        every = sorted((r for col in items.values() for r in col), key=lambda r: (r.published, r.title))
        next_id = 812
        for report in every:
            next_id += rng.randint(3, 40)
            report.docid = next_id
        # every fifth report of each column: a short page with the report as a Word 97 .doc attachment
        self.docs: dict[int, str] = {}
        self.items: dict[int, list[Report]] = {}
        for classid, reports in items.items():
            reports.sort(key=lambda r: (r.published, r.docid), reverse=True)
            self.items[classid] = reports
            real = [r for r in reports if r.is_report]
            for k, report in enumerate(real):
                if k % 5 == 2:
                    d = report.published
                    self.docs[report.docid] = (f"/UploadFile/{d.year}{d.month}/"
                                               f"{d.year}{d.month}{d.day}{9 + k % 8}{report.docid % 60:02d}"
                                               f"{rng.randint(100, 999)}.doc")
            for report in reports:
                path = f"/news/show.asp?id={report.docid}"
                self.route(path, partial(self.article, classid, report))
                doc = self.docs.get(report.docid)
                if doc:
                    self.route(doc, partial(self.doc_file, report))
                    self.add_report(report, [path])
                    self.truth[-1].update(raw_kind="doc", raw_path=doc, download_name=f"{report.title}.doc")
                elif report.is_report:
                    self.add_report(report, [path])
                else:
                    self.add_lookalike(report, path)
            self.add_column(f"/news/list.asp?classid={classid}", reports=len(real), stated=len(reports),
                            needs="static",
                            note="GBK ASP list in the frameset's mainFrame (/xxgk/index.asp → left.asp); "
                                 "pager anchors list.asp?page=N&classid=… and a GET form (page input + GO); "
                                 f"{sum(1 for r in real if r.docid in self.docs)} reports only as .doc attachments")
        for path in ("/", "/index.asp"):
            self.route(path, self.home)
        self.route("/xxgk/index.asp", self.frameset)
        self.route("/xxgk/", self.frameset)
        self.route("/xxgk/top.asp", self.frame_top)
        self.route("/xxgk/left.asp", self.frame_left)
        self.route("/xxgk/bottom.asp", self.frame_bottom)

    # -- replies ---------------------------------------------------------------------------------------

    def _html(self, text: str, status: int = 200) -> Reply:
        # IIS with Response.Charset unset: a bare text/html, the charset only in the page's meta
        return Reply(status, text.encode(GBK), "text/html", [("X-Powered-By", "ASP.NET"), ("Cache-Control", "private")])

    @staticmethod
    def _head(title: str) -> str:
        return f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>{esc(title)}</title>
<link href="/css/style.css" rel="stylesheet" type="text/css">
<script language="javascript" src="/js/menu.js"></script>
</head>"""

    def _top(self) -> str:
        nav = " | ".join(f'<a href="{h}" class="nav">{t}</a>' for h, t in (
            ("/", "网站首页"), ("/news/list.asp?classid=1", "政务动态"), ("/xxgk/index.asp", "政府信息公开"),
            ("/news/list.asp?classid=5", "招商引资"), ("/news/list.asp?classid=8", "走进商南"),
            ("/guestbook/index.asp", "县长信箱")))
        return f"""<table width="960" border="0" align="center" cellpadding="0" cellspacing="0">
<tr><td height="120" background="/images/top_bg.jpg"><img src="/images/logo.gif" width="420" height="90" alt="{NAME}"></td></tr>
<tr><td height="32" bgcolor="#0A5DA8" align="center" class="nav">{nav}</td></tr>
</table>"""

    def _footer(self) -> str:
        return f"""<table width="960" border="0" align="center" cellpadding="0" cellspacing="0" class="bottom">
<tr><td align="center" height="90">版权所有：{NAME}　技术支持：商南县信息中心<br>
{statutory_footer(host_org="商南县人民政府办公室", site_code="6110230001", icp="陕ICP备05004372号",
                  police="陕公网安备 61102302000101号", address=ADDRESS, phone="0914-6322001")}
</td></tr></table>"""

    # -- pages -----------------------------------------------------------------------------------------

    def home(self, ctx: Context) -> Reply:
        latest = sorted((r for col in self.items.values() for r in col), key=lambda r: r.published, reverse=True)[:8]
        rows = "".join(f'<tr><td height="24">·<a href=/news/show.asp?id={r.docid} target=_blank>'
                       f'{esc(cut(r.title, 20, "..."))}</a></td><td width="70">{r.published.month}-{r.published.day}</td></tr>'
                       for r in latest)
        body = f"""<body topmargin="0" leftmargin="0">
{self._top()}
<table width="960" border="0" align="center" cellpadding="0" cellspacing="0"><tr>
<td width="470" valign="top"><table width="100%"><tr><td class="title">信息公开<a href="/xxgk/index.asp">更多&gt;&gt;</a></td></tr></table>
<table width="100%">{rows}</table></td>
<td width="20"></td>
<td valign="top"><table width="100%"><tr><td class="title">政务动态</td></tr>
<tr><td>·<a href="/news/list.asp?classid=1">商南县召开全县经济工作会议</a></td></tr></table></td></tr></table>
{self._footer()}
</body></html>"""
        return self._html(self._head(NAME) + body)

    def frameset(self, ctx: Context) -> Reply:
        return self._html(self._head(f"政府信息公开 - {NAME}") + """
<frameset rows="152,*,96" cols="*" frameborder="no" border="0" framespacing="0">
  <frame src="/xxgk/top.asp" name="topFrame" scrolling="no" noresize>
  <frameset cols="210,*" frameborder="no" border="0" framespacing="0">
    <frame src="/xxgk/left.asp" name="leftFrame" scrolling="no" noresize>
    <frame src="/news/list.asp?classid=20" name="mainFrame">
  </frameset>
  <frame src="/xxgk/bottom.asp" name="bottomFrame" scrolling="no" noresize>
</frameset>
<noframes><body>您的浏览器不支持框架，请<a href="/xxgk/left.asp">点击这里</a>浏览。</body></noframes>
</html>""")

    def frame_top(self, ctx: Context) -> Reply:
        return self._html(self._head(NAME) + f'<body topmargin="0" leftmargin="0">{self._top()}</body></html>')

    def frame_bottom(self, ctx: Context) -> Reply:
        return self._html(self._head(NAME) + f'<body topmargin="0" leftmargin="0">{self._footer()}</body></html>')

    def frame_left(self, ctx: Context) -> Reply:
        menu = "\n".join(f'<tr><td height="30" class="leftmenu"><img src="/images/arrow.gif"> '
                         f'<a href="/news/list.asp?classid={c}" target="mainFrame">{t}</a></td></tr>'
                         for c, t in sorted({**OTHER_CLASSES, **CLASSES}.items()))
        return self._html(self._head(NAME) + f"""<body topmargin="0" leftmargin="0" bgcolor="#EAF2FB">
<table width="200" border="0" cellspacing="0" cellpadding="0"><tr><td height="36" class="lefttitle">政府信息公开</td></tr>
{menu}
</table></body></html>""")

    def listing(self, classid: int, page: int) -> Reply:
        reports = self.items.get(classid, [])
        label = {**OTHER_CLASSES, **CLASSES}.get(classid, "信息列表")
        pages = max(1, -(-len(reports) // PER_PAGE))
        page = min(max(page, 1), pages)
        chunk = reports[(page - 1) * PER_PAGE:page * PER_PAGE]
        rows = "\n".join(
            f"<tr><td height=\"26\" class=\"listline\">·<a href=show.asp?id={r.docid} title='{esc(r.title)}' "
            f"target=_blank>{esc(cut(r.title, 26, '...'))}</a></td><td width=\"90\" align=\"right\">"
            f"<font color=\"#999999\">[{r.published.year}-{r.published.month}-{r.published.day}]</font></td></tr>"
            for r in chunk) or '<tr><td height="60" align="center">暂无内容</td></tr>'

        def link(n: int, text: str, on: bool) -> str:
            return f'<a href="list.asp?page={n}&classid={classid}">{text}</a>' if on else f'<font color="#999999">{text}</font>'
        pager = (f'<form name="pageform" method="get" action="list.asp">'
                 f'<input type="hidden" name="classid" value="{classid}">'
                 f'共<b>{len(reports)}</b>条记录&nbsp;页次：<b><font color="red">{page}</font>/{pages}</b>页&nbsp;'
                 f'每页<b>{PER_PAGE}</b>条&nbsp;{link(1, "首页", page > 1)} {link(page - 1, "上一页", page > 1)} '
                 f'{link(page + 1, "下一页", page < pages)} {link(pages, "尾页", page < pages)}&nbsp;'
                 f'转到第<input type="text" name="page" size="3" maxlength="4" value="{page}" class="input">页 '
                 f'<input type="submit" value="GO" class="go"></form>')
        return self._html(self._head(f"{label} - {NAME}") + f"""<body topmargin="0" leftmargin="0">
<table width="98%" border="0" align="center" cellpadding="0" cellspacing="0">
<tr><td height="32" class="listtitle">当前位置：<a href="/" target="_top">首页</a> &gt;&gt; 政府信息公开 &gt;&gt; {label}</td></tr></table>
<table width="98%" border="0" align="center" cellpadding="0" cellspacing="0">
{rows}
</table>
<table width="98%" border="0" align="center" cellpadding="0" cellspacing="0"><tr><td height="36" align="center">{pager}</td></tr></table>
</body></html>""")

    def article(self, classid: int, report: Report, ctx: Context) -> Reply:
        doc = self.docs.get(report.docid)
        if doc:
            name = f"{report.title}.doc"
            body = (f'<p>&nbsp;&nbsp;&nbsp;&nbsp;根据《中华人民共和国政府信息公开条例》规定，现将{esc(report.title)}'
                    f'予以公布，全文见附件。</p>\n<p>&nbsp;&nbsp;&nbsp;&nbsp;附件：<a href="{doc}" target="_blank">'
                    f'{esc(name)}</a></p>')
        else:
            body = body_html(report, "old")
        return self._html(self._head(f"{report.title} - {NAME}") + f"""<body topmargin="0" leftmargin="0">
{self._top()}
<table width="960" border="0" align="center" cellpadding="0" cellspacing="0" bgcolor="#FFFFFF">
<tr><td height="30" class="position">当前位置：<a href="/">首页</a> &gt;&gt; <a href="/xxgk/index.asp">政府信息公开</a> &gt;&gt; {CLASSES[classid]}</td></tr>
<tr><td align="center" height="50" class="showtitle"><font size="4"><b>{esc(report.title)}</b></font></td></tr>
<tr><td align="center" height="26" class="showinfo">作者：佚名　来源：{esc(report.source)}　点击数：<script src="/news/count.asp?id={report.docid}"></script>　更新时间：{report.published.year}-{report.published.month}-{report.published.day}</td></tr>
<tr><td class="content" style="padding:10px 30px;line-height:200%;font-size:14px;">
{body}
</td></tr>
<tr><td align="right" height="30">【<a href="javascript:window.print()">打印此文</a>】 【<a href="javascript:window.close()">关闭窗口</a>】</td></tr>
</table>
{self._footer()}
</body></html>""")

    def doc_file(self, report: Report, ctx: Context) -> Reply:
        return Reply(200, F.make_doc(report), "application/msword",
                     [("Accept-Ranges", "bytes"), ("X-Powered-By", "ASP.NET")])

    def dynamic(self, ctx: Context, path: str, query: str) -> Reply | None:
        args = dict(parse_qsl(query, keep_blank_values=True))
        if path.lower() == "/news/list.asp":
            try:
                classid = int(args.get("classid", "0"))
                page = int(args.get("page", "1") or 1)
            except ValueError:
                return self._html("<html><body>参数错误</body></html>", status=500)
            return self.listing(classid, page)
        if path.lower() == "/news/count.asp":
            return Reply(200, f"document.write('{ctx.hit()}');".encode(), "application/x-javascript")
        if path.lower() == "/news/show.asp":
            # an id in another form (leading zero, extra parameters) is the same record
            try:
                rid = int(args.get("id", ""))
            except ValueError:
                return None
            page = self.routes.get(f"/news/show.asp?id={rid}")
            return page(ctx) if page else None
        return None

    def not_found(self, ctx: Context) -> Reply:
        return self._html(self._head("无法找到该页") + "<body><h1>无法找到该页</h1><p>您正在搜索的页面可能已经删除、"
                          "更名或暂时不可用。</p><hr><p>HTTP 错误 404 - 文件或目录未找到。<br>Internet 信息服务 (IIS)</p>"
                          "</body></html>", status=404)


