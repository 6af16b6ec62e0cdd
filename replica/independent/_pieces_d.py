"""Shared pieces of the sites jeecms_portal, asp_classic_gbk and tabbed_years: list-title cutting, the titles
older county reports carried, a repost of another portal's report, a JSONP answer as jQuery's ``$.ajax`` with
``dataType:'jsonp'`` expects it, and the Java servlet ``;jsessionid=`` path parameter."""

from __future__ import annotations

import datetime as dt
import html
import json
import random
import re

from ..reports import Block, Report


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def cut(title: str, width: int, mark: str = "…") -> str:
    """What a list template prints of a long title (the full one stays in ``title=``)."""
    return title if len(title) <= width else title[:width - len(mark)] + mark


def old_title(rng: random.Random, agency: str, region: str, year: int, kind: str) -> str:
    """Titles 2009–2016 county reports carried (before the national format fixed them)."""
    if kind == "county":
        return rng.choice([
            f"{region}{year}年政府信息公开工作年度报告",
            f"{agency}关于{year}年度政府信息公开工作情况的报告",
            f"{agency}{year}年度政府信息公开工作报告",
        ])
    short = agency.replace(region, "", 1) if agency.startswith(region) and kind == "dept" else agency
    return rng.choice([
        f"{agency}{year}年政府信息公开工作年度报告",
        f"{agency}关于{year}年度政府信息公开工作情况的报告",
        f"{region}{short}{year}年度政府信息公开工作报告" if kind == "dept" else f"{agency}{year}年度政府信息公开工作报告",
        f"{year}年度{agency}政府信息公开工作年度报告",
    ])


def repost(original: Report, source_site: str, days_later: int = 4) -> Report:
    """The same report republished by another portal: 【转载】 title, a 来源 line, the same body."""
    return Report(title="【转载】" + original.title, agency=original.agency, year=original.year,
                  published=original.published + dt.timedelta(days=days_later), source=source_site,
                  blocks=[Block("p", f"来源：{source_site}"), *original.blocks], figures=original.figures,
                  extra={"repost": True})


_CALLBACK = re.compile(r"^[A-Za-z_$][\w$.]{0,80}$")


def jsonp(callback: str | None, payload: dict) -> tuple[bytes, str]:
    """A JSONP answer (``cb({...})``) or, without a usable callback, plain JSON."""
    data = json.dumps(payload, ensure_ascii=False)
    if callback and _CALLBACK.match(callback):
        return f"/**/{callback}({data});".encode("utf-8"), "application/javascript;charset=UTF-8"
    return data.encode("utf-8"), "application/json;charset=UTF-8"


def strip_jsessionid(path: str) -> str | None:
    """``/a/index.jhtml;jsessionid=ABC`` -> ``/a/index.jhtml`` (None when there is no such parameter)."""
    head, sep, tail = path.partition(";")
    return head if sep and tail.lower().startswith("jsessionid=") else None
