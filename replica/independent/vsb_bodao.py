"""镇坪县人民政府 (陕西): a county portal on 博达 VSB (Visual SiteBuilder), with a static column and a dynamic one.

Evidence:

- shared/reference/portals.md §3 "VSB / 博达": list ``info/<col>/<id>.htm``, body ``div#vsb_content_NNNN >
  div.v_news_content``, counter ``<script>_showDynClicks("wbnews", <owner>, <id>)</script>``, files through
  ``/system/_content/download.jsp?…``;
- a crawler's notes on a VSB site (search-index file 62632493202, find_string ``class="p_t">共``): the pager
  ``<span class="p_t">共1162条</span><span class="p_pages"><span class="p_no_d">1</span><span class="p_no"><a
  href="tzgg/77.htm">2</a></span>…<span class="p_last p_fun"><a href="tzgg/1.htm">尾页</a></span>``, "页码是倒序的":
  the entry page ``tzgg.htm`` is newest, page 2 is ``tzgg/77.htm``, the last page ``tzgg/1.htm``; rows
  ``<li id="line_u8_0"><a href="../content.jsp?urltype=news.NewsContentUrl&wbtreeid=1291&wbnewsid=30301" title=…>``;
  TypeScript scrapers key on ``<span class="p_t">共(\\d+)条</span>`` and ``_showDynClickBatch``;
- dynamic VSB lists in public scrapers (find_string ``urltype=tree.TreeTempUrl&wbtreeid``): ``list.jsp?
  urltype=tree.TreeTempUrl&wbtreeid=1081``, ``mlxxlb.jsp?urltype=tree.TreeTempUrl&wbtreeid=6075`` (www.tlf.gov.cn,
  a government site), and the page-parameter triple ``formname1333at=54&formname1333ap={num}&formname1333ac=15&
  urltype=tree.TreeTempUrl&wbtreeid=1112`` (total pages, page, rows per page);
- attachments (find_string ``wbfileid=``, crawlers of jwch.fzu.edu.cn, jwc.sylu.edu.cn, pec.xjtu.edu.cn):
  ``<li>附件【<a href="/system/_content/download.jsp?urltype=news.DownloadAttachUrl&owner=1615111502&
  wbfileid=12241422" target="_blank">….xls</a>】已下载<span id="nattach…">…</span>次</li>``, the name only in the
  anchor text; the count via ``getClickTimes(wbfileid, owner, "wbnewsfile", "attach")``; "0 字（仅附件）" articles.

Variant exercised (政务公开 → 信息公开年报):

- 县政府及乡镇年报 ``/zwgk/zfxxgknb.htm``: static pages numbered backwards (``zfxxgknb/<P-k+1>.htm``), 12 rows a
  page with ``../info/1061/<id>.htm`` links (``../../info/…`` from the numbered pages), the full VSB pager with
  共N条, ``1/P`` and a 到第[ ]页 goto box; two reports are attachment-only (a PDF and a DOCX behind extensionless
  ``download.jsp`` URLs named by ``Content-Disposition: attachment; filename="<URL-encoded name>"``).
- 部门信息公开年报 ``/bmnb.jsp?urltype=tree.TreeTempUrl&wbtreeid=1063``: a dynamic JSP list, 10 rows a page, the
  pager's links query-only (``?a3t=P&a3p=N&a3c=10&urltype=tree.TreeTempUrl&wbtreeid=1063``), articles
  ``/content.jsp?urltype=news.NewsContentUrl&wbtreeid=1063&wbnewsid=<id>``; prints 共N条.

Both columns are plain HTTP (``static``).  Truth keys beyond Site.add_report for the attachment reports:
``raw_kind`` (``pdf``/``docx``), ``raw_path`` (the download.jsp URL), ``download_name``, ``variant``.
"""

from __future__ import annotations

import random
from functools import partial
from urllib.parse import parse_qsl

from .. import documents as F
from ..fillers import County
from ..reports import Report
from ..server import Context, Reply, html_reply
from ..site import Site, assign_docids
from ._kit_a import town_and_dept_reports
from ._pieces_b import esc, format_notice, lookalikes, pieces, pieces_html, statutory_footer
from ._pieces_c import as_int, download

NAME = "镇坪县人民政府"
REGION = "镇坪县"
DOMAIN = "www.zhp.gov.cn"
SITE_CODE = "6109270001"
COUNTY = County(
    REGION, NAME,
    ("城关镇", "曾家镇", "牛头店镇", "钟宝镇", "上竹镇", "华坪镇", "曙坪镇"),
    ("发展和改革局", "教育体育和科技局", "民政局", "财政局", "人力资源和社会保障局", "自然资源局",
     "住房和城乡建设局", "交通运输局", "水利局", "农业农村局", "卫生健康局", "应急管理局", "市场监督管理局",
     "统计局", "林业局", "医疗保障局"),
    "725600", "0915", f"http://{DOMAIN}", contacts=("陈光明", "余晓燕", "黄德兵", "刘小琴", "王世军"))
OWNER = 1479821377
TREE_A, TREE_B = 1061, 1063
COLUMN_A = "/zwgk/zfxxgknb.htm"
COLUMN_B = f"/bmnb.jsp?urltype=tree.TreeTempUrl&wbtreeid={TREE_B}"
SIZE_A, SIZE_B = 12, 10
VARIANTS = ("pdf_only", "docx_only")


def info_path(report: Report) -> str:
    return f"/info/{TREE_A}/{report.docid}.htm"


def content_path(report: Report) -> str:
    return f"/content.jsp?urltype=news.NewsContentUrl&wbtreeid={TREE_B}&wbnewsid={report.docid}"


def download_path(fileid: int) -> str:
    return f"/system/_content/download.jsp?urltype=news.DownloadAttachUrl&owner={OWNER}&wbfileid={fileid}"


def b_page(page: int, pages: int) -> str:
    return f"?a3t={pages}&a3p={page}&a3c={SIZE_B}&urltype=tree.TreeTempUrl&wbtreeid={TREE_B}"


class VsbBodao(Site):
    name = "vsb_bodao"
    title = NAME

    def __init__(self, scale: int = 1):
        super().__init__()
        rng = random.Random(f"vsb_bodao-{scale}")
        towns, depts = town_and_dept_reports(f"vsb_bodao-{scale}", COUNTY, 14 * scale, 13 * scale, range(2008, 2024))
        notice, points, stats = lookalikes(REGION, NAME, f"{NAME}办公室", random.Random("vsb_bodao-lookalikes"))
        self.list_a = [*towns, notice, points]
        self.list_b = [*depts, stats, format_notice()]
        assign_docids([*self.list_a, *self.list_b], rng, 2000)
        for listed in (self.list_a, self.list_b):
            listed.sort(key=lambda r: (r.published, r.docid), reverse=True)
        self.files: dict[str, tuple[Report, str, str]] = {}
        # attachment-only reports: two table reports of column A
        with_tables = [r for r in self.list_a if r.is_report and r.figures]
        chosen = {with_tables[1].docid: "pdf_only", with_tables[-2].docid: "docx_only"}
        for report in self.list_a:
            path = info_path(report)
            variant = chosen.get(report.docid)
            if variant:
                kind = "pdf" if variant == "pdf_only" else "docx"
                fileid = 8470000 + rng.randrange(1000, 99999)
                name = f"{report.title}.{kind}"
                self.files[str(fileid)] = (report, kind, name)
                self.route(path, partial(self.article, report, TREE_A, (fileid, name)))
                self.add_report(report, [path])
                self.truth[-1].update(raw_kind=kind, raw_path=download_path(fileid), download_name=name,
                                      variant=variant)
            else:
                self.route(path, partial(self.article, report, TREE_A, None))
                self._truth(report, path)
        for report in self.list_b:
            path = content_path(report)
            self._truth(report, path)
        self.by_id_b = {str(r.docid): r for r in self.list_b}

        pages_a = -(-len(self.list_a) // SIZE_A)
        for k in range(1, pages_a + 1):
            self.route(COLUMN_A if k == 1 else f"/zwgk/zfxxgknb/{pages_a - k + 1}.htm", partial(self.column_a, k))
        self.add_column(COLUMN_A, reports=sum(r.is_report for r in self.list_a), stated=len(self.list_a),
                        needs="static", note="VSB static list: page k>=2 is zfxxgknb/<P-k+1>.htm (numbered "
                                             "backwards); 共N条 and 1/P; two reports attachment-only via download.jsp")
        self.add_column(COLUMN_B, reports=sum(r.is_report for r in self.list_b), stated=len(self.list_b),
                        needs="static", note="VSB dynamic list bmnb.jsp, pager hrefs query-only "
                                             "(?a3t=P&a3p=N&a3c=10&urltype=tree.TreeTempUrl&wbtreeid=1063)")
        self.route("/bmnb.jsp", self.column_b)
        self.route("/content.jsp", self.content)
        self.route("/system/_content/download.jsp", self.download)
        for path in ("/", "/index.htm"):
            self.route(path, self.home)
        self.route("/zwgk.htm", self.hub)
        for path, title in (("/zwdt.htm", "政务动态"), ("/bsfw.htm", "办事服务"), ("/hdjl.htm", "互动交流"),
                            ("/zwgk/xxgkzn.htm", "政府信息公开指南"), ("/zwgk/xxgkzd.htm", "政府信息公开制度"),
                            ("/zwgk/fdzdgknr.htm", "法定主动公开内容")):
            self.route(path, partial(self.stub, title))
        self.route("/system/resource/js/dynclicks.js", lambda ctx: Reply(
            200, b"function _showDynClicks(t,o,i){document.write('<span id=\"dynclicks_'+t+'_'+i+'\">0</span>');}\n"
                 b"function _showDynClickBatch(ids,nids,t,o){}\nfunction getClickTimes(f,o,t,r){}\n",
            "application/javascript"))

    def _truth(self, report: Report, path: str) -> None:
        if report.is_report:
            self.add_report(report, [path])
        else:
            self.add_lookalike(report, path)

    # -- chrome -------------------------------------------------------------------------------------

    def _shell(self, title: str, crumbs: str, content: str, base: str = "/") -> str:
        return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
<title>{esc(title)}</title>
<meta name="pageType" content="3"><meta name="pageTitle" content="{esc(title)}">
<META Name="keywords" Content="镇坪县人民政府,{esc(title)}" />
<link href="/dfiles/10972/style/style.css" rel="stylesheet" type="text/css" />
<!--Announced by Visual SiteBuilder 9-->
<link rel="stylesheet" type="text/css" href="/_sitegray/_sitegray_d.css" />
<script language="javascript" src="/_sitegray/_sitegray.js"></script>
<script type="text/javascript" src="/system/resource/js/dynclicks.js"></script>
<script type="text/javascript" src="/system/resource/js/counter.js"></script>
</head>
<body>
<div class="top"><div class="wrap"><a href="/index.htm"><img src="/images/logo.png" alt="{NAME}" /></a>
<div class="search"><form action="/ssjg.jsp?wbtreeid=1001" method="post" name="a208481a"><input type="text" name="showkeycode" />
<input type="submit" value="搜索" /></form></div></div></div>
<div class="nav"><ul class="wrap"><li><a href="/index.htm">首页</a></li><li><a href="/zwdt.htm">政务动态</a></li>
<li><a href="/zwgk.htm">政务公开</a></li><li><a href="/bsfw.htm">办事服务</a></li><li><a href="/hdjl.htm">互动交流</a></li></ul></div>
<div class="wrap"><div class="dqwz">当前位置：{crumbs}</div>
{content}
</div>
{statutory_footer(host_org=f"{NAME}办公室", site_code=SITE_CODE, icp="陕ICP备05008715号",
                  police="陕公网安备 61092702000101号", address="陕西省安康市镇坪县城关镇文彩街", phone="0915-8822301",
                  extra='<p>技术支持：博达软件</p>')}
</body></html>"""

    def _crumbs(self, tree: int) -> str:
        last = ('<a href="/zwgk/zfxxgknb.htm">信息公开年报</a>' if tree == TREE_A
                else f'<a href="{esc(COLUMN_B)}">部门信息公开年报</a>')
        return f'<a href="/index.htm">首页</a> &gt;&gt; <a href="/zwgk.htm">政务公开</a> &gt;&gt; {last}'

    def _left(self, tree: int) -> str:
        on_a, on_b = (' class="on"', "") if tree == TREE_A else ("", ' class="on"')
        return (f'<div class="left"><h2>政务公开</h2><ul><li><a href="/zwgk/xxgkzn.htm">政府信息公开指南</a></li>'
                f'<li><a href="/zwgk/xxgkzd.htm">政府信息公开制度</a></li><li><a href="/zwgk/fdzdgknr.htm">法定主动公开内容</a></li>'
                f'<li{on_a}><a href="/zwgk/zfxxgknb.htm">信息公开年报</a></li>'
                f'<li{on_b}><a href="{esc(COLUMN_B)}">部门信息公开年报</a></li></ul></div>')

    # -- lists --------------------------------------------------------------------------------------

    def column_a(self, k: int, ctx: Context) -> Reply:
        listed = self.list_a
        pages = -(-len(listed) // SIZE_A)
        rows = listed[(k - 1) * SIZE_A:k * SIZE_A]
        up = "../" if k == 1 else "../../"
        lis = "\n".join(
            f'<li id="line_u8_{i}"><a href="{up}info/{TREE_A}/{r.docid}.htm" target="_blank" title="{esc(r.title)}">'
            f'{esc(r.title if len(r.title) <= 38 else r.title[:37] + "…")}</a><span>{r.published:%Y-%m-%d}</span></li>'
            for i, r in enumerate(rows))

        def href(n: int) -> str:
            # relative to this page: the first page is /zwgk/zfxxgknb.htm, page n>=2 /zwgk/zfxxgknb/<P-n+1>.htm
            if n == 1:
                return "zfxxgknb.htm" if k == 1 else "../zfxxgknb.htm"
            return f"zfxxgknb/{pages - n + 1}.htm" if k == 1 else f"{pages - n + 1}.htm"

        def fun(cls: str, n: int, text: str, live: bool) -> str:
            return (f'<span class="{cls} p_fun"><a href="{href(n)}">{text}</a></span>' if live
                    else f'<span class="{cls}_d p_fun_d">{text}</span>')
        nos = "".join(f'<span class="p_no_d">{n}</span>' if n == k else f'<span class="p_no"><a href="{href(n)}">{n}</a></span>'
                      for n in range(1, pages + 1))
        pager = (f'<div class="pb_sys_common pb_sys_normal pb_sys_style1"><span class="p_t">共{len(listed)}条</span> '
                 f'<span class="p_t">{k}/{pages}</span> <span class="p_pages">'
                 f'{fun("p_first", 1, "首页", k > 1)}{fun("p_prev", k - 1, "上页", k > 1)}{nos}'
                 f'{fun("p_next", k + 1, "下页", k < pages)}{fun("p_last", pages, "尾页", k < pages)}</span> '
                 f'<span class="p_t">到第</span><span class="p_goto"><script language="javascript" '
                 f'src="/system/resource/js/gotopage.js"></script><script>function a208483_gopage_fun(){{'
                 f'_simple_list_gotopage_fun({pages},"a208483GOPAGE",2)}}</script><input type="text" '
                 f'name="a208483GOPAGE" id="a208483GOPAGE" size="2" /></span><span class="p_t">页</span> '
                 f'<span class="p_goto"><a href="javascript:;" onclick="a208483_gopage_fun()">跳转</a></span></div>')
        content = (f'{self._left(TREE_A)}<div class="right"><h3>信息公开年报</h3>'
                   f'<script language="javascript" src="/system/resource/js/centerCutImg.js"></script>'
                   f'<ul class="list">\n{lis}\n</ul>{pager}</div>')
        return html_reply(self._shell(f"信息公开年报-{NAME}", self._crumbs(TREE_A), content))

    def column_b(self, ctx: Context) -> Reply:
        args = ctx.request.args()
        if args.get("wbtreeid") != str(TREE_B):
            return self.not_found(ctx)
        listed = self.list_b
        pages = -(-len(listed) // SIZE_B)
        size = SIZE_B
        page = min(max(as_int(args.get("a3p"), 1), 1), pages)
        rows = listed[(page - 1) * size:page * size]
        trs = "\n".join(
            f'<tr id="line{i}"><td width="85%"><a class="c208492" href="content.jsp?urltype=news.NewsContentUrl&amp;'
            f'wbtreeid={TREE_B}&amp;wbnewsid={r.docid}" target="_blank" title="{esc(r.title)}">{esc(r.title)}</a></td>'
            f'<td class="timestyle208492" width="15%">{r.published:%Y-%m-%d}</td></tr>' for i, r in enumerate(rows))

        def link(n: int, text: str) -> str:
            return f'<a href="{esc(b_page(n, pages))}" class="Next">{text}</a>'
        first = link(1, "首页") if page > 1 else "首页"
        prev = link(page - 1, "上页") if page > 1 else "上页"
        nxt = link(page + 1, "下页") if page < pages else "下页"
        last = link(pages, "尾页") if page < pages else "尾页"
        pager = (f'<table width="100%" cellspacing="0" cellpadding="0" border="0"><tr><td colspan="2" align="center">'
                 f'<table cellspacing="0" cellpadding="0" border="0"><tr><td nowrap="" width="1%">'
                 f'共{len(listed)}条&nbsp;&nbsp;{page}/{pages}&nbsp;</td><td nowrap="" align="left" width="1%">'
                 f'<div>{first}&nbsp;{prev}&nbsp;{nxt}&nbsp;{last}&nbsp;</div></td><td nowrap="" width="1%">'
                 f'&nbsp;转到第<input type="text" name="a208492turnpage" size="2" value="{page}">页&nbsp;'
                 f'<input type="button" value="转" onclick="_getBatch_fun_a208492_turn()"></td></tr></table></td></tr></table>')
        content = (f'{self._left(TREE_B)}<div class="right"><h3>部门信息公开年报</h3>'
                   f'<table class="winstyle208492" width="100%" cellspacing="0" cellpadding="0">\n{trs}\n</table>'
                   f'{pager}</div>')
        return html_reply(self._shell(f"部门信息公开年报-{NAME}", self._crumbs(TREE_B), content))

    # -- articles -----------------------------------------------------------------------------------

    def article(self, report: Report, tree: int, attachment: tuple[int, str] | None, ctx: Context) -> Reply:
        d = report.published
        if attachment is None:
            body = pieces_html(report, pieces(report), "vsb")
            files = ""
        else:
            fileid, name = attachment
            body = ""       # "0 字（仅附件）": the report is only the file
            files = (f'<ul style="list-style-type:none;"><li>附件【<a href="{esc(download_path(fileid))}" '
                     f'target="_blank">{esc(name)}</a>】已下载<span id="nattach{fileid}"><script language="javascript">'
                     f'getClickTimes({fileid},{OWNER},"wbnewsfile","attach")</script></span>次</li></ul>')
        content = f"""<div class="content">
<form name="_newscontent_fromname">
<div class="content-title"><h3>{esc(report.title)}</h3></div>
<div class="content-info">发布时间：{d:%Y年%m月%d日}&nbsp;&nbsp;来源：{esc(report.source)}&nbsp;&nbsp;点击数：<script>_showDynClicks("wbnews", {OWNER}, {report.docid})</script></div>
<div id="vsb_content_2"><div class="v_news_content">
{body}
</div></div>
<div id="div_vote_id"></div>
{files}
<div class="content-print"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
</form></div>"""
        return html_reply(self._shell(f"{report.title}-{NAME}", self._crumbs(tree) + " &gt;&gt; 正文", content))

    def content(self, ctx: Context) -> Reply:
        args = ctx.request.args()
        report = self.by_id_b.get(args.get("wbnewsid", "")) if args.get("wbtreeid") == str(TREE_B) else None
        if report is None:
            return self.not_found(ctx)
        return self.article(report, TREE_B, None, ctx)

    def download(self, ctx: Context) -> Reply:
        args = dict(parse_qsl(ctx.request.query))
        found = self.files.get(args.get("wbfileid", ""))
        if found is None or args.get("owner") != str(OWNER) or args.get("urltype") != "news.DownloadAttachUrl":
            return html_reply("<html><body><script>alert('文件不存在！');history.back();</script></body></html>",
                              status=404)
        report, kind, name = found
        data = F.make_pdf(report) if kind == "pdf" else F.make_docx(report)
        return download(data, name)

    # -- other pages --------------------------------------------------------------------------------

    def home(self, ctx: Context) -> Reply:
        content = ('<div class="index"><div class="news"><h3><a href="/zwdt.htm">政务动态</a></h3><ul>'
                   '<li><a href="/zwdt.htm">镇坪县召开2024年县域经济发展推进会</a></li>'
                   '<li><a href="/zwdt.htm">镇坪县开展春季森林防火专项检查</a></li></ul></div>'
                   '<div class="rk"><a href="/zwgk.htm">政务公开</a></div></div>')
        return html_reply(self._shell(NAME, '<a href="/index.htm">首页</a>', content))

    def hub(self, ctx: Context) -> Reply:
        content = (f'{self._left(0)}<div class="right"><ul class="zwgk_rk">'
                   f'<li><a href="zwgk/xxgkzn.htm">政府信息公开指南</a></li><li><a href="zwgk/zfxxgknb.htm">信息公开年报</a></li>'
                   f'<li><a href="{esc(COLUMN_B.lstrip("/"))}">部门信息公开年报</a></li></ul></div>')
        return html_reply(self._shell(f"政务公开-{NAME}", '<a href="/index.htm">首页</a> &gt;&gt; 政务公开', content))

    def stub(self, title: str, ctx: Context) -> Reply:
        return html_reply(self._shell(f"{title}-{NAME}", f'<a href="/index.htm">首页</a> &gt;&gt; {title}',
                                      f'<div class="right"><h3>{title}</h3><p>暂无信息</p></div>'))
