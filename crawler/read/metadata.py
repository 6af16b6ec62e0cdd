"""Report metadata from an extracted page: title, the reporting agency, the year reported on, publish date, site.

Agency normalisation (a documented choice): the title's agency is expanded to the full name the
text states ("松山镇" → "松山镇人民政府"), and "X镇政府"/"X县政府" style abbreviations become
"X镇人民政府" (人民政府 is the legal name of every local government), so the same agency gets the same
key across years whatever its titles abbreviate ("社溪镇政府2019年度…" → 社溪镇人民政府).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from crawler.read.extract import Page, compact, split_html_title
from crawler.vocab import (
    AGENCY_EXPANSIONS,
    CN_DIGITS,
    GOVERNMENT_LEVEL_RE,
    MAX_REPORT_YEAR,
    MIN_REPORT_YEAR,
    PUBDATE_BYLINE,
    PUBDATE_META,
    PUBLISH_LAG_YEARS,
    REPORT_NAME_RE,
    REPOST_PREFIX_RE,
    SIGNATURE_RE,
    SITE_META,
    SOURCE_META,
)

__all__ = ["Metadata", "extract_metadata", "parse_date", "report_year", "title_agency"]


@dataclass
class Metadata:
    title: str
    agency: str | None
    year: int | None          # the year REPORTED ON
    published: str | None     # YYYY-MM-DD
    site_name: str | None


_CN = "".join(CN_DIGITS)
_DATE_RE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_CN_DATE_RE = re.compile(rf"([{_CN}]{{4}})年([十{_CN}]{{1,3}})月([十{_CN}]{{1,3}})日")
_COMPACT_DATE_RE = re.compile(r"(?<!\d)(20\d{2})(\d{2})(\d{2})(?!\d)")
_TRS_URL_RE = re.compile(r"/t(\d{4})(\d{2})(\d{2})_\d+")
_HANWEB_URL_RE = re.compile(r"/art/(\d{4})/(\d{1,2})/(\d{1,2})/")
_YEAR_RE = re.compile(rf"(?<!\d)(\d{{4}})(?!\d)|([{_CN}]{{4}})(?=年)")
_PERIOD_RE = re.compile(r"统计(?:期限|时限|时间|区间)[^。；;]{0,20}?(\d{4})\s*年|(?<!\d)(\d{4})年1月1日(?:起)?至")
_AGENCY_BEFORE_YEAR_RE = re.compile(rf"^(?P<agency>.+?)(?:关于)?\s*(?:\d{{4}}|[{_CN}]{{4}})\s*(?:年|年度)?")
_AGENCY_AFTER_YEAR_RE = re.compile(rf"^(?:\d{{4}}|[{_CN}]{{4}})\s*年度?(?P<agency>.*?)(?={REPORT_NAME_RE.pattern})")


def extract_metadata(page: Page, url: str = "") -> Metadata:
    """Title, agency, year reported on, publish date and site name of an extracted page."""
    published = publish_date(page, url)
    year = report_year(page.title, page.text, published)
    return Metadata(
        title=page.title,
        agency=report_agency(page),
        year=year,
        published=published,
        site_name=site_name(page),
    )


# ----------------------------------------------------------------------------- dates

def parse_date(value: str | None) -> str | None:
    """YYYY-MM-DD from "2019-02-27 10:00", "2019/2/27", "2019年2月27日", "二〇一九年二月二十一日", "20190227"."""
    if not value:
        return None
    match = _DATE_RE.search(value)
    if match:
        return _valid(*map(int, match.groups()))
    match = _CN_DATE_RE.search(value)
    if match:
        return _valid(cn_number(match.group(1), positional=True), cn_number(match.group(2)), cn_number(match.group(3)))
    match = _COMPACT_DATE_RE.search(value)
    if match:
        return _valid(*map(int, match.groups()))
    return None


def _valid(year: int | None, month: int | None, day: int | None) -> str | None:
    if year is None or month is None or day is None or not MIN_REPORT_YEAR <= year <= MAX_REPORT_YEAR:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def cn_number(text: str, positional: bool = False) -> int | None:
    """二〇一八 → 2018 (positional), 二十一 → 21, 十二 → 12."""
    if positional:
        digits = [CN_DIGITS.get(ch) for ch in text]
        return None if None in digits else int("".join(map(str, digits)))
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (CN_DIGITS.get(tens, 0) if tens else 1) * 10 + (CN_DIGITS.get(ones, 0) if ones else 0)
    return CN_DIGITS.get(text) if len(text) == 1 else None


def publish_date(page: Page, url: str) -> str | None:
    """meta PubDate > byline 发布日期 > TRS/Hanweb URL date > signature date at the end of the text."""
    for key in PUBDATE_META:
        date = parse_date(page.meta.get(key))
        if date:
            return date
    for label in PUBDATE_BYLINE:
        date = parse_date(page.byline.get(label))
        if date:
            return date
    for pattern in (_TRS_URL_RE, _HANWEB_URL_RE):
        match = pattern.search(url or "")
        if match:
            date = _valid(*map(int, match.groups()))
            if date:
                return date
    return signature_date(page.text)


def signature_date(text: str) -> str | None:
    """The date under the signature: a short line among the last ones that is only a date."""
    for line in reversed(text.splitlines()[-6:]):
        line = line.strip()
        if len(line) <= 20:
            date = parse_date(line)
            if date and ("年" in line or "-" in line):
                return date
    return None


# ----------------------------------------------------------------------------- year

def report_year(title: str, text: str, published: str | None) -> int | None:
    """The year reported on: title > the text's 统计期限 > published year − 1."""
    year = title_year(title)
    if year:
        return year
    match = _PERIOD_RE.search(text[:3000])
    if match:
        year = int(match.group(1) or match.group(2))
        if MIN_REPORT_YEAR <= year <= MAX_REPORT_YEAR:
            return year
    if published:
        return int(published[:4]) - PUBLISH_LAG_YEARS
    return None


def title_year(title: str) -> int | None:
    """The first plausible year in a title: 2018年, 2019年度, 2014奋发镇…, 二〇一八年."""
    for match in _YEAR_RE.finditer(compact(title)):
        year = int(match.group(1)) if match.group(1) else cn_number(match.group(2), positional=True)
        if year and MIN_REPORT_YEAR <= year <= MAX_REPORT_YEAR:
            return year
    return None


# ----------------------------------------------------------------------------- agency, site

def report_agency(page: Page) -> str | None:
    """The report's agency: title > meta ContentSource / byline 来源 > signature line > SiteName."""
    agency = title_agency(page.title)
    if agency:
        sources = [page.meta.get(key) or "" for key in SOURCE_META] + [page.byline.get("来源", "")]
        return full_agency_name(agency, "\n".join([page.text, *sources]))
    for candidate in [page.meta.get(key) for key in SOURCE_META] + [page.byline.get("来源")]:
        if candidate and candidate.strip():
            return candidate.strip()
    signature = signature_agency(page.text)
    if signature:
        return signature
    return site_name(page)


def title_agency(title: str) -> str | None:
    """The agency named in a report title: the part before the year, or after it for
    "{YYYY}年{机关}政务信息公开年度报告"; repost tags and 关于 removed."""
    flat = REPOST_PREFIX_RE.sub("", compact(title))
    flat = re.sub(r"^关于", "", flat)
    match = _AGENCY_AFTER_YEAR_RE.match(flat)
    if match:
        agency = match.group("agency").strip()
    else:
        match = _AGENCY_BEFORE_YEAR_RE.match(flat)
        agency = match.group("agency") if match else ""
    agency = re.sub(r"关于$", "", agency).strip(" _-—:：、")
    return agency or None


def full_agency_name(agency: str, text: str) -> str:
    """The full name the text (or the page's source field) states for a title's short agency name
    (see module docstring)."""
    if any(agency.endswith(suffix) for suffix in AGENCY_EXPANSIONS):
        return agency
    body = compact(text)
    for suffix in AGENCY_EXPANSIONS:
        if agency + suffix in body:
            return agency + suffix
    level = GOVERNMENT_LEVEL_RE.match(agency)
    if level:
        return level.group(1) + "人民政府"
    return agency


def signature_agency(text: str) -> str | None:
    """The organisation signing the report: a short name line among the last lines."""
    for line in reversed(text.splitlines()[-6:]):
        flat = compact(line)
        if SIGNATURE_RE.match(flat):
            return flat
    return None


def site_name(page: Page) -> str | None:
    """meta SiteName, else the site segment of <title>."""
    for key in SITE_META:
        if page.meta.get(key):
            return page.meta[key]
    return split_html_title(page.html_title)[1]
