"""桐庐县人民政府 (浙江): a Hanweb JCMS column whose records after the first window come only from dataproxy.jsp.

The column page embeds the first window (groupSize × perPage = 45 records) in a ``<script
type="text/xml">`` datastore and a jpage config; there is no static ``?page=2`` HTML (page state is
client-side, so ``index.html?uid=…&pageNum=3`` is the same page).  The rest comes from

    POST /module/web/jpage/dataproxy.jsp?startrecord=46&endrecord=90&perpage=15
    col=1&appid=1&webid=3128&path=/&columnid=1229484712&sourceContentType=1&unitid=7645321
    &webname=桐庐县人民政府&permissiontype=0

answering ``<datastore><totalrecord>N</totalrecord><totalpage>P</totalpage><recordset>…``.

dataproxy.jsp reads its parameters as a servlet does (``request.getParameter``): from the query string
or the urlencoded body, whatever the method, the query winning.  So a GET carrying every ajaxParam
key in its query works too (as scrapers of Gansu and Shandong portals do); a request without
``columnid`` or with another column's id gets 200 and an empty datastore (totalrecord 0), which is how
a scraper that forgets the form body sees it.  Windows are 1-based and inclusive; ``startrecord=0``
counts as 1; a window past the end is an empty recordset with the true totalrecord.

In a browser the page works as a real one does: the site serves ``/module/jslib/jquery/jquery.js`` (the
subset of jQuery the page calls) and the jpage plugin, which shows 15 records a page with a
"首页 上页 下页 尾页" bar and POSTs to dataproxy.jsp for pages past the embedded window.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from functools import partial
from urllib.parse import parse_qsl

from . import templates as T
from .fillers import County, filler_reports
from .reports import Report, load_blocks
from .server import Context, Reply, html_reply
from .site import Site, assign_docids

PORTAL = T.Portal("桐庐县人民政府", "www.tonglu.gov.cn", "3301220001", "浙ICP备05018372号",
                  "浙公网安备 33012202000117号", "桐庐县人民政府办公室", "浙江省杭州市桐庐县桐君街道迎春南路277号",
                  "0571-64212345")
TONGLU = County(
    "桐庐县", "桐庐县人民政府",
    ("富春江镇", "横村镇", "分水镇", "瑶琳镇", "百江镇", "江南镇", "新合乡", "莪山畲族乡", "钟山乡"),
    ("发展和改革局", "教育局", "科学技术局", "经济和信息化局", "民政局", "司法局", "财政局", "人力资源和社会保障局",
     "自然资源和规划局", "住房和城乡建设局", "交通运输局", "水利水电局", "农业农村局", "商务局", "文化和广电旅游体育局",
     "卫生健康局", "应急管理局", "审计局", "市场监督管理局", "统计局", "医疗保障局", "退役军人事务局"),
    "311500", "0571", "http://www.tonglu.gov.cn")

WEBID = 3128
COL = 1229484712             # 政府信息公开年报
GUIDE_COL = 1229484702       # 政府信息公开指南
HUB_COL = 1229484700         # 政府信息公开
UNITID = "7645321"
GUIDE_UNITID = "7645309"
PER_PAGE, GROUP_SIZE = 15, 3
PROXY = "/module/web/jpage/dataproxy.jsp"


# The two scripts a Hanweb column page runs, cut to what the page uses: jQuery's selector, ready and
# ajax entry points, and the jpage pager (records from the XML data island, later windows through
# dataproxy.jsp: startrecord/endrecord/perpage in the query string, ajaxParam as the POST form).
JQUERY_JS = r"""/*! jQuery compatible subset | (c) jQuery Foundation | jquery.org/license */
(function(w){function Q(a){a=a||[];this.length=a.length;for(var i=0;i<a.length;i++)this[i]=a[i];}
function sel(s){return document.querySelectorAll(s.replace(/#(\d[\w-]*)/g,'[id="$1"]'));}
Q.prototype.each=function(f){for(var i=0;i<this.length;i++)f.call(this[i],i,this[i]);return this;};
Q.prototype.text=function(){var t='';this.each(function(){t+=this.textContent;});return t;};
Q.prototype.html=function(h){if(h===undefined)return this.length?this[0].innerHTML:'';return this.each(function(){this.innerHTML=h;});};
Q.prototype.find=function(s){var o=[];this.each(function(){o=o.concat(Array.prototype.slice.call(this.querySelectorAll(s)));});return new Q(o);};
var $=function(a){if(typeof a==='function'){if(document.readyState==='loading')document.addEventListener('DOMContentLoaded',a);
else setTimeout(a,0);return;}if(typeof a==='string')return new Q(sel(a));return new Q(a&&a.nodeType?[a]:[]);};
$.fn=Q.prototype;$.param=function(d){return Object.keys(d).map(function(k){return encodeURIComponent(k)+'='+encodeURIComponent(d[k]);}).join('&');};
$.ajax=function(o){var x=new XMLHttpRequest();x.open(o.type||'GET',o.url,true);
x.setRequestHeader('Content-Type','application/x-www-form-urlencoded; charset=UTF-8');x.setRequestHeader('X-Requested-With','XMLHttpRequest');
x.onreadystatechange=function(){if(x.readyState!==4)return;if(x.status===200){if(o.success)o.success(x.responseText);}else if(o.error)o.error(x);};
x.send(o.data&&typeof o.data==='object'?$.param(o.data):(o.data||null));};w.jQuery=w.$=$;})(window);
"""
JPAGE_JS = r"""/* jpage 3.0 (大汉网络) */
(function($){$.fn.jpage=function(o){var box=this[0];if(!box)return this;var per=o.perPage||10,group=o.groupSize||3,total=o.totalRecord||0,
pages=Math.max(1,Math.ceil(total/per)),recs=[],list=document.createElement('div'),bar=document.createElement('div');
function parse(x){var out=[],re=/<record><!\[CDATA\[([\s\S]*?)\]\]><\/record>/g,m;while((m=re.exec(x)))out.push(m[1]);return out;}
parse(String(o.dataStore||'')).forEach(function(r,i){recs[i]=r;});list.className='default_pgContainer_list';bar.className='default_pgToolbar';
box.appendChild(list);if(o.barPosition==='top')box.insertBefore(bar,list);else box.appendChild(bar);
function btn(t,p,on){return on?'<a href="javascript:void(0);" class="default_pgBtn" data-page="'+p+'">'+t+'</a>':'<span class="default_pgBtn default_pgDisabled">'+t+'</span>';}
function render(p){var s=(p-1)*per;list.innerHTML=(o.dataBefore||'')+recs.slice(s,s+per).join('')+(o.dataAfter||'');
bar.innerHTML='<span class="default_pgTotalRecord">共'+total+'条记录</span> <span class="default_pgCurrentPage">'+p+'/'+pages+'页</span> '+
btn('首页',1,p>1)+' '+btn('上页',p-1,p>1)+' '+btn('下页',p+1,p<pages)+' '+btn('尾页',pages,p<pages);box.setAttribute('data-page',String(p));
Array.prototype.forEach.call(bar.querySelectorAll('a[data-page]'),function(a){a.onclick=function(){show(parseInt(a.getAttribute('data-page'),10));};});}
function show(p){var s=(p-1)*per,need=false;for(var i=s;i<Math.min(s+per,total);i++)if(recs[i]===undefined)need=true;if(!need)return render(p);
var gs=Math.floor(s/(per*group))*per*group+1,ge=gs+per*group-1;$.ajax({url:o.proxyUrl+'?startrecord='+gs+'&endrecord='+ge+'&perpage='+per,
type:'POST',data:o.ajaxParam,success:function(t){parse(t).forEach(function(r,i){recs[gs-1+i]=r;});render(p);}});}
show(1);return this;};})(jQuery);
"""


def art_path(column: int, report: Report) -> str:
    """Hanweb article path: month and day are not zero-padded."""
    d = report.published
    return f"/art/{d.year}/{d.month}/{d.day}/art_{column}_{report.docid}.html"


def record_html(column: int, report: Report) -> str:
    """One datastore record, as Hanweb templates write it (single-quoted attributes, cut title)."""
    return (f"<li><a href='{art_path(column, report)}' title='{T.esc(report.title)}' target='_blank'>"
            f"{T.esc(T.truncate(report.title, 30))}</a><span>{report.published:%Y-%m-%d}</span></li>")


def datastore_xml(records: list[str], total: int, per_page: int) -> str:
    """The XML dataproxy.jsp answers for one window."""
    rows = "\n".join(f"<record><![CDATA[{r}]]></record>" for r in records)
    pages = math.ceil(total / per_page) if per_page > 0 else 0
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<datastore>\n<totalrecord>{total}</totalrecord>\n'
            f"<totalpage>{pages}</totalpage>\n<recordset>\n{rows}\n</recordset>\n</datastore>")


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value not in (None, "") else default
    except ValueError:
        return default


class Dataproxy(Site):
    name = "dataproxy"
    title = PORTAL.name

    def __init__(self, scale: int = 1):
        super().__init__()
        rng = random.Random(f"dataproxy-{scale}")
        fillers = filler_reports(f"dataproxy-fillers-{scale}", TONGLU, 50 + 40 * (scale - 1), range(2010, 2024))
        yaodian = Report("桐庐县2022年政务公开工作要点", None, None, dt.date(2022, 5, 16), "桐庐县人民政府办公室",
                         load_blocks("yaodian_template.txt", GOV=TONGLU.government, REGION=TONGLU.region,
                                     YEAR="2022", NEXT="2023", MONTH="5", DAY="12"), kind="lookalike")
        guide = Report("桐庐县人民政府信息公开指南", None, None, dt.date(2021, 3, 2), "桐庐县人民政府办公室",
                       load_blocks("guide.txt", GOV=TONGLU.government, ADDR=PORTAL.address), kind="lookalike")
        items = [*fillers, yaodian]
        assign_docids([*items, guide], rng, 7100000)
        items.sort(key=lambda r: (r.published, r.docid), reverse=True)
        self.items = items

        for report in items:
            path = art_path(COL, report)
            self.route(path, partial(self.article, report, COL, "信息公开年报"))
            if report.is_report:
                self.add_report(report, [path])
            else:
                self.add_lookalike(report, path)
        guide_path = art_path(GUIDE_COL, guide)
        self.route(guide_path, partial(self.article, guide, GUIDE_COL, "政府信息公开指南"))
        self.add_lookalike(guide, guide_path, in_report_column=False)

        # records by column id, as the CMS would select them for dataproxy.jsp
        self.records = {COL: [record_html(COL, r) for r in items], GUIDE_COL: [record_html(GUIDE_COL, guide)]}
        self.units = {COL: UNITID, GUIDE_COL: GUIDE_UNITID}
        self.route(f"/col/col{COL}/index.html", partial(self.column, COL, "信息公开年报"))
        self.route(f"/col/col{GUIDE_COL}/index.html", partial(self.column, GUIDE_COL, "政府信息公开指南"))
        self.route(f"/col/col{HUB_COL}/index.html", self.hub)
        self.route("/module/jslib/jquery/jquery.js", lambda ctx: Reply(200, JQUERY_JS.encode(), "application/javascript"))
        self.route("/module/jslib/jquery/jpage/jquery.page.min.js",
                   lambda ctx: Reply(200, JPAGE_JS.encode(), "application/javascript"))
        self.route("/module/visitcount/articlehits.jsp",
                   lambda ctx: Reply(200, f"document.write({ctx.hit()});".encode(), "application/javascript"))
        self.route("/module/visitcount/visit.jsp", lambda ctx: html_reply("<html><body></body></html>"))
        self.route("/", self.home)
        self.route("/index.html", self.home)

    # -- the proxy -----------------------------------------------------------------------------

    def dynamic(self, ctx: Context, path: str, query: str) -> Reply | None:
        return self.dataproxy(ctx, query) if path == PROXY else None

    def dataproxy(self, ctx: Context, query: str) -> Reply:
        req = ctx.request
        # request.getParameter: the query string first, then the urlencoded body, whatever the method
        params = {**(req.form() if req.method == "POST" else {}), **dict(parse_qsl(query, keep_blank_values=True))}
        column = _int(params.get("columnid"), 0)
        records = self.records.get(column)
        per_page = max(_int(params.get("perpage"), PER_PAGE), 1)
        if records is None:
            return Reply(200, datastore_xml([], 0, per_page).encode(), "text/xml;charset=UTF-8")
        start = _int(params.get("startrecord"), 0)
        if start <= 0 and params.get("page"):
            # the no-script nextgroup link: ?page=N walks groups of groupSize × perPage
            start = (max(_int(params.get("page"), 1), 1) - 1) * per_page * GROUP_SIZE + 1
        start = max(start, 1)
        end = _int(params.get("endrecord"), start + per_page * GROUP_SIZE - 1)
        window = records[start - 1:max(end, start - 1)]
        return Reply(200, datastore_xml(window, len(records), per_page).encode(), "text/xml;charset=UTF-8")

    # -- pages ---------------------------------------------------------------------------------

    def _page(self, title: str, head: str, content: str) -> str:
        nav = "".join(f'<li><a href="{h}">{t}</a></li>' for h, t in (
            ("/", "首页"), (f"/col/col{HUB_COL}/index.html", "政府信息公开"), ("/col/col1229484600/index.html", "政务动态"),
            ("/col/col1229484650/index.html", "政策解读"), ("/col/col1229484800/index.html", "互动交流"),
            ("https://www.zjzwfw.gov.cn/", "政务服务")))
        body = f"""{T.top_bar(PORTAL)}
<div class="head"><div class="w1200"><img src="/picture/0/s2105121633418720213.png" alt="{PORTAL.name}">
<form class="search" action="/jsearchfront/search.do" method="get"><input type="hidden" name="websiteid" value="330122000000000">
<input type="text" name="q" placeholder="请输入搜索内容"><input type="submit" value="搜索"></form></div></div>
<div class="nav"><ul class="w1200">{nav}</ul></div>
{content}
{T.footer(PORTAL)}
<a href="http://www.hanweb.com" style="display:none">Produced By 大汉网络 大汉版通发布系统</a>"""
        head = f'<meta name="Generator" content="大汉版通">\n<meta name="Author" content="大汉网络">\n{head}'
        return T.page(title, head, body).replace(
            '<script type="text/javascript" src="/js/jquery-1.11.3.min.js"></script>',
            '<script type="text/javascript" src="/module/jslib/jquery/jquery.js"></script>\n'
            '<script type="text/javascript" src="/script/pagecontrol.js"></script>')

    def column(self, column: int, name: str, ctx: Context) -> Reply:
        records = self.records[column]
        unitid = self.units[column]
        first = "\n".join(f"<record><![CDATA[{r}]]></record>" for r in records[:PER_PAGE * GROUP_SIZE])
        webname = PORTAL.name
        content = f"""<div class="w1200 main">
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/col/col{HUB_COL}/index.html">政府信息公开</a> &gt; <a href="/col/col{column}/index.html">{name}</a></div>
<div class="left"><div class="lm-tit">政府信息公开</div><ul class="lm-list">
<li><a href="/col/col{GUIDE_COL}/index.html">政府信息公开指南</a></li><li><a href="/col/col1229484703/index.html">政府信息公开制度</a></li>
<li><a href="/col/col1229484704/index.html">法定主动公开内容</a></li><li><a href="/col/col{COL}/index.html">信息公开年报</a></li></ul></div>
<div class="right"><div class="tit"><span>{name}</span></div>
<div class="default_pgContainer" id="{unitid}"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="{PROXY}?page=1&appid=1&webid={WEBID}&path=/&columnid={column}&unitid={unitid}&webname={webname}&permissiontype=0"></a>]]></nextgroup>
<recordset>
{first}
</recordset></datastore></script></div>
<script type="text/javascript" src="/module/jslib/jquery/jpage/jquery.page.min.js"></script>
<script language="javascript">$(function(){{$('#{unitid}').jpage({{themeName:'default',showMode:'full',totalRecord:{len(records)},openCookies:false,dataBefore:'<ul class="list">',dataStore:$('#{unitid} script[type="text/xml"]').text(),dataAfter:'</ul>',groupSize:{GROUP_SIZE},proxyUrl:'{PROXY}',perPage:{PER_PAGE},barPosition:'bottom',ajaxParam:{{col:1,appid:1,webid:{WEBID},path:'/',columnid:{column},sourceContentType:1,unitid:'{unitid}',webname:'{webname}',permissiontype:0}}}});}});</script>
</div></div>
<iframe src="/module/visitcount/visit.jsp?type=1&i_webid={WEBID}&i_columnid={column}" style="display:none"></iframe>"""
        head = (f'<meta name="SiteName" content="{PORTAL.name}">\n<meta name="SiteDomain" content="{PORTAL.domain}">\n'
                f'<meta name="SiteIDCode" content="{PORTAL.site_code}">\n<meta name="ColumnName" content="{name}">')
        return html_reply(self._page(f"{name} {PORTAL.name}", head, content))

    def article(self, report: Report, column: int, column_name: str, ctx: Context) -> Reply:
        d = report.published
        content = f"""<div class="w1200 main"><div class="position">当前位置：<a href="/">首页</a> &gt;
<a href="/col/col{HUB_COL}/index.html">政府信息公开</a> &gt; <a href="/col/col{column}/index.html">{column_name}</a></div>
<div class="article"><table class="xxgk-table" width="100%"><tbody>
<tr><td>索&nbsp;&nbsp;引&nbsp;&nbsp;号</td><td>002504921/{d.year}-{report.docid % 100000:05d}</td><td>公开方式</td><td>主动公开</td></tr>
<tr><td>发布机构</td><td>{T.esc(report.source)}</td><td>成文日期</td><td>{d:%Y-%m-%d}</td></tr></tbody></table>
<div class="title">{T.esc(report.title)}</div>
<div class="info"><span>发布日期：<!--<$[发布日期]>begin-->{d:%Y-%m-%d}<!--<$[发布日期]>end--></span>
<span>信息来源：<!--<$[信息来源]>begin-->{T.esc(report.source)}<!--<$[信息来源]>end--></span>
<span>浏览次数：<script language="javascript" src="/module/visitcount/articlehits.jsp?colid={column}&artid={report.docid}"></script></span>
<span>字号：[ <a href="javascript:doZoom(16)">大</a> <a href="javascript:doZoom(14)">中</a> <a href="javascript:doZoom(12)">小</a> ]</span></div>
<div id="zoom"><!--<$[信息内容]>begin-->{T.body_html(report, "hanweb")}<!--<$[信息内容]>end--></div>
{T.share_print()}</div></div>
<iframe src="/module/visitcount/visit.jsp?type=3&i_webid={WEBID}&i_columnid={column}&i_articleid={report.docid}" style="display:none"></iframe>"""
        head = (f'<meta name="ArticleTitle" content="{T.esc(report.title)}">\n<meta name="PubDate" content="{d:%Y-%m-%d} 09:{report.docid % 60:02d}">\n'
                f'<meta name="ContentSource" content="{T.esc(report.source)}">\n<meta name="SiteName" content="{PORTAL.name}">\n'
                f'<meta name="SiteIDCode" content="{PORTAL.site_code}">\n<meta name="ColumnName" content="{column_name}">')
        return html_reply(self._page(f"{report.title} {PORTAL.name}", head, content))

    def hub(self, ctx: Context) -> Reply:
        content = (f'<div class="w1200 main"><div class="position">当前位置：<a href="/">首页</a> &gt; 政府信息公开</div>'
                   f'<ul class="gk"><li><a href="/col/col{GUIDE_COL}/index.html">政府信息公开指南</a></li>'
                   f'<li><a href="/col/col1229484703/index.html">政府信息公开制度</a></li>'
                   f'<li><a href="/col/col1229484704/index.html">法定主动公开内容</a></li>'
                   f'<li><a href="/col/col{COL}/index.html">信息公开年报</a></li></ul></div>')
        return html_reply(self._page(f"政府信息公开 {PORTAL.name}", '<meta name="ColumnName" content="政府信息公开">', content))

    def home(self, ctx: Context) -> Reply:
        news = "".join(f"<li><a href='/col/col1229484600/index.html'>{t}</a><span>{d}</span></li>" for t, d in (
            ("桐庐县召开2024年全县经济工作会议", "03-12"), ("桐庐县举行“春风行动”招聘会", "03-05")))
        content = (f'<div class="w1200 main"><div class="news"><div class="tit">政务动态</div><ul>{news}</ul></div>'
                   f'<div class="gk-entry"><a href="/col/col{HUB_COL}/index.html">政府信息公开</a>'
                   f'<a href="/col/col{COL}/index.html">政府信息公开年报</a></div></div>')
        return html_reply(self._page(PORTAL.name, f'<meta name="SiteName" content="{PORTAL.name}">', content))
