"""Generic browser exploration of a listing page: the fallback that needs no knowledge of the portal's family.

Given a Playwright page already loaded, ``explore`` keeps what a person paging through the list would see:

* the rendered HTML of the page and of every same-site frame, after each step (the caller analyses them with
  the same listing analysis as static pages);
* every XHR/fetch answer and every script-loaded (JSONP) answer, JSON or HTML fragment, with the call that got
  it, so that later pages can be fetched without the browser where the call can be replayed;

and it operates the page's navigation controls whatever their markup: "more" buttons (加载更多, 查看更多 …),
next-page controls (下一页, >, » …), numbered pager elements in ascending order, year tabs that link nowhere
(2023 / 2022年 …: their lists come by script), and ``<select>`` options that navigate, until a step brings no new link or ``max_actions`` is reached (Browsertrix's behaviours, bounded).
Controls are found by their visible text and position in a pager-like group, not by class names or scripts.

Plain Playwright (async API): testable with a browser and a local page, without Scrapy.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

__all__ = ["Capture", "Exploration", "explore", "capture_response"]

logger = logging.getLogger(__name__)

# Words of the controls a person uses to see more of a list (portals.md §4's pager vocabulary, plus the
# load-more buttons of script-drawn lists).
MORE_CONTROL_RE = r"^(?:点击)?(?:加载|查看|显示|展开)(?:更多|全部)(?:内容|信息|数据)?|^更多(?:内容|信息)?$|^load more$|^show more$"
NEXT_CONTROL_RE = r"^(?:下一页|下页|后一页|后页|下一頁|next|next page|>|›|»|＞|>>|＞＞)$"
MAX_BODY_CHARS = 2_000_000      # an answer bigger than this is not a list page

# Runs inside each frame: tags every visible control with data-nianbao-ctl and describes it. A number counts
# only inside a group of at least two numbers (a pager), so dates and counters are not clicked.
_FIND_CONTROLS_JS = r"""
([moreRe, nextRe]) => {
  const more = new RegExp(moreRe, 'i'), next = new RegExp(nextRe, 'i');
  const visible = el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const out = [];
  let n = 0;
  const tag = el => { if (!el.dataset.nianbaoCtl) el.dataset.nianbaoCtl = String(Date.now() % 100000) + '-' + (n++); return el.dataset.nianbaoCtl; };
  const nodes = document.querySelectorAll('a, button, input[type=button], input[type=submit], span, li, div, em, b, label, font');
  for (const el of nodes) {
    if (!visible(el)) continue;
    const text = ((el.innerText || el.value || '') + '').replace(/\s+/g, ' ').trim();
    if (!text || text.length > 12) continue;
    // the innermost element carrying the text, not its wrappers
    if ([...el.children].some(c => ((c.innerText || '') + '').trim() === text)) continue;
    const disabled = el.disabled || /disabled|disable|unable|gray/i.test(el.className || '') || el.getAttribute('aria-disabled') === 'true';
    if (disabled) continue;
    if (more.test(text)) { out.push({id: tag(el), kind: 'more', text}); continue; }
    if (next.test(text)) { out.push({id: tag(el), kind: 'next', text}); continue; }
    // a year tab (2023 / 2022年 / 2021年度) among others, linking nowhere: its list comes by script
    if (/^(19|20)\d{2}\s*(年度?)?$/.test(text) && !(el.tagName === 'A' && /^(https?:|\/|\.)/.test(el.getAttribute('href') || ''))) {
      const siblings = el.parentElement ? [...el.parentElement.children].filter(c => /^\s*(19|20)\d{2}\s*(年度?)?\s*$/.test(c.innerText || '')) : [];
      if (siblings.length >= 2) { out.push({id: tag(el), kind: 'tab', text}); continue; }
    }
    if (/^\d{1,4}$/.test(text)) {
      const parent = el.parentElement && (el.parentElement.tagName === 'LI' ? el.parentElement.parentElement : el.parentElement);
      if (!parent) continue;
      const numbers = [...parent.querySelectorAll('a, span, li, button, em, b')].filter(e => /^\s*\d{1,4}\s*$/.test(e.innerText || ''));
      if (numbers.length >= 2 && parent.innerText.length < 400) out.push({id: tag(el), kind: 'number', text, n: parseInt(text, 10)});
    }
  }
  for (const sel of document.querySelectorAll('select')) {
    if (!visible(sel) || sel.options.length < 2 || sel.options.length > 500) continue;
    const navigates = sel.getAttribute('onchange') || [...sel.options].some(o => /page|\.s?html?|\?/.test(o.value || ''));
    if (!navigates) continue;
    const id = tag(sel);
    [...sel.options].forEach((o, i) => { if (i !== sel.selectedIndex) out.push({id, kind: 'select', text: o.text.trim(), value: o.value}); });
  }
  return out;
}
"""

_LINKS_JS = "() => [...document.querySelectorAll('a[href]')].map(a => a.href)"


@dataclass
class Capture:
    """One answer to the page's own XHR/fetch/script request."""

    url: str
    method: str
    body: str | None                # the request body (POST)
    request_content_type: str | None
    content_type: str
    text: str                       # the answer


@dataclass
class Exploration:
    snapshots: list[tuple[str, str]] = field(default_factory=list)   # (frame URL, rendered HTML)
    captures: list[Capture] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)                 # what was operated, in order
    links: set[str] = field(default_factory=set)


def _same_site(url: str, page_url: str) -> bool:
    return urlsplit(url).netloc == urlsplit(page_url).netloc


async def _settle(page, timeout_ms: int) -> None:
    """Wait for the page's network to go quiet after an action (a bounded wait: some pages poll forever)."""
    try:
        await page.wait_for_load_state("networkidle", timeout=timeout_ms)
    except Exception:       # playwright's TimeoutError, or the page navigated away
        pass
    await asyncio.sleep(0.05)


async def _frames(page, page_url: str) -> list:
    return [f for f in page.frames if f == page.main_frame or (f.url and _same_site(f.url, page_url))]


async def _snapshot(page, page_url: str, result: Exploration) -> int:
    """Record every same-site frame's HTML; returns how many links are new."""
    new = 0
    for frame in await _frames(page, page_url):
        try:
            html = await frame.content()
            links = await frame.evaluate(_LINKS_JS)
        except Exception as exc:      # a frame detached mid-step
            logger.debug("nianbao: frame %s unreadable: %s", frame.url, exc)
            continue
        result.snapshots.append((frame.url or page_url, html))
        fresh = set(links) - result.links
        new += len(fresh)
        result.links |= fresh
    return new


async def explore(page, captures: list[Capture], *, max_actions: int = 40, settle_ms: int = 3000) -> Exploration:
    """Operate the page's list controls until they bring nothing new (see the module docstring).

    `captures`: the list the caller's response listener (capture_response) fills from the page's first load
    on, so that the answers of that load are kept too.
    """
    result = Exploration()
    page_url = page.url
    await _settle(page, settle_ms)
    await _snapshot(page, page_url, result)
    done: set[tuple[str, str]] = set()
    numbers_done: set[tuple[str, int]] = set()
    idle = 0
    for _ in range(max_actions):
        control = await _next_control(page, page_url, done, numbers_done)
        if control is None:
            break
        frame, ctl = control
        label = f"{ctl['kind']}:{ctl['text']}"
        try:
            if ctl["kind"] == "select":
                await frame.locator(f'[data-nianbao-ctl="{ctl["id"]}"]').select_option(value=ctl["value"], timeout=2000)
            else:
                await frame.locator(f'[data-nianbao-ctl="{ctl["id"]}"]').first.click(timeout=2000)
        except Exception as exc:
            logger.debug("nianbao: %s on %s did not respond: %s", label, page_url, exc)
            done.add((frame.url, label))
            continue
        result.actions.append(label)
        await _settle(page, settle_ms)
        new = await _snapshot(page, page_url, result)
        if not new:
            # a slow answer (a busy server, a loaded machine) is not an empty one: look once more
            await asyncio.sleep(settle_ms / 3000)
            await _settle(page, settle_ms)
            new = await _snapshot(page, page_url, result)
        if not new and ctl["kind"] == "tab":
            # a tab clicked while the previous one's answer was still coming may show that one: once more
            try:
                await frame.locator(f'[data-nianbao-ctl="{ctl["id"]}"]').first.click(timeout=2000)
                await _settle(page, settle_ms)
                new = await _snapshot(page, page_url, result)
            except Exception as exc:
                logger.debug("nianbao: %s on %s did not respond again: %s", label, page_url, exc)
        if ctl["kind"] in ("number", "select", "tab"):
            done.add((frame.url, label))
        idle = 0 if new else idle + 1
        if not new and ctl["kind"] in ("more", "next"):
            done.add((frame.url, label))     # a control that brings nothing is spent
        if idle >= 3:
            break
    result.captures = list(captures)
    return result


async def _next_control(page, page_url: str, done: set, numbers_done: set):
    """The control to operate next: load-more first, then next-page, then the lowest page number not yet
    shown, then a navigating select's options."""
    best = None
    for frame in await _frames(page, page_url):
        try:
            controls = await frame.evaluate(_FIND_CONTROLS_JS, [MORE_CONTROL_RE, NEXT_CONTROL_RE])
        except Exception:
            continue
        for ctl in controls:
            label = f"{ctl['kind']}:{ctl['text']}"
            if (frame.url, label) in done:
                continue
            if ctl["kind"] == "number":
                if ctl["n"] <= 1 or (frame.url, ctl["n"]) in numbers_done:
                    continue
            rank = {"more": 0, "next": 1, "number": 2, "tab": 3, "select": 4}[ctl["kind"]]
            key = (rank, ctl.get("n", 0))
            if best is None or key < best[0]:
                best = (key, frame, ctl)
    if best is None:
        return None
    _, frame, ctl = best
    if ctl["kind"] == "number":
        numbers_done.add((frame.url, ctl["n"]))
    return frame, ctl


_JSONP_RE = re.compile(r"^\s*[\w$.]+\s*\(\s*([\[{].*[\]}])\s*\)\s*;?\s*$", re.S)


async def capture_response(response, captures: list[Capture]) -> None:
    """Keep the answer of an XHR/fetch call or a script that carries data (JSONP), JSON or HTML fragment."""
    request = response.request
    if request.resource_type not in ("xhr", "fetch", "script"):
        return
    ctype = (response.headers.get("content-type") or "").lower()
    try:
        text = await response.text()
    except Exception:       # a redirect, or the page navigated before the body came
        return
    if not text or len(text) > MAX_BODY_CHARS:
        return
    if request.resource_type == "script":
        match = _JSONP_RE.match(text)
        if not match:
            return          # an ordinary script, not data
        text, ctype = match.group(1), "application/json"
    captures.append(Capture(request.url, request.method, request.post_data, request.headers.get("content-type"),
                            ctype, text))
