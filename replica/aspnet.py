"""威远县人民政府 (四川): an ASP.NET WebForms portal in GBK whose list pages come only by __doPostBack.

``/List.aspx?ClassID=63`` (GET) is page 1 of 政府信息公开年报.  Later pages exist only as the same URL
POSTed back, as the AspNetPager links ``javascript:__doPostBack('ctl00$ContentPlaceHolder1$AspNetPager1','N')``
make a browser do::

    POST /List.aspx?ClassID=63
    __EVENTTARGET=ctl00$ContentPlaceHolder1$AspNetPager1&__EVENTARGUMENT=N
    &__VIEWSTATE=…&__VIEWSTATEGENERATOR=…&__EVENTVALIDATION=…   (the hidden fields of the page just read)
    &ctl00$ContentPlaceHolder1$AspNetPager1_input=<page box>&ctl00$txtKeyword=

``__VIEWSTATE`` is an ObjectStateFormatter blob (``/wEP…``: the control tree with the pager's
CurrentPageIndex/RecordCount and the repeater's item count) followed by an HMAC-SHA256 MAC;
``__EVENTVALIDATION`` (``/wEW…``) lists a hash of that viewstate and one hash per postback the page
allows, MAC'd the same way.  A viewstate or event validation the server did not issue (missing, cut,
re-encoded, tampered) gets HTTP 500 with ASP.NET's page "验证视图状态 MAC 失败" (Validation of viewstate
MAC failed); a genuine pair whose event is not one the page allows (another target, a page number
out of range, or an event validation from another page's viewstate) gets HTTP 500 "回发或回调参数无效"
(Invalid postback or callback argument).  Any viewstate the server issued works with any later list
page of the site (WebForms keys its MAC on the page class, not on the query string), and a POST with
valid fields but no event target re-renders the page the viewstate recorded.  ``?page=N`` and the like
are ignored, as WebForms ignores them.  Paths are case-insensitive (IIS).

Pages are GBK encoded and declared ``charset=gb2312`` (header and ``<meta>``), as ASP.NET with
``responseEncoding="gb2312"`` sends them.  Details are plain GETs: ``/Show.aspx?id=NNN``.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import random
import secrets
import struct
from urllib.parse import parse_qsl

from . import templates as T
from .fillers import County, filler_reports
from .reports import Report, body_html, load_blocks
from .server import Context, Reply
from .site import Site

PORTAL = T.Portal("威远县人民政府", "www.weiyuan.gov.cn", "5110240001", "蜀ICP备05012873号",
                  "川公网安备 51102402000108号", "威远县人民政府办公室", "四川省内江市威远县严陵镇新华街1号",
                  "0832-8222345")
WEIYUAN = County(
    "威远县", "威远县人民政府",
    ("严陵镇", "新店镇", "向义镇", "界牌镇", "龙会镇", "高石镇", "东联镇", "越溪镇", "两河镇", "山王镇", "镇西镇",
     "连界镇", "观英滩镇", "新场镇", "小河镇"),
    ("发展和改革局", "教育和体育局", "经济科技和信息化局", "民政局", "司法局", "财政局", "人力资源和社会保障局",
     "自然资源和规划局", "住房和城乡建设局", "交通运输局", "水利局", "农业农村局", "商务局", "文化广播电视和旅游局",
     "卫生健康局", "退役军人事务局", "应急管理局", "审计局", "市场监督管理局", "统计局", "医疗保障局"),
    "642450", "0832", "http://www.weiyuan.gov.cn")

REPORT_CLASS, GUIDE_CLASS = 63, 61
CLASSES = {REPORT_CLASS: "政府信息公开年报", GUIDE_CLASS: "政府信息公开指南"}
PER_PAGE = 10
PAGER = "ctl00$ContentPlaceHolder1$AspNetPager1"
GENERATOR = "2173C2F0"          # hash of the page class (List.aspx), as ASP.NET prints it
PAGE_HASH = "-1425369457"
CONTENT_TYPE = "text/html; charset=gb2312"
ASPNET_HEADERS = [("Cache-Control", "private"), ("X-AspNet-Version", "4.0.30319"), ("X-Powered-By", "ASP.NET")]


# -- ObjectStateFormatter, the subset WebForms pages use ---------------------------------------------

class Pair(tuple):
    pass


class IndexedString(str):
    pass


def _uint7(n: int) -> bytes:
    n &= 0xFFFFFFFF
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _serialize(value, out: bytearray) -> None:
    if value is None:
        out.append(100)                                     # Token_Null
    elif isinstance(value, Pair):
        out.append(15)                                      # Token_Pair
        _serialize(value[0], out)
        _serialize(value[1], out)
    elif isinstance(value, list):
        out.append(22)                                      # Token_ArrayList
        out += _uint7(len(value))
        for item in value:
            _serialize(item, out)
    elif isinstance(value, bool):
        out.append(103 if value else 104)                   # Token_True / Token_False
    elif isinstance(value, int):
        if value == 0:
            out.append(102)                                 # Token_ZeroInt32
        else:
            out.append(2)                                   # Token_Int32
            out += _uint7(value)
    elif isinstance(value, IndexedString):
        data = value.encode("utf-8")
        out.append(30)                                      # Token_IndexedStringAdd
        out += _uint7(len(data)) + data
    elif isinstance(value, str):
        data = value.encode("utf-8")
        out.append(5)                                       # Token_String
        out += _uint7(len(data)) + data
    else:
        raise TypeError(f"cannot serialise {value!r}")


def _deserialize(data: bytes, pos: int):
    """(value, next position); raises ValueError on anything malformed."""
    def uint7(p):
        n = shift = 0
        while True:
            if p >= len(data) or shift > 28:
                raise ValueError("bad 7-bit integer")
            b = data[p]
            n |= (b & 0x7F) << shift
            p += 1
            shift += 7
            if not b & 0x80:
                return n, p
    if pos >= len(data):
        raise ValueError("truncated")
    token, pos = data[pos], pos + 1
    if token == 100:
        return None, pos
    if token in (102,):
        return 0, pos
    if token in (103, 104):
        return token == 103, pos
    if token == 2:
        n, pos = uint7(pos)
        return n - (1 << 32) if n & 0x80000000 else n, pos
    if token in (5, 30):
        n, pos = uint7(pos)
        if pos + n > len(data):
            raise ValueError("truncated string")
        return data[pos:pos + n].decode("utf-8"), pos + n
    if token == 15:
        a, pos = _deserialize(data, pos)
        b, pos = _deserialize(data, pos)
        return Pair((a, b)), pos
    if token == 22:
        n, pos = uint7(pos)
        items = []
        for _ in range(n):
            item, pos = _deserialize(data, pos)
            items.append(item)
        return items, pos
    raise ValueError(f"unknown token {token}")


def _hash32(text: str) -> int:
    """A stable signed 32-bit string hash (what event validation stores per postback)."""
    return struct.unpack("<i", hashlib.md5(text.encode("utf-8")).digest()[:4])[0]


class StateCodec:
    """Issues and checks __VIEWSTATE / __EVENTVALIDATION with the site's machine key."""

    def __init__(self, key: bytes):
        self.key = key

    def _mac(self, payload: bytes) -> bytes:
        return hmac.new(self.key, payload + struct.pack("<I", int(GENERATOR, 16)), hashlib.sha256).digest()

    def seal(self, value) -> str:
        out = bytearray(b"\xff\x01")
        _serialize(value, out)
        return base64.b64encode(bytes(out) + self._mac(bytes(out))).decode()

    def open(self, field: str | None):
        """The value a sealed field holds, or None when it is missing, malformed or not ours."""
        if not field:
            return None
        try:
            raw = base64.b64decode(field, validate=True)
        except ValueError:
            return None
        payload, mac = raw[:-32], raw[-32:]
        if len(payload) < 3 or not payload.startswith(b"\xff\x01") or not hmac.compare_digest(mac, self._mac(payload)):
            return None
        try:
            value, end = _deserialize(payload, 2)
        except ValueError:
            return None
        return value if end == len(payload) else None


def _pair(first, second) -> Pair:
    return Pair((first, second))


def viewstate_value(page: int, total: int, rows: int) -> Pair:
    """The control tree a list page saves: repeater item count and the pager's state bag."""
    content = _pair(None, [
        5, _pair([IndexedString("_!ItemCount"), rows], None),
        9, _pair([IndexedString("CurrentPageIndex"), page, IndexedString("RecordCount"), total,
                  IndexedString("PageSize"), PER_PAGE], None),
    ])
    tree = _pair(None, [1, _pair(None, [3, content])])
    return _pair(_pair(PAGE_HASH, tree), None)


def viewstate_page(value) -> int | None:
    """CurrentPageIndex recorded in a list page's viewstate."""
    try:
        bag = value[0][1][1][1][1][1][1][3][0]
        return bag[bag.index("CurrentPageIndex") + 1]
    except (TypeError, IndexError, ValueError, KeyError):
        return None


# -- error pages --------------------------------------------------------------------------------------

_YSOD = """<!DOCTYPE html>
<html>
    <head>
        <title>{title}</title>
        <meta name="viewport" content="width=device-width" />
        <style>
         body {{font-family:"Verdana";font-weight:normal;font-size: .7em;color:black;}}
         p {{font-family:"Verdana";font-weight:normal;color:black;margin-top: -5px}}
         b {{font-family:"Verdana";font-weight:bold;color:black;margin-top: -5px}}
         H1 {{ font-family:"Verdana";font-weight:normal;font-size:18pt;color:red }}
         H2 {{ font-family:"Verdana";font-weight:normal;font-size:14pt;color:maroon }}
         pre {{font-family:"Consolas","Lucida Console",Monospace;font-size:11pt;margin:0;padding:0.5em;line-height:14pt}}
        </style>
    </head>

    <body bgcolor="white">

            <span><H1>“/”应用程序中的服务器错误。<hr width=100% size=1 color=silver></H1>

            <h2> <i>{title}</i> </h2></span>

            <font face="Arial, Helvetica, Geneva, SunSans-Regular, sans-serif ">

            <b> 说明: </b>执行当前 Web 请求期间，出现未经处理的异常。请检查堆栈跟踪信息，以了解有关该错误以及代码中导致错误的出处的详细信息。

            <br><br>

            <b> 异常详细信息: </b>{exception}: {title}<br><br>

            <b>源错误:</b> <br><br>

            <table width=100% bgcolor="#ffffcc">
               <tr>
                  <td>
                      <code>

执行当前 Web 请求期间生成了未经处理的异常。可以使用下面的异常堆栈跟踪信息确定有关异常原因和发生位置的信息。</code>

                  </td>
               </tr>
            </table>

            <br>

            <b>堆栈跟踪:</b> <br><br>

            <table width=100% bgcolor="#ffffcc">
               <tr>
                  <td>
                      <code><pre>
{stack}
</pre></code>

                  </td>
               </tr>
            </table>

            <br>

            <hr width=100% size=1 color=silver>

            <b>版本信息:</b>&nbsp;Microsoft .NET Framework 版本:4.0.30319; ASP.NET 版本:4.8.4465.0

            </font>

    </body>
</html>
<!--
[{exception}]: {title}
-->"""

MAC_FAILED = ("验证视图状态 MAC 失败。如果此应用程序由网络场或群集承载，请确保 &lt;machineKey&gt; 配置指定了相同的 "
              "validationKey 和验证算法。不能在群集中使用 AutoGenerate。")
MAC_STACK = """[ViewStateException: 无效的视图状态。
	Client IP: {client}
	Port: 
	Referer: {referer}
	Path: /List.aspx
	User-Agent: {ua}
	ViewState: {viewstate}]

[HttpException (0x80004005): 验证视图状态 MAC 失败。]
   System.Web.UI.ViewStateException.ThrowError(Exception inner, String persistedState, String errorPageMessage, Boolean macValidationError) +190
   System.Web.UI.ObjectStateFormatter.Deserialize(String inputString, Purpose purpose) +149
   System.Web.UI.Util.DeserializeWithAssert(IStateFormatter2 formatter, String serializedState, Purpose purpose) +38
   System.Web.UI.HiddenFieldPageStatePersister.Load() +286
   System.Web.UI.Page.LoadPageStateFromPersistenceMedium() +148
   System.Web.UI.Page.LoadAllState() +47
   System.Web.UI.Page.ProcessRequestMain(Boolean includeStagesBeforeAsyncPoint, Boolean includeStagesAfterAsyncPoint) +11420
   System.Web.UI.Page.ProcessRequest(Boolean includeStagesBeforeAsyncPoint, Boolean includeStagesAfterAsyncPoint) +241
   System.Web.UI.Page.ProcessRequest() +115
   System.Web.UI.Page.ProcessRequest(HttpContext context) +91
   ASP.list_aspx.ProcessRequest(HttpContext context) +37
   System.Web.CallHandlerExecutionStep.System.Web.HttpApplication.IExecutionStep.Execute() +508
   System.Web.HttpApplication.ExecuteStepImpl(IExecutionStep step) +146
   System.Web.HttpApplication.ExecuteStep(IExecutionStep step, Boolean&amp; completedSynchronously) +75"""
INVALID_POSTBACK = ("回发或回调参数无效。在配置中使用 &lt;pages enableEventValidation=\"true\"/&gt; 或在页面中使用 "
                    "&lt;%@ Page EnableEventValidation=\"true\" %&gt; 启用了事件验证。出于安全目的，此功能验证回发或回调事件的参数是否"
                    "来源于最初呈现这些事件的服务器控件。如果数据有效并且是预期的，则使用 "
                    "ClientScriptManager.RegisterForEventValidation 方法来注册回发或回调数据以进行验证。")
INVALID_STACK = """[ArgumentException: {title}]
   System.Web.UI.ClientScriptManager.ValidateEvent(String uniqueId, String argument) +9871129
   System.Web.UI.Control.ValidateEvent(String uniqueID, String eventArgument) +108
   Wuqi.Webdiyer.AspNetPager.System.Web.UI.IPostBackEventHandler.RaisePostBackEvent(String args) +44
   System.Web.UI.Page.RaisePostBackEvent(IPostBackEventHandler sourceControl, String eventArgument) +13
   System.Web.UI.Page.RaisePostBackEvent(NameValueCollection postData) +9
   System.Web.UI.Page.ProcessRequestMain(Boolean includeStagesBeforeAsyncPoint, Boolean includeStagesAfterAsyncPoint) +1639"""


class Aspnet(Site):
    name = "aspnet"
    title = PORTAL.name
    encoding = "gbk"

    def __init__(self, scale: int = 1):
        super().__init__()
        rng = random.Random(f"aspnet-{scale}")
        self.codec = StateCodec(hashlib.sha256(f"aspnet-machinekey-{scale}".encode()).digest())
        fillers = filler_reports(f"aspnet-fillers-{scale}", WEIYUAN, 31 + 25 * (scale - 1), range(2010, 2024))
        notice = Report("关于做好2021年政府信息公开工作年度报告编制发布工作的通知", None, None, dt.date(2021, 12, 20),
                        "威远县政务公开领导小组办公室",
                        load_blocks("notice_bianzhi_template.txt", REGION="威远县", YEAR="2021", NEXT="2022",
                                    CONTACT="李娜", PHONE="0832-8222345", DAY="17"), kind="lookalike")
        guide = Report("威远县人民政府信息公开指南", None, None, dt.date(2020, 9, 14), "威远县人民政府办公室",
                       load_blocks("guide.txt", GOV=WEIYUAN.government, ADDR=PORTAL.address), kind="lookalike")
        items = [*fillers, notice]
        # a SQL Server identity column: small ids in insertion order, gaps where other columns' rows went
        for k, report in enumerate(sorted([*items, guide], key=lambda r: (r.published, r.title))):
            report.docid = 2310 + 7 * k + rng.randint(0, 5)
        items.sort(key=lambda r: (r.published, r.docid), reverse=True)
        self.lists = {REPORT_CLASS: items, GUIDE_CLASS: [guide]}
        self.details: dict[int, tuple[Report, int]] = {}
        for cls, reports in self.lists.items():
            for report in reports:
                self.details[report.docid] = (report, cls)
                path = f"/Show.aspx?id={report.docid}"
                if report.is_report:
                    self.add_report(report, [path])
                else:
                    self.add_lookalike(report, path, in_report_column=cls == REPORT_CLASS)
        self.add_trap("postback_listing", f"/List.aspx?ClassID={REPORT_CLASS}", target=PAGER)

    # -- dispatch ------------------------------------------------------------------------------

    def respond(self, ctx: Context, path: str, query: str) -> Reply:
        low = path.lower()
        if low in ("/", "/default.aspx", "/index.aspx"):
            return self.home(ctx)
        if low == "/list.aspx":
            return self.listing(ctx, query)
        if low == "/show.aspx":
            return self.show(ctx, query)
        return self.not_found(ctx)

    def _reply(self, ctx: Context, text: str, status: int = 200, content_type: str = CONTENT_TYPE,
               encoding: str = "gbk") -> Reply:
        headers = list(ASPNET_HEADERS)
        if "ASP.NET_SessionId" not in ctx.request.cookies():
            sid = "".join(secrets.choice("abcdefghijklmnopqrstuvwxyz012345") for _ in range(24))
            headers.append(("Set-Cookie", f"ASP.NET_SessionId={sid}; path=/; HttpOnly; SameSite=Lax"))
        return Reply(status, text.encode(encoding), content_type, headers)

    def not_found(self, ctx: Context) -> Reply:
        return self._reply(ctx, '<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
                                "<title>404 - 找不到文件或目录。</title></head><body><div id=\"header\"><h1>服务器错误</h1></div>"
                                "<div id=\"content\"><h2>404 - 找不到文件或目录。</h2><h3>您要查找的资源可能已被删除，已更改名称或者暂时不可用。</h3>"
                                "</div></body></html>", status=404)

    def _error(self, ctx: Context, title: str, exception: str, stack: str) -> Reply:
        text = _YSOD.format(title=title, exception=exception, stack=stack)
        return self._reply(ctx, text, status=500, content_type="text/html; charset=utf-8", encoding="utf-8")

    def _mac_failed(self, ctx: Context, viewstate: str) -> Reply:
        req = ctx.request
        stack = MAC_STACK.format(client=req.client, referer=T.esc(req.header("referer")),
                                 ua=T.esc(req.header("user-agent")), viewstate=T.esc(viewstate[:120]))
        return self._error(ctx, MAC_FAILED, "HttpException", stack)

    def _invalid_postback(self, ctx: Context) -> Reply:
        return self._error(ctx, INVALID_POSTBACK, "ArgumentException", INVALID_STACK.format(title=INVALID_POSTBACK))

    # -- the list and its postbacks ------------------------------------------------------------

    def listing(self, ctx: Context, query: str) -> Reply:
        req = ctx.request
        cls = _int(_ci(dict(parse_qsl(query)), "classid"), 0)
        if cls not in self.lists:
            return self.not_found(ctx)
        count = max(1, -(-len(self.lists[cls]) // PER_PAGE))
        page = 1
        if req.method == "POST":
            form = req.form()
            state = self.codec.open(form.get("__VIEWSTATE"))
            if state is None:
                return self._mac_failed(ctx, form.get("__VIEWSTATE", ""))
            validation = self.codec.open(form.get("__EVENTVALIDATION"))
            if not isinstance(validation, list) or not validation:
                return self._mac_failed(ctx, form.get("__EVENTVALIDATION", ""))
            target, argument = form.get("__EVENTTARGET", ""), form.get("__EVENTARGUMENT", "")
            if validation[0] != _hash32(form["__VIEWSTATE"]):
                return self._invalid_postback(ctx)
            if target:
                if _hash32(target + argument) not in validation[1:]:
                    return self._invalid_postback(ctx)
                page = _int(argument, 0)
                if not 1 <= page <= count:
                    return self._invalid_postback(ctx)
            else:
                page = min(max(viewstate_page(state) or 1, 1), count)
        return self._list_page(ctx, cls, page, count)

    def _hidden_state(self, page: int, total: int, rows: int, count: int) -> tuple[str, str]:
        viewstate = self.codec.seal(viewstate_value(page, total, rows))
        # every page number is a valid postback: the pager's page box can ask for any of them
        allowed = [_hash32(PAGER + str(n)) for n in range(1, count + 1)]
        allowed.append(_hash32("ctl00$btnSearch"))
        return viewstate, self.codec.seal([_hash32(viewstate), *allowed])

    def _list_page(self, ctx: Context, cls: int, page: int, count: int) -> Reply:
        reports = self.lists[cls]
        rows = reports[(page - 1) * PER_PAGE:page * PER_PAGE]
        viewstate, validation = self._hidden_state(page, len(reports), len(rows), count)
        trs = "\n".join(
            f'<tr><td class="tdTitle">·<a id="ctl00_ContentPlaceHolder1_rptList_ctl{k + 1:02d}_hlTitle" href="Show.aspx?id={r.docid}" '
            f'target="_blank" title="{T.esc(r.title)}">{T.esc(T.truncate(r.title, 32))}</a></td>'
            f'<td class="tdDate">{r.published:%Y-%m-%d}</td></tr>' for k, r in enumerate(rows))
        pager = self._pager(page, count, len(reports))
        name = CLASSES[cls]
        content = f"""<div class="position">当前位置：<a href="Default.aspx">首页</a> &gt;&gt; <a href="List.aspx?ClassID={cls}">{name}</a></div>
<div class="listBox"><div class="listTit"><span id="ctl00_ContentPlaceHolder1_lblClassName">{name}</span></div>
<table width="100%" border="0" cellspacing="0" cellpadding="0" class="listTable">
{trs}
</table>
{pager}
</div>"""
        page_html = self._frame(f"{name}-{PORTAL.name}", f"./List.aspx?ClassID={cls}", viewstate, validation, content)
        return self._reply(ctx, page_html)

    def _pager(self, page: int, count: int, total: int) -> str:
        """AspNetPager 7.x markup: disabled links as <a disabled>, the current page in red, a page box."""
        def link(label: str, n: int, enabled: bool) -> str:
            if not enabled:
                return f'<a disabled="disabled" style="margin-right:5px;">{label}</a>'
            return (f"<a href=\"javascript:__doPostBack('{PAGER}','{n}')\" style=\"margin-right:5px;\">{label}</a>")
        parts = [link("首页", 1, page > 1), link("上一页", page - 1, page > 1)]
        first = max(1, min(page - 4, count - 9))
        for n in range(first, min(count, first + 9) + 1):
            parts.append(f'<span style="margin-right:5px;font-weight:Bold;color:red;">{n}</span>' if n == page
                         else link(str(n), n, True))
        parts += [link("下一页", page + 1, page < count), link("尾页", count, page < count)]
        box = (f'转到<input type="text" value="{page}" name="{PAGER}_input" id="ctl00_ContentPlaceHolder1_AspNetPager1_input" '
               f'style="width:30px;" onkeydown="ANP_keydown(event,\'ctl00_ContentPlaceHolder1_AspNetPager1_btn\');" />页'
               f'<input type="button" name="ctl00_ContentPlaceHolder1_AspNetPager1" id="ctl00_ContentPlaceHolder1_AspNetPager1_btn" '
               f'value="GO" onclick="if(ANP_checkInput(\'ctl00_ContentPlaceHolder1_AspNetPager1_input\',{count}))'
               f'{{__doPostBack(\'{PAGER}\',document.getElementById(\'ctl00_ContentPlaceHolder1_AspNetPager1_input\').value)}}'
               f'else{{return false}}" />')
        return (f'<!-- AspNetPager V7.4.2 for VS2008  Copyright:2003-2011 Webdiyer (www.webdiyer.com) -->\n'
                f'<div id="ctl00_ContentPlaceHolder1_AspNetPager1" class="pager" style="text-align:center;">'
                f'<div style="float:left;width:35%;">共{total}条记录 当前第{page}/{count}页 每页{PER_PAGE}条</div>'
                f'<div style="float:left;width:65%;">{"".join(parts)}&nbsp;&nbsp;{box}</div></div>\n'
                f'<!-- AspNetPager V7.4.2 for VS2008 End -->')

    # -- other pages ---------------------------------------------------------------------------

    def show(self, ctx: Context, query: str) -> Reply:
        docid = _int(_ci(dict(parse_qsl(query)), "id"), 0)
        if docid not in self.details:
            return self._reply(ctx, self._frame(PORTAL.name, f"./Show.aspx?id={docid}", *self._hidden_detail(docid),
                                                '<div class="noData">该信息不存在或已被删除！</div>'))
        report, cls = self.details[docid]
        d = report.published
        content = f"""<div class="position">当前位置：<a href="Default.aspx">首页</a> &gt;&gt; <a href="List.aspx?ClassID={cls}">{CLASSES[cls]}</a> &gt;&gt; 正文</div>
<div class="showBox">
<h1 id="ctl00_ContentPlaceHolder1_lblTitle">{T.esc(report.title)}</h1>
<div class="showInfo">发布时间：<span id="ctl00_ContentPlaceHolder1_lblDate">{d:%Y-%m-%d} {9 + docid % 8}:{docid % 60:02d}:{docid % 37:02d}</span>&nbsp;&nbsp;
信息来源：<span id="ctl00_ContentPlaceHolder1_lblSource">{T.esc(report.source)}</span>&nbsp;&nbsp;
点击数：<span id="ctl00_ContentPlaceHolder1_lblHits">{ctx.hit()}</span>&nbsp;&nbsp;
【字体：<a href="javascript:doZoom(16)">大</a> <a href="javascript:doZoom(14)">中</a> <a href="javascript:doZoom(12)">小</a>】</div>
<div id="ctl00_ContentPlaceHolder1_divContent" class="showContent">
{body_html(report, "trs_word")}
</div>
<div class="showBottom">【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】</div>
</div>"""
        return self._reply(ctx, self._frame(f"{report.title}-{PORTAL.name}", f"./Show.aspx?id={docid}",
                                            *self._hidden_detail(docid), content))

    def _hidden_detail(self, docid: int) -> tuple[str, str]:
        tree = _pair(None, [1, _pair(None, [3, _pair([IndexedString("ArticleID"), docid], None)])])
        viewstate = self.codec.seal(_pair(_pair("-1781396542", tree), None))
        return viewstate, self.codec.seal([_hash32(viewstate), _hash32("ctl00$btnSearch")])

    def home(self, ctx: Context) -> Reply:
        latest = "\n".join(f'<li><a href="Show.aspx?id={r.docid}" target="_blank" title="{T.esc(r.title)}">'
                           f'{T.esc(T.truncate(r.title, 26))}</a><span>{r.published:%m-%d}</span></li>'
                           for r in self.lists[REPORT_CLASS][:6])
        content = f"""<div class="indexBox"><div class="boxTit"><span>政府信息公开年报</span><a href="List.aspx?ClassID={REPORT_CLASS}" class="more">更多&gt;&gt;</a></div>
<ul class="indexList">{latest}</ul></div>
<div class="indexBox"><div class="boxTit"><span>政府信息公开</span></div>
<ul class="indexList"><li><a href="List.aspx?ClassID={GUIDE_CLASS}">政府信息公开指南</a></li>
<li><a href="List.aspx?ClassID={REPORT_CLASS}">政府信息公开年报</a></li></ul></div>"""
        return self._reply(ctx, self._frame(PORTAL.name, "./Default.aspx", *self._hidden_detail(0), content))

    def _frame(self, title: str, action: str, viewstate: str, validation: str, content: str) -> str:
        """The master page: every page is one aspnetForm with the hidden state fields."""
        side = "".join(f'<li><a href="List.aspx?ClassID={c}">{T.esc(n)}</a></li>' for c, n in CLASSES.items())
        return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">

<html xmlns="http://www.w3.org/1999/xhtml">
<head><meta http-equiv="Content-Type" content="text/html; charset=gb2312" /><title>
	{T.esc(title)}
</title><link href="css/style.css" rel="stylesheet" type="text/css" />
<script src="js/common.js" type="text/javascript"></script>
<meta name="SiteName" content="{PORTAL.name}" /><meta name="SiteIDCode" content="{PORTAL.site_code}" /></head>
<body>
    <form name="aspnetForm" method="post" action="{action}" id="aspnetForm">
<div>
<input type="hidden" name="__EVENTTARGET" id="__EVENTTARGET" value="" />
<input type="hidden" name="__EVENTARGUMENT" id="__EVENTARGUMENT" value="" />
<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="{viewstate}" />
</div>

<script type="text/javascript">
//<![CDATA[
var theForm = document.forms['aspnetForm'];
if (!theForm) {{
    theForm = document.aspnetForm;
}}
function __doPostBack(eventTarget, eventArgument) {{
    if (!theForm.onsubmit || (theForm.onsubmit() != false)) {{
        theForm.__EVENTTARGET.value = eventTarget;
        theForm.__EVENTARGUMENT.value = eventArgument;
        theForm.submit();
    }}
}}
//]]>
</script>


<script src="/WebResource.axd?d=pynGkmcFUV13He1Qd6_TZMFmGnOkkNcFW7l6CjxJjzSQz4vIAtTn9gtTwuJsuXuWJ7sDWm1Pv49d0vGN0ykjYg2&amp;t=638285885964787378" type="text/javascript"></script>

<script type="text/javascript">
//<![CDATA[
function ANP_checkInput(id,max){{var v=document.getElementById(id).value;if(!/^\\d+$/.test(v)||v<1||v>max){{alert("页索引超出范围！");return false;}}return true;}}
function ANP_keydown(e,btnId){{if(e.keyCode==13){{document.getElementById(btnId).click();return false;}}}}
//]]>
</script>
<div>

	<input type="hidden" name="__VIEWSTATEGENERATOR" id="__VIEWSTATEGENERATOR" value="{GENERATOR}" />
	<input type="hidden" name="__EVENTVALIDATION" id="__EVENTVALIDATION" value="{validation}" />
</div>
    <div class="top"><div class="topCon"><span class="date">今天是：2024年3月18日 星期一</span>
    <span class="topLink"><a href="#" onclick="this.style.behavior='url(#default#homepage)';this.setHomePage('http://{PORTAL.domain}');">设为首页</a> | <a href="javascript:window.external.AddFavorite('http://{PORTAL.domain}','{PORTAL.name}')">加入收藏</a> | <a href="/wza/">无障碍</a></span></div></div>
    <div class="banner"><img src="images/banner.jpg" alt="{PORTAL.name}" /></div>
    <div class="menu"><a href="Default.aspx">网站首页</a><a href="List.aspx?ClassID=40">政务动态</a><a href="List.aspx?ClassID={GUIDE_CLASS}">政府信息公开</a><a href="List.aspx?ClassID=70">公众参与</a><a href="List.aspx?ClassID=80">走进威远</a></div>
    <div class="search">站内搜索：<input name="ctl00$txtKeyword" type="text" id="ctl00_txtKeyword" class="searchInput" /><input type="submit" name="ctl00$btnSearch" value="搜索" id="ctl00_btnSearch" class="searchBtn" /></div>
    <div class="main"><div class="left"><div class="leftTit">政府信息公开</div><ul class="leftMenu">{side}</ul></div>
    <div class="right">
{content}
    </div></div>
    <div class="footer">
    <p>主办单位：{PORTAL.host_org}　地址：{PORTAL.address}　电话：{PORTAL.phone}</p>
    <p>网站标识码：{PORTAL.site_code}　<a href="https://beian.miit.gov.cn/" target="_blank">{PORTAL.icp}</a>　{PORTAL.police}</p>
    <p>建议使用1024×768分辨率 IE8.0以上版本浏览</p></div>
    </form>
</body>
</html>
"""


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value not in (None, "") else default
    except ValueError:
        return default


def _ci(args: dict[str, str], name: str) -> str | None:
    """A query parameter by case-insensitive name (ASP.NET's Request.QueryString is)."""
    return next((v for k, v in args.items() if k.lower() == name), None)
