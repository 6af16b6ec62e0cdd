"""Recognise anti-bot answers: a challenge page or a WAF block instead of the page asked for.

Government portals sit behind a few CDN/WAF layers (portals.md §5). Each answers a client it does not
trust with a small page that only a JavaScript engine gets past (加速乐 521, 瑞数 412, shields served
with status 200) or with a block page (a WAF refusing a crawler-looking User-Agent for a minute or
two). The status alone does not tell: challenges also come as 200, and a real 403/412 page exists.
So the body decides, and a status only narrows where to look:

* a vendor's own markers (加速乐, 瑞数, and the challenge scripts of 360网站卫士/奇安信 wzws, 长亭雷池,
  华为云, 云锁 ...) in a small page;
* a challenge by its nature: a near-empty page (no text to speak of, no navigation) whose inline script
  writes a cookie and moves the browser on (reload / location) — however the script is obfuscated;
* a block page by its nature: a short page that tells the visitor *their* request or access was
  blocked (您的请求……已被拦截 / 当前访问……已自动阻断 / "your request has been blocked"), in its text or
  in the script that fills its text in, or whose markup carries a WAF vendor's block-page furniture.

A real page keeps its long visible text and its links: it is never taken for a challenge because it
names a firewall (a report's 网站防火墙拦截攻击3万次) or has buttons that set a cookie and reload (长者模式).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

__all__ = ["Challenge", "detect_challenge", "CHALLENGE_KINDS"]

# Challenges are small pages; a large page that merely mentions a marker is content.
MAX_CHALLENGE_BYTES = 64 * 1024
# a block page says little besides its message; a 200 page with more visible text than this is content
MAX_BLOCK_TEXT = 1500
# a challenge has next to no text of its own (its title and a <noscript> plea aside)
MAX_CHALLENGE_TEXT = 200


@dataclass(frozen=True)
class Challenge:
    kind: str          # jsl | ruishu | shield | waf
    solvable: bool     # a browser clears it (a WAF block is cleared by a browser identity, not a script)
    detail: str


# (kind, solvable, body pattern): a vendor's own marker, looked for in the raw page
_MARKERS: tuple[tuple[str, bool, re.Pattern], ...] = (
    # 加速乐: both rounds set __jsl_clearance(_s) from script; the second calls go({... "tn": ...})
    # (the cookie name is split into pieces by the obfuscation; its tail survives)
    ("jsl", True, re.compile(r"_clearance(?:_s)?\W?=|jsl_clearance|go\(\{\s*\"bts\"", re.I)),
    # 瑞数: $_ts bootstrap with an r='m' script, usually 412, sometimes 202/200
    ("ruishu", True, re.compile(r"\$_ts\s*=\s*window\[|\$_ts\.(?:nsd|cd)\s*=|<meta[^>]+r=['\"]m['\"]", re.I)),
    # cookie-script challenges by vendor: Alibaba acw_sc__v2, ccgp _bot_sbu, Knownsec __jsluid, 云锁 security_verify /
    # YunSuoAutoJump, 360网站卫士/奇安信 wzws (wzwschallenge, /WZWSREL…), 长亭雷池 SafeLineChallenge
    # (challenge.rivers.chaitin.cn), 华为云 WAF anti-bot (security_antibot_code, Server HuaweiCloudWAF)
    ("shield", True, re.compile(r"acw_sc__v2|_bot_sbu/|__jsluid|\bsecurity_verify|YunSuoAutoJump|"
                                r"wzws(?:challenge|template|confirm|cid|sessionid|_cid)|WZWSREL|"
                                r"SafeLineChallenge|chaitin\.cn/challenge|HuaweiCloudWAF|security_antibot", re.I)),
    # WAF block-page furniture: the vendor's error assets, help and console links (创宇盾/知道创宇 365cyd/yunaq/
    # notice-jiasule, 阿里云盾 errors.aliyun.com, 腾讯云 qcloud/security, 网防G01 /waf_images/, 长亭雷池 /.safeline/)
    ("waf", False, re.compile(r"365cyd\.com|yunaq\.com|notice-jiasule|Knownsec\s*CloudWAF|errors\.aliyun\.com|"
                              r"qcloud/security/|/waf_images/|/\.safeline/", re.I)),
)

# The visitor's request or access ... blocked: the message of every block page, whatever the vendor.
# ("您的请求带有不合法参数，已被网站管理员设置拦截", "当前访问疑似黑客攻击，已被创宇盾拦截", "您的访问可能对网站造成威胁，
# 已被云防护拦截", "因系统检测到您的请求可能对网站造成威胁，已自动阻断请求", "由于您访问的URL……您的访问被阻断")
# A report narrating 全年拦截攻击3万次 or 部分访问被误拦截 speaks of no 您/当前 request.
_SUBJECT = r"(?:您|你|当前|本次)[^\s，,。！!；;:：>|]{0,8}?(?:访问|请求|IP|URL|操作|连接)"
_BLOCK_STATEMENT = re.compile(
    _SUBJECT + r"[^。！!]{0,40}?(?:被|已)[^。！!，,]{0,16}?(?:拦截|阻断|阻止|拒绝|屏蔽|封禁)"
    r"|(?:访问|请求)(?:被|已被)(?:拦截|阻断|拒绝)"
    r"|\b(?:your\s+)?(?:request|access|connection)\s+(?:has\s+been|was|is)\s+(?:blocked|denied|rejected|intercepted)",
    re.I)

_SHIELD_TEXT = re.compile(r"(?:正在进行安全(?:检测|验证)|安全检测中|浏览器安全检查|请稍候|Please enable JavaScript|"
                          r"Checking your browser|Loading |(?:安全|人机)验证|人机识别|verify you are (?:a )?human)", re.I)
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.I | re.S)
_STYLE = re.compile(r"<style\b[^>]*>.*?</style\s*>|<!--.*?-->", re.I | re.S)
_TITLE = re.compile(r"<title\b[^>]*>.*?</title\s*>|<noscript\b[^>]*>.*?</noscript\s*>", re.I | re.S)
_TAG = re.compile(r"<[^>]+>")
_LINK = re.compile(r"<a\b[^>]*\bhref\s*=", re.I)
# in one inline script: a cookie written (document.cookie=…, d['cookie']=…, or the name quoted as obfuscators and
# packers keep it: 'cookie', |cookie|) and the browser sent on (location=…, location.href=…/replace/assign/reload)
_COOKIE_WRITE = re.compile(r"\bcookie['\"\]]*\s*=(?!=)|['\"|]cookie['\"|]", re.I)
_NAVIGATE = re.compile(r"\blocation['\"\]]*\s*(?:=(?!=)|\.\s*(?:href\s*=(?!=)|replace|assign|reload))|\breload\s*\(|"
                       r"['\"|](?:location|reload)['\"|]", re.I)
_FRAME = re.compile(r"<i?frame\b", re.I)

CHALLENGE_KINDS = tuple(dict.fromkeys(kind for kind, *_ in _MARKERS))


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("gb18030", "replace")


def _text(markup: str, blank: str = "") -> str:
    """What a reader sees of some markup: no tags, entities decoded (a title may be all &#x…;), each run of blanks
    made `blank` (none to measure it; a space to read English in it)."""
    return re.sub(r"\s+", blank, html.unescape(_TAG.sub("", markup))).strip()


def _inline_scripts(page: str) -> list[str]:
    return [code for attrs, code in _SCRIPT.findall(page) if "src" not in attrs.lower()]


def _found(kind: str, solvable: bool, status: int, what: str) -> Challenge:
    return Challenge(kind, solvable, f"HTTP {status}, {what}")


def detect_challenge(status: int, body: bytes, content_type: str | None = "") -> Challenge | None:
    """The challenge or block this answer is, or None when it is (as far as the body tells) the page.

    Only small HTML answers are looked at: a 20 MB PDF is never a challenge, and a report page that
    quotes a WAF's name keeps its long visible text.
    """
    ctype = (content_type or "").lower()
    if ctype and "html" not in ctype and "javascript" not in ctype and "text/plain" not in ctype:
        return None
    if len(body) > MAX_CHALLENGE_BYTES:
        return None
    page = _decode(body)
    bare = _STYLE.sub("", page)
    scripts = _inline_scripts(bare)
    without_scripts = _SCRIPT.sub("", bare)
    text = _text(without_scripts)                    # what a reader sees (title included)
    own_text = _text(_TITLE.sub("", without_scripts))  # the body's own words: no title, no <noscript> plea
    visible = len(text)
    links = len(_LINK.findall(without_scripts))

    for kind, solvable, pattern in _MARKERS:
        m = pattern.search(page)
        if not m:
            continue
        # a real page that happens to carry a marker has text; challenges and block pages have next to none
        if status == 200 and visible > 600:
            continue
        if kind == "waf" and visible > MAX_BLOCK_TEXT:
            continue
        return _found(kind, solvable, status, f"marker {m.group(0)[:40]!r}")

    if status == 521 and "<script" in page.lower():
        return Challenge("jsl", True, "HTTP 521 script page")      # 521 is 加速乐's own status

    # a challenge by its nature: nothing to read, nowhere to click, no frame holding the content, and a script that
    # sets a cookie and moves on (a real page's 长者模式/字号 buttons do the same, but it has text and links around
    # them; a redirect stub moves on without a cookie)
    if (len(own_text) < MAX_CHALLENGE_TEXT and links <= 1 and not _FRAME.search(bare)
            and any(_COOKIE_WRITE.search(code) and _NAVIGATE.search(code) for code in scripts)):
        return _found("shield", True, status, "near-empty page whose script sets a cookie and navigates")

    # a block page by its nature: it tells the visitor their request was blocked (the text may be filled in by
    # its script, as 创宇盾 does), and says little else
    if status != 200 or visible <= MAX_BLOCK_TEXT:
        m = _BLOCK_STATEMENT.search(_text(without_scripts, " ")) or _BLOCK_STATEMENT.search(_text("\n".join(scripts), " "))
        if m:
            return _found("waf", False, status, f"block statement {m.group(0)[:40]!r}")

    if status in (202, 412) or (status == 200 and _SHIELD_TEXT.search(page)):
        # an unknown vendor's script-only answer: worth one browser try
        if "<script" in page.lower() and visible < 300:
            return _found("shield", True, status, "script-only page")
    return None
