"""Content ids and near-duplicate detection on the seed texts."""


import pytest

from crawler.judge.dedupe import (NEAR_DUPLICATE_THRESHOLD, agencies_compatible, content_id, find_near_duplicate, normalise,
                            signature, similarity)
from crawler.archive.storage import open_store



def _seed_text():
    # a real report text (seed 000), as lines: title first
    return ("松山镇2018年政府信息公开工作年度报告\n"
            "本报告根据《中华人民共和国政府信息公开条例》及松山镇人民政府2018年政府信息公开工作情况编制。"
            "报告中所列数据的统计期限从2018年1月1日起至2018年12月31日为止。\n"
            "二、主动公开政府信息情况\n我镇向社会主动公开政务信息主要通过门户网站公布,2018年度,我镇主动公开政务信息18条,"
            "其中,规范性文件11条;通过公告栏、LED显示屏、微信公众号等形式公开信息12条。\n"
            "四、依申请公开政府信息情况\n2018年度我镇未收到政府信息公开申请。\n"
            "六、机构建设、保障经费和培训会议情况\n我镇成立了政府信息公开领导小组,有1个信息公开工作专门机构,设置信息公开查阅点1个,"
            "从事政务信息工作的兼职人员1名,召开相关工作会或专题会议1次,举办培训班1起,培训20人次。\n"
            "八、存在问题及工作打算\n公开内容还不是很全面,公开形式也不丰富,受众面不广,尤其是农村、社区居民还不能快捷全面地获取各类政务信息。")


def test_normalisation_ignores_width_spacing_and_view_counts():
    a = "松山镇2018年报告\n本报告  根据\u3000《条例》\n点击数：17"
    b = "松山镇２０１８年报告\n\n本报告 根据 《条例》\u200b\n点击数：18\n"
    assert normalise(a) == normalise(b)
    assert content_id(a) == content_id(b)
    assert content_id(a) != content_id(a.replace("2018", "2019"))


def test_normalisation_keeps_every_character_of_the_text():
    text = "报告中所列数据的统计期限从2018年1月1日起至2018年12月31日为止。"
    assert normalise(text) == text


def test_repost_with_new_title_and_source_line_is_near_duplicate():
    original = _seed_text()
    lines = original.split("\n")
    repost = "\n".join(["【转载】" + lines[0], "来源：磐石市人民政府网站"] + lines[1:])
    assert content_id(repost) != content_id(original)
    assert similarity(signature(original), signature(repost)) >= NEAR_DUPLICATE_THRESHOLD


def test_different_report_is_not_near_duplicate():
    other = ("社溪镇政府2019年度信息公开年度报告\n政务信息公开是转变政府职能、提高服务效率、提升政府形象的一个重要举措，"
             "贯彻实施《中华人民共和国信息公开条例》，对于建立公正透明的行政管理体制具有十分重要的意义。")
    assert similarity(signature(_seed_text()), signature(other)) < 0.3


def test_agencies_compatible():
    assert agencies_compatible("松山镇", "松山镇人民政府")
    assert agencies_compatible(None, "松山镇人民政府")
    assert not agencies_compatible("金华镇人民政府", "甸南镇人民政府")


@pytest.fixture
def store(tmp_path):
    return open_store(tmp_path / "s")


def test_near_duplicate_needs_same_year_and_compatible_agency(store):
    text = _seed_text()
    rid, sig = content_id(text), signature(text)
    store.claim_report(rid, "http://a/1", "f" * 64, title="t", agency="松山镇人民政府", year=2018,
                       published="2019-02-27", site="a", signature=sig)
    assert store.has_report(rid)
    repost = "【转载】" + text + "\n来源：磐石市人民政府网站"
    rsig = signature(repost)
    known, sim = find_near_duplicate(store, rsig, 2018, "松山镇")
    assert known == rid and sim >= NEAR_DUPLICATE_THRESHOLD
    # the same words reported on another year, or by another agency, are another report
    assert find_near_duplicate(store, rsig, 2019, "松山镇") is None
    assert find_near_duplicate(store, rsig, 2018, "金华镇人民政府") is None
