"""Recognise anti-bot answers: a challenge page or a WAF block instead of the page asked for.

Government portals sit behind a few CDN/WAF layers (portals.md §5). Each answers a client it does not
trust with a small page that only a JavaScript engine gets past (加速乐 521, 瑞数 412, shields served
with status 200) or with a block page (a WAF refusing a crawler-looking User-Agent for a minute or
two). The status alone does not tell: challenges also come as 200, and a real 403/412 page exists.
So the body's markers decide, and a status only narrows where to look.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Challenge", "detect_challenge", "CHALLENGE_KINDS"]

# Challenges are small pages; a large page that merely mentions a marker is content.
MAX_CHALLENGE_BYTES = 64 * 1024


@dataclass(frozen=True)
class Challenge:
    kind: str          # jsl | ruishu | shield | waf
    solvable: bool     # a browser clears it (a WAF block is cleared by a browser identity, not a script)
    detail: str


# (kind, solvable, body pattern, statuses where the pattern alone suffices; None = any status)
_MARKERS: tuple[tuple[str, bool, re.Pattern, frozenset[int] | None], ...] = (
    # 加速乐: both rounds set __jsl_clearance(_s) from script; the second calls go({... "tn": ...})
    # (the cookie name is split into pieces by the obfuscation; its tail survives)
    ("jsl", True, re.compile(rb"_clearance(?:_s)?\W?=|jsl_clearance|go\(\{\s*\"bts\"", re.I), None),
    # 瑞数: $_ts bootstrap with an r='m' script, usually 412, sometimes 202/200
    ("ruishu", True, re.compile(rb"\$_ts\s*=\s*window\[|\$_ts\.(?:nsd|cd)\s*=|<meta[^>]+r=['\"]m['\"]", re.I), None),
    # Alibaba / ccgp / Knownsec-style cookie scripts
    ("shield", True, re.compile(rb"acw_sc__v2|_bot_sbu/|__jsluid|\bsecurity_verify|document\.cookie\s*=.{0,400}"
                                rb"location\.(?:reload|replace|href)", re.I | re.S), None),
    # Chinese WAF block pages (创宇盾, 安全狗, 云锁, 宝塔, 阿里云盾 ...)
    # (read in the visible text only: an ASP.NET __VIEWSTATE blob spells anything, "WaF" included)
    ("waf", False, re.compile("(?:被创宇盾拦截|已被拦截|访问被拦截|访问被拒绝|网站防火墙|安全狗|云锁|"
                              "疑似黑客攻击|您的请求带有不合法参数|Web应用防火墙)".encode()),
     frozenset({400, 403, 405, 406, 418, 429, 503, 200})),
)

_SHIELD_TEXT = re.compile("(?:正在进行安全(?:检测|验证)|安全检测中|浏览器安全检查|请稍候|Please enable JavaScript|"
                          "Checking your browser|Loading )".encode(), re.I)
_TAG = re.compile(rb"<[^>]+>")
_SCRIPT = re.compile(rb"<script\b[^>]*>.*?</script\s*>", re.I | re.S)

CHALLENGE_KINDS = tuple(kind for kind, *_ in _MARKERS)


def _visible(body: bytes) -> bytes:
    return re.sub(rb"\s+", b"", _TAG.sub(b"", _SCRIPT.sub(b"", body)))


def detect_challenge(status: int, body: bytes, content_type: str | None = "") -> Challenge | None:
    """The challenge or block this answer is, or None when it is (as far as markers tell) the page.

    Only small HTML answers are looked at: a 20 MB PDF is never a challenge, and a report page that
    quotes a WAF's name keeps its long visible text.
    """
    ctype = (content_type or "").lower()
    if ctype and "html" not in ctype and "javascript" not in ctype and "text/plain" not in ctype:
        return None
    if len(body) > MAX_CHALLENGE_BYTES:
        return None
    head = body[:MAX_CHALLENGE_BYTES]
    text = _visible(head)
    visible = len(text)
    for kind, solvable, pattern, statuses in _MARKERS:
        if statuses is not None and status not in statuses:
            continue
        m = pattern.search(text if kind == "waf" else head)
        if not m:
            continue
        # a real page that happens to carry a marker has text; challenges have next to none
        limit = 1500 if kind == "waf" else 600
        if status == 200 and visible > limit:
            continue
        return Challenge(kind, solvable, f"HTTP {status}, marker {m.group(0)[:40].decode('utf-8', 'replace')!r}")
    if status == 521 and b"<script" in head.lower():
        return Challenge("jsl", True, "HTTP 521 script page")      # 521 is 加速乐's own status
    if status in (202, 412) or (status == 200 and _SHIELD_TEXT.search(head)):
        # an unknown vendor's script-only answer: worth one browser try
        if b"<script" in head.lower() and visible < 300:
            return Challenge("shield", True, f"HTTP {status}, script-only page")
    return None
