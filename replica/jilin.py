"""吉林市政务公开网: Hanweb JCMS (col/art URLs, datastore records, div#zoom), reposting 松山镇's report."""

from __future__ import annotations

import datetime as dt
import random
from functools import partial

from . import templates as T
from .fillers import JILIN, filler_reports
from .panshi import seed_report as songshan_report
from .reports import Block, Report
from .server import Context, Reply, html_reply
from .site import Site, assign_docids

PORTAL = T.Portal("吉林市政务公开网", "www.jlcity.gov.cn", "2202000010", "吉ICP备05001234号",
                  "吉公网安备 22020202000112号", "吉林市人民政府办公室", "吉林省吉林市船营区北京路1号", "0432-62046114")
WEBID, COL, HUB = 12, 1234, 1200
PER_PAGE = 5


def art_path(report: Report) -> str:
    """Hanweb article path: month and day are not zero-padded."""
    d = report.published
    return f"/art/{d.year}/{d.month}/{d.day}/art_{COL}_{report.docid}.html"


def repost_of(original: Report) -> Report:
    """The same report as another portal republishes it: new title prefix, a source line, same body."""
    return Report(title="【转载】" + original.title, agency=original.agency, year=original.year,
                  published=dt.date(2019, 3, 5), source="磐石市人民政府网站",
                  blocks=[Block("p", "来源：磐石市人民政府网站")] + list(original.blocks))


class Jilin(Site):
    name = "jilin"
    title = PORTAL.name

    def __init__(self, scale: int = 1, original_path: str = "/"):
        """`original_path`: where 磐石市人民政府 publishes the report this site reposts."""
        super().__init__()
        self.original_path = original_path
        rng = random.Random(f"jilin-{scale}")
        repost = repost_of(songshan_report())
        fillers = filler_reports(f"jilin-fillers-{scale}", JILIN, 8 + 10 * (scale - 1), range(2010, 2024))
        items = [repost, *fillers]
        assign_docids(items, rng, 4000000)
        items.sort(key=lambda r: (r.published, r.docid), reverse=True)
        self.repost = repost
        for report in items:
            path = art_path(report)
            self.route(path, partial(self.article, report))
            if report is repost:
                self.repost_path = path
                self.add_report(report, [path], repost_of=("panshi", original_path))
            else:
                self.add_report(report, [path])
        pages = T.paginate(items, PER_PAGE)
        for i, rows in enumerate(pages):
            listing = partial(self.listing, rows, i + 1, len(pages))
            self.route(f"/col/col{COL}/index.html?page={i + 1}", listing)
            if i == 0:
                self.route(f"/col/col{COL}/index.html", listing)
        self.route("/module/visitcount/articlehits.jsp", lambda ctx: Reply(200, f"document.write({ctx.hit()});".encode(),
                                                                          "application/javascript"))
        self.route("/module/visitcount/visit.jsp", lambda ctx: html_reply("<html><body></body></html>"))
        self.route("/", self.home)
        self.route("/index.html", self.home)
        self.route(f"/col/col{HUB}/index.html", self.hub)

    def _page(self, title: str, head: str, content: str) -> str:
        body = f"""{T.top_bar(PORTAL)}
<div class="head"><div class="w1200"><img src="/images/logo.png" alt="{PORTAL.name}"></div></div>
<div class="nav"><ul class="w1200"><li><a href="/">首页</a></li><li><a href="/col/col{HUB}/index.html">政府信息公开</a></li>
<li><a href="/col/col1100/index.html">政务动态</a></li><li><a href="/col/col1300/index.html">政策解读</a></li></ul></div>
{content}
{T.footer(PORTAL)}
<a href="http://www.hanweb.com" style="display:none">Produced By 大汉网络 大汉版通发布系统</a>"""
        head = f'<meta name="Generator" content="大汉版通">\n<meta name="Author" content="大汉网络">\n{head}'
        return T.page(title, head, body).replace(
            '<script type="text/javascript" src="/js/jquery-1.11.3.min.js"></script>',
            '<script type="text/javascript" src="/module/jslib/jquery/jquery.js"></script>\n'
            '<script type="text/javascript" src="/script/pagecontrol.js"></script>')

    def article(self, report: Report, ctx: Context) -> Reply:
        d = report.published
        origin = ""
        if report is self.repost:
            origin = (f'<div class="zz">转载自：<a href="{ctx.url("panshi", self.original_path)}" target="_blank">'
                      f'磐石市人民政府网站</a></div>')
        content = f"""<div class="w1200 main"><div class="position">当前位置：<a href="/">首页</a> &gt;
<a href="/col/col{HUB}/index.html">政府信息公开</a> &gt; <a href="/col/col{COL}/index.html">信息公开年报</a></div>
<div class="article"><div class="title">{T.esc(report.title)}</div>
<div class="info"><span>发布日期：<!--<$[发布日期]>begin-->{d:%Y-%m-%d}<!--<$[发布日期]>end--></span>
<span>信息来源：<!--<$[信息来源]>begin-->{T.esc(report.source)}<!--<$[信息来源]>end--></span>
<span>浏览次数：<script language="javascript" src="/module/visitcount/articlehits.jsp?colid={COL}&artid={report.docid}"></script></span>
<span>字号：[ <a href="javascript:doZoom(16)">大</a> <a href="javascript:doZoom(14)">中</a> <a href="javascript:doZoom(12)">小</a> ]</span></div>
{origin}
<div id="zoom"><!--<$[信息内容]>begin-->{T.body_html(report, "hanweb")}<!--<$[信息内容]>end--></div>
{T.share_print()}</div></div>
<iframe src="/module/visitcount/visit.jsp?type=3&i_webid={WEBID}&i_columnid={COL}&i_articleid={report.docid}" style="display:none"></iframe>"""
        head = (f'<meta name="ArticleTitle" content="{T.esc(report.title)}">\n<meta name="PubDate" content="{d:%Y-%m-%d} 10:30">\n'
                f'<meta name="ContentSource" content="{T.esc(report.source)}">\n<meta name="SiteName" content="{PORTAL.name}">\n'
                f'<meta name="ColumnName" content="信息公开年报">')
        return html_reply(self._page(f"{report.title} - {PORTAL.name}", head, content))

    def listing(self, rows: list[Report], page: int, count: int, ctx: Context) -> Reply:
        # Hanweb puts the records in an XML data island that HTML parsers see as script text
        records = "\n".join(f"<record><![CDATA[<li><a href='{art_path(r)}' title='{T.esc(r.title)}' target='_blank'>"
                            f"{T.esc(T.truncate(r.title, 30))}</a><span>{r.published:%Y-%m-%d}</span></li>]]></record>"
                            for r in rows)
        links = [f'<a href="/col/col{COL}/index.html?page=1">首页</a>']
        if page > 1:
            links.append(f'<a href="/col/col{COL}/index.html?page={page - 1}">上一页</a>')
        if page < count:
            links.append(f'<a href="/col/col{COL}/index.html?page={page + 1}">下一页</a>')
        links.append(f'<a href="/col/col{COL}/index.html?page={count}">尾页</a>')
        content = f"""<div class="w1200 main"><div class="position">当前位置：<a href="/">首页</a> &gt;
<a href="/col/col{HUB}/index.html">政府信息公开</a> &gt; 信息公开年报</div>
<div class="list"><div class="tit">信息公开年报</div>
<div id="35012"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid={WEBID}&path=/&columnid={COL}&unitid=35012&webname=%E5%90%89%E6%9E%97%E5%B8%82&permissiontype=0"></a>]]></nextgroup>
<recordset>
{records}
</recordset></datastore></script></div>
<div class="pager">共{count}页 第{page}页 {" ".join(links)}</div></div></div>"""
        return html_reply(self._page(f"信息公开年报 - {PORTAL.name}", '<meta name="ColumnName" content="信息公开年报">',
                                     content))

    def hub(self, ctx: Context) -> Reply:
        content = (f'<div class="w1200 main"><ul class="gk"><li><a href="/col/col1201/index.html">政府信息公开指南</a></li>'
                   f'<li><a href="/col/col1202/index.html">政府信息公开制度</a></li>'
                   f'<li><a href="/col/col{COL}/index.html">信息公开年报</a></li></ul></div>')
        return html_reply(self._page(f"政府信息公开 - {PORTAL.name}", "", content))

    def home(self, ctx: Context) -> Reply:
        content = (f'<div class="w1200 main"><a href="/col/col{HUB}/index.html">政府信息公开</a>'
                   f'<div class="links">友情链接：<a href="{ctx.url("panshi", "/")}">磐石市人民政府</a></div></div>')
        return html_reply(self._page(PORTAL.name, "", content))
