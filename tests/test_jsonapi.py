"""crawler.discover.jsonapi: records found by shape in the list APIs of JS-rendered columns, and paging advanced."""

import json

from crawler.discover.jsonapi import ApiCall, next_api_call, read_api_page

GKMLPT = {"total": 23, "page": 1, "articles": [
    {"id": 3521, "title": "某区2023年政府信息公开工作年度报告", "url": "http://www.a.gov.cn/gkmlpt/content/3/3521/post_3521.html#2845",
     "first_publish_time": 1705900000, "publisher_name": "某区政务服务数据管理局"},
    {"id": 3190, "title": "某区2022年政府信息公开工作年度报告", "url": "http://www.a.gov.cn/gkmlpt/content/3/3190/post_3190.html#2845",
     "first_publish_time": 1674000000, "publisher_name": "某区政务服务数据管理局"}],
    "classify": [{"id": 1, "name": "年度报告"}]}
IGS = {"code": 200, "data": {"total": 31, "page": 0, "results": [
    {"DOCTITLE": "<em>某县</em>2023年政府信息公开工作年度报告", "DOCPUBURL": "/zwgk/ndbg/202401/t20240120_881.html",
     "DOCRELTIME": "2024-01-20"},
    {"DOCTITLE": "某县2022年政府信息公开工作年度报告", "DOCPUBURL": "/zwgk/ndbg/202301/t20230118_551.html",
     "DOCRELTIME": "2023-01-18"}]}, "menus": [{"name": "首页"}]}


def test_gkmlpt_shape_records_and_total():
    page = read_api_page(GKMLPT, "http://www.a.gov.cn/gkmlpt/api/all/2845?page=1&sid=757")
    assert [r.url for r in page.records] == ["http://www.a.gov.cn/gkmlpt/content/3/3521/post_3521.html#2845",
                                             "http://www.a.gov.cn/gkmlpt/content/3/3190/post_3190.html#2845"]
    assert page.records[0].title == "某区2023年政府信息公开工作年度报告"
    assert page.total == 23


def test_igs_shape_relative_urls_and_highlight_tags():
    page = read_api_page(IGS, "http://www.b.gov.cn/common/search/abc?_isJson=true&page=0&_pageSize=15")
    assert page.records[0].url == "http://www.b.gov.cn/zwgk/ndbg/202401/t20240120_881.html"
    assert page.records[0].title == "某县2023年政府信息公开工作年度报告"
    assert page.records[0].date == "2024-01-20" and page.total == 31


def test_no_records_in_a_menu_or_a_config_answer():
    assert read_api_page({"menus": [{"name": "首页", "id": 1}], "ok": True}, "http://x.gov.cn/api").records == []


def test_query_page_numbers_advance_by_one_zero_based_too():
    call = ApiCall("http://www.a.gov.cn/gkmlpt/api/all/2845?page=1&sid=757")
    page = read_api_page(GKMLPT, call.url)
    assert next_api_call(call, page, seen=2).url == "http://www.a.gov.cn/gkmlpt/api/all/2845?page=2&sid=757"
    call0 = ApiCall("http://www.b.gov.cn/common/search/abc?_isJson=true&page=0&_pageSize=15")
    assert "page=1&" in next_api_call(call0, read_api_page(IGS, call0.url), seen=2).url


def test_paging_stops_at_the_total_and_on_an_empty_page():
    call = ApiCall("http://www.a.gov.cn/gkmlpt/api/all/2845?page=12&sid=757")
    assert next_api_call(call, read_api_page(GKMLPT, call.url), seen=23) is None
    assert next_api_call(call, read_api_page({"articles": []}, call.url), seen=4) is None


def test_offset_paging_in_a_form_body_and_page_numbers_in_a_json_body():
    form = ApiCall("http://www.c.gov.cn/api/list", "POST", "channelId=12&start=0&limit=2",
                   "application/x-www-form-urlencoded")
    moved = next_api_call(form, read_api_page(GKMLPT, form.url), seen=2)
    assert moved.body == "channelId=12&start=2&limit=2" and moved.url == form.url
    body = ApiCall("http://www.c.gov.cn/api-gateway/search", "POST", json.dumps({"pageNo": 1, "pageSize": 2, "q": "年报"}),
                   "application/json;charset=UTF-8")
    moved = next_api_call(body, read_api_page(IGS, body.url), seen=2)
    assert json.loads(moved.body) == {"pageNo": 2, "pageSize": 2, "q": "年报"}


def test_unknown_paging_is_not_guessed():
    call = ApiCall("http://www.a.gov.cn/api/list?column=9")
    assert next_api_call(call, read_api_page(GKMLPT, call.url), seen=2) is None


# -- dates: one normalisation whatever the representation; a date field judged by its value's shape -----------------

import pytest  # noqa: E402

from crawler.discover.jsonapi import normalise_date  # noqa: E402


@pytest.mark.parametrize("value, day", [
    ("2024-01-18T20:30:00Z", "2024-01-19"),          # UTC evening is the next Beijing day
    ("2024-01-19T08:00:00+08:00", "2024-01-19"),
    ("/Date(1705900000000)/", "2024-01-22"),         # ASP.NET JSON date
    (1705900000, "2024-01-22"), (1705900000.25, "2024-01-22"), ("1705900000000", "2024-01-22"),
    ("2024年1月9日", "2024-01-09"), ("2024/1/9 8:00", "2024-01-09"), ("2024.01.09", "2024-01-09"), ("20240109", "2024-01-09"),
    ("3255421", None), ("2024", None), ("", None), (True, None), ("关于印发通知", None), ("2024-13-40", None),
])
def test_any_common_date_or_timestamp_becomes_a_day(value, day):
    assert normalise_date(value) == day


def test_a_bare_number_is_a_time_only_where_the_field_says_so():
    assert normalise_date(1705900000, epoch=False) is None
    page = read_api_page({"rows": [
        {"wzbt": "某镇2023年政府信息公开工作年度报告", "lj": "/xxgk/ndbg/202401/t20240122_1.html", "id": 1705900000},
        {"wzbt": "某镇2022年政府信息公开工作年度报告", "lj": "/xxgk/ndbg/202301/t20230118_2.html", "ctime": 1674000000}]},
        "http://www.d.gov.cn/api/list")
    assert [r.date for r in page.records] == [None, "2023-01-18"]


def test_date_fields_of_any_name_are_read_by_shape_publish_before_update():
    page = read_api_page({"data": [
        {"标题": "某县2023年政府信息公开工作年度报告", "链接": "/zwgk/ndbg/202403/t20240305_9.html", "修改时间": "2024-03-09",
         "发布日期": "2024/03/05"},
        {"标题": "某县2022年政府信息公开工作年度报告", "链接": "/zwgk/ndbg/202302/t20230220_8.html",
         "updateDt": "2023-03-01 10:00", "releaseDt": "2023-02-20 09:00"}]}, "http://www.e.gov.cn/api/list")
    assert [r.date for r in page.records] == ["2024-03-05", "2023-02-20"]


# -- menus and trees are not lists of documents ------------------------------------------------------------------

def test_a_column_tree_with_folder_or_script_links_gives_no_records():
    tree = {"code": 0, "data": [{"chnlId": 10, "chnlName": "政府信息公开", "childList": [
        {"chnlId": 11, "chnlName": "政府信息公开年报", "link": "/zwgk/ndbg/"},
        {"chnlId": 12, "chnlName": "政策文件", "link": "/zwgk/zcwj/index.shtml"},
        {"chnlId": 13, "chnlName": "办事指南", "link": "javascript:void(0)"}]}]}
    assert read_api_page(tree, "http://www.f.gov.cn/api/channel/tree").records == []


def test_documents_grouped_under_tree_nodes_and_hash_routed_documents_are_still_records():
    grouped = {"data": [{"name": "2023年", "children": [
        {"title": "某区2023年政府信息公开工作年度报告", "url": "/xxgk/ndbg/202401/t20240120_7.html", "pubDate": "2024-01-20"},
        {"title": "某区教育局2023年政府信息公开工作年度报告", "url": "/xxgk/ndbg/202401/t20240119_6.html", "pubDate": "2024-01-19"}]}]}
    assert [r.date for r in read_api_page(grouped, "http://www.g.gov.cn/api/list").records] == ["2024-01-20", "2024-01-19"]
    spa = {"list": [{"title": "某区2023年政府信息公开工作年度报告", "url": "/portal/#/detail/101"},
                    {"title": "某区2022年政府信息公开工作年度报告", "url": "/portal/#/detail/88"}]}
    assert [r.url for r in read_api_page(spa, "http://www.g.gov.cn/api/list").records] == [
        "http://www.g.gov.cn/portal/#/detail/101", "http://www.g.gov.cn/portal/#/detail/88"]
