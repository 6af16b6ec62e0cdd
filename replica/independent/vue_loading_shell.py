"""五常市人民政府 政务公开平台 (黑龙江): a disclosure platform whose pages are an app root showing 加载中… and an
external bundle; the column list comes from a JSON API that the bundle calls by XHR, and whose records carry an
id but no URL.

Evidence (the public scrapers of zwgk.hlj.gov.cn, 黑龙江省政务公开平台, in the code corpus, and
shared/reference/portals.md §3 "Heilongjiang ``publicInfo/searchFile?chanPath=2,&page=N&limit=10`` →
``data.records[]{id,publishTime(epoch)}``"):
- list pages ``/zwgk/zc_list?chanId=213&chanP=2,213,&chanName=…`` (the scrapers' Referer), the platform's index
  ``/zwgk/gzk_index``-style;
- the list API ``/zwgk/publicInfo/searchFile?chanPath=2,213,`` POSTed as a form ``chanId=213&chanP=2%2C213%2C&
  chanName=…&page=N&limit=100&total=369`` (one scraper GETs ``…searchFile?chanPath=2,&chanP=2%2C&page=2&limit=10&
  total=0`` with everything in the query), answering a MyBatis-Plus page:
  ``{"code":"0","serverTime":…,"data":{"records":[{"docType","id","title","publishTime" (epoch seconds),
  "editTime","createTime","deptName","fileNumber"}],"total","size","current","orders":[],"searchCount":true,
  "pages"}}``;
- the article URL built from the id, ``/zwgk/publicInfo/detail?id=448572``, a server-rendered page whose body the
  scrapers read from ``div.zwnr``.

Variant exercised: the app root is ``<div id="zwgk-app"><div class="app-loading">加载中…</div></div>`` (not
``#app``) with ``/zwgk/static/js/chunk-vendors.*.js`` and ``/zwgk/static/js/app.*.js``; the channel tree of the
platform index also comes from the API (``/zwgk/publicInfo/chanTree``), and the list records have no URL: the
bundle makes ``/zwgk/publicInfo/detail?id=<id>`` of each id.  The list API pages by ``page``/``limit``; parameters
are read as a servlet reads them (query or form body).  The column's ``stated`` is the API's ``data.total`` (the
shell prints no count); needs ``api`` (replaying the XHR gives every record, the detail URL template is in the
bundle).  Home → 政务公开 (shell, tree from the API) → 政府信息公开年报 (shell); the home page also has a quick link
to the column, as portal homes do.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
from functools import partial
from urllib.parse import quote

from ..fillers import County, filler_reports
from ..reports import Report, body_html
from ..server import Context, Reply, html_reply
from ..site import Site, assign_docids
from ._kit_a import esc, gov_footer, lookalikes

NAME = "五常市人民政府"
SITE_CODE = "2301840001"
ICP = "黑ICP备05002876号"
POLICE = "黑公网安备 23018402000112号"
ADDRESS = "黑龙江省哈尔滨市五常市五常镇政府街1号"
PHONE = "0451-53522345"
COUNTY = County(
    "五常市", NAME,
    ("五常镇", "山河镇", "小山子镇", "安家镇", "牛家满族镇", "杜家镇", "背荫河镇", "拉林满族镇", "向阳镇",
     "龙凤山镇", "冲河镇", "沙河子镇", "志广乡", "卫国乡", "营城子满族乡", "红旗满族乡", "民意乡"),
    ("发展和改革局", "教育局", "科学技术局", "工业和信息化局", "民政局", "司法局", "财政局", "人力资源和社会保障局",
     "自然资源局", "住房和城乡建设局", "交通运输局", "水务局", "农业农村局", "商务局", "文体广电和旅游局",
     "卫生健康局", "应急管理局", "审计局", "市场监督管理局", "统计局", "林业和草原局", "医疗保障局"),
    "150200", "0451", "http://www.hljwch.gov.cn", contacts=("孙立国", "刘淑华", "王海涛", "徐丽娟", "高志刚"))

CHAN_REPORTS = 216
LIMIT = 10
BUNDLE = "/zwgk/static/js/app.8c1d2e07.js"
VENDORS = "/zwgk/static/js/chunk-vendors.4f2a1c93.js"
TREE = [
    {"chanId": 211, "chanName": "政府信息公开指南", "chanP": "2,211,", "children": []},
    {"chanId": 212, "chanName": "政府信息公开制度", "chanP": "2,212,", "children": []},
    {"chanId": 213, "chanName": "法定主动公开内容", "chanP": "2,213,", "children": [
        {"chanId": 2131, "chanName": "机构职能", "chanP": "2,213,2131,", "children": []},
        {"chanId": 2132, "chanName": "政策文件", "chanP": "2,213,2132,", "children": []}]},
    {"chanId": 214, "chanName": "依申请公开", "chanP": "2,214,", "children": []},
    {"chanId": CHAN_REPORTS, "chanName": "政府信息公开年报", "chanP": f"2,{CHAN_REPORTS},", "children": []},
]


def list_path(chan: dict) -> str:
    """The list page of a channel as the bundle writes it (encodeURIComponent of the name, commas left raw)."""
    return f"/zwgk/zc_list?chanId={chan['chanId']}&chanP={chan['chanP']}&chanName={quote(chan['chanName'])}"


REPORTS_LIST = list_path(TREE[-1])


def detail_path(report: Report) -> str:
    return f"/zwgk/publicInfo/detail?id={report.docid}"


def _epoch(day: dt.date, docid: int) -> int:
    # Beijing time office hours of the publication day, as epoch seconds
    moment = dt.datetime(day.year, day.month, day.day, 9 + docid % 8, docid % 60, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    return int(moment.timestamp())


# What a Vue CLI build leaves in chunk-vendors: runtime noise only (the app below does its own XHR and DOM work).
VENDORS_JS = """(window["webpackJsonp"]=window["webpackJsonp"]||[]).push([["chunk-vendors"],{"2b0e":function(e,t,n){"use strict";
/*! Vue.js v2.6.14 (c) 2014-2021 Evan You Released under the MIT License. */ e.exports={version:"2.6.14"}}}]);
"""

# The app: reads its route from the page URL, asks the API, renders the tree or the list and a pager.
APP_JS = r"""(function(){"use strict";
var root=document.getElementById("zwgk-app");if(!root)return;
function q(name){var m=new RegExp("[?&]"+name+"=([^&]*)").exec(location.search);return m?decodeURIComponent(m[1]):"";}
function post(url,form,done){var x=new XMLHttpRequest();x.open("POST",url,true);
x.setRequestHeader("Content-Type","application/x-www-form-urlencoded; charset=UTF-8");x.setRequestHeader("X-Requested-With","XMLHttpRequest");
x.onreadystatechange=function(){if(x.readyState===4&&x.status===200)done(JSON.parse(x.responseText));};
x.send(Object.keys(form).map(function(k){return encodeURIComponent(k)+"="+encodeURIComponent(form[k]);}).join("&"));}
function esc(s){return String(s).replace(/[&<>"]/g,function(c){return{"&":"&amp;","<":"&lt;",">":"&gt;",'"':"&quot;"}[c];});}
function day(t){var d=new Date((t+8*3600)*1000);return d.getUTCFullYear()+"-"+("0"+(d.getUTCMonth()+1)).slice(-2)+"-"+("0"+d.getUTCDate()).slice(-2);}
function listUrl(c){return "/zwgk/zc_list?chanId="+c.chanId+"&chanP="+c.chanP+"&chanName="+encodeURIComponent(c.chanName);}
function tree(){post("/zwgk/publicInfo/chanTree",{siteId:"1"},function(r){var h="";(r.data||[]).forEach(function(c){
h+='<li><a href="'+listUrl(c)+'">'+esc(c.chanName)+"</a>";if(c.children&&c.children.length){h+="<ul>";
c.children.forEach(function(s){h+='<li><a href="'+listUrl(s)+'">'+esc(s.chanName)+"</a></li>";});h+="</ul>";}h+="</li>";});
root.innerHTML='<div class="zwgk-tree"><ul>'+h+"</ul></div>";});}
function list(page){var chanId=q("chanId"),chanP=q("chanP");
post("/zwgk/publicInfo/searchFile?chanPath="+chanP,{chanId:chanId,chanP:chanP,chanName:q("chanName"),page:page,limit:10,total:0},function(r){
var d=r.data||{records:[]},h='<div class="list-tit">'+esc(q("chanName"))+'</div><ul class="zc-list">';
d.records.forEach(function(a){h+='<li><a href="/zwgk/publicInfo/detail?id='+a.id+'" target="_blank" title="'+esc(a.title)+'">'+esc(a.title)+
'</a><span class="dept">'+esc(a.deptName)+'</span><span class="date">'+day(a.publishTime)+"</span></li>";});
h+='</ul><div class="el-pagination"><span class="el-pagination__total">共 '+d.total+' 条</span>';
for(var p=1;p<=d.pages;p++)h+=p===d.current?'<span class="number active">'+p+"</span>":'<a class="number" href="javascript:;" data-p="'+p+'">'+p+"</a>";
root.innerHTML=h+"</div>";root.setAttribute("data-page",String(d.current));
Array.prototype.forEach.call(root.querySelectorAll("a[data-p]"),function(a){a.onclick=function(){list(parseInt(a.getAttribute("data-p"),10));};});});}
if(location.pathname.indexOf("zc_list")>=0)list(1);else tree();})();
"""


class VueLoadingShell(Site):
    name = "vue_loading_shell"
    title = NAME

    def __init__(self, scale: int = 1):
        super().__init__()
        rng = random.Random(f"vue_loading_shell-{scale}")
        fillers = filler_reports(f"vue_loading_shell-fillers-{scale}", COUNTY, 36 * scale, range(2008, 2024))
        yaodian, bianzhi, guide, fmt, gongbao = lookalikes(COUNTY, ADDRESS, 2023)
        items = [*fillers, yaodian, bianzhi, gongbao, fmt]
        assign_docids(items, rng, 448000)
        items.sort(key=lambda r: (r.published, r.docid), reverse=True)
        self.items = items
        for report in items:
            path = detail_path(report)
            self.route(path, partial(self.detail, report))
            if report.is_report:
                self.add_report(report, [path])
            else:
                self.add_lookalike(report, path)
        self.add_column(REPORTS_LIST, reports=len(fillers), stated=len(items), needs="api",
                        note="app shell (#zwgk-app 加载中…); records from POST /zwgk/publicInfo/searchFile "
                             "(page/limit, data.records/total/pages) carry only ids; the bundle links "
                             "/zwgk/publicInfo/detail?id=<id>")
        self.route("/", self.home)
        self.route("/index.html", self.home)
        self.route("/zwgk/index", self.shell_index)
        self.route("/zwgk/zc_list", self.shell_list)
        self.route("/zwgk/publicInfo/searchFile", self.search_file)
        self.route("/zwgk/publicInfo/chanTree", self.chan_tree)
        self.route(BUNDLE, lambda ctx: Reply(200, APP_JS.encode(), "application/javascript; charset=utf-8"))
        self.route(VENDORS, lambda ctx: Reply(200, VENDORS_JS.encode(), "application/javascript; charset=utf-8"))

    # -- API --------------------------------------------------------------------------------------

    def _params(self, ctx: Context) -> dict[str, str]:
        req = ctx.request
        return {**(req.form() if req.method == "POST" else {}), **req.args()}

    def _json(self, data) -> Reply:
        return Reply(200, json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode(),
                     "application/json;charset=UTF-8")

    def search_file(self, ctx: Context) -> Reply:
        params = self._params(ctx)
        chan = params.get("chanId") or params.get("chanPath", "").rstrip(",").rsplit(",", 1)[-1]
        items = self.items if chan == str(CHAN_REPORTS) else []
        try:
            page = max(int(params.get("page") or 1), 1)
            limit = min(max(int(params.get("limit") or LIMIT), 1), 100)
        except ValueError:
            return self._json({"code": "500", "msg": "参数错误", "data": None})
        window = items[(page - 1) * limit:page * limit]
        records = [{"docType": 2, "id": r.docid, "title": r.title, "publishTime": _epoch(r.published, r.docid),
                    "editTime": _epoch(r.published, r.docid) - 3600 * 24, "createTime": _epoch(r.published, r.docid) + 145,
                    "deptName": r.source, "fileNumber": ""} for r in window]
        return self._json({"code": "0", "serverTime": 1710720000, "data": {
            "records": records, "total": len(items), "size": limit, "current": page, "orders": [],
            "searchCount": True, "pages": math.ceil(len(items) / limit)}})

    def chan_tree(self, ctx: Context) -> Reply:
        return self._json({"code": "0", "data": TREE})

    # -- pages ------------------------------------------------------------------------------------

    def _page(self, title: str, crumbs: list[tuple[str, str]], content: str, head: str = "",
              scripts: str = "") -> str:
        crumb = " &gt; ".join(['<a href="/">首页</a>', *(f'<a href="{esc(h)}">{esc(t)}</a>' for h, t in crumbs)])
        return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="SiteName" content="{NAME}">
<meta name="SiteIDCode" content="{SITE_CODE}">
{head}
<title>{esc(title)}</title>
<link href="/zwgk/static/css/app.3d5e1a77.css" rel="stylesheet">
</head>
<body>
<div class="zwgk-header"><div class="wrap"><img src="/zwgk/static/img/logo.png" alt="{NAME}"><span class="platform">政务公开平台</span>
<span class="links"><a href="/">网站首页</a> | <a href="javascript:;">无障碍</a> | <a href="javascript:;">长者版</a></span></div></div>
<div class="zwgk-nav"><a href="/">首页</a><a href="/zwgk/index">政务公开</a><a href="{esc(REPORTS_LIST)}">政府信息公开年报</a><a href="/hdjl/">互动交流</a></div>
<div class="wrap"><div class="crumb">当前位置：{crumb}</div>
{content}
</div>
{gov_footer(NAME, "五常市人民政府办公室", SITE_CODE, ICP, POLICE, ADDRESS, PHONE)}
{scripts}
</body>
</html>
"""

    def _shell(self, title: str, crumbs: list[tuple[str, str]]) -> Reply:
        content = ('<div id="zwgk-app"><div class="app-loading"><i class="el-icon-loading"></i>加载中…</div></div>\n'
                   '<noscript><strong>本平台需要启用JavaScript，请开启后刷新页面。</strong></noscript>')
        scripts = (f'<script src="{VENDORS}"></script>\n<script src="{BUNDLE}"></script>')
        return html_reply(self._page(f"{title}-{NAME}", crumbs, content, scripts=scripts))

    def shell_index(self, ctx: Context) -> Reply:
        return self._shell("政务公开", [("/zwgk/index", "政务公开")])

    def shell_list(self, ctx: Context) -> Reply:
        name = ctx.request.args().get("chanName", "")
        return self._shell(name or "政务公开", [("/zwgk/index", "政务公开"), (ctx.request.path + "?" + ctx.request.query, name)])

    def detail(self, report: Report, ctx: Context) -> Reply:
        d = report.published
        content = f"""<div class="gkxl">
<table class="gkxl-top" width="100%"><tbody>
<tr><th>索引号：</th><td>11230184MB{report.docid % 1000000:06d}/{d.year}-{report.docid % 1000:05d}</td><th>发布机构：</th><td>{esc(report.source)}</td></tr>
<tr><th>主题分类：</th><td>综合政务</td><th>发布日期：</th><td>{d.year}年{d.month:02d}月{d.day:02d}日</td></tr>
<tr><th>标题：</th><td colspan="3">{esc(report.title)}</td></tr></tbody></table>
<div class="zwbt">{esc(report.title)}</div>
<div class="zwnr">{body_html(report, "old")}</div>
<div class="gkxl-tools"><a href="javascript:window.print();">【打印】</a><a href="javascript:window.close();">【关闭】</a></div>
</div>"""
        head = (f'<meta name="ArticleTitle" content="{esc(report.title)}">\n<meta name="PubDate" content="{d:%Y-%m-%d} 09:30">\n'
                f'<meta name="ContentSource" content="{esc(report.source)}">\n<meta name="ColumnName" content="政府信息公开年报">')
        return html_reply(self._page(f"{report.title}-{NAME}", [("/zwgk/index", "政务公开"),
                                                               (REPORTS_LIST, "政府信息公开年报")], content, head))

    def home(self, ctx: Context) -> Reply:
        news = (("五常市召开2024年优化营商环境工作会议", "03-14"), ("五常市启动春耕备耕农资保障专项行动", "03-08"),
                ("五常大米品牌推介会在哈尔滨举行", "03-02"))
        lis = "".join(f'<li><a href="/zwgk/index">{t}</a><span>{d}</span></li>' for t, d in news)
        content = (f'<div class="home-news"><div class="tit">五常要闻</div><ul>{lis}</ul></div>'
                   f'<div class="home-gk"><a href="/zwgk/index">政务公开</a><a href="{esc(REPORTS_LIST)}">政府信息公开年报</a>'
                   f'<a href="/zwgk/zc_list?chanId=211&chanP=2,211,&chanName={quote("政府信息公开指南")}">政府信息公开指南</a></div>')
        page = self._page(NAME, [], content)
        return html_reply(page.replace('<div class="crumb">当前位置：<a href="/">首页</a></div>', ""))
