"""A 范文 content farm: report look-alikes with xx placeholders, ads and "您可能还会对下面的文章感兴趣"."""

from __future__ import annotations

import datetime as dt
from functools import partial

from . import templates as T
from .reports import Report, body_html, load_blocks
from .server import Context, Reply, html_reply
from .site import Site

CATEGORY = "/fanwen/ndbg/"


def articles() -> list[tuple[int, Report]]:
    def look(title, name, day):
        return Report(title, None, None, day, "网络", load_blocks(name), kind="lookalike")
    return [
        (38571, look("政务公开工作要点贯彻落实情况", "001_yaodian_luoshi.txt", dt.date(2019, 11, 2))),
        (41236, look("政府信息公开年度工作报告范文", "fanwen_nianbao.txt", dt.date(2020, 12, 14))),
        (43310, look("XX大学2019-2020学年信息公开工作年度报告", "university_report.txt", dt.date(2020, 11, 3))),
        (45102, look("XX股份有限公司2020年年度报告摘要", "company_abstract.txt", dt.date(2021, 4, 20))),
    ]


def _frame(title: str, content: str) -> str:
    body = f"""<div class="top"><div class="w">
<a href="/" class="logo">范文网</a>
<div class="kjss">快捷搜索:<a href="/lunwen/">论文</a> <a href="/hetong/">合同</a> <a href="/yanjiang/">演讲</a> <a href="/xinde/">心得</a></div>
<form action="/search.php"><input name="q"><button>搜索</button></form></div></div>
<div class="nav"><a href="/">首页</a> <a href="/fanwen/">范文大全</a> <a href="{CATEGORY}">年度报告范文</a> <a href="/zongjie/">工作总结</a> <a href="/jihua/">工作计划</a></div>
<div class="ad"><script src="https://pos.baidu.com/s?hei=90&wid=960&di=u3481234"></script></div>
<div class="w main">{content}</div>
<div class="ad"><ins class="adsbygoogle" data-ad-slot="3312345678"></ins></div>
<div class="foot">本站文章均来自网络，如有侵权请联系删除 | Copyright © 2024 范文网 | <a href="https://beian.miit.gov.cn/">粤ICP备17012345号-2</a></div>"""
    return T.page(title, '<meta name="keywords" content="范文,年度报告,工作总结">', body)


class Wenku(Site):
    name = "wenku"
    title = "范文网"

    def __init__(self, scale: int = 1):
        super().__init__()
        self.items = articles()
        for aid, report in self.items:
            path = f"{CATEGORY}{aid}.html"
            self.route(path, partial(self.article, report))
            self.add_lookalike(report, path)
        self.route(CATEGORY, self.category)
        self.route("/", self.home)

    def _links(self, skip: Report | None = None) -> str:
        return "".join(f'<li><a href="{CATEGORY}{aid}.html">{T.esc(r.title)}</a></li>' for aid, r in self.items if r is not skip)

    def article(self, report: Report, ctx: Context) -> Reply:
        content = f"""<div class="pos">您的位置：<a href="/">范文网</a> &gt; <a href="{CATEGORY}">年度报告范文</a> &gt; 正文</div>
<h1>{T.esc(report.title)}</h1><div class="info">时间：{report.published:%Y-%m-%d} 来源：网络 编辑：小编</div>
<div class="content"><p><strong>{T.esc(report.title)}</strong></p>{body_html(report, "trs")}</div>
<div class="ad"><script src="https://pos.baidu.com/s?hei=250&wid=300&di=u3481299"></script></div>
<div class="like"><h3>您可能还会对下面的文章感兴趣:</h3><ul>{self._links(report)}</ul></div>"""
        return html_reply(_frame(f"{report.title}_范文网", content))

    def category(self, ctx: Context) -> Reply:
        rows = "".join(f'<li><a href="{CATEGORY}{aid}.html" title="{T.esc(r.title)}">{T.esc(r.title)}</a>'
                       f'<span>{r.published:%Y-%m-%d}</span></li>' for aid, r in self.items)
        return html_reply(_frame("年度报告范文_范文网", f'<h2>年度报告范文</h2><ul class="list">{rows}</ul>'))

    def home(self, ctx: Context) -> Reply:
        return html_reply(_frame("范文网_免费范文大全", f'<h2><a href="{CATEGORY}">年度报告范文</a></h2><ul>{self._links()}</ul>'))
