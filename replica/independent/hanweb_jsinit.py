"""榆中县人民政府 (甘肃): a Hanweb JCMS portal whose column lists are started by ``$("#unit").pagination({...})``
(the jpage plugin under its older name) instead of ``jpage(...)``, fed from a JavaScript variable.

Evidence:
- the pagination call and its keys (``totalRecord``, ``dataStore``, ``proxyUrl``, ``groupSize``, ``perPage``,
  ``barPosition``, ``ajaxParam``) and a ``dataStore`` that is a JS variable (``initData``) built in a
  ``<script type="text/javascript">``, from public pages that use the Hanweb jpage plugin (the code corpus has
  ``$("#pagetest").pagination({totalRecord:15, proxyUrl:'data.jsp', groupSize:3, ... dataStore:initData,
  perPage:5})`` and ``var initData = '<datastore><totalrecord>…</totalrecord><recordset>'`` assembled in script);
- ``var InitData49468=[…]`` arrays of HTML strings (南通市政府采购网, shared/reference/portals.md §2.1);
- records that are small ``<table>`` rows with the link in the second ``<td>`` and the date in a ``<span>``
  (scrapers of jnjtj.jinan.gov.cn read ``<td>`` 2 and 3 of each record; the gansu.gov.cn scraper reads
  ``a::attr(href)``, ``a::attr(title)``, ``span::text`` of each record's table);
- ``/module/web/jpage/dataproxy.jsp`` (POST, ``startrecord``/``endrecord``/``perpage`` in the query, the
  ajaxParam form in the body) and the older ``/module/jslib/jquery/jpage/dataproxy.jsp`` with
  ``sourceContentType=3`` answering a JavaScript array of HTML strings (the gansu.gov.cn scraper GETs it
  with every parameter in the query and ``literal_eval``s the array after a fixed prefix) — portals.md §2.2.

Variant exercised:
- 政府信息公开年报 (col 4729, unit 26318): ``var InitData26318 = '<datastore>' + '<nextgroup>…' + …`` — the
  datastore is a JS string (no ``type="text/xml"`` island), records 1-24 (perPage 12 × groupSize 2) in it;
  the link to the next group exists only in its ``<nextgroup>`` CDATA:
  ``dataproxy.jsp?page=2&appid=1&webid=43&path=/&columnid=4729&unitid=26318&webname=…&permissiontype=0``.
  ``page=N`` (no startrecord) answers group N and carries its own ``<nextgroup>`` while groups remain, so
  plain HTTP of script-borne URLs reaches every record: needs ``static``.  The page's script POSTs
  ``?startrecord=25&endrecord=48&perpage=12`` with the form, as the plugin does.
- 部门信息公开年报 (col 4731, unit 26320): ``var InitData26320 = ['<table>…</table>', …]`` (27 records, perPage 9
  × groupSize 3), no nextgroup anywhere; the rest only from ``/module/jslib/jquery/jpage/dataproxy.jsp`` with
  ``sourceContentType=3``, which answers ``totalRecord=N;totalPage=P;InitData26320=[…];``: needs ``api``.
- hrefs in column B's records are relative without a leading slash (``art/2020/3/2/art_4731_….html``), as the
  gansu.gov.cn scraper has to prefix the host; the column page carries ``<base href="/">`` so a browser resolves
  them at the root (a client resolving them against dataproxy.jsp's own URL gets 404s).

Navigation: home → 政务公开 (col 4701) → 政府信息公开 (col 4720) → the two columns.  Column ``stated`` is the
``totalRecord`` of the pagination call (reports and look-alikes together); ``reports`` counts report entries.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from functools import partial
from urllib.parse import parse_qsl


from ..dataproxy import JQUERY_JS
from ..fillers import County
from ..reports import Report, body_html
from ..server import Context, Reply, html_reply
from ..site import Site, assign_docids
from ._kit_a import cut, esc, gov_footer, lookalikes, town_and_dept_reports

NAME = "榆中县人民政府"
DOMAIN = "www.yuzhong.gov.cn"
SITE_CODE = "6201230001"
ICP = "陇ICP备05000517号"
POLICE = "甘公网安备 62012302000101号"
ADDRESS = "甘肃省兰州市榆中县城关镇栖云北路1号"
PHONE = "0931-5222311"
COUNTY = County(
    "榆中县", NAME,
    ("城关镇", "夏官营镇", "高崖镇", "金崖镇", "和平镇", "甘草店镇", "青城镇", "定远镇", "连搭镇", "新营镇",
     "贡井镇", "马坡乡", "小康营乡", "韦营乡", "中连川乡", "哈岘乡", "清水驿乡", "龙泉乡", "园子岔乡", "上花岔乡"),
    ("发展和改革局", "教育局", "科学技术局", "工业和信息化局", "民政局", "司法局", "财政局", "人力资源和社会保障局",
     "自然资源局", "住房和城乡建设局", "交通运输局", "水务局", "农业农村局", "商务局", "文化和旅游局",
     "卫生健康局", "应急管理局", "审计局", "市场监督管理局", "统计局", "林业和草原局", "医疗保障局"),
    "730100", "0931", "http://www.yuzhong.gov.cn", contacts=("马建国", "王永红", "张晓燕", "李明辉", "赵文静"))

WEBID = 43
HOME_NAV = ((4701, "政务公开"), (4702, "政务要闻"), (4703, "政策解读"), (4704, "互动交流"), (4705, "走进榆中"))
HUB_ZWGK, HUB_XXGK = 4701, 4720
COL_A, UNIT_A = 4729, "26318"      # 政府信息公开年报: string datastore with nextgroup
COL_B, UNIT_B = 4731, "26320"      # 部门信息公开年报: JS array, the rest only from the old dataproxy path
PER_A, GROUP_A = 12, 2
PER_B, GROUP_B = 9, 3
PROXY = "/module/web/jpage/dataproxy.jsp"
OLD_PROXY = "/module/jslib/jquery/jpage/dataproxy.jsp"
XXGK_SIDE = ((4721, "政府信息公开指南"), (4722, "政府信息公开制度"), (4723, "法定主动公开内容"),
             (4724, "依申请公开"), (COL_A, "政府信息公开年报"), (COL_B, "部门信息公开年报"))

# The plugin the column pages call, cut to what they use: a first group from the page's variable (an XML
# string or an array of HTML strings), later groups POSTed to proxyUrl with the record window in the query.
PAGINATION_JS = r"""/* jquery.pagination (大汉网络 jpage) */
(function($){
function recs(x){if(Object.prototype.toString.call(x)==='[object Array]')return x.filter(function(r){return r!=='';});
var out=[],re=/<record><!\[CDATA\[([\s\S]*?)\]\]><\/record>/g,m;x=String(x||'');
if(x.indexOf('<record>')<0&&x.indexOf('[')>=0){try{return JSON.parse(x.slice(x.indexOf('['),x.lastIndexOf(']')+1));}catch(e){return out;}}
while((m=re.exec(x)))out.push(m[1]);return out;}
$.fn.pagination=function(o){var box=this[0];if(!box)return this;var per=o.perPage||10,group=o.groupSize||3,total=parseInt(o.totalRecord,10)||0,
pages=Math.max(1,Math.ceil(total/per)),all=[],list=document.createElement('div'),bar=document.createElement('div');
recs(o.dataStore).forEach(function(r,i){all[i]=r;});list.className='pagination_list';bar.className='pagination_bar';box.appendChild(list);box.appendChild(bar);
function b(t,p,on){return on?'<a href="javascript:;" data-p="'+p+'">'+t+'</a>':'<span>'+t+'</span>';}
function draw(p){var s=(p-1)*per;list.innerHTML=all.slice(s,s+per).join('');
bar.innerHTML='共'+total+'条 '+p+'/'+pages+'页 '+b('首页',1,p>1)+' '+b('上一页',p-1,p>1)+' '+b('下一页',p+1,p<pages)+' '+b('尾页',pages,p<pages);
box.setAttribute('data-page',String(p));Array.prototype.forEach.call(bar.querySelectorAll('a[data-p]'),function(a){a.onclick=function(){go(parseInt(a.getAttribute('data-p'),10));};});}
function go(p){var s=(p-1)*per,miss=false;for(var i=s;i<Math.min(s+per,total);i++)if(all[i]===undefined)miss=true;if(!miss)return draw(p);
var gs=Math.floor(s/(per*group))*per*group+1,ge=gs+per*group-1;$.ajax({url:o.proxyUrl+'?startrecord='+gs+'&endrecord='+ge+'&perpage='+per,type:'POST',data:o.ajaxParam,
success:function(t){recs(t).forEach(function(r,i){all[gs-1+i]=r;});draw(p);}});}
go(1);return this;};})(jQuery);
"""


def art_path(column: int, report: Report, lead: str = "/") -> str:
    d = report.published
    return f"{lead}art/{d.year}/{d.month}/{d.day}/art_{column}_{report.docid}.html"


def record(column: int, report: Report) -> str:
    """One list record as these templates write it: a one-row table, link in the second cell, date in a span.
    Column B's template links relative to the site root without the leading slash."""
    href = art_path(column, report, "/" if column == COL_A else "")
    return ('<table width="100%" border="0" cellspacing="0" cellpadding="0" class="bt_list"><tr>'
            '<td width="14" class="bt_dot"><img src="/images/dot.gif" alt=""></td>'
            f'<td class="bt_link"><a href="{href}" title="{esc(report.title)}" target="_blank">{esc(cut(report.title, 32))}</a></td>'
            f'<td width="90" class="bt_time"><span>{report.published:%Y-%m-%d}</span></td></tr></table>')


def js_string(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value not in (None, "") else default
    except ValueError:
        return default


class HanwebJsinit(Site):
    name = "hanweb_jsinit"
    title = NAME

    def __init__(self, scale: int = 1):
        super().__init__()
        rng = random.Random(f"hanweb_jsinit-{scale}")
        towns, depts = town_and_dept_reports(f"hanweb_jsinit-{scale}", COUNTY, 48 * scale, 30 * scale,
                                             range(2008, 2024))
        yaodian, bianzhi, guide, fmt, gongbao = lookalikes(COUNTY, ADDRESS, 2022)
        items = {COL_A: [*towns, yaodian, bianzhi, gongbao], COL_B: [*depts, guide, fmt]}
        assign_docids([r for col in items.values() for r in col], rng, 1102000)
        self.items = {}
        for column, reports in items.items():
            reports.sort(key=lambda r: (r.published, r.docid), reverse=True)
            self.items[column] = reports
            label = dict(XXGK_SIDE)[column]
            for report in reports:
                path = art_path(column, report)
                self.route(path, partial(self.article, report, column, label))
                if report.is_report:
                    self.add_report(report, [path])
                else:
                    self.add_lookalike(report, path)
        self.records = {c: [record(c, r) for r in rs] for c, rs in self.items.items()}
        n_a, n_b = len(self.records[COL_A]), len(self.records[COL_B])
        self.add_column(f"/col/col{COL_A}/index.html", reports=sum(r.is_report for r in self.items[COL_A]),
                        stated=n_a, needs="static",
                        note=f"first {PER_A * GROUP_A} records in a JS-string datastore; the next group only through "
                             f"its <nextgroup> link (dataproxy.jsp?page=2…), each answer naming the next")
        self.add_column(f"/col/col{COL_B}/index.html", reports=sum(r.is_report for r in self.items[COL_B]),
                        stated=n_b, needs="api",
                        note=f"first {PER_B * GROUP_B} records in a JS array; the rest only from {OLD_PROXY} "
                             f"(sourceContentType=3, startrecord/endrecord); "
                             f"record hrefs are relative (art/…) and resolve at the page's <base href=\"/\">")

        self.route("/", self.home)
        self.route("/index.html", self.home)
        self.route(f"/col/col{HUB_ZWGK}/index.html", self.hub_zwgk)
        self.route(f"/col/col{HUB_XXGK}/index.html", self.hub_xxgk)
        self.route(f"/col/col{COL_A}/index.html", self.column_a)
        self.route(f"/col/col{COL_B}/index.html", self.column_b)
        self.route("/module/jslib/jquery/jquery.js", lambda ctx: Reply(200, JQUERY_JS.encode(), "application/javascript"))
        self.route("/module/jslib/jquery/jquery.pagination.js",
                   lambda ctx: Reply(200, PAGINATION_JS.encode(), "application/javascript"))
        self.route("/module/visitcount/articlehits.jsp",
                   lambda ctx: Reply(200, f"document.write({ctx.hit()});".encode(), "application/javascript"))
        self.route("/module/visitcount/visit.jsp", lambda ctx: html_reply("<html><body></body></html>"))

    # -- dataproxy.jsp ----------------------------------------------------------------------------

    def dynamic(self, ctx: Context, path: str, query: str) -> Reply | None:
        if path in (PROXY, OLD_PROXY):
            return self.dataproxy(ctx, query)
        if path.startswith("/col/col") and path.endswith("/index.html"):
            colid = _int(path[len("/col/col"):-len("/index.html")], 0)
            label = dict((*HOME_NAV, *XXGK_SIDE)).get(colid)
            if label:
                return html_reply(self._page(label, [(f"/col/col{HUB_XXGK}/index.html", "政府信息公开")] if colid in
                                             dict(XXGK_SIDE) else [], '<div class="empty">暂无信息</div>', colid))
        return None

    def dataproxy(self, ctx: Context, query: str) -> Reply:
        req = ctx.request
        # a servlet's getParameter: the query string wins over the urlencoded body
        params = {**(req.form() if req.method == "POST" else {}), **dict(parse_qsl(query, keep_blank_values=True))}
        column = _int(params.get("columnid"), 0)
        records = self.records.get(column, [])
        default_per, group = (PER_A, GROUP_A) if column == COL_A else (PER_B, GROUP_B)
        per = max(_int(params.get("perpage"), default_per), 1)
        page = 0
        start = _int(params.get("startrecord"), 0)
        if start <= 0 and params.get("page"):
            page = max(_int(params.get("page"), 1), 1)
            start = (page - 1) * per * group + 1
        start = max(start, 1)
        end = _int(params.get("endrecord"), start + per * group - 1)
        window = records[start - 1:max(end, start - 1)]
        total = len(records)
        if params.get("sourceContentType") == "3":
            import json

            body = (f"totalRecord={total};totalPage={math.ceil(total / per)};"
                    f"InitData{params.get('unitid', '')}={json.dumps(window, ensure_ascii=False)};")
            return Reply(200, body.encode(), "text/html;charset=UTF-8")
        rows = "\n".join(f"<record><![CDATA[{r}]]></record>" for r in window)
        nextgroup = ""
        if page and end < total:
            nextgroup = f"<nextgroup><![CDATA[<a href=\"{self._group_link(column, page + 1)}\"></a>]]></nextgroup>\n"
        body = (f'<?xml version="1.0" encoding="UTF-8"?>\n<datastore>\n{nextgroup}<totalrecord>{total}</totalrecord>\n'
                f"<totalpage>{math.ceil(total / (per * group)) if total else 0}</totalpage>\n"
                f"<recordset>\n{rows}\n</recordset>\n</datastore>")
        return Reply(200, body.encode(), "text/xml;charset=UTF-8")

    def _group_link(self, column: int, page: int) -> str:
        unit = UNIT_A if column == COL_A else UNIT_B
        return (f"{PROXY}?page={page}&appid=1&webid={WEBID}&path=/&columnid={column}&unitid={unit}"
                f"&webname={NAME}&permissiontype=0")

    # -- pages ------------------------------------------------------------------------------------

    def _page(self, title: str, crumbs: list[tuple[str, str]], content: str, column: int = 0,
              head: str = "") -> str:
        nav = "".join(f'<li><a href="/col/col{c}/index.html" target="_self">{t}</a></li>' for c, t in HOME_NAV)
        crumb = " &gt; ".join(['<a href="/">首页</a>', *(f'<a href="{h}">{esc(t)}</a>' for h, t in crumbs)])
        visit = (f'<iframe src="/module/visitcount/visit.jsp?type=1&i_webid={WEBID}&i_columnid={column}" '
                 f'style="display:none"></iframe>' if column else "")
        return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>{esc(title)}</title>
<meta name="Generator" content="大汉版通" />
<meta name="Author" content="大汉网络" />
<meta name="SiteName" content="{NAME}" />
<meta name="SiteDomain" content="{DOMAIN}" />
<meta name="SiteIDCode" content="{SITE_CODE}" />
{head}
<link href="/images/base.css" rel="stylesheet" type="text/css" />
<script type="text/javascript" src="/module/jslib/jquery/jquery.js"></script>
<script type="text/javascript" src="/script/pagecontrol.js"></script>
</head>
<body>
<div class="top"><div class="w1000"><span class="fl">今天是：2024年3月18日 星期一</span>
<span class="fr"><a href="javascript:;" id="zhuangtai">无障碍浏览</a> | <a href="/jact/front/login.do">登录</a> | <a href="/jact/front/reg.do">注册</a></span></div></div>
<div class="banner"><div class="w1000"><img src="/images/logo.png" alt="{NAME}" />
<form action="/jsearchfront/search.do" method="get" target="_blank"><input type="hidden" name="websiteid" value="620123000000000" />
<input type="text" name="q" value="" /><input type="submit" value="搜索" /></form></div></div>
<div class="nav"><ul class="w1000"><li><a href="/">首页</a></li>{nav}</ul></div>
<div class="w1000 main">
<div class="dqwz">当前位置：{crumb}</div>
{content}
</div>
{gov_footer(NAME, "榆中县人民政府办公室", SITE_CODE, ICP, POLICE, ADDRESS, PHONE)}
{visit}
<a href="http://www.hanweb.com" style="display:none">Produced By 大汉网络 大汉版通发布系统</a>
</body>
</html>
"""

    def _side(self, current: int) -> str:
        on = ' class="on"'
        lis = "".join(f'<li{on if c == current else ""}><a href="/col/col{c}/index.html">{t}</a></li>'
                      for c, t in XXGK_SIDE)
        return f'<div class="left_nav"><div class="left_tit">政府信息公开</div><ul>{lis}</ul></div>'

    def _column(self, column: int, unit: str, init_var: str, datastore: str, pagination: str) -> Reply:
        label = dict(XXGK_SIDE)[column]
        content = f"""{self._side(column)}
<div class="right_con"><div class="right_tit"><span>{label}</span></div>
<div id="{unit}"></div>
<script type="text/javascript">
var {init_var} = {datastore};
</script>
<script type="text/javascript" src="/module/jslib/jquery/jquery.pagination.js"></script>
<script type="text/javascript">
$(function(){{
    $("#{unit}").pagination({{
{pagination}
    }});
}});
</script>
</div>"""
        crumbs = [(f"/col/col{HUB_ZWGK}/index.html", "政务公开"), (f"/col/col{HUB_XXGK}/index.html", "政府信息公开"),
                  (f"/col/col{column}/index.html", label)]
        head = f'<meta name="ColumnName" content="{label}" />\n<meta name="ColumnType" content="{label}" />'
        if column == COL_B:
            # the template's records link "art/…" without a leading slash; the page resolves them at the root
            head += '\n<base href="/" />'
        return html_reply(self._page(f"{label}-{NAME}", crumbs, content, column, head))

    def column_a(self, ctx: Context) -> Reply:
        records = self.records[COL_A]
        first = records[:PER_A * GROUP_A]
        parts = ["'<datastore>'"]
        if len(records) > len(first):
            parts.append(js_string(f'<nextgroup><![CDATA[<a href="{self._group_link(COL_A, 2)}"></a>]]></nextgroup>'))
        parts.append("'<recordset>'")
        parts += [js_string(f"<record><![CDATA[{r}]]></record>") for r in first]
        parts.append("'</recordset></datastore>'")
        datastore = "\n    + ".join(parts)
        pagination = f"""        totalRecord: {len(records)},
        dataStore: InitData{UNIT_A},
        proxyUrl: '{PROXY}',
        perPage: {PER_A},
        groupSize: {GROUP_A},
        showMode: 'full',
        barPosition: 'bottom',
        ajaxParam: {{col:1,appid:1,webid:{WEBID},path:'/',columnid:{COL_A},sourceContentType:1,unitid:'{UNIT_A}',webname:'{NAME}',permissiontype:0}}"""
        return self._column(COL_A, UNIT_A, f"InitData{UNIT_A}", datastore, pagination)

    def column_b(self, ctx: Context) -> Reply:
        records = self.records[COL_B]
        first = records[:PER_B * GROUP_B]
        datastore = "[\n    " + ",\n    ".join(js_string(r) for r in first) + ",\n    ''\n]"
        pagination = f"""        totalRecord: {len(records)},
        dataStore: InitData{UNIT_B},
        proxyUrl: '{OLD_PROXY}',
        perPage: {PER_B},
        groupSize: {GROUP_B},
        barPosition: 'bottom',
        ajaxParam: {{col:1,appid:1,webid:{WEBID},path:'/',columnid:{COL_B},sourceContentType:3,unitid:'{UNIT_B}',webname:'{NAME}',permissiontype:0}}"""
        return self._column(COL_B, UNIT_B, f"InitData{UNIT_B}", datastore, pagination)

    def article(self, report: Report, column: int, label: str, ctx: Context) -> Reply:
        d = report.published
        content = f"""<div class="art_box">
<table class="xxgk_table" width="100%" border="0" cellspacing="1" cellpadding="0"><tbody>
<tr><td class="t">索\xa0\xa0引\xa0\xa0号：</td><td>013880000/{d.year}-{report.docid % 100000:05d}</td><td class="t">发布机构：</td><td>{esc(report.source)}</td></tr>
<tr><td class="t">生成日期：</td><td>{d:%Y-%m-%d}</td><td class="t">公开方式：</td><td>主动公开</td></tr></tbody></table>
<div class="art_title">{esc(report.title)}</div>
<div class="art_info">发布时间：<!--<$[发布日期]>begin-->{d:%Y-%m-%d}<!--<$[发布日期]>end-->　
信息来源：<!--<$[信息来源]>begin-->{esc(report.source)}<!--<$[信息来源]>end-->　
浏览次数：<script language="javascript" src="/module/visitcount/articlehits.jsp?colid={column}&artid={report.docid}"></script>　
【字体：<a href="javascript:doZoom(16)">大</a> <a href="javascript:doZoom(14)">中</a> <a href="javascript:doZoom(12)">小</a>】</div>
<div id="zoom"><!--<$[信息内容]>begin-->{body_html(report, "hanweb")}<!--<$[信息内容]>end--></div>
<div class="art_tools">【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】</div>
</div>
<iframe src="/module/visitcount/visit.jsp?type=3&i_webid={WEBID}&i_columnid={column}&i_articleid={report.docid}" style="display:none"></iframe>"""
        crumbs = [(f"/col/col{HUB_ZWGK}/index.html", "政务公开"), (f"/col/col{HUB_XXGK}/index.html", "政府信息公开"),
                  (f"/col/col{column}/index.html", label)]
        head = (f'<meta name="ArticleTitle" content="{esc(report.title)}" />\n'
                f'<meta name="PubDate" content="{d:%Y-%m-%d} 10:{report.docid % 60:02d}" />\n'
                f'<meta name="ContentSource" content="{esc(report.source)}" />\n<meta name="ColumnName" content="{label}" />')
        return html_reply(self._page(f"{report.title}-{NAME}", crumbs, content, 0, head))

    def hub_zwgk(self, ctx: Context) -> Reply:
        blocks = (("政府信息公开", [(f"/col/col{HUB_XXGK}/index.html", "政府信息公开"), ("/col/col4721/index.html", "政府信息公开指南"),
                                  (f"/col/col{COL_A}/index.html", "政府信息公开年报")]),
                  ("重点领域", [("/col/col4741/index.html", "财政预决算"), ("/col/col4742/index.html", "重大建设项目"),
                             ("/col/col4743/index.html", "公共资源配置")]),
                  ("政策文件", [("/col/col4751/index.html", "县政府文件"), ("/col/col4752/index.html", "县政府办文件")]))
        content = "".join(f'<div class="gk_block"><div class="gk_tit">{t}</div><ul>'
                          + "".join(f'<li><a href="{h}">{x}</a></li>' for h, x in links) + "</ul></div>"
                          for t, links in blocks)
        return html_reply(self._page(f"政务公开-{NAME}", [(f"/col/col{HUB_ZWGK}/index.html", "政务公开")], content,
                                     HUB_ZWGK, '<meta name="ColumnName" content="政务公开" />'))

    def hub_xxgk(self, ctx: Context) -> Reply:
        content = self._side(0) + '<div class="right_con"><p>依据《中华人民共和国政府信息公开条例》，本栏目集中发布榆中县人民政府及其部门、乡镇的政府信息。</p></div>'
        return html_reply(self._page(f"政府信息公开-{NAME}", [(f"/col/col{HUB_ZWGK}/index.html", "政务公开"),
                                                          (f"/col/col{HUB_XXGK}/index.html", "政府信息公开")],
                                     content, HUB_XXGK, '<meta name="ColumnName" content="政府信息公开" />'))

    def home(self, ctx: Context) -> Reply:
        news = (("榆中县召开2024年全县经济工作会议", dt.date(2024, 3, 12)), ("榆中县启动春季造林绿化工作", dt.date(2024, 3, 6)),
                ("榆中县开展“3·15”消费者权益日宣传活动", dt.date(2024, 3, 15)))
        lis = "".join(f'<li><a href="/col/col4702/index.html">{t}</a><span>{d:%m-%d}</span></li>' for t, d in news)
        content = (f'<div class="home_news"><div class="tit"><a href="/col/col4702/index.html">政务要闻</a></div><ul>{lis}</ul></div>'
                   f'<div class="home_gk"><a href="/col/col{HUB_ZWGK}/index.html"><img src="/images/zwgk.png" alt="政务公开"></a></div>')
        return html_reply(self._page(NAME, [], content).replace('<div class="dqwz">当前位置：<a href="/">首页</a></div>', ""))
