"""Anti-bot layers in front of small TRS portals: 加速乐 (521), 瑞数 (412), a 200 "安全检测" shield, a UA WAF.

Each layer is its own site on its own host, over the same kind of portal: a TRS report column
(``/zfxxgk/xxgknb/index.html``, ``index_1.html`` through createPageHTML), TRS articles, a guide.
The layer answers every request that does not carry its clearance, robots.txt included, as the CDNs
do; only 瑞数's own script is served to anyone (the browser must load it to clear the challenge).
Requests made in-process (no client address: ``expected()`` rendering pages for the ground truth)
skip the layer.

- ``Jsl`` (加速乐): no valid ``__jsl_clearance_s`` → HTTP 521, ``Set-Cookie: __jsluid_s`` (when
  absent) and ``<script>document.cookie=<obfuscated expression>;location.href=…</script>`` setting a
  first-round ``__jsl_clearance_s``; that cookie → a second 521 calling
  ``go({"bts":[…],"chars":"…","ct":"<hex>","ha":"md5|sha1|sha256","is":true,"tn":"__jsl_clearance_s","vt":"<ttl>","wt":"1500"})``:
  the browser hashes ``bts[0]+c1+c2+bts[1]`` over pairs of ``chars`` until it matches ``ct`` and sets
  that as the cookie; then 200.  The clearance (``<ts>|0|<token>``) is bound to ``__jsluid_s`` and to the
  User-Agent it was solved with and lasts ``clearance_ttl`` seconds.  The cookies are not ``Secure``
  (the replica is plain HTTP).
- ``Ruishu`` (瑞数): no valid ``GmQ7sNW1cXbA4kR80S``/``…80T`` pair → HTTP 412 with a new ``…80S``
  (HttpOnly), ``<meta id=… content="<token>" r='m'>``, ``$_ts.nsd``/``$_ts.cd`` and
  ``<script src="/…/….js" r='m'>``; that script derives ``…80T`` from the token, nsd, cd and
  ``navigator.userAgent`` and reloads.  The pair is bound to the UA; ``…80S`` carries its issue time
  and the pair lasts ``clearance_ttl`` seconds.
- ``Shield`` (云锁/安全狗 style, status 200): no valid ``security_session_verify`` +
  ``security_session_mid_verify`` → HTTP 200 whose body is only "正在进行安全检测，请稍候……" and a script
  computing ``security_session_mid_verify`` from a nonce and the UA, then ``location.reload()``.
- ``Waf`` (网站防火墙): a User-Agent not starting with ``Mozilla/5.0`` gets HTTP 403 and a block page
  (您的访问被拦截 / 事件ID); so does a request carrying an attack signature (SQL injection, XSS,
  path traversal, backup-file probes).  Either trips a block on that (client IP, User-Agent) pair for
  ``block_seconds``: while it lasts every request of the pair is 403, clean ones too.  A browser-like
  UA that tripped nothing passes, even from a blocked IP; a crawler UA is always blocked (rule), so
  only changing the UA helps.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import random
import secrets
import threading
import time
from email.utils import formatdate
from functools import partial
from urllib.parse import quote, unquote

from . import templates as T
from .fillers import County, filler_reports
from .reports import Report, load_blocks
from .server import Context, Reply, html_reply
from .site import Site, assign_docids, trs_path

COLUMN = "/zfxxgk/xxgknb/"
GUIDE_COLUMN = "/zfxxgk/xxgkzn/"
NAV = [("/", "首页"), ("/zfxxgk/", "政府信息公开"), ("/xwzx/", "新闻中心"), ("/zwfw/", "政务服务"), ("/hdjl/", "互动交流")]
PER_PAGE = 5
DEPARTMENTS = ("发展和改革局", "教育局", "科学技术局", "工业和信息化局", "民政局", "司法局", "财政局", "人力资源和社会保障局",
               "自然资源局", "住房和城乡建设局", "交通运输局", "水利局", "农业农村局", "商务局", "文化和旅游局", "卫生健康局",
               "应急管理局", "审计局", "市场监督管理局", "统计局")


class ChallengeSite(Site):
    """A small TRS portal behind an anti-bot layer; subclasses implement :meth:`gate`."""

    portal: T.Portal
    county: County
    challenge = ""            # the truth's name for the layer

    def __init__(self, scale: int = 1, clearance_ttl: float = 3600):
        super().__init__()
        self.ttl = clearance_ttl
        self.secret = secrets.token_bytes(32)
        self.title = self.portal.name
        rng = random.Random(f"{self.name}-{scale}")
        fillers = filler_reports(f"{self.name}-fillers-{scale}", self.county, 9 + 6 * (scale - 1), range(2010, 2024))
        region = self.county.region
        notice = Report("关于做好2022年政府信息公开工作年度报告编制发布工作的通知", None, None, dt.date(2022, 12, 16),
                        f"{region}政务公开领导小组办公室",
                        load_blocks("notice_bianzhi_template.txt", REGION=region, YEAR="2022", NEXT="2023",
                                    CONTACT=rng.choice(self.county.contacts), PHONE=self.portal.phone, DAY="14"),
                        kind="lookalike")
        guide = Report(f"{self.county.government}信息公开指南", None, None, dt.date(2020, 10, 12),
                       f"{self.county.government}办公室",
                       load_blocks("guide.txt", GOV=self.county.government, ADDR=self.portal.address), kind="lookalike")
        items = [*fillers, notice]
        assign_docids([*items, guide], rng, 5200000)
        items.sort(key=lambda r: (r.published, r.docid), reverse=True)
        self.header = T.trs_header(self.portal, NAV)
        crumbs = [("/", "首页"), ("/zfxxgk/", "政府信息公开"), (COLUMN, "政府信息公开年报")]
        paths = {id(r): trs_path(COLUMN, r) for r in items}
        for k, report in enumerate(items):
            prev = items[k - 1] if k > 0 else None
            nxt = items[k + 1] if k + 1 < len(items) else None
            path = paths[id(report)]
            self.route(path, partial(self.article, report, crumbs, "政府信息公开年报", path,
                                     prev and (paths[id(prev)], prev.title), nxt and (paths[id(nxt)], nxt.title)))
            if report.is_report:
                self.add_report(report, [path])
            else:
                self.add_lookalike(report, path)
        pages = T.paginate([(f"./{paths[id(r)][len(COLUMN):]}", r.title, r.published) for r in items], PER_PAGE)
        for i, rows in enumerate(pages):
            page = partial(self.listing, crumbs, "政府信息公开年报", rows, T.create_page_html(len(pages), i, "index", "html"))
            self.route(COLUMN + T.page_name("index", "html", i), page)
        self.route(COLUMN, self.routes[COLUMN + "index.html"])

        guide_path = trs_path(GUIDE_COLUMN, guide)
        guide_crumbs = [("/", "首页"), ("/zfxxgk/", "政府信息公开"), (GUIDE_COLUMN, "政府信息公开指南")]
        self.route(guide_path, partial(self.article, guide, guide_crumbs, "政府信息公开指南", guide_path, None, None))
        guide_list = partial(self.listing, guide_crumbs, "政府信息公开指南",
                             [(f"./{guide_path[len(GUIDE_COLUMN):]}", guide.title, guide.published)], "")
        self.route(GUIDE_COLUMN, guide_list)
        self.route(GUIDE_COLUMN + "index.html", guide_list)
        self.add_lookalike(guide, guide_path, in_report_column=False)

        self.route("/", self.home)
        self.route("/index.html", self.home)
        self.route("/zfxxgk/", self.hub)
        self.route("/zfxxgk/index.html", self.hub)
        self.route("/js/page.js", lambda ctx: Reply(200, T.PAGE_JS.encode(), "application/javascript"))
        self.route("/robots.txt", lambda ctx: Reply(200, b"User-agent: *\nDisallow: /search/\n", "text/plain"))
        self.latest = [(paths[id(r)], r.title, r.published) for r in items[:6]]
        self.truth.append({"site": self.name, "kind": "challenge", "challenge": self.challenge, "path": "/"})

    # -- the layer -----------------------------------------------------------------------------

    def respond(self, ctx: Context, path: str, query: str) -> Reply:
        if ctx.request.client:          # a network request: the layer sees it first
            blocked = self.gate(ctx, path, query)
            if blocked is not None:
                return blocked
        return super().respond(ctx, path, query)

    def gate(self, ctx: Context, path: str, query: str) -> Reply | None:
        """The layer's answer instead of the page, or None to let the request through."""
        raise NotImplementedError

    def _mac(self, *parts: str, size: int = 20) -> bytes:
        return hmac.new(self.secret, "|".join(parts).encode("utf-8"), hashlib.sha256).digest()[:size]

    def _fresh(self, issued: str) -> bool:
        try:
            return 0 <= time.time() - float(issued) < self.ttl
        except ValueError:
            return False

    # -- the portal behind it ------------------------------------------------------------------

    def article(self, report: Report, crumbs, column: str, url: str, prev, nxt, ctx: Context) -> Reply:
        return html_reply(T.trs_article(self.portal, report, header=self.header, crumbs=crumbs, column=column,
                                        url=f"http://{self.portal.domain}{url}", hits=ctx.hit(), prev=prev, nxt=nxt,
                                        links=[("/zfxxgk/", "政府信息公开")]))

    def listing(self, crumbs, column: str, rows, pager: str, ctx: Context) -> Reply:
        side = (f'<ul class="side"><li><a href="{GUIDE_COLUMN}">政府信息公开指南</a></li>'
                f'<li><a href="{COLUMN}">政府信息公开年报</a></li></ul>')
        return html_reply(T.trs_list(self.portal, header=self.header, crumbs=crumbs, column=column, rows=rows,
                                     pager=pager, side=side))

    def hub(self, ctx: Context) -> Reply:
        body = f"""{T.top_bar(self.portal)}
{self.header}
<div class="w1200 main"><div class="position">当前位置：<a href="/" class="CurrChnlCls">首页</a> &gt; <a href="/zfxxgk/" class="CurrChnlCls">政府信息公开</a></div>
<ul class="gk"><li><a href="{GUIDE_COLUMN}">政府信息公开指南</a></li><li><a href="{COLUMN}">政府信息公开年报</a></li></ul></div>
{T.footer(self.portal)}"""
        return html_reply(T.page(f"政府信息公开_{self.portal.name}", '<meta name="ColumnName" content="政府信息公开">', body))

    def home(self, ctx: Context) -> Reply:
        body = f"""{T.top_bar(self.portal)}
{self.header}
<div class="w1200 main">
  <div class="news"><div class="tit"><a href="{COLUMN}">政府信息公开年报</a><a class="more" href="{COLUMN}">更多&gt;&gt;</a></div>
  <ul>{T.news_list_html(self.latest)}</ul></div>
  <div class="gk-entry"><a href="/zfxxgk/">政府信息公开</a><a href="{COLUMN}">政府信息公开年报</a></div>
</div>
{T.footer(self.portal)}"""
        return html_reply(T.page(self.portal.name, f'<meta name="SiteName" content="{self.portal.name}">', body))


# -- hashes the challenge scripts compute in the browser ----------------------------------------------

HASH_JS = r"""function _md5(s){function rl(n,c){return(n<<c)|(n>>>(32-c));}var K=[],S=[7,12,17,22,5,9,14,20,4,11,16,23,6,10,15,21],i,b=[];
for(i=0;i<64;i++)K[i]=Math.floor(Math.abs(Math.sin(i+1))*4294967296)|0;for(i=0;i<s.length;i++)b.push(s.charCodeAt(i)&255);
var L=b.length*8;b.push(128);while(b.length%64!==56)b.push(0);for(i=0;i<8;i++)b.push(i<4?(L>>>(8*i))&255:0);
var a0=0x67452301,b0=0xefcdab89|0,c0=0x98badcfe|0,d0=0x10325476;for(var o=0;o<b.length;o+=64){var M=[];
for(i=0;i<16;i++)M[i]=b[o+4*i]|(b[o+4*i+1]<<8)|(b[o+4*i+2]<<16)|(b[o+4*i+3]<<24);var A=a0,B=b0,C=c0,D=d0;
for(i=0;i<64;i++){var F,g;if(i<16){F=(B&C)|(~B&D);g=i;}else if(i<32){F=(D&B)|(~D&C);g=(5*i+1)%16;}
else if(i<48){F=B^C^D;g=(3*i+5)%16;}else{F=C^(B|~D);g=(7*i)%16;}var t=D;D=C;C=B;B=(B+rl((A+F+K[i]+M[g])|0,S[(i>>4)*4+i%4]))|0;A=t;}
a0=(a0+A)|0;b0=(b0+B)|0;c0=(c0+C)|0;d0=(d0+D)|0;}var r='';[a0,b0,c0,d0].forEach(function(v){for(var j=0;j<4;j++)
r+=('0'+((v>>>(8*j))&255).toString(16)).slice(-2);});return r;}
function _sha1(s){var b=[],i;for(i=0;i<s.length;i++)b.push(s.charCodeAt(i)&255);var L=b.length*8;b.push(128);
while(b.length%64!==56)b.push(0);for(i=7;i>=0;i--)b.push(i<4?(L>>>(8*i))&255:0);var h=[0x67452301,0xefcdab89|0,0x98badcfe|0,
0x10325476,0xc3d2e1f0|0],w=[];for(var o=0;o<b.length;o+=64){for(i=0;i<16;i++)w[i]=(b[o+4*i]<<24)|(b[o+4*i+1]<<16)|(b[o+4*i+2]<<8)|b[o+4*i+3];
for(i=16;i<80;i++){var x=w[i-3]^w[i-8]^w[i-14]^w[i-16];w[i]=(x<<1)|(x>>>31);}var a=h[0],B=h[1],c=h[2],d=h[3],e=h[4];
for(i=0;i<80;i++){var f,k;if(i<20){f=(B&c)|(~B&d);k=0x5a827999;}else if(i<40){f=B^c^d;k=0x6ed9eba1;}
else if(i<60){f=(B&c)|(B&d)|(c&d);k=0x8f1bbcdc|0;}else{f=B^c^d;k=0xca62c1d6|0;}
var t=(((a<<5)|(a>>>27))+f+e+k+w[i])|0;e=d;d=c;c=(B<<30)|(B>>>2);B=a;a=t;}
h[0]=(h[0]+a)|0;h[1]=(h[1]+B)|0;h[2]=(h[2]+c)|0;h[3]=(h[3]+d)|0;h[4]=(h[4]+e)|0;}
return h.map(function(v){return('0000000'+(v>>>0).toString(16)).slice(-8);}).join('');}
function _sha256(s){function rr(v,n){return(v>>>n)|(v<<(32-n));}var H=[],K=[],n=0,c,i,j,comp={};
for(c=2;n<64;c++){if(!comp[c]){for(i=0;i<313;i+=c)comp[i]=c;H[n]=(Math.pow(c,.5)*4294967296)|0;K[n++]=(Math.pow(c,1/3)*4294967296)|0;}}
var L=s.length*8,w=[];s+='\x80';while(s.length%64-56)s+='\x00';for(i=0;i<s.length;i++)w[i>>2]|=(s.charCodeAt(i)&255)<<((3-i)%4)*8;
w[w.length]=(L/4294967296)|0;w[w.length]=L;var h=H.slice(0,8);for(j=0;j<w.length;){var W=w.slice(j,j+=16),old=h;h=h.slice(0,8);
for(i=0;i<64;i++){var w15=W[i-15],w2=W[i-2],a=h[0],e=h[4];var t1=h[7]+(rr(e,6)^rr(e,11)^rr(e,25))+((e&h[5])^((~e)&h[6]))+K[i]+
(W[i]=(i<16)?W[i]:(W[i-16]+(rr(w15,7)^rr(w15,18)^(w15>>>3))+W[i-7]+(rr(w2,17)^rr(w2,19)^(w2>>>10)))|0);
var t2=(rr(a,2)^rr(a,13)^rr(a,22))+((a&h[1])^(a&h[2])^(h[1]&h[2]));h=[(t1+t2)|0].concat(h);h[4]=(h[4]+t1)|0;}
for(i=0;i<8;i++)h[i]=(h[i]+old[i])|0;}var r='';for(i=0;i<8;i++)for(j=3;j+1;j--){var x=(h[i]>>(j*8))&255;r+=(x<16?'0':'')+x.toString(16);}
return r;}"""

HASHES = {"md5": hashlib.md5, "sha1": hashlib.sha1, "sha256": hashlib.sha256}


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


# -- 加速乐 ------------------------------------------------------------------------------------------

_JS_LETTERS = {  # characters JSFuck-style expressions yield
    "o": "({}+[])[1]", "b": "({}+[])[2]", "j": "({}+[])[3]", "e": "({}+[])[4]", "c": "({}+[])[5]", "t": "({}+[])[6]",
    "f": "(![]+[])[0]", "a": "(![]+[])[1]", "l": "(![]+[])[2]", "s": "(![]+[])[3]", "r": "(!![]+[])[1]",
    "u": "(!![]+[])[2]", "n": "([][[]]+[])[1]", "d": "([][[]]+[])[2]", "i": "([][[]]+[])[5]",
}


def _obfuscate(text: str, rng: random.Random) -> str:
    """A JS expression evaluating to `text`, one character or run at a time, 加速乐 round-one style."""
    parts = []
    for ch in text:
        roll = rng.random()
        if ch.isdigit():
            d = int(ch)
            a = rng.randint(0, d)
            parts.append(rng.choice([f"({a}+{d - a}+[]+[])", f"(-~[]*{d}+[])" if d else "(+[]+[])",
                                     f"(~~{d}+[])" if d else "([]+[]+(+[]))"]))
        elif ch in _JS_LETTERS and roll < 0.5:
            parts.append(_JS_LETTERS[ch])
        elif roll < 0.7:
            parts.append(f"String.fromCharCode({ord(ch)})")
        elif roll < 0.8 and ch not in "'\\":
            parts.append(f"unescape('%{ord(ch):02x}')")
        else:
            parts.append("(" + json.dumps(ch) + ")")
    return "+".join(parts)


class Jsl(ChallengeSite):
    name = "jsl"
    challenge = "jsl"
    portal = T.Portal("攸县人民政府", "www.youxian.gov.cn", "4302230001", "湘ICP备05002341号", "湘公网安备 43022302000112号",
                      "攸县人民政府办公室", "湖南省株洲市攸县联星街道府前路1号", "0731-24212345")
    county = County("攸县", "攸县人民政府", ("网岭镇", "丫江桥镇", "皇图岭镇", "新市镇", "黄丰桥镇", "宁家坪镇", "菜花坪镇",
                                         "桃水镇", "酒埠江镇", "莲塘坳镇", "鸾山镇", "渌田镇", "柏市镇"),
                    DEPARTMENTS, "412300", "0731", "http://www.youxian.gov.cn")
    ROUND_ONE_SECONDS = 300     # a first-round cookie only buys the puzzle, for a few minutes

    def _token(self, stage: str, ts: str, jsluid: str, ua: str) -> str:
        return quote(_b64(self._mac(stage, ts, jsluid, ua)), safe="")

    def _parse(self, value: str) -> tuple[str, str] | None:
        ts, sep, rest = value.partition("|0|")
        return (ts, rest) if sep and ts and rest else None

    def gate(self, ctx: Context, path: str, query: str) -> Reply | None:
        req = ctx.request
        ua = req.header("user-agent")
        cookies = req.cookies()
        jsluid = cookies.get("__jsluid_s", "")
        headers = []
        if len(jsluid) != 32:
            jsluid = secrets.token_hex(16)
            headers.append(("Set-Cookie", f"__jsluid_s={jsluid}; max-age=31536000; path=/; HttpOnly"))
        parsed = self._parse(unquote(cookies.get("__jsl_clearance_s", "")))
        if parsed is not None and not headers:
            ts, token = parsed
            if hmac.compare_digest(quote(token, safe=""), self._token("clear", ts, jsluid, ua)) and self._fresh(ts):
                return None
            if (hmac.compare_digest(quote(token, safe=""), self._token("first", ts, jsluid, ""))
                    and 0 <= time.time() - float(ts) < self.ROUND_ONE_SECONDS):
                return self._puzzle(jsluid, ua)
        return self._first(jsluid, headers)

    def _first(self, jsluid: str, headers: list) -> Reply:
        ts = f"{time.time():.3f}"
        value = f"{ts}|0|{self._token('first', ts, jsluid, '')}"
        rng = random.Random(value)
        expr = "+".join([_obfuscate("__jsl_clearance_s=", rng), _obfuscate(value, rng), "(';max-age=3600;path=/')"])
        body = f"<script>document.cookie={expr};location.href=location.pathname+location.search</script>"
        return Reply(521, body.encode(), "text/html", headers)

    def _puzzle(self, jsluid: str, ua: str) -> Reply:
        ts = f"{time.time():.3f}"
        clearance = f"{ts}|0|{self._token('clear', ts, jsluid, ua)}"
        cut = len(ts) + 3 + 3
        rng = random.Random(clearance)
        hidden = clearance[cut:cut + 2]
        pool = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789%")
        chars = list(hidden) + rng.sample(sorted(pool - set(hidden)), 20)
        rng.shuffle(chars)
        ha = rng.choice(sorted(HASHES))
        params = {"bts": [clearance[:cut], clearance[cut + 2:]], "chars": "".join(chars),
                  "ct": HASHES[ha](clearance.encode()).hexdigest(), "ha": ha, "is": True, "tn": "__jsl_clearance_s",
                  "vt": str(int(self.ttl)) if self.ttl >= 1 else "1", "wt": "1500"}
        body = f"""<script>{HASH_JS}
function go(_0x2a1f){{var _0x5c3e={{md5:_md5,sha1:_sha1,sha256:_sha256}}[_0x2a1f['ha']],_0x4b7d=_0x2a1f['chars'],_0x1e9a=_0x4b7d['length'];
for(var _0x3f2c=0;_0x3f2c<_0x1e9a;_0x3f2c++){{for(var _0x58d1=0;_0x58d1<_0x1e9a;_0x58d1++){{
var _0x17ab=_0x2a1f['bts'][0]+_0x4b7d['substr'](_0x3f2c,1)+_0x4b7d['substr'](_0x58d1,1)+_0x2a1f['bts'][1];
if(_0x5c3e(_0x17ab)==_0x2a1f['ct']){{document['cookie']=_0x2a1f['tn']+'='+_0x17ab+';Max-age='+_0x2a1f['vt']+'; path = /';
location['href']=location['pathname']+location['search'];return;}}}}}}
setTimeout(function(){{location['reload']()}},_0x2a1f['wt']);}}
go({json.dumps(params, separators=(",", ":"))})</script>"""
        return Reply(521, body.encode(), "text/html")


# -- 瑞数 ---------------------------------------------------------------------------------------------

class Ruishu(ChallengeSite):
    name = "ruishu"
    challenge = "ruishu"
    portal = T.Portal("涉县人民政府", "www.hbsx.gov.cn", "1304260001", "冀ICP备05023145号", "冀公网安备 13042602000108号",
                      "涉县人民政府办公室", "河北省邯郸市涉县涉城镇振兴街1号", "0310-3812345")
    county = County("涉县", "涉县人民政府", ("涉城镇", "河南店镇", "索堡镇", "西戍镇", "井店镇", "更乐镇", "固新镇", "西达镇",
                                         "偏城镇", "神头乡", "辽城乡", "偏店乡", "龙虎乡", "木井乡", "鹿头乡", "关防乡", "合漳乡"),
                    DEPARTMENTS, "056400", "0310", "http://www.hbsx.gov.cn")
    COOKIE = "GmQ7sNW1cXbA4kR80"
    SCRIPT = "/Xk2pQ9bTfL1c/Uq8mP3sW7dYv.b4c45da.js"
    META_ID = "Xk2pQ9bTfL1c"

    def __init__(self, scale: int = 1, clearance_ttl: float = 3600):
        super().__init__(scale, clearance_ttl)
        self.route(self.SCRIPT, self.script)

    def _read_s(self, s_value: str) -> tuple[float, str, int, str] | None:
        """(issue time, meta token, nsd, cd) a genuine S cookie stands for; None when S is not ours."""
        try:
            raw = base64.urlsafe_b64decode(s_value[2:] + "=" * (-len(s_value[2:]) % 4))
        except ValueError:
            return None
        if not s_value.startswith("60") or len(raw) != 38:
            return None
        nonce, stamp, mac = raw[:12], raw[12:18], raw[18:]
        if not hmac.compare_digest(mac, self._mac("S", nonce.hex(), stamp.hex())):
            return None
        seed = self._mac("page", nonce.hex(), size=32)
        meta = base64.b64encode(hashlib.sha512(seed).digest() + hashlib.sha512(seed + b"2").digest()).decode()
        meta = meta.replace("+", "").replace("/", "").rstrip("=")
        cd = "".join("qEArlcGVmkTxhsCWDpoSt"[b % 21] for b in hashlib.sha256(seed + b"cd").digest() * 6)
        nsd = 10000 + int.from_bytes(seed[:3], "big") % 90000
        return int.from_bytes(stamp, "big") / 1000, meta, nsd, cd

    def expected_t(self, meta: str, nsd: int, cd: str, ua: str) -> str:
        """The T cookie the script derives (eight chained SHA-1 rounds, URL-safe base64)."""
        h, out = "", b""
        for i in range(8):
            h = hashlib.sha1(f"{h}{i}{meta}{nsd}{cd}{ua}".encode()).hexdigest()
            out += bytes.fromhex(h)
        return "0" + base64.urlsafe_b64encode(out).decode().rstrip("=")

    def gate(self, ctx: Context, path: str, query: str) -> Reply | None:
        if path == self.SCRIPT:
            return None
        req = ctx.request
        cookies = req.cookies()
        s_value, t_value = cookies.get(self.COOKIE + "S", ""), cookies.get(self.COOKIE + "T", "")
        known = self._read_s(s_value) if s_value else None
        if known is not None and self._fresh(str(known[0])):
            if t_value and hmac.compare_digest(t_value, self.expected_t(*known[1:], req.header("user-agent"))):
                return None
        return self._challenge()

    def _challenge(self) -> Reply:
        nonce, stamp = secrets.token_bytes(12), int(time.time() * 1000).to_bytes(6, "big")
        raw = nonce + stamp + self._mac("S", nonce.hex(), stamp.hex())
        s_value = "60" + base64.urlsafe_b64encode(raw).decode().rstrip("=")
        _, meta, nsd, cd = self._read_s(s_value)
        expires = formatdate(time.time() + max(self.ttl, 1) * 10, usegmt=True)
        body = f"""<!DOCTYPE html>
<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta http-equiv="Pragma" content="no-cache"><meta http-equiv="Cache-Control" content="no-cache, no-store, must-revalidate"><meta http-equiv="Expires" content="0">
<meta id="{self.META_ID}" content="{meta}" r='m'>
<script type="text/javascript" r='m'>$_ts=window['$_ts'];if(!$_ts)$_ts=window['$_ts']={{}};$_ts.nsd={nsd};$_ts.cd="{cd}";if($_ts.lcd)$_ts.lcd();</script>
<script type="text/javascript" charset="utf-8" src="{self.SCRIPT}" r='m'></script>
</head>
<body>
</body></html>"""
        headers = [("Set-Cookie", f"{self.COOKIE}S={s_value}; Path=/; expires={expires}; HttpOnly"),
                   ("Cache-Control", "no-cache, no-store, must-revalidate")]
        return Reply(412, body.encode(), "text/html; charset=utf-8", headers)

    def script(self, ctx: Context) -> Reply:
        js = f"""{HASH_JS}
(function(){{var _$m=document.querySelector('meta[r="m"]'),_$t=window['$_ts'];if(!_$m||!_$t)return;
_$t.lcd=function(){{}};var _$k=_$m.getAttribute('content'),_$h='',_$b='';
for(var _$i=0;_$i<8;_$i++){{_$h=_sha1(_$h+_$i+_$k+_$t.nsd+_$t.cd+navigator.userAgent);
for(var _$j=0;_$j<_$h.length;_$j+=2)_$b+=String.fromCharCode(parseInt(_$h.substr(_$j,2),16));}}
var _$v='0'+btoa(_$b).replace(/\\+/g,'-').replace(/\\//g,'_').replace(/=+$/,'');
var _$e=new Date(new Date().getTime()+{int(max(self.ttl, 1) * 10 * 1000)});
document.cookie='{self.COOKIE}T='+_$v+'; path=/; expires='+_$e.toUTCString();
location.replace(location.href);}})();"""
        return Reply(200, js.encode(), "application/javascript", [("Cache-Control", "max-age=86400")])


# -- 200 shield ----------------------------------------------------------------------------------------

def _fnv(text: str, seed: int) -> str:
    x = seed & 0xFFFFFFFF
    for ch in text:
        x ^= ord(ch) & 0xFFFF
        x = (x * 16777619) & 0xFFFFFFFF
    return f"{x:08x}"


def shield_mid(nonce: str, ua: str) -> str:
    """security_session_mid_verify as the shield's script computes it."""
    return _fnv(nonce + ua, 0x811C9DC5) + _fnv(ua + nonce, 0x01000193) + _fnv(nonce, 0x2F3A5B7C) + _fnv(ua, 0x6D2B79F5)


class Shield(ChallengeSite):
    name = "shield"
    challenge = "status200"
    portal = T.Portal("安福县人民政府", "www.afx.gov.cn", "3608290001", "赣ICP备05004521号", "赣公网安备 36082902000119号",
                      "安福县人民政府办公室", "江西省吉安市安福县平都镇城南大道1号", "0796-7612345")
    county = County("安福县", "安福县人民政府", ("平都镇", "浒坑镇", "洲湖镇", "横龙镇", "洋溪镇", "严田镇", "枫田镇", "竹江乡",
                                             "瓜畲乡", "钱山乡", "赤谷乡", "山庄乡", "洋门乡", "金田乡", "彭坊乡", "泰山乡"),
                    DEPARTMENTS, "343200", "0796", "http://www.afx.gov.cn")

    def _stamp(self, verify: str) -> str | None:
        """The issue time (hex milliseconds) a genuine security_session_verify carries, else None."""
        stamp, sep, mac = verify.partition("g")
        if not sep or not hmac.compare_digest(mac, self._mac("verify", stamp, size=12).hex()):
            return None
        return stamp

    def gate(self, ctx: Context, path: str, query: str) -> Reply | None:
        req = ctx.request
        cookies = req.cookies()
        verify, mid = cookies.get("security_session_verify", ""), cookies.get("security_session_mid_verify", "")
        stamp = self._stamp(verify) if verify else None
        if stamp is not None and self._fresh(str(int(stamp, 16) / 1000)):
            nonce = self._mac("nonce", stamp, size=8).hex()
            if mid and hmac.compare_digest(mid, shield_mid(nonce, req.header("user-agent"))):
                return None
        return self._challenge()

    def _challenge(self) -> Reply:
        stamp = f"{int(time.time() * 1000):x}"
        verify = f"{stamp}g{self._mac('verify', stamp, size=12).hex()}"
        nonce = self._mac("nonce", stamp, size=8).hex()
        body = f"""<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>安全检测中...</title>
<style>body{{margin:0;background:#f5f7fa;font-family:"Microsoft YaHei",Arial,sans-serif}}.box{{width:520px;margin:160px auto 0;text-align:center;color:#333}}
.box h3{{font-size:20px;font-weight:normal}}.box p{{font-size:14px;color:#888}}.loading{{width:40px;height:40px;margin:20px auto;border:4px solid #dde;border-top-color:#2d8cf0;border-radius:50%}}</style>
</head>
<body>
<div class="box"><div class="loading"></div><h3>正在进行安全检测，请稍候……</h3>
<p>系统正在对您的浏览器进行安全检测，检测通过后将自动跳转到您访问的页面。</p><p>如果页面长时间没有跳转，请<a href="javascript:location.reload();">点击这里</a>刷新。</p></div>
<script type="text/javascript">
var _$nonce="{nonce}";
function _$h(s,x){{x=x>>>0;for(var i=0;i<s.length;i++){{x^=s.charCodeAt(i);x=Math.imul(x,16777619)>>>0;}}return('0000000'+x.toString(16)).slice(-8);}}
(function(){{var ua=navigator.userAgent;
var mid=_$h(_$nonce+ua,0x811c9dc5)+_$h(ua+_$nonce,0x01000193)+_$h(_$nonce,0x2f3a5b7c)+_$h(ua,0x6d2b79f5);
document.cookie="security_session_mid_verify="+mid+";path=/;";
setTimeout(function(){{location.reload();}},300);}})();
</script>
</body>
</html>"""
        headers = [("Set-Cookie", f"security_session_verify={verify}; path=/; HttpOnly"),
                   ("Cache-Control", "no-cache, no-store")]
        return Reply(200, body.encode(), "text/html; charset=utf-8", headers)


# -- WAF -----------------------------------------------------------------------------------------------

ATTACK_SIGNATURES = ("union select", "union all select", "' or '", "\" or \"", "' and ", " or 1=1", "sleep(",
                     "benchmark(", "<script", "javascript:", "onerror=", "../", "..\\", "/etc/passwd", "win.ini", ".bak",
                     ".sql", ".git/", ".svn/", "web.config", "information_schema", "xp_cmdshell", "${jndi:")


def is_attack(path: str, query: str) -> bool:
    text = unquote(unquote(f"{path}?{query}")).lower().replace("+", " ")
    return any(sig in text for sig in ATTACK_SIGNATURES)


class Waf(ChallengeSite):
    name = "waf"
    challenge = "waf"
    portal = T.Portal("莒县人民政府", "www.juxian.gov.cn", "3711220001", "鲁ICP备05031245号", "鲁公网安备 37112202000131号",
                      "莒县人民政府办公室", "山东省日照市莒县城阳街道振兴东路1号", "0633-6212345")
    county = County("莒县", "莒县人民政府", ("招贤镇", "阎庄镇", "夏庄镇", "刘官庄镇", "峤山镇", "小店镇", "龙山镇", "东莞镇",
                                         "库山乡", "碁山镇", "洛河镇", "寨里河镇", "长岭镇", "安庄镇", "桑园镇", "中楼镇"),
                    DEPARTMENTS, "276500", "0633", "http://www.juxian.gov.cn")

    def __init__(self, scale: int = 1, block_seconds: float = 90):
        super().__init__(scale)
        self.block_seconds = block_seconds
        self._blocked: dict[tuple[str, str], float] = {}
        self._lock = threading.Lock()

    def gate(self, ctx: Context, path: str, query: str) -> Reply | None:
        req = ctx.request
        ua = req.header("user-agent")
        key = (req.client, ua)
        now = time.monotonic()
        reason = None
        if not ua.startswith("Mozilla/5.0"):
            reason = "恶意爬虫访问（User-Agent 异常）"
        elif is_attack(path, query):
            reason = "疑似攻击请求（SQL注入/XSS/目录遍历）"
        with self._lock:
            if reason is not None:
                self._blocked[key] = now + self.block_seconds
            elif self._blocked.get(key, 0.0) > now:
                reason = "访问频率异常，IP已被临时封禁"
            else:
                self._blocked.pop(key, None)
                return None
        return self._block_page(req.client, reason)

    def _block_page(self, client: str, reason: str) -> Reply:
        event = secrets.token_hex(16)
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime())
        body = f"""<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>您的访问被拦截</title>
<style>body{{margin:0;background:#fff;font-family:"Microsoft YaHei",Arial,sans-serif;color:#333}}.wrap{{width:640px;margin:120px auto 0}}
.wrap h1{{font-size:26px;color:#e4393c;font-weight:normal}}.wrap table{{margin:20px 0;font-size:14px;border-collapse:collapse}}
.wrap td{{padding:6px 12px;border-bottom:1px dashed #ddd}}.foot{{margin-top:40px;font-size:12px;color:#999}}</style>
</head>
<body>
<div class="wrap">
<h1>您的访问被拦截</h1>
<p>当前访问疑似黑客攻击，已被网站防火墙拦截。如您是正常访问，请稍后再试或联系网站管理员。</p>
<table>
<tr><td>拦截原因</td><td>{reason}</td></tr>
<tr><td>您的IP</td><td>{T.esc(client)}</td></tr>
<tr><td>拦截时间</td><td>{when}</td></tr>
<tr><td>事件ID</td><td>{event}</td></tr>
</table>
<p>如果您是网站管理员，请登录网站防火墙控制台，根据事件ID查看拦截日志。</p>
<div class="foot">网站防火墙 · Web应用防火墙提供安全防护</div>
</div>
</body>
</html>"""
        return Reply(403, body.encode(), "text/html; charset=utf-8", [("Cache-Control", "no-cache")])
