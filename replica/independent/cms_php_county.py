"""阜平县人民政府 (河北): a county portal on PHPCMS v9 (GBK edition), its 年报 column reached from the 政务公开 hub.

Evidence:

- public scrapers of PHPCMS county and city sites in the code corpus (find_string ``m=content&c=index&a=lists&catid``
  and ``gov.cn/index.php?m=content&c=index&a=show``): www.laishui.gov.cn (涞水县, Hebei) ``index.php?m=content&c=
  index&a=lists&catid=9``, www.tslb.gov.cn ``…a=show&catid=295&id=45040``, www.jingxi.gov.cn, syjdj.baotou.gov.cn,
  www.swgd.gov.cn (a GBK page: its titles decode as mojibake under UTF-8); the 大理市 crawler (search-index file
  3794118138, yndali.gov.cn): lists ``index.php?m=content&c=index&a=lists&catid=481`` then ``&page=2``, rows
  ``div.list-cont li a``, the article ``div.content.clearfix`` with ``h3`` title and ``div.desc`` date, pages
  ``div#page`` with 下一页, and images in the body (``//div[@class="content clearfix"]//p/img/@src``, downloaded one
  by one: a report posted as scanned pages);
- PHPCMS v9's own templates: ``pages()`` prints ``<a class="a1">N条</a>`` then 上一页 / numbers / 下一页 (county
  templates add 首页 and 末页); the hit counter ``<script src="/api.php?op=count&id=…&modelid=1">``; uploads at
  ``/uploadfile/YYYY/MMDD/YYYYMMDDhhmmssNNN.ext``;
- shared/reference/portals.md §4 (GBK pages; pager signals 末页 / 下一页, query key ``page``) and §6 (图片版:
  "image-only bodies … holding only <img>").

Variant exercised: the whole site in GBK (header and meta charset=gbk); 政务公开 hub ``…a=lists&catid=5`` (a
category page listing sub-categories) → 政府信息公开年报 ``…a=lists&catid=12``; its list a ``<table>`` with
标题 / 发布日期 header, 10 rows a page, ``&page=N``; the pager prints 共N条 (``<a class="a1">N条</a>``), at most
three page numbers around the current one, and a 末页 link carrying the last page number; one report is 图片版: its
article body is only ``<img>``s of its scanned pages (PNG, under /uploadfile/), the title suffixed （图片版）.

Truth keys beyond Site.add_report for the 图片版: ``raw_kind`` ``image``, ``raw_path`` (its first image), ``parts``
(all images in order), ``ocr`` true, ``variant`` ``image_pages``; ``text`` is what the images show.
"""

from __future__ import annotations

import hashlib
import random

from ..fillers import County
from ..reports import Report, body_html
from ..server import Context, Reply, html_reply
from ..site import Site, assign_docids, faithful_text
from ._kit_a import lookalikes, town_and_dept_reports
from ._pieces_b import esc, statutory_footer
from ._pieces_c import as_int, scanned_pages

NAME = "阜平县人民政府"
REGION = "阜平县"
DOMAIN = "www.fuping.gov.cn"
SITE_CODE = "1306240001"
ADDRESS = "河北省保定市阜平县阜平镇政府街1号"
COUNTY = County(
    REGION, NAME,
    ("阜平镇", "龙泉关镇", "平阳镇", "城南庄镇", "天生桥镇", "王林口镇", "台峪乡", "大台乡", "史家寨乡", "砂窝乡",
     "吴王口乡", "夏庄乡", "北果元乡"),
    ("发展和改革局", "教育和体育局", "民政局", "财政局", "人力资源和社会保障局", "自然资源和规划局", "住房和城乡建设局",
     "交通运输局", "水利局", "农业农村局", "卫生健康局", "应急管理局", "市场监督管理局", "统计局"),
    "073200", "0312", f"http://{DOMAIN}", contacts=("李建国", "王海燕", "张志强", "刘翠英", "赵文斌"))
CAT_HUB, CAT = 5, 12
SIZE = 10
WINDOW = 1          # page numbers shown either side of the current one


def lists(catid: int, page: int = 1) -> str:
    return f"/index.php?m=content&c=index&a=lists&catid={catid}" + (f"&page={page}" if page > 1 else "")


def show(catid: int, docid: int) -> str:
    return f"/index.php?m=content&c=index&a=show&catid={catid}&id={docid}"


class CmsPhpCounty(Site):
    name = "cms_php_county"
    title = NAME
    encoding = "gbk"

    def __init__(self, scale: int = 1):
        super().__init__()
        rng = random.Random(f"cms_php_county-{scale}")
        towns, depts = town_and_dept_reports(f"cms_php_county-{scale}", COUNTY, 12 * scale, 14 * scale,
                                             range(2008, 2024))
        yaodian, bianzhi, guide, _fmt, _gongbao = lookalikes(COUNTY, ADDRESS, 2022)
        self.listed = [*towns, *depts, yaodian, bianzhi, guide]
        assign_docids(self.listed, rng, 300)
        self.listed.sort(key=lambda r: (r.published, r.docid), reverse=True)
        self.by_id = {r.docid: r for r in self.listed}
        self.images: dict[str, tuple[Report, int]] = {}
        self.bodies: dict[int, str] = {}
        # the 图片版: a table report of the government itself if there is one, else any table report
        tabled = [r for r in self.listed if r.is_report and r.figures]
        scanned = next((r for r in tabled if r.agency == NAME), tabled[0])
        for report in self.listed:
            path = show(CAT, report.docid)
            if report is scanned:
                self.image_report(report, path)
            elif report.is_report:
                self.add_report(report, [path])
            else:
                self.add_lookalike(report, path)
        self.add_column(lists(CAT), reports=sum(r.is_report for r in self.listed), stated=len(self.listed),
                        needs="static", note="PHPCMS v9 GBK: &page=N, <a class=\"a1\">N条</a>, a window of page "
                                             "numbers and 末页; one 图片版 report (body only <img>s)")
        self.route("/", self.home)
        self.route("/index.php", self.dispatch)
        self.route("/api.php", lambda ctx: Reply(200, b"$('#hits').html('1');", "application/x-javascript"))

    def image_report(self, report: Report, path: str) -> None:
        d = report.published
        count = len(scanned_pages(report))
        parts = []
        for k in range(count):
            stamp = int(hashlib.sha1(f"{report.docid}-{k}".encode()).hexdigest()[:6], 16) % 1000
            parts.append(f"/uploadfile/{d:%Y}/{d:%m%d}/{d:%Y%m%d}1045{12 + k:02d}{stamp:03d}.png")
        for k, part in enumerate(parts):
            self.images[part] = (report, k)
        self.bodies[report.docid] = "\n".join(
            f'<p style="text-align: center;"><img alt="" src="{part}" style="width: 700px; height: 990px;" /></p>'
            for part in parts)
        shown_title = f"{report.title}（图片版）"
        report.extra["shown_title"] = shown_title
        self.add_report(report, [path])
        self.truth[-1].update(title=shown_title, text=faithful_text(report), raw_kind="image", raw_path=parts[0],
                              parts=parts, ocr=True, variant="image_pages")

    # -- dispatch -----------------------------------------------------------------------------------

    def dispatch(self, ctx: Context) -> Reply:
        args = ctx.request.args()
        if not args:
            return self.home(ctx)
        if args.get("m") != "content" or args.get("c") != "index":
            return self.not_found(ctx)
        catid = as_int(args.get("catid"), 0)
        if args.get("a") == "lists":
            if catid == CAT:
                return self.column(as_int(args.get("page"), 1), ctx)
            if catid == CAT_HUB:
                return self.hub(ctx)
            if catid in STUBS:
                return self.stub(catid, ctx)
        if args.get("a") == "show" and catid == CAT:
            report = self.by_id.get(as_int(args.get("id"), 0))
            if report is not None:
                return self.article(report, ctx)
        return self.not_found(ctx)

    def dynamic(self, ctx: Context, path: str, query: str) -> Reply | None:
        found = self.images.get(path)
        if found is None:
            return None
        report, k = found
        return Reply(200, scanned_pages(report)[k], "image/png")

    def not_found(self, ctx: Context) -> Reply:
        # PHPCMS answers a missing id with its showmessage page, in the site's charset
        return html_reply('<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk" />'
                          '<title>提示信息</title></head><body><div class="showMsg"><h5>提示信息</h5>'
                          '<div class="content guery">您要访问的页面不存在或已被删除</div>'
                          '<div class="bottom"><a href="/">返回首页</a></div></div></body></html>',
                          encoding="gbk", status=404)

    # -- chrome -------------------------------------------------------------------------------------

    def _page(self, title: str, crumbs: list[tuple[str, str]], content: str) -> Reply:
        crumb = "".join(f' &gt; <a href="{esc(h)}">{esc(t)}</a>' for h, t in crumbs)
        nav = "".join(f'<li><a href="{esc(h)}">{t}</a></li>' for h, t in (
            ("/", "网站首页"), (lists(2), "走进阜平"), (lists(3), "新闻中心"), (lists(CAT_HUB), "政务公开"),
            (lists(7), "办事服务"), (lists(8), "互动交流")))
        text = f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gbk" />
<meta http-equiv="X-UA-Compatible" content="IE=7" />
<title>{esc(title)}</title>
<meta name="keywords" content="阜平县人民政府,阜平县政府">
<meta name="description" content="阜平县人民政府门户网站">
<link href="/statics/css/reset.css" rel="stylesheet" type="text/css" />
<link href="/statics/css/default_blue.css" rel="stylesheet" type="text/css" />
<script type="text/javascript" src="/statics/js/jquery.min.js"></script>
<script type="text/javascript" src="/statics/js/jquery.sgallery.js"></script>
<script type="text/javascript" src="/statics/js/search_common.js"></script>
</head>
<body>
<div class="header"><div class="logo"><a href="/"><img src="/statics/images/fp/logo.png" alt="{NAME}" /></a></div>
<div class="search"><form action="/index.php" method="get" target="_blank"><input type="hidden" name="m" value="search"/>
<input type="hidden" name="c" value="index"/><input type="hidden" name="a" value="init"/><input type="text" name="q" id="q"/>
<input type="submit" value="搜 索" /></form></div></div>
<div class="nav"><ul>{nav}</ul></div>
<div class="main">
<div class="crumbs">当前位置：<a href="/">首页</a>{crumb}</div>
{content}
</div>
{statutory_footer(host_org=f"{NAME}办公室", site_code=SITE_CODE, icp="冀ICP备11001566号",
                  police="冀公网安备 13062402000103号", address=ADDRESS, phone="0312-7222345",
                  extra='<p>Powered by PHPCMS v9 &copy; 阜平县人民政府</p>')}
</body>
</html>"""
        return html_reply(text, encoding="gbk")

    def _left(self) -> str:
        lis = "".join(f'<li><a href="{esc(lists(c))}">{t}</a></li>' for c, t in (
            (13, "政府信息公开指南"), (14, "政府信息公开制度"), (15, "法定主动公开内容"), (CAT, "政府信息公开年报"),
            (16, "依申请公开")))
        return f'<div class="col-left"><div class="box"><h5 class="title-2">政务公开</h5><ul class="cat-list">{lis}</ul></div></div>'

    # -- pages --------------------------------------------------------------------------------------

    def column(self, page: int, ctx: Context) -> Reply:
        listed = self.listed
        pages = max(-(-len(listed) // SIZE), 1)
        if not 1 <= page <= pages:
            page = min(max(page, 1), pages)     # PHPCMS clamps an out-of-range page
        rows = listed[(page - 1) * SIZE:page * SIZE]
        trs = "\n".join(
            f'<tr><td class="bt"><a href="{esc(show(CAT, r.docid))}" target="_blank" '
            f'title="{esc(r.extra.get("shown_title", r.title))}">{esc(r.extra.get("shown_title", r.title))}</a></td>'
            f'<td class="rq" align="center">{r.published:%Y-%m-%d}</td></tr>' for r in rows)

        def a(n: int, text: str, cls: str = "") -> str:
            c = f' class="{cls}"' if cls else ""
            return f'<a href="{esc(lists(CAT, n))}"{c}>{text}</a>'
        bar = [f'<a class="a1">{len(listed)}条</a>', a(1, "首页", "a1")]
        bar.append(a(max(page - 1, 1), "上一页", "a1"))
        lo, hi = max(page - WINDOW, 1), min(page + WINDOW, pages)
        if lo > 1:
            bar.append("<span>...</span>")
        bar += [f"<span>{n}</span>" if n == page else a(n, str(n)) for n in range(lo, hi + 1)]
        if hi < pages:
            bar.append("<span>...</span>")
        bar.append(a(min(page + 1, pages), "下一页", "a1"))
        bar.append(a(pages, "末页", "a1"))
        content = f"""{self._left()}
<div class="col-auto"><div class="box"><h5 class="title-2">政府信息公开年报</h5>
<table class="list-table" width="100%" border="0" cellspacing="0" cellpadding="0">
<tr class="th"><th>标题</th><th width="110">发布日期</th></tr>
{trs}
</table>
<div id="pages" class="text-c">{" ".join(bar)}</div>
</div></div>"""
        return self._page(f"政府信息公开年报 - {NAME}", [(lists(CAT_HUB), "政务公开"), (lists(CAT), "政府信息公开年报")],
                          content)

    def article(self, report: Report, ctx: Context) -> Reply:
        title = report.extra.get("shown_title", report.title)
        body = self.bodies.get(report.docid) or body_html(report, "old")
        d = report.published
        content = f"""{self._left()}
<div class="col-auto"><div class="box boxsbg">
<div class="content clearfix" id="Article">
<h3>{esc(title)}</h3>
<div class="desc">发布时间：{d:%Y-%m-%d} 09:{report.docid % 60:02d}:{report.docid % 37:02d}　来源：{esc(report.source)}　点击：<span id="hits"></span></div>
<div class="content" id="content">
{body}
</div>
<div id="pages" class="text-c"></div>
</div>
<script language="JavaScript" src="/api.php?op=count&id={report.docid}&modelid=1"></script>
<div class="bk15"></div><div class="print"><a href="javascript:window.print();">[打印本页]</a> <a href="javascript:window.close();">[关闭窗口]</a></div>
</div></div>"""
        return self._page(f"{title} - {NAME}", [(lists(CAT_HUB), "政务公开"), (lists(CAT), "政府信息公开年报")], content)

    def home(self, ctx: Context) -> Reply:
        content = (f'<div class="col-auto"><div class="box"><h5 class="title-2">阜平要闻</h5><ul class="list">'
                   f'<li><a href="{esc(lists(3))}">阜平县召开2024年乡村振兴工作推进会</a></li>'
                   f'<li><a href="{esc(lists(3))}">阜平县部署春季农业生产工作</a></li></ul></div>'
                   f'<div class="box"><a href="{esc(lists(CAT_HUB))}">政务公开</a></div></div>')
        return self._page(NAME, [], content)

    def hub(self, ctx: Context) -> Reply:
        lis = "".join(f'<li><a href="{esc(lists(c))}">{t}</a></li>' for c, t in (
            (13, "政府信息公开指南"), (14, "政府信息公开制度"), (15, "法定主动公开内容"), (CAT, "政府信息公开年报"),
            (16, "依申请公开")))
        content = f'<div class="col-auto"><div class="box"><h5 class="title-2">政务公开</h5><ul class="category">{lis}</ul></div></div>'
        return self._page(f"政务公开 - {NAME}", [(lists(CAT_HUB), "政务公开")], content)

    def stub(self, catid: int, ctx: Context) -> Reply:
        title = STUBS[catid]
        return self._page(f"{title} - {NAME}", [(lists(catid), title)],
                          f'{self._left()}<div class="col-auto"><div class="box"><h5 class="title-2">{title}</h5>'
                          f'<p>暂无信息</p></div></div>')


STUBS = {2: "走进阜平", 3: "新闻中心", 7: "办事服务", 8: "互动交流", 13: "政府信息公开指南", 14: "政府信息公开制度",
         15: "法定主动公开内容", 16: "依申请公开"}
