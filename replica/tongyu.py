"""通榆县人民政府 (吉林): an old JSP site in GBK, layout tables, ?page=N links, a lying and a missing charset."""

from __future__ import annotations

import datetime as dt
import random
from functools import partial

from . import templates as T
from .fillers import TONGYU, filler_reports
from .reports import Report, load_blocks, plain
from .server import Context, Reply
from .site import Site

PORTAL = T.Portal("通榆县人民政府", "www.tongyu.gov.cn", "2208220001", "吉ICP备05001187号",
                  "吉公网安备 22082202000103号", "通榆县人民政府办公室", "吉林省白城市通榆县开通镇", "0436-4222125")
COLUMN = "/xxgk/xxgknb/"
PER_PAGE = 5
# The server names no charset in Content-Type, as many old JSP containers did.
CONTENT_TYPE = "text/html"
GB2312_META = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'


def seed_report() -> Report:
    return Report(title="通榆县人民政府关于2016年度政府信息公开工作年度报告", agency="通榆县人民政府", year=2016,
                  published=dt.date(2017, 2, 21), source="通榆县人民政府办公室", blocks=load_blocks("002_tongyu_2016.txt"))


def gbk_reply(text: str, status: int = 200) -> Reply:
    return Reply(status, text.encode("gbk"), CONTENT_TYPE)


def is_gbk_only(ch: str) -> bool:
    """A character GBK has and GB2312 lacks (pages declaring gb2312 carry them anyway)."""
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return True
    return False


def _frame(title: str, content: str, meta: str = GB2312_META) -> str:
    return f"""<html>
<head>
{meta}
<title>{T.esc(title)}</title>
<link href="/css/style.css" rel="stylesheet" type="text/css">
<script language="javascript" src="/js/common.js"></script>
</head>
<body topmargin="0" leftmargin="0" bgcolor="#ffffff">
<table width="980" border="0" align="center" cellpadding="0" cellspacing="0">
  <tr><td height="26" bgcolor="#eeeeee" align="right"><font color="#666666">
  <a href="/login.jsp">登录</a> | <a href="/reg.jsp">注册</a> | <a href="#" onclick="this.style.behavior='url(#default#homepage)';this.setHomePage('http://www.tongyu.gov.cn');">设为首页</a></font></td></tr>
  <tr><td><img src="/images/banner.jpg" width="980" height="140" border="0"></td></tr>
  <tr><td height="34" bgcolor="#1a5fb4" align="center"><font color="#ffffff">
  <a href="/"><font color="#ffffff">首 页</font></a>&nbsp;|&nbsp;<a href="/xxgk/"><font color="#ffffff">信息公开</font></a>&nbsp;|&nbsp;
  <a href="/zwdt/list.jsp"><font color="#ffffff">政务动态</font></a>&nbsp;|&nbsp;<a href="/wsbs/"><font color="#ffffff">网上办事</font></a>&nbsp;|&nbsp;
  <a href="/gzcy/"><font color="#ffffff">公众参与</font></a>&nbsp;|&nbsp;<a href="/mlty/"><font color="#ffffff">魅力通榆</font></a></font></td></tr>
</table>
{content}
<table width="980" border="0" align="center" cellpadding="0" cellspacing="0" bgcolor="#f2f2f2">
  <tr><td height="80" align="center"><font color="#555555">
  主办单位：{PORTAL.host_org}　　地址：{PORTAL.address}　　电话：{PORTAL.phone}<br>
  网站标识码：{PORTAL.site_code}　　{PORTAL.icp}　　{PORTAL.police}<br>
  建议使用1024×768分辨率浏览本站</font></td></tr>
</table>
</body>
</html>
"""


def _side() -> str:
    return """<table width="200" border="0" cellpadding="0" cellspacing="1" bgcolor="#cccccc">
<tr><td height="30" bgcolor="#1a5fb4" align="center"><font color="#ffffff"><b>信息公开</b></font></td></tr>
<tr><td height="26" bgcolor="#ffffff">&nbsp;·<a href="/xxgk/xxgkzn.jsp">信息公开指南</a></td></tr>
<tr><td height="26" bgcolor="#ffffff">&nbsp;·<a href="/xxgk/xxgkml.jsp">信息公开目录</a></td></tr>
<tr><td height="26" bgcolor="#ffffff">&nbsp;·<a href="/xxgk/xxgknb/list.jsp?page=1">信息公开年报</a></td></tr>
</table>"""


class Tongyu(Site):
    name = "tongyu"
    title = PORTAL.name
    encoding = "gbk"

    def __init__(self, scale: int = 1):
        super().__init__()
        rng = random.Random(f"tongyu-{scale}")
        seed = seed_report()
        fillers = filler_reports(f"tongyu-fillers-{scale}", TONGYU, 12 + 14 * (scale - 1), range(2010, 2024),
                                 taken={("通榆县人民政府", 2016)})
        items = [seed, *fillers]
        # JSP sites number articles with a small sequence, not TRS-style document ids
        for k, report in enumerate(sorted(items, key=lambda r: (r.published, r.title))):
            report.docid = 1200 + 3 * k + rng.randint(0, 2)
        items.sort(key=lambda r: (r.published, r.docid), reverse=True)
        # two pages mis-declare their encoding: one claims utf-8 in <meta>, one says nothing at all
        gbk_only = [r for r in fillers if any(is_gbk_only(ch) for line in (plain(b.text) for b in r.blocks) for ch in line)]
        self.lying, self.bare = gbk_only[0].docid, gbk_only[1].docid
        for report in items:
            path = f"{COLUMN}content.jsp?id={report.docid}"
            self.route(path, partial(self.article, report))
            self.add_report(report, [path])
        pages = T.paginate(items, PER_PAGE)
        for i, rows in enumerate(pages):
            listing = partial(self.listing, rows, i + 1, len(pages))
            self.route(f"{COLUMN}list.jsp?page={i + 1}", listing)
            if i == 0:
                self.route(f"{COLUMN}list.jsp", listing)
        self.route(COLUMN + "count.jsp", self.counter)
        self.route("/", self.home)
        self.route("/index.jsp", self.home)
        self.route("/xxgk/", self.hub)
        self.route("/xxgk/index.jsp", self.hub)
        for path in ("/xxgk/xxgkzn.jsp", "/xxgk/xxgkml.jsp", "/zwdt/list.jsp", "/wsbs/", "/gzcy/", "/mlty/", "/login.jsp",
                     "/reg.jsp"):
            self.route(path, self.stub)

    def article(self, report: Report, ctx: Context) -> Reply:
        meta = GB2312_META
        if report.docid == self.lying:
            meta = '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
        elif report.docid == self.bare:
            meta = ""
        content = f"""<table width="980" border="0" align="center" cellpadding="0" cellspacing="0">
<tr><td height="30">&nbsp;当前位置：<a href="/">首页</a> &gt;&gt; <a href="/xxgk/">信息公开</a> &gt;&gt; <a href="{COLUMN}list.jsp?page=1">信息公开年报</a></td></tr>
<tr><td align="center" height="60"><font size="5" color="#cc0000"><b>{T.esc(report.title)}</b></font></td></tr>
<tr><td align="center" height="30" bgcolor="#f7f7f7">发布日期：{report.published:%Y-%m-%d}&nbsp;&nbsp;&nbsp;&nbsp;
点击数：<script language="javascript" src="{COLUMN}count.jsp?id={report.docid}"></script></td></tr>
<tr><td style="padding:15px;line-height:28px;font-size:14px" id="fontzoom">
{T.body_html(report, "old")}
</td></tr>
<tr><td align="right">【<a href="javascript:window.print()">打印此页</a>】【<a href="javascript:window.close()">关闭窗口</a>】</td></tr>
</table>"""
        return gbk_reply(_frame(report.title, content, meta))

    def listing(self, rows: list[Report], page: int, count: int, ctx: Context) -> Reply:
        trs = "\n".join(f'<tr><td height="26">·<a href="content.jsp?id={r.docid}" target="_blank">{T.esc(T.truncate(r.title, 34))}'
                        f'</a></td><td width="90">[{r.published:%Y-%m-%d}]</td></tr>' for r in rows)
        nums = " ".join(f"<b>{n}</b>" if n == page else f'<a href="list.jsp?page={n}">{n}</a>' for n in range(1, count + 1))
        pager = (f'共{count}页 第{page}页 <a href="list.jsp?page=1">首页</a> '
                 + (f'<a href="list.jsp?page={page - 1}">上一页</a> ' if page > 1 else "上一页 ")
                 + nums + " "
                 + (f'<a href="list.jsp?page={page + 1}">下一页</a> ' if page < count else "下一页 ")
                 + f'<a href="list.jsp?page={count}">尾页</a>')
        content = f"""<table width="980" border="0" align="center" cellpadding="0" cellspacing="0"><tr>
<td width="200" valign="top">{_side()}</td><td width="10"></td><td valign="top">
<table width="100%" border="0" cellpadding="0" cellspacing="0"><tr><td height="30" bgcolor="#eef3fa">&nbsp;<b>信息公开年报</b></td></tr></table>
<table width="100%" border="0" cellpadding="2" cellspacing="0">{trs}</table>
<table width="100%"><tr><td align="center" height="40">{pager}</td></tr></table>
</td></tr></table>"""
        return gbk_reply(_frame(f"信息公开年报 - {PORTAL.name}", content))

    def counter(self, ctx: Context) -> Reply:
        return Reply(200, f"document.write('{ctx.hit()}');".encode(), "application/x-javascript")

    def hub(self, ctx: Context) -> Reply:
        content = f"""<table width="980" border="0" align="center"><tr><td width="200" valign="top">{_side()}</td>
<td valign="top"><p>通榆县人民政府信息公开专栏</p></td></tr></table>"""
        return gbk_reply(_frame(f"信息公开 - {PORTAL.name}", content))

    def home(self, ctx: Context) -> Reply:
        content = f"""<table width="980" border="0" align="center"><tr><td width="200" valign="top">{_side()}</td>
<td valign="top"><table width="100%"><tr><td><b>政务动态</b></td></tr>
<tr><td>·<a href="/zwdt/list.jsp">通榆县召开2024年全县经济工作会议</a> [2024-02-26]</td></tr>
<tr><td>·<a href="/zwdt/list.jsp">通榆县开展冬季安全生产大检查</a> [2024-01-15]</td></tr></table>
<p><a href="/xxgk/">信息公开</a></p></td></tr></table>"""
        return gbk_reply(_frame(PORTAL.name, content))

    def stub(self, ctx: Context) -> Reply:
        return gbk_reply(_frame(PORTAL.name, '<table width="980" align="center"><tr><td>暂无信息</td></tr></table>'))
