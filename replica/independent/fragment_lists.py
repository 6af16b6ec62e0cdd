"""泾县人民政府 (安徽): an Anhui 集约化 disclosure platform whose column lists arrive by script as HTML fragments.

Evidence:
- shared/reference/portals.md §3 "Anhui 集约化 label API": ``/site/label/8888?IsAjax=1&dataType=html&labelName=
  publicInfoList&siteId=…&pageSize=15&pageIndex=N&action=list&isDate=true&dateFormat=yyyy-MM-dd&length=50&
  organId=…&type=4&catId=…&result=暂无相关信息&file=/xxgk/publicInfoList_newest2020`` returning an HTML fragment,
  details at ``/public/<organId>/<id>.html``;
- public scrapers of www.ah.gov.cn, mpa.ah.gov.cn, slt.ah.gov.cn, sthjt.ah.gov.cn in the code corpus: the column
  page ``/public/column/<organId>?type=4&action=list&nav=&sub=&catId=…`` carries ``pageCount:N``; the fragment's
  rows are ``div.xxgk_navli`` with ``a[title]`` and ``span.date``; requests add a ``_=0.5169706870968473``
  cache-buster;
- zz210891470/cms ``cms1/WebRoot/queary.jsp`` (龙岩市重点项目开发建设管理办公室, a JSP government site): the page holds
  an empty ``#main`` that ``$.post('subcolumn.htm?loc=…&pageNo=1')`` fills with the list's HTML, ``gopage(n)`` pages
  it through the same call, and the header and footer are ``<iframe>``s;
- the task brief's ``$("#list").load(...)`` / ``fetch(...).then(r => r.text())`` idioms, and 加载更多 buttons.

Variant exercised (three report columns under 政务公开 → 政府信息公开 → 政府信息公开年报):
- 县政府及部门年报 (catId 7180011): the column page holds an empty ``#xxgk_lmcon`` that
  ``$("#xxgk_lmcon").load(url + "&_=" + Math.random())`` fills from the label API; the fragment prints
  共N条 and pages through the same endpoint (``pageIndex`` links in the fragment): needs ``api``.
- 部门年报（续） (catId 7180021): the list is framed in an ``<iframe src="/xxgk/listFrame.jsp?catId=…&page=0">``,
  pages numbered from 0, the pager a ``<select onchange="location.href=this.value">`` whose option values are the
  page URLs; 共N条 printed: needs ``static``.
- 乡镇政府信息公开年报 (catId 7180031): server-rendered first 10 rows of 共35条; the rest only through the
  加载更多 button, whose handler assembles ``/xxgk/` + `moreInfo.jsp?…pageNo=N`` at click time and appends what
  ``fetch(...).then(r => r.text())`` returns: needs ``browser``.

Column ``stated`` is the 共N条 each prints (reports and look-alikes together); ``reports`` counts report entries.
"""

from __future__ import annotations

import random
from functools import partial
from urllib.parse import urlencode

from ..fillers import County
from ..reports import Report, body_html
from ..server import Context, Reply, html_reply
from ..site import Site, assign_docids
from ._kit_a import cut, esc, gov_footer, lookalikes, town_and_dept_reports

NAME = "泾县人民政府"
SITE_CODE = "3418230001"
ICP = "皖ICP备05009611号"
POLICE = "皖公网安备 34182302000103号"
ADDRESS = "安徽省宣城市泾县泾川镇城西路8号"
PHONE = "0563-5022345"
COUNTY = County(
    "泾县", NAME,
    ("泾川镇", "茂林镇", "榔桥镇", "桃花潭镇", "丁家桥镇", "云岭镇", "琴溪镇", "蔡村镇", "汀溪乡", "黄村镇",
     "昌桥乡"),
    ("发展和改革委员会", "教育体育局", "科学技术局", "经济和信息化局", "民政局", "司法局", "财政局",
     "人力资源和社会保障局", "自然资源和规划局", "住房和城乡建设局", "交通运输局", "水利局", "农业农村局",
     "商务局", "文化旅游体育局", "卫生健康委员会", "应急管理局", "审计局", "市场监督管理局", "统计局", "林业局",
     "医疗保障局"),
    "242500", "0563", "http://www.ahjx.gov.cn", contacts=("汪建华", "查丽萍", "胡志勇", "吴晓红", "王德胜"))

ORGAN = 6616001
SITE_ID = 35548711
CAT_A, CAT_B, CAT_C = 7180011, 7180021, 7180031
CAT_HUB = 7180001
PAGE_A = 15
PAGE_B = 12
FIRST_C, MORE_C = 10, 10
LABELS = {CAT_A: "县政府及部门年报", CAT_B: "部门年报（续）", CAT_C: "乡镇政府信息公开年报"}


def column_path(cat: int) -> str:
    return f"/public/column/{ORGAN}?type=4&action=list&nav=3&sub=&catId={cat}"


def label_query(cat: int, page: int) -> str:
    return urlencode([("IsAjax", "1"), ("dataType", "html"), ("labelName", "publicInfoList"), ("siteId", SITE_ID),
                      ("pageSize", PAGE_A), ("pageIndex", page), ("action", "list"), ("isDate", "true"),
                      ("dateFormat", "yyyy-MM-dd"), ("length", "50"), ("organId", ORGAN), ("type", "4"),
                      ("catId", cat), ("cId", ""), ("result", "暂无相关信息"),
                      ("file", "/c1/jx/publicInfoList_newest2020")])


def detail_path(report: Report) -> str:
    return f"/public/{ORGAN}/{report.docid}.html"


def frame_path(cat: int, page: int) -> str:
    return f"/xxgk/listFrame.jsp?catId={cat}&page={page}"


def row(report: Report, n: int) -> str:
    return (f'<div class="xxgk_navli"><span class="xh">{n}</span><a href="{detail_path(report)}" target="_blank" '
            f'title="{esc(report.title)}">{esc(cut(report.title, 36))}</a><span class="date">{report.published:%Y-%m-%d}'
            f'</span></div>')


# A few jQuery calls the pages make, written for this site: ready, load (fragment into an element), on (direct
# and delegated click), append, data.
JQ_JS = r"""(function(w){function Q(n){this.n=n;}
Q.prototype.each=function(f){this.n.forEach(function(e,i){f.call(e,i,e);});return this;};
Q.prototype.load=function(url,cb){var self=this;fetch(url,{headers:{"X-Requested-With":"XMLHttpRequest"}}).then(function(r){return r.text();})
.then(function(t){self.each(function(){this.innerHTML=t;});if(cb)cb(t);});return this;};
Q.prototype.append=function(h){return this.each(function(){this.insertAdjacentHTML("beforeend",h);});};
Q.prototype.hide=function(){return this.each(function(){this.style.display="none";});};
Q.prototype.data=function(k){return this.n[0]?this.n[0].getAttribute("data-"+k):null;};
Q.prototype.on=function(ev,sel,f){if(!f){f=sel;sel=null;}return this.each(function(){var el=this;el.addEventListener(ev,function(e){
if(!sel)return f.call(el,e);var t=e.target.closest(sel);if(t&&el.contains(t))return f.call(t,e);});});};
function $(a){if(typeof a==="function"){if(document.readyState==="loading")document.addEventListener("DOMContentLoaded",a);else setTimeout(a,0);return;}
return new Q(typeof a==="string"?Array.prototype.slice.call(document.querySelectorAll(a)):[a]);}
w.$=w.jQuery=$;})(window);
"""


class FragmentLists(Site):
    name = "fragment_lists"
    title = NAME

    def __init__(self, scale: int = 1):
        super().__init__()
        rng = random.Random(f"fragment_lists-{scale}")
        towns, depts = town_and_dept_reports(f"fragment_lists-{scale}", COUNTY, 35 * scale - 2, 44 * scale,
                                             range(2008, 2024))
        yaodian, bianzhi, guide, fmt, gongbao = lookalikes(COUNTY, ADDRESS, 2023)
        first_half = set(COUNTY.departments[:11])
        in_a = [r for r in depts if r.agency.removeprefix(COUNTY.region) in first_half]
        in_b = [r for r in depts if r not in in_a]
        self.lists = {CAT_A: [*in_a, yaodian, fmt], CAT_B: [*in_b, guide], CAT_C: [*towns, bianzhi, gongbao]}
        # the hidden column shows 10 of 共35条 at scale 1 (at large scales the county runs out of town-year pairs)
        assign_docids([r for rs in self.lists.values() for r in rs], rng, 71800000)
        for cat, listed in self.lists.items():
            listed.sort(key=lambda r: (r.published, r.docid), reverse=True)
            for report in listed:
                path = detail_path(report)
                self.route(path, partial(self.detail, report, cat))
                if report.is_report:
                    self.add_report(report, [path])
                else:
                    self.add_lookalike(report, path)
        n = {cat: sum(r.is_report for r in rs) for cat, rs in self.lists.items()}
        self.add_column(column_path(CAT_A), reports=n[CAT_A], stated=len(self.lists[CAT_A]), needs="api",
                        note="$('#xxgk_lmcon').load(/site/label/8888?…pageIndex=1) HTML fragment with 共N条 and "
                             "pageIndex links to the same endpoint")
        self.add_column(column_path(CAT_B), reports=n[CAT_B], stated=len(self.lists[CAT_B]), needs="static",
                        note="list in an <iframe> (listFrame.jsp?page=0), 0-based pages behind a <select> whose "
                             "option values are the page URLs")
        self.add_column(column_path(CAT_C), reports=n[CAT_C], stated=len(self.lists[CAT_C]), needs="browser",
                        note=f"first {FIRST_C} rows in the HTML of 共{len(self.lists[CAT_C])}条; the rest only via the "
                             "加载更多 button, endpoint (/xxgk/moreInfo.jsp?catId&pageNo&size) assembled at click time")

        self.route("/", self.home)
        self.route("/index.html", self.home)
        self.route(f"/public/column/{ORGAN}", self.column)
        self.route("/site/label/8888", self.label)
        self.route("/xxgk/listFrame.jsp", self.frame)
        self.route("/xxgk/moreInfo.jsp", self.more)
        self.route("/assets/js/jquery.min.js", lambda ctx: Reply(200, JQ_JS.encode(), "application/javascript"))

    # -- endpoints --------------------------------------------------------------------------------

    def _int(self, value: str | None, default: int) -> int:
        try:
            return int(value) if value else default
        except ValueError:
            return default

    def label(self, ctx: Context) -> Reply:
        """The label API's publicInfoList fragment: rows, 共N条, and links to the other pageIndex values."""
        args = ctx.request.args()
        cat = self._int(args.get("catId"), 0)
        listed = self.lists.get(cat, []) if args.get("labelName") == "publicInfoList" else []
        size = max(self._int(args.get("pageSize"), PAGE_A), 1)
        page = max(self._int(args.get("pageIndex"), 1), 1)
        rows = listed[(page - 1) * size:page * size]
        if not rows:
            return html_reply(f'<div class="xxgk_nav_con"><div class="no-data">{esc(args.get("result", "暂无相关信息"))}</div></div>')
        pages = -(-len(listed) // size)
        body = "\n".join(row(r, (page - 1) * size + i + 1) for i, r in enumerate(rows))

        def link(p: int, text: str) -> str:
            return f'<a href="/site/label/8888?{label_query(cat, p)}" class="pagination-index">{text}</a>'
        bar = [f'<span class="total">共{len(listed)}条</span>', f'<span class="page-info">{page}/{pages}页</span>']
        if page > 1:
            bar += [link(1, "首页"), link(page - 1, "上一页")]
        bar += [f'<b>{p}</b>' if p == page else link(p, str(p)) for p in range(1, pages + 1)]
        if page < pages:
            bar += [link(page + 1, "下一页"), link(pages, "尾页")]
        return html_reply(f'<div class="xxgk_nav_con">\n{body}\n</div>\n<div class="pagination" data-pagecount="{pages}">'
                          + " ".join(bar) + "</div>")

    def frame(self, ctx: Context) -> Reply:
        args = ctx.request.args()
        cat = self._int(args.get("catId"), 0)
        listed = self.lists.get(cat, [])
        pages = max(-(-len(listed) // PAGE_B), 1)
        page = min(max(self._int(args.get("page"), 0), 0), pages - 1)     # pages count from 0
        rows = listed[page * PAGE_B:(page + 1) * PAGE_B]
        lis = "\n".join(f'<tr><td class="xh">{page * PAGE_B + i + 1}</td><td class="bt"><a href="{detail_path(r)}" '
                        f'target="_blank" title="{esc(r.title)}">{esc(cut(r.title, 34))}</a></td>'
                        f'<td class="rq">{r.published:%Y-%m-%d}</td></tr>' for i, r in enumerate(rows))
        options = "".join(f'<option value="{frame_path(cat, p)}"{" selected" if p == page else ""}>第{p + 1}页</option>'
                          for p in range(pages))
        html = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{LABELS.get(cat, "")}</title><link rel="stylesheet" href="/assets/css/frame.css">
<base target="_top"></head>
<body class="list-frame">
<table class="gk-table" width="100%"><thead><tr><th>序号</th><th>标题</th><th>发布日期</th></tr></thead><tbody>
{lis}
</tbody></table>
<div class="pager">共{len(listed)}条 第{page + 1}/{pages}页 跳转到
<select name="page" onchange="location.href=this.value">{options}</select></div>
</body></html>"""
        return html_reply(html)

    def more(self, ctx: Context) -> Reply:
        args = ctx.request.args()
        cat = self._int(args.get("catId"), 0)
        listed = self.lists.get(cat, [])
        size = max(self._int(args.get("size"), MORE_C), 1)
        page = max(self._int(args.get("pageNo"), 2), 1)
        start = FIRST_C + (page - 2) * size if page > 1 else 0
        rows = listed[start:start + (size if page > 1 else FIRST_C)]
        return html_reply("\n".join(f'<li><a href="{detail_path(r)}" target="_blank" title="{esc(r.title)}">'
                                    f'{esc(cut(r.title, 36))}</a><span class="date">{r.published:%Y-%m-%d}</span></li>'
                                    for r in rows))

    # -- pages ------------------------------------------------------------------------------------

    def _page(self, title: str, crumbs: list[tuple[str, str]], content: str, head: str = "", tail: str = "") -> str:
        crumb = "".join(f' &gt; <a href="{esc(h)}">{esc(t)}</a>' for h, t in crumbs)
        return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="SiteName" content="{NAME}">
<meta name="SiteDomain" content="www.ahjx.gov.cn">
<meta name="SiteIDCode" content="{SITE_CODE}">
<meta name="SiteId" content="{SITE_ID}">
{head}
<title>{esc(title)}</title>
<link rel="stylesheet" href="/assets/css/xxgk.css">
<script src="/assets/js/jquery.min.js"></script>
</head>
<body>
<div class="header"><div class="container"><a href="/" class="logo"><img src="/assets/images/logo.png" alt="{NAME}"></a>
<div class="top-links"><a href="javascript:;" id="jx-wza">无障碍</a> <a href="javascript:;">长者模式</a> <a href="/site/search/{SITE_ID}">搜索</a></div></div></div>
<div class="navbar"><div class="container"><a href="/">首页</a><a href="/zwgk/index.html">政务公开</a><a href="/zwfw/index.html">政务服务</a><a href="/hdjl/index.html">互动交流</a></div></div>
<div class="container main">
<div class="wz">当前位置：<a href="/">首页</a>{crumb}</div>
{content}
</div>
{gov_footer(NAME, "泾县人民政府办公室", SITE_CODE, ICP, POLICE, ADDRESS, PHONE)}
{tail}
</body>
</html>
"""

    def _tree(self, current: int) -> str:
        cats = [(CAT_HUB, "政府信息公开年报"), *LABELS.items()]
        lis = "".join(f'<li class="{"on" if c == current else ""}"><a href="{esc(column_path(c))}">{t}</a></li>' for c, t in cats)
        return (f'<div class="xxgk-left"><div class="tit">政府信息公开</div><ul>'
                f'<li><a href="{esc(column_path(7170001))}">政府信息公开指南</a></li>'
                f'<li><a href="{esc(column_path(7170002))}">政府信息公开制度</a></li>'
                f'<li><a href="{esc(column_path(7170003))}">法定主动公开内容</a></li>{lis}</ul></div>')

    def column(self, ctx: Context) -> Reply:
        args = ctx.request.args()
        cat = self._int(args.get("catId"), 0)
        crumbs = [("/zwgk/index.html", "政务公开"), (f"/public/column/{ORGAN}?type=4&action=index", "政府信息公开")]
        if cat in LABELS:
            crumbs += [(column_path(CAT_HUB), "政府信息公开年报"), (column_path(cat), LABELS[cat])]
        elif cat == CAT_HUB:
            crumbs.append((column_path(CAT_HUB), "政府信息公开年报"))
        head, tail = f'<meta name="ColumnName" content="{LABELS.get(cat, "政府信息公开")}">', ""
        if cat == CAT_A:
            listed = self.lists[CAT_A]
            right = (f'<div class="xxgk-right"><div class="tit">{LABELS[cat]}</div><div id="xxgk_lmcon" class="xxgk_lmcon">'
                     '<div class="loading">正在加载...</div></div></div>')
            tail = f"""<script>
var pageCount = {-(-len(listed) // PAGE_A)};
$(function () {{
    var url = "/site/label/8888?{label_query(CAT_A, 1)}";
    $("#xxgk_lmcon").load(url + "&_=" + Math.random());
    // the fragment's pager loads its pages into the same box
    $("#xxgk_lmcon").on("click", "a.pagination-index", function (e) {{
        e.preventDefault();
        $("#xxgk_lmcon").load(this.getAttribute("href") + "&_=" + Math.random());
    }});
}});
</script>"""
        elif cat == CAT_B:
            right = (f'<div class="xxgk-right"><div class="tit">{LABELS[cat]}</div>'
                     f'<iframe id="listFrame" name="listFrame" src="{frame_path(CAT_B, 0)}" width="100%" height="620" '
                     'frameborder="0" scrolling="no"></iframe></div>')
        elif cat == CAT_C:
            listed = self.lists[CAT_C]
            lis = "\n".join(f'<li><a href="{detail_path(r)}" target="_blank" title="{esc(r.title)}">{esc(cut(r.title, 36))}'
                            f'</a><span class="date">{r.published:%Y-%m-%d}</span></li>' for r in listed[:FIRST_C])
            right = f"""<div class="xxgk-right"><div class="tit">{LABELS[cat]}</div>
<ul class="xxgk-list" id="moreList">
{lis}
</ul>
<div class="list-foot"><span>共{len(listed)}条</span> <a href="javascript:;" class="load-more" id="loadMore" data-cat="{CAT_C}" data-size="{MORE_C}" data-total="{len(listed)}">加载更多</a></div>
</div>"""
            tail = """<script>
$(function () {
    var pageNo = 1;
    $("#loadMore").on("click", function () {
        var btn = $(this), shown = document.querySelectorAll("#moreList li").length;
        pageNo += 1;
        var api = ["", "xxgk", "moreInfo"].join("/") + ".jsp";
        var query = "catId=" + btn.data("cat") + "&pageNo=" + pageNo + "&size=" + btn.data("size");
        fetch(api + "?" + query).then(r => r.text()).then(function (html) {
            $("#moreList").append(html);
            if (shown + Number(btn.data("size")) >= Number(btn.data("total"))) btn.hide();
        });
    });
});
</script>"""
        elif cat == CAT_HUB:
            lis = "".join(f'<li><a href="{esc(column_path(c))}">{t}</a></li>' for c, t in LABELS.items())
            right = f'<div class="xxgk-right"><div class="tit">政府信息公开年报</div><ul class="sub-cats">{lis}</ul></div>'
        elif args.get("action") == "index" or cat:
            right = '<div class="xxgk-right"><div class="no-data">暂无相关信息</div></div>'
        else:
            return self.not_found(ctx)
        return html_reply(self._page(f"{LABELS.get(cat, '政府信息公开')}_{NAME}", crumbs, self._tree(cat) + right, head, tail))

    def detail(self, report: Report, cat: int, ctx: Context) -> Reply:
        d = report.published
        content = f"""<div class="gzk-article">
<table class="table_suoyin"><tbody>
<tr><th>索引号：</th><td>{ORGAN}/{d.year}-{report.docid % 100000:05d}</td><th>信息分类：</th><td>政府信息公开年报</td></tr>
<tr><th>发布机构：</th><td>{esc(report.source)}</td><th>生成日期：</th><td>{d:%Y-%m-%d}</td></tr>
<tr><th>名称：</th><td colspan="3">{esc(report.title)}</td></tr></tbody></table>
<h1 class="newstitle">{esc(report.title)}</h1>
<div class="newsinfo">发布时间：{d:%Y-%m-%d} 15:{report.docid % 60:02d}　来源：{esc(report.source)}　浏览次数：<span id="hits"></span>
　字体：[<a href="javascript:;" class="j-fontBig">大</a> <a href="javascript:;" class="j-fontNormal">中</a> <a href="javascript:;" class="j-fontSmall">小</a>]</div>
<div class="j-fontContent newscontent" id="zoom">
{body_html(report, "trs")}
</div>
<div class="newsbottom"><a href="javascript:window.print();">打印</a> <a href="javascript:window.close();">关闭</a></div>
</div>"""
        crumbs = [("/zwgk/index.html", "政务公开"), (column_path(CAT_HUB), "政府信息公开年报"), (column_path(cat), LABELS[cat])]
        head = (f'<meta name="ArticleTitle" content="{esc(report.title)}">\n<meta name="PubDate" content="{d:%Y-%m-%d} 15:00">\n'
                f'<meta name="ContentSource" content="{esc(report.source)}">\n<meta name="ColumnName" content="{LABELS[cat]}">')
        return html_reply(self._page(f"{report.title}_{NAME}", crumbs, content, head))

    def home(self, ctx: Context) -> Reply:
        news = (("泾县召开2024年一季度经济运行调度会", "03-15"), ("泾县宣纸文化园获评省级文化产业示范基地", "03-09"),
                ("泾县部署春季森林防火工作", "03-04"))
        lis = "".join(f'<li><a href="/zwgk/index.html">{t}</a><span>{d}</span></li>' for t, d in news)
        content = (f'<div class="home-news"><div class="tit">泾县要闻</div><ul>{lis}</ul></div>'
                   f'<div class="home-gk"><a href="/zwgk/index.html">政务公开</a></div>')
        return html_reply(self._page(NAME, [], content).replace('<div class="wz">当前位置：<a href="/">首页</a></div>', ""))

    def dynamic(self, ctx: Context, path: str, query: str) -> Reply | None:
        if path == "/zwgk/index.html":
            links = (("政府信息公开", f"/public/column/{ORGAN}?type=4&action=index"), ("政府信息公开指南", column_path(7170001)),
                     ("政府信息公开年报", column_path(CAT_HUB)), ("重点领域信息公开", column_path(7170010)))
            lis = "".join(f'<li><a href="{esc(h)}">{t}</a></li>' for t, h in links)
            return html_reply(self._page(f"政务公开_{NAME}", [("/zwgk/index.html", "政务公开")],
                                         f'<div class="zwgk-hub"><ul>{lis}</ul></div>'))
        return None
