"""Reports accepted whatever their title wording; format notices, content farms and each look-alike rejected with a reason."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from crawler.judge.classify import Decision, classify
from crawler.read.encoding import decode_html
from crawler.read.extract import Page, extract_page
from crawler.read.metadata import extract_metadata

PAGES = Path(__file__).parent / "data" / "pages"


def page_of(name: str) -> Page:
    return extract_page(decode_html((PAGES / name).read_bytes()).text)


def decide(page: Page, url: str = "") -> Decision:
    return classify(page, extract_metadata(page, url))


def retitled(page: Page, title: str) -> Page:
    lines = page.text.split("\n")
    return dataclasses.replace(page, title=title, text="\n".join([title] + lines[1:]))


@pytest.mark.parametrize("name", [
    "trs_article_songshan_2018.html", "gbk_layout_tables_tongyu_2016.html",
    "hanweb_zoom_shexi_2019.html", "trs_ueditor_tables_henghe_2020.html",
])
def test_seed_reports_are_accepted(name):
    decision = decide(page_of(name))
    assert decision.is_report and decision.kind == "report", decision.reasons
    assert any("title names an annual disclosure report" in r for r in decision.reasons)
    assert any("section topics" in r for r in decision.reasons)


def test_image_only_repost_is_accepted_on_its_title():
    decision = decide(page_of("repost_image_only_suzhou_2019.html"))
    assert decision.is_report, decision.reasons
    assert any("image or attachment" in r for r in decision.reasons)


@pytest.mark.parametrize("title", [
    "松山镇2018年政府信息公开年度报告",
    "松山镇2018年政务信息公开年度报告",
    "松山镇2018年度信息公开年度报告",
    "松山镇2018年政府信息公开工作年度报告（图片版）",
    "松山镇人民政府关于2018年度政府信息公开工作年度报告",
    "【转载】松山镇2018年政府信息公开工作年度报告",
    "2018年松山镇政府信息公开工作年报",
])
def test_report_title_wordings_are_accepted(title):
    decision = decide(retitled(page_of("trs_article_songshan_2018.html"), title))
    assert decision.is_report, decision.reasons


def test_content_farm_work_points_page_is_rejected():
    decision = decide(page_of("content_farm_work_points_yaodian.html"))
    assert not decision.is_report
    assert decision.kind == "work_points"
    assert "工作要点" in decision.reasons[-1]


def test_content_farm_body_is_rejected_even_under_a_report_title():
    farm = retitled(page_of("content_farm_work_points_yaodian.html"), "2018年政府信息公开工作年度报告")
    decision = decide(farm)
    assert (decision.is_report, decision.kind) == (False, "content_farm")
    assert "placeholders" in decision.reasons[-1]


def test_national_format_notice_is_rejected():
    decision = decide(page_of("format_notice_2021_repost.html"))
    assert (decision.is_report, decision.kind) == (False, "format_notice")
    assert "format" in decision.reasons[-1]


def test_format_notice_body_is_rejected_under_a_report_title():
    notice = page_of("format_notice_2021_repost.html")
    decision = decide(retitled(notice, "2021年政府信息公开工作年度报告"))
    assert (decision.is_report, decision.kind) == (False, "format_notice")
    # the notice part alone (attachment cut off): instructions and no figures
    text = notice.text[:notice.text.index("\n附件\n")]
    decision = decide(dataclasses.replace(retitled(notice, "2021年政府信息公开工作年度报告"), text=text))
    assert (decision.is_report, decision.kind) == (False, "notice")
    assert "instructions" in decision.reasons[-1]


@pytest.mark.parametrize("name, kind, word", [
    ("compile_notice_2021.html", "compile_notice", "compiling"),
    ("rules_annual_report_system.html", "rules", "rule"),
    ("website_annual_statement_2019.html", "website_report", "website"),
    ("rule_of_law_report_2020.html", "rule_of_law_report", "法治政府"),
    ("university_report_2019_2020.html", "institution_report", "school"),
    ("listed_company_annual_report_summary_2019.html", "company_report", "company"),
    ("department_final_accounts_2019.html", "budget", "budget"),
    ("statistical_bulletin_2019.html", "statistical_bulletin", "statistical bulletin"),
    ("government_work_report_2020.html", "government_work_report", "government work report"),
    ("work_summary_2019.html", "work_summary", "summary"),
    ("infographic_2019_report.html", "interpretation", "interpretation"),
    ("disclosure_guide.html", "guide", "guide"),
    ("statistics_table_2015q4.html", "statistics_table", "statistics table"),
])
def test_lookalike_pages_are_rejected_with_their_kind(name, kind, word):
    decision = decide(page_of(f"lookalikes/{name}"))
    assert (decision.is_report, decision.kind) == (False, kind), decision.reasons
    assert decision.reasons[-1].startswith("rejected:") and word in decision.reasons[-1]


@pytest.mark.parametrize("title, kind", [
    ("国务院办公厅政府信息与政务公开办公室关于政府信息公开工作年度报告有关事项的通知", "format_notice"),
    ("中华人民共和国政府信息公开工作年度报告格式（试行）", "format_notice"),
    ("磐石市人民医院2019年信息公开工作年度报告", "institution_report"),
    ("磐石市自来水公司2019年信息公开工作年度报告", "institution_report"),
    ("公共企事业单位2019年信息公开年度报告", "institution_report"),
    ("磐石市宏达建材有限公司2019年度企业年度报告", "company_report"),
    ("吉林化纤股份有限公司2024年年度报告（更正后）", "company_report"),
    ("磐石市2019年政务新媒体工作年度报表", "website_report"),
    ("一图读懂磐石市2019年政府信息公开工作年度报告", "interpretation"),
    ("《磐石市2019年政府信息公开工作年度报告》解读", "interpretation"),
    ("政府信息公开年度工作报告范文", "content_farm"),
    ("磐石市人民政府政府信息公开目录", "guide"),
    ("磐石市2020年部门预算公开", "budget"),
    ("磐石市2019年度“三公”经费决算说明", "budget"),
    ("2024年工作总结及2025年工作计划", "work_summary"),
    ("磐石市2020年政务公开工作要点", "work_points"),
    ("磐石市2019年政务公开工作要点落实情况", "work_points"),
    ("磐石市2019年环境统计年度报告", "other_report"),
    ("磐石市审计局关于2019年度市级预算执行的审计工作报告", "budget"),
    ("关于召开2019年政府信息公开工作年度报告编制培训会的通知", "compile_notice"),
    ("我县发布2019年政府信息公开工作年度报告", "news"),
    ("磐石市2019年政府信息公开工作年度报告出炉", "news"),
])
def test_lookalike_titles_are_rejected(title, kind):
    body = retitled(page_of("trs_article_songshan_2018.html"), title)   # a report-like body on purpose
    decision = decide(body)
    assert (decision.is_report, decision.kind) == (False, kind), decision.reasons


def test_page_with_no_year_anywhere_is_rejected():
    report = page_of("hanweb_zoom_shexi_2019.html")
    title = "社溪镇政府信息公开年度报告"
    text = "\n".join(line for line in [title] + report.text.split("\n")[1:] if "20" not in line)
    bare = Page(title=title, text=text, meta={}, byline={}, html_title="", found_by="test")
    decision = decide(bare)
    assert (decision.is_report, decision.kind) == (False, "no_year")
    assert "no year" in decision.reasons[-1]


def test_news_about_a_report_is_not_a_report():
    news = Page(title="我市召开2019年政府信息公开工作年度报告编制培训会", html_title="", meta={}, byline={}, found_by="test",
                text="我市召开2019年政府信息公开工作年度报告编制培训会\n1月8日上午，市政务公开办召开培训会，"
                     "各乡镇、各部门政务公开工作人员共60余人参加。会议解读了年度报告格式要求。" * 3)
    decision = decide(news)
    assert not decision.is_report


def test_every_decision_has_reasons():
    for path in sorted(PAGES.rglob("*.html")):
        decision = decide(extract_page(decode_html(path.read_bytes()).text))
        assert decision.reasons and all(isinstance(r, str) and r for r in decision.reasons), path.name


def test_a_table_flattened_to_a_cell_a_line_is_a_report_not_the_format():
    # a portal's editor pasted the tables as paragraphs: every label and figure on its own line
    page = page_of("trs_ueditor_tables_henghe_2020.html")
    flat = dataclasses.replace(page, text=page.text.replace("\t", "\n"))
    decision = decide(flat)
    assert decision.is_report, decision.reasons
    # the same lines with every figure gone are the format itself
    blank = dataclasses.replace(flat, text="\n".join(line for line in flat.text.split("\n")
                                                      if not line.strip().isdigit()))
    assert decide(blank).kind == "format_notice"


def test_a_short_news_item_quoting_the_report_is_not_the_report():
    page = page_of("trs_article_songshan_2018.html")
    title = "磐石市2018年政府信息公开工作年度报告"
    news = dataclasses.replace(page, title=title, text=f"{title}\n日前，磐石市政府网站公布了《{title}》。"
                               "报告显示，全年主动公开政府信息1200余条，受理依申请公开35件。")
    assert (decide(news).is_report, decide(news).kind) == (False, "news")
    shell = dataclasses.replace(page, title=title, text=f"{title}\n现将《{title}》予以公布，详见附件。")
    assert decide(shell).is_report           # an attachment shell names its report too, and is one
