"""Figures read out of a report's prose: the real seed texts, synthetic sentences for every key, and
sentences that must yield nothing (years, dates, other counts, table numbers, look-alike texts)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crawler.parsing.prose import PROSE_KEYS, prose_figures

REPO = Path(__file__).resolve().parents[1]
CLEANED = REPO / "replica" / "data"
SEEDS = CLEANED / "seeds"      # the captures, bundled (replica.corpus.seed_file): present everywhere

# seed stem -> (raw capture in replica/data/seeds, cleaned copy in the replica data)
SEED_FILES = {
    "000": ("000_dd6c2e4fbafb3062.txt", "000_songshan_2018.txt"),
    "002": ("002_f1a975fb07a56e4f.txt", "002_tongyu_2016.txt"),
    "003": ("003_51aad6730a271da9.txt", "003_shexi_2019.txt"),
    "004": ("004_5e00b241830afff7.txt", "004_henghe_2020.txt"),
}

# key -> [(value, unit, negated)] in text order: the whole reading of each seed
EXPECTED = {
    "000": {  # 松山镇 2018
        "active_disclosed": [(18, "条", False)],
        "active_normative_docs": [(11, "条", False)],
        "applications_received": [(0, "件", True)],
        "review": [(0, "件", True)],
        "litigation": [(0, "件", True)],
        "complaints": [(0, "件", True)],
        "reading_points": [(1, "个", False)],
        "institutions": [(1, "个", False)],
        "staff_part_time": [(1, "名", False)],
        "meetings": [(1, "次", False)],
        "training_sessions": [(1, "起", False)],
        "trainees": [(20, "人次", False)],
    },
    "002": {  # 通榆县 2016
        "active_disclosed": [(34478, "条", False)],
        "applications_received": [(2, "条", False)],
        "answer_rate": [(100, "%", False)],
        "review": [(0, "件", True)],
        "litigation": [(0, "件", True)],
        "complaints": [(0, "件", True)],
        "fees": [(0, "元", True)],
        "reading_points": [(80, "个", False)],
        "reading_point_visits": [(683, "人次", False)],
    },
    "003": {  # 社溪镇 2019
        "active_disclosed": [(841, "条", False)],
        "applications_received": [(0, "件", True)],
        "review": [(0, "件", True)],
        "litigation": [(0, "件", True)],
    },
    "004": {  # 横河镇 2020: prose around a flattened table whose numbers are not prose figures
        "applications_received": [(0, "件", False)],
        "fees": [(0, "元", True)],
    },
}

# key -> the phrase each statement is read from (a part of it that must be in "text")
EXPECTED_TEXT = {
    "000": {"active_disclosed": ["主动公开政务信息18条"], "active_normative_docs": ["规范性文件11条"],
            "applications_received": ["未收到政府信息公开申请"], "review": ["行政复议"], "litigation": ["行政诉讼"],
            "reading_points": ["查阅点1个"], "trainees": ["培训20人次"]},
    "002": {"active_disclosed": ["主动公开政府信息为34478条"], "applications_received": ["收到依申请公开政府信息2条"],
            "answer_rate": ["答复率100%"], "review": ["尚未有因政府信息公开而申请行政复议"],
            "litigation": ["提起诉讼"], "fees": ["未收费"], "reading_points": ["查询点80个"]},
    "003": {"active_disclosed": ["主动公开政府信息841条"], "applications_received": ["无相关依申请公开"],
            "review": ["无相关行政复议"], "litigation": ["无相关行政诉讼"]},
    "004": {"applications_received": ["接到依申请公开办件0件"], "fees": ["未收取涉及政府信息公开申请的任何费用"]},
}


def _cleaned(path: Path) -> str:
    # {x} in the cleaned copies marks a character the capture dropped: keep it, lose the braces
    return re.sub(r"\{(.*?)\}", r"\1", path.read_text(encoding="utf-8"))


def _seed_text(stem: str, variant: str) -> str:
    raw, cleaned = SEED_FILES[stem]
    if variant == "cleaned":
        return _cleaned(CLEANED / cleaned)
    # a missing capture fails here (FileNotFoundError): the seeds are bundled, never skipped
    return (SEEDS / raw).read_text(encoding="utf-8")


def _summary(figures: dict[str, list[dict]]) -> dict[str, list[tuple]]:
    return {key: [(s["value"], s["unit"], s["negated"]) for s in statements] for key, statements in figures.items()}


def _only(sentence: str) -> dict[str, list[tuple]]:
    return _summary(prose_figures(sentence))


SEED_CASES = [pytest.param(stem, variant, id=f"{stem}-{variant}") for stem in SEED_FILES
              for variant in ("raw", "cleaned")]


# -- the seeds ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("stem, variant", SEED_CASES)
def test_seed_figures(stem: str, variant: str) -> None:
    assert _summary(prose_figures(_seed_text(stem, variant))) == EXPECTED[stem]


@pytest.mark.parametrize("stem, variant", SEED_CASES)
def test_seed_phrases(stem: str, variant: str) -> None:
    figures = prose_figures(_seed_text(stem, variant))
    for key, phrases in EXPECTED_TEXT[stem].items():
        assert [p for p, s in zip(phrases, figures[key]) if p in s["text"]] == phrases, (key, figures[key])


@pytest.mark.parametrize("stem, variant", SEED_CASES)
def test_statement_shape(stem: str, variant: str) -> None:
    text = _seed_text(stem, variant)
    figures = prose_figures(text)
    assert figures and set(figures) <= set(PROSE_KEYS)
    for statements in figures.values():
        for s in statements:
            assert set(s) == {"value", "unit", "text", "sentence", "negated"}
            assert s["text"] and s["text"] in s["sentence"] and s["sentence"] in text
            assert not re.search(r"[。！？；;\n]", s["sentence"])     # one sentence, not a paragraph
            assert isinstance(s["value"], (int, float)) and not isinstance(s["value"], bool)
            assert s["value"] == 0 or not s["negated"]


@pytest.mark.parametrize("stem, variant", SEED_CASES)
def test_no_year_or_date_is_a_figure(stem: str, variant: str) -> None:
    values = [s["value"] for statements in prose_figures(_seed_text(stem, variant)).values() for s in statements]
    assert not [v for v in values if 1990 <= v <= 2030]
    assert not [v for v in values if v in (201811, 20181231, 201611, 20161231, 2019221, 2017217)]


def test_seed_sentences_are_whole() -> None:
    figures = prose_figures(_seed_text("000", "cleaned"))
    assert figures["active_normative_docs"][0]["sentence"] == ("我镇向社会主动公开政务信息主要通过门户网站公布，2018年度，"
                                                                "我镇主动公开政务信息18条，其中，规范性文件11条")
    assert figures["review"][0]["sentence"] == figures["litigation"][0]["sentence"]
    assert figures["review"][0]["sentence"].startswith("2018年度未发生")


def test_table_numbers_are_not_prose_figures() -> None:
    # seed 004's tables hold 112, 236, 5, 6, 2, 167900: none is stated in a sentence with its unit
    values = {s["value"] for statements in prose_figures(_seed_text("004", "cleaned")).values() for s in statements}
    assert values == {0}


# -- look-alike texts in the replica data: no figure at all --------------------------------------

@pytest.mark.parametrize("name", ["fazhi_yangcheng_2020.txt", "guide.txt", "company_abstract.txt",
                                  "notice_format_2021.txt", "notice_panshi_2020.txt", "notice_bianzhi_template.txt",
                                  "rules_panshi.txt", "yaodian_template.txt", "yaodian_yangcheng_2021.txt",
                                  "001_yaodian_luoshi.txt"])
def test_lookalikes_state_no_figure(name: str) -> None:
    assert prose_figures(_cleaned(CLEANED / name)) == {}


def test_template_placeholders_are_not_numbers() -> None:
    # the 范文 has xx for every number; only the statement of no fee has a value
    assert _summary(prose_figures(_cleaned(CLEANED / "fanwen_nianbao.txt"))) == {"fees": [(0, "元", True)]}


def test_university_report() -> None:
    assert _summary(prose_figures(_cleaned(CLEANED / "university_report.txt"))) == {
        "active_disclosed": [(1268, "条", False)],
        "applications_received": [(3, "件", False)],
        "complaints": [(0, "件", True)],
        "staff_full_time": [(2, "名", False)],
    }


# -- synthetic sentences, key by key ------------------------------------------------------------

@pytest.mark.parametrize("sentence, expected", [
    ("全年主动公开政府信息１２条。", [(12, "条", False)]),                        # full-width digits
    ("主动公开政府信息共计1,256条。", [(1256, "条", False)]),                     # thousands separator
    ("主动公开各类信息一百零五条。", [(105, "条", False)]),
    ("主动公开政府信息两千三百条。", [(2300, "条", False)]),
    ("主动公开政府信息 45 条。", [(45, "条", False)]),
    ("累计主动公开政府信息为34478条。", [(34478, "条", False)]),
])
def test_active_disclosed(sentence: str, expected: list[tuple]) -> None:
    assert _only(sentence) == {"active_disclosed": expected}


def test_normative_docs_are_a_part_of_the_active_total() -> None:
    assert _only("主动公开政府信息200条，其中规范性文件１１件。") == {
        "active_disclosed": [(200, "条", False)], "active_normative_docs": [(11, "件", False)]}
    assert _only("其中，规范性文件11条。") == {}                    # no active total before it
    assert _only("全年制发规范性文件11件。") == {}                   # made, not disclosed


@pytest.mark.parametrize("sentence, expected", [
    ("受理政府信息公开申请12件。", [(12, "件", False)]),
    ("共收到依申请公开政府信息2条。", [(2, "条", False)]),
    ("共接到依申请公开办件0件。", [(0, "件", False)]),
    ("受理政府信息公开申请零件。", [(0, "件", False)]),
    ("新收政府信息公开申请１,０２４件。", [(1024, "件", False)]),
    ("本年度未收到政府信息公开申请。", [(0, "件", True)]),
    ("2016年度，我局未收到公民、法人或其他组织的政府信息公开申请。", [(0, "件", True)]),
    ("我镇2019年度我镇无相关依申请公开数量信息情况.", [(0, "件", True)]),
    ("三、依申请公开情况\n全年收到申请十二件。", [(12, "件", False)]),      # the heading says which requests
])
def test_applications_received(sentence: str, expected: list[tuple]) -> None:
    assert _only(sentence) == {"applications_received": expected}


def test_applications_answered_and_rate() -> None:
    assert _only("受理政府信息公开申请12件，已全部办结11件，答复率91.7%。") == {
        "applications_received": [(12, "件", False)],
        "applications_answered": [(11, "件", False)],
        "answer_rate": [(91.7, "%", False)]}
    assert _only("依申请公开政府信息答复率１００％。") == {"answer_rate": [(100, "%", False)]}
    # one kind of answer is not the answered total; another rate is not the answer rate
    assert _only("政府信息公开申请同意公开答复10件，不予公开答复2件。") == {}
    assert _only("人大代表建议答复率100%。") == {}


def test_carried_over_and_forward() -> None:
    assert _only("上年结转政府信息公开申请3件，结转下年度继续办理1件。") == {
        "carried_over": [(3, "件", False)], "carried_forward": [(1, "件", False)]}
    assert _only("本年新收政府信息公开申请5件，上年结转两件。") == {
        "applications_received": [(5, "件", False)], "carried_over": [(2, "件", False)]}


@pytest.mark.parametrize("sentence, expected", [
    ("因政府信息公开被申请行政复议两起，被提起行政诉讼一件。",
     {"review": [(2, "起", False)], "litigation": [(1, "件", False)]}),
    ("因政府信息公开引起的行政复议和行政诉讼各1件。", {"review": [(1, "件", False)], "litigation": [(1, "件", False)]}),
    ("涉及政府信息公开的行政复议和行政诉讼案件分别为1件和2件。",
     {"review": [(1, "件", False)], "litigation": [(2, "件", False)]}),
    ("本年度没有因政府信息公开引起的行政复议和行政诉讼。",
     {"review": [(0, "件", True)], "litigation": [(0, "件", True)]}),
    ("目前为止，我县尚未有因政府信息公开而申请行政复议、提起诉讼和申诉情况。",
     {"review": [(0, "件", True)], "litigation": [(0, "件", True)], "complaints": [(0, "件", True)]}),
    ("四、政府信息公开行政复议数量\n本年度行政复议0件。", {"review": [(0, "件", False)]}),
    ("因政府信息公开被举报投诉1件。", {"complaints": [(1, "件", False)]}),
])
def test_review_litigation_complaints(sentence: str, expected: dict) -> None:
    assert _only(sentence) == expected


@pytest.mark.parametrize("sentence, expected", [
    ("共收取信息处理费1.5万元。", [(1.5, "万元", False)]),
    ("依申请公开政府信息收取检索、复制费用120元。", [(120, "元", False)]),
    ("依申请公开政府信息收费0元。", [(0, "元", False)]),
    ("2016年全县政府信息依申请公开未收费。", [(0, "元", True)]),
    ("2020年我镇认真按照《条例》规定公开政府信息，未收取涉及政府信息公开申请的任何费用。", [(0, "元", True)]),
    ("本年度未收取信息处理费。", [(0, "元", True)]),
    ("全年无依申请公开信息收费情况。", [(0, "元", True)]),      # about fees, not "no requests"
])
def test_fees(sentence: str, expected: list[tuple]) -> None:
    assert _only(sentence) == {"fees": expected}


def test_reading_points_and_their_visitors() -> None:
    assert _only("设立政府信息公开查阅点５个。") == {"reading_points": [(5, "个", False)]}
    assert _only("设立了3个政府信息公开查阅点。") == {"reading_points": [(3, "个", False)]}
    assert _only("2.公共查阅点。全信息公开查询点80个。") == {"reading_points": [(80, "个", False)]}  # 县 dropped
    assert _only("今年以来全县政府信息公开查阅点接待各类查询683人次。") == {"reading_point_visits": [(683, "人次", False)]}


def test_staff_meetings_training() -> None:
    assert _only("从事政府信息公开工作的专职人员2名，兼职人员3名。") == {
        "staff_full_time": [(2, "名", False)], "staff_part_time": [(3, "名", False)]}
    assert _only("政府信息公开领导小组落实3名工作人员具体负责。") == {"staff": [(3, "名", False)]}
    assert _only("召开政府信息公开工作会议2次，举办政府信息公开培训班3期，培训干部150人次。") == {
        "meetings": [(2, "次", False)], "training_sessions": [(3, "期", False)], "trainees": [(150, "人次", False)]}


def test_statements_come_in_text_order() -> None:
    figures = prose_figures("2017年主动公开政府信息100条。\n2018年主动公开政府信息200条。")
    assert [s["value"] for s in figures["active_disclosed"]] == [100, 200]
    assert figures["active_disclosed"][1]["sentence"] == "2018年主动公开政府信息200条"


# -- what is never a figure ---------------------------------------------------------------------

@pytest.mark.parametrize("sentence", [
    "本报告中所列数据的统计期限从201811日起至20181231日为止。",                    # dates whose 年月日 were dropped
    "本报告中所列数据的统计期限自2016年1月1日起至2016年12月31日止。",
    "2018年度，主动公开政府信息比2017年增长15%。",                                 # years, a percentage
    "按照县政府要求，每周至少更新2次动态信息。",
    "全年通过政务服务热线服务550人次，群总满意率达到100%。",
    "县长公开电话接到群众反映事项共计1256件。",                                    # not an information request
    "自收到申请之日起20个工作日内予以答复。",                                       # a time limit
    "全年办理行政复议案件21件，行政机关负责人出庭应诉率达到100%。",                 # not about disclosure
    "通过公告栏、LED显示屏、微信公众号等形式公开信息12条。",                         # not the active total
    "全年主动公开政府信息xxxx条。",
    "公民认为侵犯其合法权益的，可以依法申请政府信息公开行政复议或者提起行政诉讼。",
    "政府信息公开专栏公开行政事业性收费共计5万元。",
    "2020年， 我规范性文件底数0。",
    "政府信息公开投诉举报电话（0432-65222163）。",
    "通过政府信息公开平台受理群众举报投诉5件。",
    "2020年，我镇未发生因不履行政务公开义务而发生的责任追究情况。",
    "2018年我镇无重大舆情，未发布政策解读稿件。",
    "一、本年新收政府信息公开申请数量\n0\n0\n0",                                      # a flattened table
    "四、结转下年度继续办理\t0\t0\t0\t0\t0\t0\t0",                                      # a tab-joined table row
])
def test_nothing_is_read(sentence: str) -> None:
    assert prose_figures(sentence) == {}


def test_keys_are_documented() -> None:
    assert {"active_disclosed", "applications_received", "applications_answered", "answer_rate", "review",
            "litigation", "fees", "reading_points", "carried_forward", "carried_over"} <= set(PROSE_KEYS)
    assert all(re.search(r"[\u4e00-\u9fff]", label) for label in PROSE_KEYS.values())
