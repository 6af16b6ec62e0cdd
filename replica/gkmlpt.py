"""新兴县人民政府 (广东): report columns that plain HTML does not show, rendered in the browser from JSON.

Two list front ends, two JSON shapes, one site:

- 政府信息公开目录 (Guangdong gkmlpt): ``/gkmlpt/index`` is an empty ``<div id="app">`` shell with
  ``window._CONFIG`` (SID, column TREE) and an inline script; the column is the URL fragment
  (``/gkmlpt/index#2381`` = 政府信息公开年报, no fragment = 全部).  The script fetches

      GET /gkmlpt/api/all/<classify id>?page=N&sid=766021

  → ``{"classify": {...}, "articles": [{"id", "title", "url": "http://<host>/gkmlpt/content/1/1523/post_1523456.html#2381",
  "first_publish_time", "display_publish_time", "date", "created_at", "publisher", "identifier", ...}], "total": T}``.
  Real gd.gov.cn answers 100 records per API page and shows five 20-row screens from it; here an API
  page is one 20-row screen, so every 下一页 is a new API call (the parameters and fields are the real
  ones).  ``page`` below 1 counts as 1 (as a Laravel paginator does); past the end, ``articles`` is
  empty.  A missing or foreign ``sid`` finds nothing (total 0); an unknown classify id is a 404 JSON.
  Articles (``/gkmlpt/content/…/post_<id>.html``) are server-rendered HTML.

- 部门信息公开年报 (a 集约化 platform's search service): ``/zwgk/bmnb/index.html`` renders through
  XMLHttpRequest from

      GET /common/search/<32-hex channel>?_isAgg=true&_isJson=true&_pageSize=15&_template=index&_rangeTimeGte=&_channelName=&page=N

  → ``{"data": {"total", "page", "rows", "results": [{"title", "url": "//<host>/xxgk/c104876/c<docid>/content.shtml",
  "publishedTimeStr", "memo", ...}]}, "ok": true, "msg": "操作成功"}``; 1-based pages, ``_pageSize`` up to
  100; ``_isJson=false`` answers the same window as an HTML fragment of ``<li>`` rows.

Each report sits in exactly one of the two columns (towns and the county government in the first,
departments in the second).  Truth: a ``js_listing`` entry per shell page.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
from functools import partial
from urllib.parse import parse_qsl

from . import templates as T
from .fillers import County, filler_reports
from .news import news_items
from .reports import Report, body_html, load_blocks
from .server import Context, Reply, html_reply
from .site import Site, assign_docids

PORTAL = T.Portal("新兴县人民政府", "www.xinxing.gov.cn", "4453210001", "粤ICP备05087416号",
                  "粤公网安备 44532102000015号", "新兴县人民政府办公室", "广东省云浮市新兴县新城镇东堤北路1号",
                  "0766-2882345")
REGION, GOVERNMENT = "新兴县", "新兴县人民政府"
TOWNS = County(REGION, GOVERNMENT, ("新城镇", "车岗镇", "水台镇", "稔村镇", "东成镇", "太平镇", "六祖镇", "天堂镇",
                                    "簕竹镇", "河头镇", "里洞镇", "大江镇"), (), "527400", "0766",
               "http://www.xinxing.gov.cn")
DEPARTMENTS = County(REGION, GOVERNMENT, (), (
    "发展和改革局", "教育局", "科学技术局", "工业和信息化局", "民政局", "司法局", "财政局", "人力资源和社会保障局",
    "自然资源局", "住房和城乡建设局", "交通运输局", "水务局", "农业农村局", "文化广电旅游体育局", "卫生健康局",
    "退役军人事务局", "应急管理局", "审计局", "市场监督管理局", "统计局", "医疗保障局"), "527400", "0766",
    "http://www.xinxing.gov.cn")

SID = "766021"
ALL, REPORTS_COL, GUIDE_COL, YAODIAN_COL, POLICY_COL = 0, 2381, 2376, 2378, 2374
TREE = [  # (id, name, parent)
    (2370, "政府信息公开", 0), (2371, "机构职能", 2370), (POLICY_COL, "政策文件", 2370),
    (GUIDE_COL, "政府信息公开指南", 2370), (YAODIAN_COL, "政务公开工作要点", 2370),
    (REPORTS_COL, "政府信息公开年报", 2370),
]
API_PAGE = 20
CHANNEL = "5b8f2e0c9d4a4e71a3c6f1b2d7e9a840"
CHANNEL_NAME = "部门信息公开年报"
CHANNEL_COL = 104876
SEARCH_PAGE, SEARCH_MAX = 15, 100
SHELL = "/gkmlpt/index"
BEIJING = dt.timezone(dt.timedelta(hours=8))
BMNB = "/zwgk/bmnb/index.html"


def post_path(docid: int) -> str:
    """gkmlpt article path: /gkmlpt/content/<id // 1e6>/<id // 1e3>/post_<id>.html."""
    return f"/gkmlpt/content/{docid // 1000000}/{docid // 1000}/post_{docid}.html"


def content_path(docid: int) -> str:
    return f"/xxgk/c{CHANNEL_COL}/c{docid}/content.shtml"


def epoch(day: dt.date, hour: int, minute: int) -> int:
    """Unix time of a Beijing wall-clock moment."""
    moment = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=BEIJING)
    return int(moment.timestamp())


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value not in (None, "") else default
    except ValueError:
        return default


def json_reply(obj, status: int = 200) -> Reply:
    return Reply(status, json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode(),
                 "application/json;charset=UTF-8")


def _excerpt(report: Report, width: int = 80) -> str:
    first = next((b.text for b in report.blocks if b.kind == "p"), "")
    return first.replace("{", "").replace("}", "")[:width]


# The gkmlpt front end: plain modern JS, no framework (there is no CDN to load one from).
GKMLPT_APP = r"""(function () {
  var cfg = window._CONFIG, app = document.getElementById('app');
  var state = {cid: 0, page: 1, total: 0};
  function esc(s) { return String(s).replace(/[&<>"']/g, function (c) {
    return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c]; }); }
  function day(ts) { return new Date((ts + 8 * 3600) * 1000).toISOString().slice(0, 10); }
  function cidFromHash() { var h = location.hash.replace('#', ''); return /^\d+$/.test(h) ? parseInt(h, 10) : 0; }
  function tree() {
    var out = '<ul class="tree"><li><a href="#0"' + (state.cid === 0 ? ' class="active"' : '') + '>全部</a></li>';
    cfg.TREE.forEach(function (n) {
      if (n.parent === 0) return;
      out += '<li><a href="#' + n.id + '"' + (state.cid === n.id ? ' class="active"' : '') + '>' + esc(n.name) + '</a></li>';
    });
    return out + '</ul>';
  }
  function pager(pages) {
    function btn(label, page, cls, off) {
      return '<a href="javascript:;" class="' + cls + (off ? ' disabled' : '') + '" data-page="' + page + '">' + label + '</a>';
    }
    var out = '<div class="pagination">' + btn('首页', 1, 'first', state.page <= 1) + btn('上一页', state.page - 1, 'prev', state.page <= 1);
    for (var p = Math.max(1, state.page - 2); p <= Math.min(pages, state.page + 2); p++)
      out += btn(String(p), p, 'num' + (p === state.page ? ' active' : ''), false);
    out += btn('下一页', state.page + 1, 'next', state.page >= pages) + btn('尾页', pages, 'last', state.page >= pages);
    return out + '<span class="count">共 ' + state.total + ' 条</span></div>';
  }
  function render(data) {
    state.total = data.total;
    var pages = Math.max(1, Math.ceil(data.total / cfg.PAGE_SIZE));
    var rows = data.articles.map(function (a) {
      return '<tr><td class="first"><a href="' + esc(a.url) + '" target="_blank" title="' + esc(a.title) + '">' + esc(a.title) +
        '</a></td><td>' + esc(a.identifier) + '</td><td>' + day(a.first_publish_time) + '</td></tr>';
    }).join('');
    if (!rows) rows = '<tr><td colspan="3" class="empty">暂无数据</td></tr>';
    var title = data.classify ? data.classify.name : '全部';
    app.innerHTML = '<div class="gkml-left">' + tree() + '</div><div class="gkml-right"><div class="gkml-tit">' + esc(title) +
      '</div><table class="gkml-list"><thead><tr><th>名称</th><th>索引号</th><th>发布日期</th></tr></thead><tbody>' + rows +
      '</tbody></table>' + pager(pages) + '</div>';
    app.setAttribute('data-page', String(state.page));
    Array.prototype.forEach.call(app.querySelectorAll('.pagination a'), function (a) {
      a.addEventListener('click', function () {
        if (a.classList.contains('disabled')) return;
        state.page = parseInt(a.getAttribute('data-page'), 10);
        load();
      });
    });
  }
  function load() {
    fetch('/gkmlpt/api/all/' + state.cid + '?page=' + state.page + '&sid=' + cfg.SID,
          {credentials: 'same-origin', headers: {'Accept': 'application/json, text/javascript, */*; q=0.01',
                                                  'X-Requested-With': 'XMLHttpRequest'}})
      .then(function (r) { return r.json(); })
      .then(render)
      .catch(function () { app.innerHTML = '<p class="error">数据加载失败，请刷新重试</p>'; });
  }
  window.addEventListener('hashchange', function () { state.cid = cidFromHash(); state.page = 1; load(); });
  state.cid = cidFromHash();
  load();
})();"""

# The 部门年报 column: an older jQuery-free XMLHttpRequest list (the platform's "index" template).
SEARCH_APP = r"""(function () {
  var box = document.getElementById('list'), bar = document.getElementById('pager'), SIZE = 15;
  function esc(s) { return String(s).replace(/[&<>"']/g, function (c) {
    return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c]; }); }
  function load(page) {
    var xhr = new XMLHttpRequest();
    xhr.open('GET', '/common/search/' + CHANNEL_ID + '?_isAgg=true&_isJson=true&_pageSize=' + SIZE +
             '&_template=index&_rangeTimeGte=&_channelName=&page=' + page, true);
    xhr.onreadystatechange = function () {
      if (xhr.readyState !== 4) return;
      if (xhr.status !== 200) { box.innerHTML = '<li>暂无数据</li>'; return; }
      var data = JSON.parse(xhr.responseText).data;
      box.innerHTML = data.results.map(function (r) {
        return '<li><a href="' + esc(r.url) + '" target="_blank" title="' + esc(r.title) + '">' + esc(r.title) +
          '</a><span class="date">' + esc(r.publishedTimeStr.slice(0, 10)) + '</span></li>';
      }).join('') || '<li>暂无数据</li>';
      var pages = Math.max(1, Math.ceil(data.total / SIZE)), html = '<span>共' + data.total + '条 ' + page + '/' + pages + '页</span>';
      html += page > 1 ? '<a href="javascript:void(0)" data-p="' + (page - 1) + '">上一页</a>' : '<span class="off">上一页</span>';
      html += page < pages ? '<a href="javascript:void(0)" data-p="' + (page + 1) + '">下一页</a>' : '<span class="off">下一页</span>';
      bar.innerHTML = html;
      bar.setAttribute('data-page', String(page));
      Array.prototype.forEach.call(bar.querySelectorAll('a[data-p]'), function (a) {
        a.onclick = function () { load(parseInt(a.getAttribute('data-p'), 10)); };
      });
    };
    xhr.send(null);
  }
  load(1);
})();"""


class Gkmlpt(Site):
    name = "gkmlpt"
    title = PORTAL.name

    def __init__(self, scale: int = 1):
        super().__init__()
        rng = random.Random(f"gkmlpt-{scale}")
        towns = filler_reports(f"gkmlpt-towns-{scale}", TOWNS, 28 + 20 * (scale - 1), range(2010, 2024))
        depts = filler_reports(f"gkmlpt-depts-{scale}", DEPARTMENTS, 18 + 12 * (scale - 1), range(2010, 2024),
                               taken={(GOVERNMENT, y) for y in range(2010, 2024)})
        guide = Report("新兴县人民政府信息公开指南", None, None, dt.date(2021, 4, 9), "新兴县人民政府办公室",
                       load_blocks("guide.txt", GOV=GOVERNMENT, ADDR=PORTAL.address), kind="lookalike")
        yaodian = Report("新兴县2023年政务公开工作要点", None, None, dt.date(2023, 6, 2), "新兴县人民政府办公室",
                         load_blocks("yaodian_template.txt", GOV=GOVERNMENT, REGION=REGION, YEAR="2023", NEXT="2024",
                                     MONTH="5", DAY="30"), kind="lookalike")
        policy = news_items("gkmlpt-news", REGION, PORTAL.name, count=4)
        assign_docids([*towns, guide, yaodian, *policy], rng, 1500000)
        assign_docids(depts, rng, 2600000)

        # gkmlpt posts by classify id, newest first
        self.posts: dict[int, list[Report]] = {REPORTS_COL: towns, GUIDE_COL: [guide], YAODIAN_COL: [yaodian],
                                               POLICY_COL: policy, 2371: []}
        self.classify_of: dict[int, int] = {}
        for cid, reports in self.posts.items():
            reports.sort(key=lambda r: (r.published, r.docid), reverse=True)
            for report in reports:
                self.classify_of[report.docid] = cid
                path = post_path(report.docid)
                self.route(path, partial(self.post, report, cid))
                if report.is_report:
                    self.add_report(report, [path])
                elif report.kind == "lookalike":
                    self.add_lookalike(report, path, in_report_column=False)
        everything = [r for reports in self.posts.values() for r in reports]
        self.posts[ALL] = sorted(everything, key=lambda r: (r.published, r.docid), reverse=True)

        depts.sort(key=lambda r: (r.published, r.docid), reverse=True)
        self.depts = depts
        for report in depts:
            path = content_path(report.docid)
            self.route(path, partial(self.dept_article, report))
            self.add_report(report, [path])

        self.route(SHELL, self.shell)
        self.route(BMNB, self.bmnb)
        self.route("/zwgk/bmnb/", self.bmnb)
        self.add_trap("js_listing", SHELL, column=f"#{REPORTS_COL}",
                      api=f"/gkmlpt/api/all/{REPORTS_COL}?page=1&sid={SID}")
        self.add_trap("js_listing", BMNB,
                      api=f"/common/search/{CHANNEL}?_isJson=true&_pageSize={SEARCH_PAGE}&page=1")
        self.route("/", self.home)
        self.route("/index.html", self.home)
        self.route("/zwgk/", self.hub)

    # -- JSON ----------------------------------------------------------------------------------

    def dynamic(self, ctx: Context, path: str, query: str) -> Reply | None:
        if path.startswith("/gkmlpt/api/all/"):
            return self.api_all(ctx, path.rsplit("/", 1)[1], dict(parse_qsl(query)))
        if path == f"/common/search/{CHANNEL}":
            return self.search(ctx, dict(parse_qsl(query)))
        if path.startswith("/common/search/"):
            return json_reply({"data": None, "ok": False, "msg": "栏目不存在", "code": 404})
        return None

    def _article_json(self, ctx: Context, report: Report, cid: int) -> dict:
        d = report.published
        published = epoch(d, 9 + report.docid % 8, report.docid % 60)
        created = dt.datetime.fromtimestamp(published, BEIJING).strftime("%Y-%m-%d %H:%M:%S")
        return {
            "id": report.docid, "title": report.title, "document_number": "",
            "identifier": f"00731{report.docid % 10000:04d}0/{d.year}-{report.docid % 100000:05d}",
            "publisher": report.source, "keywords": "", "abstract": "",
            "date": epoch(d, 0, 0), "created_at": created,
            "first_publish_time": published, "display_publish_time": published,
            "classify_main": cid, "classify_main_name": dict((i, n) for i, n, _ in TREE).get(cid, ""),
            "classify_genre_name": "报告" if report.is_report else "其他", "classify_theme_name": "政务公开",
            "url": ctx.url(self.name, post_path(report.docid)) + f"#{cid}",
            "is_expired": 0, "is_abolished": 0, "attachment": [],
        }

    def api_all(self, ctx: Context, tail: str, args: dict[str, str]) -> Reply:
        cid = _int(tail, -1)
        if cid not in self.posts:
            return json_reply({"code": 404, "message": "栏目不存在"}, status=404)
        page = max(_int(args.get("page"), 1), 1)
        posts = self.posts[cid] if args.get("sid") == SID else []
        window = posts[(page - 1) * API_PAGE:page * API_PAGE]
        classify = None
        if cid != ALL:
            cname, parent = next((n, p) for i, n, p in TREE if i == cid)
            classify = {"id": cid, "name": cname, "parent": parent, "post_count": len(posts)}
        return json_reply({"classify": classify, "articles": [self._article_json(ctx, r, self.classify_of[r.docid])
                                                              for r in window], "total": len(posts)})

    def search(self, ctx: Context, args: dict[str, str]) -> Reply:
        size = min(max(_int(args.get("_pageSize"), 20), 1), SEARCH_MAX)
        page = max(_int(args.get("page"), 1), 1)
        window = self.depts[(page - 1) * size:page * size]
        host = ctx.url(self.name, "/").split(":", 1)[1].rstrip("/")      # protocol-relative, as the platform writes it
        results = [{
            "title": r.title, "url": host + content_path(r.docid),
            "publishedTimeStr": f"{r.published:%Y-%m-%d} {9 + r.docid % 8:02d}:{r.docid % 60:02d}:00",
            "memo": _excerpt(r), "channelName": CHANNEL_NAME,
            "domainMetaList": [{"domainMetadataName": "基本元数据集", "resultList": [
                {"name": "来源", "key": "source", "value": r.source}]}],
        } for r in window]
        if args.get("_isJson", "").lower() != "true":
            lis = "\n".join(f'<li><a href="{T.esc(x["url"])}" target="_blank" title="{T.esc(x["title"])}">'
                            f'{T.esc(x["title"])}</a><span>{x["publishedTimeStr"][:10]}</span></li>' for x in results)
            return html_reply(f'<ul class="list">\n{lis}\n</ul>')
        return json_reply({"data": {"channelId": CHANNEL, "channelName": CHANNEL_NAME, "total": len(self.depts),
                                    "page": page, "rows": size, "totalPage": math.ceil(len(self.depts) / size),
                                    "results": results, "aggregations": {}},
                           "ok": True, "msg": "操作成功", "code": 200})

    # -- pages ---------------------------------------------------------------------------------

    def _frame(self, title: str, head: str, content: str) -> str:
        nav = "".join(f'<li><a href="{h}">{t}</a></li>' for h, t in (
            ("/", "首页"), ("/zwgk/", "政务公开"), (SHELL, "政府信息公开"), ("/zwgk/bmnb/", "部门信息公开年报"),
            ("/hdjl/", "互动交流"), ("https://www.gdzwfw.gov.cn/", "政务服务")))
        body = f"""{T.top_bar(PORTAL)}
<div class="header"><div class="w1200"><a href="/" class="logo"><img src="/img/logo.png" alt="{PORTAL.name}"></a></div></div>
<div class="nav"><ul class="w1200">{nav}</ul></div>
{content}
{T.footer(PORTAL)}"""
        return T.page(title, head, body).replace(
            '<script type="text/javascript" src="/js/jquery-1.11.3.min.js"></script>\n', "")

    def shell(self, ctx: Context) -> Reply:
        config = {"SID": SID, "PAGE_SIZE": API_PAGE, "SITE_NAME": PORTAL.name,
                  "TREE": [{"id": i, "name": n, "parent": p} for i, n, p in TREE]}
        content = f"""<div class="w1200 main">
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="{SHELL}">政府信息公开</a></div>
<div class="gkml-search"><input type="text" placeholder="请输入标题或文号"><button type="button">搜索</button></div>
<div id="app"></div>
<noscript>您的浏览器不支持JavaScript，请启用后访问政府信息公开目录。</noscript>
</div>
<script>window._CONFIG = {json.dumps(config, ensure_ascii=False)};</script>
<script>
{GKMLPT_APP}
</script>"""
        head = (f'<meta name="SiteName" content="{PORTAL.name}">\n<meta name="SiteIDCode" content="{PORTAL.site_code}">\n'
                '<meta name="ColumnName" content="政府信息公开">')
        return html_reply(self._frame(f"政府信息公开_{PORTAL.name}", head, content))

    def bmnb(self, ctx: Context) -> Reply:
        content = f"""<div class="w1200 main">
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="{BMNB}">{CHANNEL_NAME}</a></div>
<div class="list-box"><div class="list-tit"><span>{CHANNEL_NAME}</span></div>
<ul class="list" id="list"><li class="loading">数据加载中……</li></ul>
<div class="page" id="pager"></div></div></div>
<script>var CHANNEL_ID = "{CHANNEL}";</script>
<script>
{SEARCH_APP}
</script>"""
        head = (f'<meta name="SiteName" content="{PORTAL.name}">\n<meta name="SiteIDCode" content="{PORTAL.site_code}">\n'
                f'<meta name="ColumnName" content="{CHANNEL_NAME}">')
        return html_reply(self._frame(f"{CHANNEL_NAME}_{PORTAL.name}", head, content))

    def post(self, report: Report, cid: int, ctx: Context) -> Reply:
        d = report.published
        info = self._article_json(ctx, report, cid)
        cname = info["classify_main_name"]
        content = f"""<div class="w1200 main">
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="{SHELL}">政府信息公开</a> &gt; <a href="{SHELL}#{cid}">{cname}</a></div>
<div class="classify"><table class="table-gk"><tbody>
<tr><td class="td-title">索引号：</td><td>{info["identifier"]}</td><td class="td-title">分类：</td><td>{cname}</td></tr>
<tr><td class="td-title">发布机构：</td><td>{T.esc(report.source)}</td><td class="td-title">成文日期：</td><td>{d:%Y-%m-%d}</td></tr>
<tr><td class="td-title">名称：</td><td colspan="3">{T.esc(report.title)}</td></tr>
<tr><td class="td-title">文号：</td><td></td><td class="td-title">发布日期：</td><td>{info["created_at"][:10]}</td></tr>
</tbody></table></div>
<div class="content-container"><h1 class="content-title">{T.esc(report.title)}</h1>
<div class="content-info"><span>发布日期：{info["created_at"][:16]}</span><span>来源：{T.esc(report.source)}</span>
<span>浏览次数：<em id="visit">{ctx.hit()}</em></span><span>【字号：<a href="javascript:;">大</a> <a href="javascript:;">中</a> <a href="javascript:;">小</a>】</span></div>
<div class="article-content">{body_html(report, "trs")}</div>
{T.share_print()}</div></div>"""
        head = (f'<meta name="ArticleTitle" content="{T.esc(report.title)}">\n<meta name="PubDate" content="{info["created_at"][:16]}">\n'
                f'<meta name="ContentSource" content="{T.esc(report.source)}">\n<meta name="SiteName" content="{PORTAL.name}">\n'
                f'<meta name="SiteIDCode" content="{PORTAL.site_code}">\n<meta name="ColumnName" content="{cname}">')
        return html_reply(self._frame(f"{report.title}_{PORTAL.name}", head, content))

    def dept_article(self, report: Report, ctx: Context) -> Reply:
        d = report.published
        content = f"""<div class="w1200 main">
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="{BMNB}">{CHANNEL_NAME}</a></div>
<div class="detail"><h1 class="detail-title">{T.esc(report.title)}</h1>
<div class="detail-info"><span>时间：{d:%Y-%m-%d}</span><span>来源：{T.esc(report.source)}</span>
<span>浏览次数：<i id="hits">{ctx.hit()}</i></span><span>字号：<a href="javascript:;">默认</a> <a href="javascript:;">大</a> <a href="javascript:;">超大</a></span></div>
<div class="detail-content" id="zoom">{body_html(report, "trs_word")}</div>
{T.share_print()}</div></div>"""
        head = (f'<meta name="ArticleTitle" content="{T.esc(report.title)}">\n<meta name="PubDate" content="{d:%Y-%m-%d} 10:00">\n'
                f'<meta name="ContentSource" content="{T.esc(report.source)}">\n<meta name="SiteName" content="{PORTAL.name}">\n'
                f'<meta name="ColumnName" content="{CHANNEL_NAME}">')
        return html_reply(self._frame(f"{report.title}_{PORTAL.name}", head, content))

    def hub(self, ctx: Context) -> Reply:
        content = (f'<div class="w1200 main"><div class="position">当前位置：<a href="/">首页</a> &gt; 政务公开</div>'
                   f'<ul class="gk"><li><a href="{SHELL}">政府信息公开目录</a></li><li><a href="{SHELL}#{GUIDE_COL}">政府信息公开指南</a></li>'
                   f'<li><a href="{SHELL}#{REPORTS_COL}">政府信息公开年报</a></li><li><a href="{BMNB}">{CHANNEL_NAME}</a></li></ul></div>')
        return html_reply(self._frame(f"政务公开_{PORTAL.name}", '<meta name="ColumnName" content="政务公开">', content))

    def home(self, ctx: Context) -> Reply:
        content = f"""<div class="w1200 main">
<div class="news"><div class="tit">政务要闻</div><ul>
<li><a href="{SHELL}#{POLICY_COL}">新兴县召开2024年全县经济工作会议</a><span>03-12</span></li>
<li><a href="{SHELL}#{POLICY_COL}">新兴县开展春季植树造林活动</a><span>03-08</span></li></ul></div>
<div class="gk-entry"><a href="{SHELL}">政府信息公开</a> <a href="{SHELL}#{REPORTS_COL}">政府信息公开年报</a>
<a href="{BMNB}">{CHANNEL_NAME}</a> <a href="{SHELL}#{GUIDE_COL}">政府信息公开指南</a></div></div>"""
        return html_reply(self._frame(PORTAL.name, f'<meta name="SiteName" content="{PORTAL.name}">', content))

