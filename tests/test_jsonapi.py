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
