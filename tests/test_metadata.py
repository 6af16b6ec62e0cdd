"""Metadata of the seed reports and of the title/date/agency shapes portals use."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.read.encoding import decode_html
from crawler.read.extract import Page, extract_page
from crawler.read.metadata import Metadata, extract_metadata, parse_date, report_year, title_agency

PAGES = Path(__file__).parent / "data" / "pages"


def metadata_of(name: str, url: str = "") -> Metadata:
    page = extract_page(decode_html((PAGES / name).read_bytes()).text, url)
    return extract_metadata(page, url)


@pytest.mark.parametrize("name, url, expected", [
    ("trs_article_songshan_2018.html", "http://www.panshi.gov.cn/zwgk/zfxxgknb/201902/t20190227_391745.html",
     Metadata("松山镇2018年政府信息公开工作年度报告", "松山镇人民政府", 2018, "2019-02-27", "磐石市人民政府")),
    ("gbk_layout_tables_tongyu_2016.html", "http://www.tongyu.gov.cn/xxgk/nb/2888.html",
     Metadata("通榆县人民政府关于2016年度政府信息公开工作年度报告", "通榆县人民政府", 2016, "2017-02-21", "通榆县人民政府")),
    ("hanweb_zoom_shexi_2019.html", "http://www.jianchuan.gov.cn/art/2020/3/16/art_1856_41577.html",
     Metadata("社溪镇政府2019年度信息公开年度报告", "社溪镇人民政府", 2019, "2020-03-16", "剑川县人民政府")),
    ("trs_ueditor_tables_henghe_2020.html", "",
     Metadata("横河镇人民政府2020年政府信息公开工作年度报告", "横河镇人民政府", 2020, "2021-01-20", "阳城县人民政府")),
    ("repost_image_only_suzhou_2019.html", "",
     Metadata("【转载】宿州市2019年政府信息公开工作年度报告（图片版）", "宿州市人民政府", 2019, "2020-01-22", "埇桥区人民政府")),
])
def test_seed_metadata(name, url, expected):
    assert metadata_of(name, url) == expected


@pytest.mark.parametrize("value, expected", [
    ("2019-02-27 09:12", "2019-02-27"), ("2019/2/7", "2019-02-07"), ("2019年2月21日", "2019-02-21"),
    ("2019.02.27", "2019-02-27"), ("2020-01-21T17:00:00+08:00", "2020-01-21"), ("二〇一九年二月二十一日", "2019-02-21"),
    ("二〇二一年一月二十日", "2021-01-20"), ("20190227", "2019-02-27"), ("2019-02-30", None), ("点击数：123", None), ("", None),
])
def test_parse_date(value, expected):
    assert parse_date(value) == expected


def page(title: str, text: str = "", meta: dict | None = None, byline: dict | None = None, html_title: str = "") -> Page:
    return Page(title=title, text="\n".join(filter(None, [title, text])), meta=meta or {}, byline=byline or {},
                html_title=html_title)


@pytest.mark.parametrize("url, expected", [
    ("http://www.panshi.gov.cn/zwgk/zfxxgknb/201902/t20190227_391745.html", "2019-02-27"),
    ("http://www.jiangsu.gov.cn/art/2019/2/7/art_46143_8123456.html", "2019-02-07"),
])
def test_published_from_url_when_page_has_no_date(url, expected):
    assert extract_metadata(page("某镇2018年政府信息公开工作年度报告"), url).published == expected


def test_published_from_signature_date_last():
    text = "一、总体情况\n……\n某某镇人民政府\n2019年2月21日"
    meta = extract_metadata(page("某某镇2018年政府信息公开工作年度报告", text))
    assert (meta.published, meta.year) == ("2019-02-21", 2018)


def test_meta_pubdate_beats_byline_and_url():
    p = page("某镇2018年政府信息公开工作年度报告", meta={"firstpublishedtime": "2019-03-01 10:00:00"},
             byline={"发布日期": "2019-03-05"})
    assert extract_metadata(p, "http://x.gov.cn/a/201903/t20190310_1.html").published == "2019-03-01"


@pytest.mark.parametrize("title, text, published, expected", [
    ("松山镇2018年政府信息公开工作年度报告", "", "2019-02-27", 2018),
    ("社溪镇政府2019年度信息公开年度报告", "", None, 2019),
    ("通榆县人民政府关于2016年度政府信息公开工作年度报告", "", "2017-02-21", 2016),
    ("二〇一八年度磐石市政府信息公开工作年度报告", "", None, 2018),
    ("2014奋发镇政府信息公开工作年度报告", "", None, 2014),
    ("政府信息公开工作年度报告", "本报告中所列数据的统计期限自2017年1月1日起至2017年12月31日止。", "2018-03-01", 2017),
    ("政府信息公开工作年度报告", "一、总体情况", "2021-01-20", 2020),
    ("政府信息公开工作年度报告", "一、总体情况", None, None),
])
def test_report_year(title, text, published, expected):
    assert report_year(title, text, published) == expected


@pytest.mark.parametrize("title, expected", [
    ("松山镇2018年政府信息公开工作年度报告", "松山镇"),
    ("通榆县人民政府关于2016年度政府信息公开工作年度报告", "通榆县人民政府"),
    ("【转载】宿州市2019年政府信息公开工作年度报告（图片版）", "宿州市"),
    ("[转载]磐石市教育局2019年政府信息公开工作年度报告", "磐石市教育局"),
    ("关于松山镇2018年政府信息公开工作年度报告", "松山镇"),
    ("2019年宿州市政府信息公开工作年度报告", "宿州市"),
    ("2022年上海市黄浦区政府信息公开工作年度报告（超链版）", "上海市黄浦区"),
    ("2018年政务信息公开年度报告", None),
])
def test_title_agency(title, expected):
    assert title_agency(title) == expected


def test_agency_expanded_to_the_name_the_text_states():
    p = page("2019年宿州市政府信息公开工作年度报告", "本报告由宿州市人民政府办公室根据…编制。宿州市人民政府2019年…")
    assert extract_metadata(p).agency == "宿州市人民政府"


def test_agency_from_source_then_signature_then_site():
    assert extract_metadata(page("2018年政务信息公开年度报告", meta={"contentsource": "舒兰市人民政府"})).agency == "舒兰市人民政府"
    signed = page("2018年政务信息公开年度报告", "一、总体情况\n……\n舒兰市人民政府办公室\n2019年3月1日")
    assert extract_metadata(signed).agency == "舒兰市人民政府办公室"
    site = page("2018年政务信息公开年度报告", "一、总体情况", meta={"sitename": "舒兰市人民政府"})
    assert extract_metadata(site).agency == "舒兰市人民政府"


def test_site_name_from_html_title_suffix():
    p = page("某报告", html_title="松山镇2018年政府信息公开工作年度报告 - 磐石市政府网")
    assert extract_metadata(p).site_name == "磐石市政府网"
