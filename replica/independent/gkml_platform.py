"""汉阴县人民政府 (陕西): the county's 政府信息公开目录 (disclosure catalogue) platform, a JSP application beside the
portal, whose 年报 category is listed by a POSTed HTML fragment.

Evidence:

- shared/reference/portals.md §3 (disclosure platforms whose lists arrive by script; the Anhui label API returning
  an HTML fragment; 索引号 metadata tables) and §4 (pager signals: ``pageNo``, ``pageSize``; ``共N条``);
- RSSHub's 绵竹市 route (code search: ``/info/iList.jsp?node_id=GKmzs&cat_id=15971&cur_page=1``): a county's
  catalogue as a JSP application with category ids (法定主动内容, 公示公告 …);
- JSP list pages in public code (find_string ``document.getElementById("pageNo").value``): ``function
  ChangePage(pagenum){ document.getElementById("pageNo").value=pagenum; document.info.submit(); }`` — a hidden
  ``pageNo`` field in a form that is posted; jQuery ``$.ajax({type:"POST", data:{pageNo, pageSize, …}})`` list
  loaders (Sigeu/website-system ``articleList109.jsp``: an empty ``#demoContent`` filled by a POST);
- zz210891470/cms ``queary.jsp`` (龙岩市, a JSP government site): ``$.post('subcolumn.htm?…&pageNo=1')`` fills the
  list, ``gopage(n)`` pages through the same call.

Variant exercised: portal ``/`` → 政务公开 ``/zwgk/`` → 政府信息公开目录 ``/xxgk/index.jsp`` (a left tree of catalogue
categories, ``/xxgk/catalog.jsp?catId=N``) → 政府信息公开年报 ``/xxgk/catalog.jsp?catId=1081``.  That page holds
an empty ``<tbody id="infoList">`` and a hidden form ``#pageForm`` (pageNo, pageSize=15, catId); on load and on
``goPage(n)`` the script sets pageNo and POSTs the form to ``/xxgk/infoList.jsp``, which answers ``<tr>`` rows
(索引号 / 名称 / 文号 / 发布日期) and a pager row with 共N条 and ``javascript:goPage(n)`` links.  Needs ``api``:
no list row and no count is in any page's HTML, only in the POSTed fragment.  One report is a PDF attachment
under a two-line page (``/xxgk/detail.jsp?infoId=…`` → ``/xxgk/upload/…pdf``).  The category lists a 信息公开指南,
a 工作要点 and an 编制通知 beside the reports.

Truth keys for the PDF report: ``raw_kind`` ``pdf``, ``raw_path``, ``variant`` ``pdf_attachment``.
"""

from __future__ import annotations

import hashlib
import random

from .. import documents as F
from ..fillers import County
from ..reports import Report, body_html
from ..server import Context, Reply, html_reply
from ..site import Site, assign_docids
from ._kit_a import lookalikes, town_and_dept_reports
from ._pieces_b import esc, statutory_footer
from ._pieces_c import as_int

NAME = "汉阴县人民政府"
REGION = "汉阴县"
DOMAIN = "www.hanyin.gov.cn"
SITE_CODE = "6109210001"
ADDRESS = "陕西省安康市汉阴县城关镇文化街21号"
COUNTY = County(
    REGION, NAME,
    ("城关镇", "涧池镇", "蒲溪镇", "平梁镇", "双乳镇", "铁佛寺镇", "汉阳镇", "双河口镇", "观音河镇", "漩涡镇"),
    ("发展和改革局", "教育体育局", "民政局", "财政局", "人力资源和社会保障局", "自然资源局", "住房和城乡建设局",
     "交通运输局", "水利局", "农业农村局", "卫生健康局", "应急管理局", "市场监督管理局", "统计局", "林业局"),
    "725100", "0915", f"http://{DOMAIN}", contacts=("沈明华", "吴晓丽", "陈德权", "周小芳", "吕建军"))
CAT = 1081
PAGE_SIZE = 15
ORG_CODE = "11610921016129411X"
TREE = ((1010, "政府信息公开指南", None), (1020, "政府信息公开制度", None), (1030, "法定主动公开内容", None),
        (1031, "机构职能", 1030), (1032, "政策文件", 1030), (1033, "财政信息", 1030), (1040, "依申请公开", None),
        (1080, "政府信息公开年报", None), (CAT, "政府信息公开工作年度报告", 1080))
COLUMN = f"/xxgk/catalog.jsp?catId={CAT}"


def detail(report: Report) -> str:
    return f"/xxgk/detail.jsp?infoId={report.docid}"


def index_no(report: Report) -> str:
    return f"{ORG_CODE}/{report.published:%Y}-{report.docid % 100000:05d}"


class GkmlPlatform(Site):
    name = "gkml_platform"
    title = NAME

    def __init__(self, scale: int = 1):
        super().__init__()
        rng = random.Random(f"gkml_platform-{scale}")
        towns, depts = town_and_dept_reports(f"gkml_platform-{scale}", COUNTY, 11 * scale, 17 * scale,
                                             range(2008, 2024))
        yaodian, bianzhi, guide, _fmt, _gongbao = lookalikes(COUNTY, ADDRESS, 2023)
        self.listed = [*towns, *depts, yaodian, bianzhi, guide]
        assign_docids(self.listed, rng, 40000)
        self.listed.sort(key=lambda r: (r.published, r.docid), reverse=True)
        self.by_id = {str(r.docid): r for r in self.listed}
        self.wenhao = {r.docid: (f"汉政办发〔{r.published.year}〕{rng.randint(3, 60)}号" if not r.is_report
                                 or rng.random() < 0.3 else "") for r in self.listed}
        self.pdfs: dict[str, Report] = {}
        self.pdf_of: dict[int, str] = {}
        tabled = [r for r in self.listed if r.is_report and r.figures]
        as_pdf = tabled[2]
        for report in self.listed:
            path = detail(report)
            if report is as_pdf:
                token = hashlib.sha1(f"gkml-{report.docid}".encode()).hexdigest()[:20]
                raw = f"/xxgk/upload/{report.published:%Y%m}/{token}.pdf"
                self.pdfs[raw] = report
                self.pdf_of[report.docid] = raw
                self.add_report(report, [path])
                self.truth[-1].update(raw_kind="pdf", raw_path=raw, variant="pdf_attachment")
            elif report.is_report:
                self.add_report(report, [path])
            else:
                self.add_lookalike(report, path)
        self.add_column(COLUMN, reports=sum(r.is_report for r in self.listed), stated=len(self.listed), needs="api",
                        note="rows only from POST /xxgk/infoList.jsp (pageNo, pageSize=15, catId) posted by the page's "
                             "script and by goPage(n); 共N条 is in the fragment's pager row")
        for path in ("/", "/index.html"):
            self.route(path, self.home)
        for path in ("/zwgk/", "/zwgk/index.html"):
            self.route(path, self.hub)
        self.route("/xxgk/", self.catalog_home)
        self.route("/xxgk/index.jsp", self.catalog_home)
        self.route("/xxgk/catalog.jsp", self.catalog)
        self.route("/xxgk/infoList.jsp", self.info_list)
        self.route("/xxgk/detail.jsp", self.detail)

    def dynamic(self, ctx: Context, path: str, query: str) -> Reply | None:
        report = self.pdfs.get(path)
        if report is None:
            return None
        return Reply(200, F.make_pdf(report), "application/pdf")

    # -- chrome -------------------------------------------------------------------------------------

    def _page(self, title: str, crumbs: str, content: str, tail: str = "") -> Reply:
        return html_reply(f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><meta http-equiv="X-UA-Compatible" content="IE=edge">
<title>{esc(title)}</title>
<meta name="SiteName" content="{NAME}"><meta name="SiteDomain" content="{DOMAIN}"><meta name="SiteIDCode" content="{SITE_CODE}">
<link rel="stylesheet" href="/xxgk/css/gkml.css"><script src="/xxgk/js/jquery-1.8.3.min.js"></script>
</head><body>
<div class="gkml-head"><div class="w1200"><a href="/"><img src="/xxgk/images/gkml_logo.png" alt="{NAME}政府信息公开"></a>
<span class="gkml-name">政府信息公开</span><a href="/" class="back">返回门户首页</a></div></div>
<div class="w1200 pos">当前位置：{crumbs}</div>
<div class="w1200 gkml-main">
{content}
</div>
{statutory_footer(host_org=f"{NAME}办公室", site_code=SITE_CODE, icp="陕ICP备05009921号",
                  police="陕公网安备 61092102000104号", address=ADDRESS, phone="0915-5212345")}
{tail}
</body></html>""")

    def _tree(self, current: int) -> str:
        out = []
        for cat, label, parent in TREE:
            cls = ' class="on"' if cat == current else ""
            indent = ' style="padding-left:2em"' if parent else ""
            out.append(f'<li id="tree_{cat}"{cls}{indent}><a href="/xxgk/catalog.jsp?catId={cat}">{label}</a></li>')
        return f'<div class="gkml-left"><div class="tit">公开目录</div><ul class="ztree" id="catTree">{"".join(out)}</ul></div>'

    def _crumbs(self, *more: tuple[str, str]) -> str:
        parts = ['<a href="/">首页</a>', '<a href="/zwgk/">政务公开</a>', '<a href="/xxgk/index.jsp">政府信息公开目录</a>']
        parts += [f'<a href="{esc(h)}">{esc(t)}</a>' for h, t in more]
        return " &gt; ".join(parts)

    # -- portal ------------------------------------------------------------------------------------

    def home(self, ctx: Context) -> Reply:
        content = ('<div class="home"><div class="news"><h3>汉阴要闻</h3><ul>'
                   '<li><a href="/zwgk/">汉阴县召开2024年经济工作推进会</a></li></ul></div>'
                   '<div class="rk"><a href="/zwgk/">政务公开</a> <a href="/xxgk/index.jsp">政府信息公开目录</a></div></div>')
        return self._page(NAME, '<a href="/">首页</a>', content)

    def hub(self, ctx: Context) -> Reply:
        content = ('<div class="zwgk"><ul><li><a href="/xxgk/index.jsp">政府信息公开目录</a></li>'
                   '<li><a href="/xxgk/catalog.jsp?catId=1010">政府信息公开指南</a></li>'
                   f'<li><a href="{COLUMN}">政府信息公开年报</a></li></ul></div>')
        return self._page(f"政务公开_{NAME}", '<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a>', content)

    def catalog_home(self, ctx: Context) -> Reply:
        content = (f'{self._tree(0)}<div class="gkml-right"><div class="tit">政府信息公开目录</div>'
                   '<p>请在左侧目录中选择信息类别。</p></div>')
        return self._page(f"政府信息公开目录_{NAME}", self._crumbs(), content)

    def catalog(self, ctx: Context) -> Reply:
        cat = as_int(ctx.request.args().get("catId"), 0)
        labels = {c: t for c, t, _ in TREE}
        if cat not in labels:
            return self.not_found(ctx)
        tail = ""
        if cat == CAT:
            right = f"""<div class="gkml-right"><div class="tit">{labels[cat]}</div>
<form id="pageForm" name="pageForm" method="post" action="/xxgk/infoList.jsp">
<input type="hidden" name="pageNo" id="pageNo" value="1">
<input type="hidden" name="pageSize" id="pageSize" value="{PAGE_SIZE}">
<input type="hidden" name="catId" id="catId" value="{cat}">
</form>
<table class="gkml-table" width="100%" cellspacing="0" cellpadding="0">
<thead><tr><th width="22%">索引号</th><th>名称</th><th width="18%">文号</th><th width="12%">发布日期</th></tr></thead>
<tbody id="infoList"><tr><td colspan="4" class="loading">数据加载中……</td></tr></tbody>
</table></div>"""
            tail = """<script type="text/javascript">
function loadList() {
    $.ajax({
        type: "POST",
        url: $("#pageForm").attr("action"),
        data: $("#pageForm").serialize(),
        dataType: "html",
        success: function (html) { $("#infoList").html(html); }
    });
}
function goPage(n) {
    document.getElementById("pageNo").value = n;
    loadList();
}
$(function () { loadList(); });
</script>"""
        else:
            right = f'<div class="gkml-right"><div class="tit">{labels[cat]}</div><p class="nodata">暂无信息</p></div>'
        return self._page(f"{labels[cat]}_{NAME}", self._crumbs((f"/xxgk/catalog.jsp?catId={cat}", labels[cat])),
                          self._tree(cat) + right, tail)

    def info_list(self, ctx: Context) -> Reply:
        """The list servlet: request.getParameter reads the POST body or the query string alike."""
        params = {**ctx.request.args(), **(ctx.request.form() if ctx.request.method == "POST" else {})}
        listed = self.listed if as_int(params.get("catId"), 0) == CAT else []
        if not listed:
            return html_reply('<tr><td colspan="4" class="nodata">暂无信息</td></tr>')
        size = min(max(as_int(params.get("pageSize"), PAGE_SIZE), 1), 50)
        pages = -(-len(listed) // size)
        page = min(max(as_int(params.get("pageNo"), 1), 1), pages)
        rows = listed[(page - 1) * size:page * size]
        trs = "\n".join(
            f'<tr><td>{index_no(r)}</td><td class="mc"><a href="{detail(r)}" target="_blank" title="{esc(r.title)}">'
            f'{esc(r.title)}</a></td><td>{esc(self.wenhao[r.docid])}</td><td>{r.published:%Y-%m-%d}</td></tr>'
            for r in rows)

        def go(n: int, text: str) -> str:
            return f'<a href="javascript:goPage({n})">{text}</a>'
        bar = [f"共{len(listed)}条", f"第{page}/{pages}页"]
        bar += [go(1, "首页"), go(page - 1, "上一页")] if page > 1 else ["首页", "上一页"]
        bar += [go(page + 1, "下一页"), go(pages, "尾页")] if page < pages else ["下一页", "尾页"]
        return html_reply(f'{trs}\n<tr class="pager"><td colspan="4" align="center">{"&nbsp;".join(bar)}</td></tr>')

    def detail(self, ctx: Context) -> Reply:
        report = self.by_id.get(ctx.request.args().get("infoId", ""))
        if report is None:
            return self.not_found(ctx)
        d = report.published
        raw = self.pdf_of.get(report.docid)
        if raw:
            body = (f'<p style="text-indent:2em;">现将《{esc(report.title)}》予以公开，详见附件。</p>\n'
                    f'<div class="fujian"><p>附件：</p><p><a href="{raw}" target="_blank">{esc(report.title)}.pdf</a></p></div>')
        else:
            body = body_html(report, "trs")
        content = f"""{self._tree(CAT)}<div class="gkml-right"><div class="detail">
<table class="xxgk-meta" width="100%" cellspacing="0" cellpadding="0"><tbody>
<tr><th>索引号：</th><td>{index_no(report)}</td><th>信息分类：</th><td>政府信息公开年报</td></tr>
<tr><th>发布机构：</th><td>{esc(report.source)}</td><th>发布日期：</th><td>{d:%Y-%m-%d}</td></tr>
<tr><th>名　　称：</th><td colspan="3">{esc(report.title)}</td></tr>
<tr><th>文　　号：</th><td>{esc(self.wenhao[report.docid])}</td><th>时 效 性：</th><td>有效</td></tr></tbody></table>
<h1 class="title">{esc(report.title)}</h1>
<div class="content" id="zoom">
{body}
</div>
<div class="tools"><a href="javascript:window.print()">打印</a> <a href="javascript:window.close()">关闭</a></div>
</div></div>"""
        return self._page(f"{report.title}_{NAME}", self._crumbs((COLUMN, "政府信息公开工作年度报告")), content)
