"""Scrapy components built the Scrapy way (get_crawler + build_from_crawler), no network."""

from __future__ import annotations

import pytest
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import HtmlResponse, Request
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

from crawler.items import FetchFailure
from pipelines.failures import RecordFailurePipeline
from crawler.ops.resources import store_from_crawler
from spiders.middlewares import RedirectLoopMiddleware
from spiders.reports import ReportsSpider


def test_pipelines_refuse_to_start_without_a_store():
    crawler = get_crawler(settings_dict={"NIANBAO_STORE": ""})
    with pytest.raises(NotConfigured, match="NIANBAO_STORE"):
        store_from_crawler(crawler)


def test_failure_pipeline_records_and_drops(tmp_path):
    from scrapy.exceptions import DropItem

    crawler = get_crawler(settings_dict={"NIANBAO_STORE": str(tmp_path / "s")})
    pipeline = build_from_crawler(RecordFailurePipeline, crawler)
    with pytest.raises(DropItem):
        pipeline.process_item(FetchFailure(url="http://127.0.0.9/x", stage="fetch", reason="HTTP 500"))
    (row,) = crawler.nianbao_store.failures()
    assert (row["url"], row["stage"], row["reason"]) == ("http://127.0.0.9/x", "fetch", "HTTP 500")


def _redirect(request, location, status=302):
    return HtmlResponse(request.url, status=status, headers={"Location": location}, request=request)


def test_redirect_loop_is_refused_with_its_chain():
    mw = RedirectLoopMiddleware()
    first = Request("http://127.0.0.8/loop/a")
    resp = _redirect(first, "/loop/b")
    assert mw.process_response(first, resp) is resp                     # a -> b is fine
    second = Request("http://127.0.0.8/loop/b", meta={"redirect_urls": ["http://127.0.0.8/loop/a"]})
    with pytest.raises(IgnoreRequest, match="redirect loop: .*loop/a -> .*loop/b -> .*loop/a"):
        mw.process_response(second, _redirect(second, "http://127.0.0.8/loop/a"))
    plain = Request("http://127.0.0.8/x")
    ok = HtmlResponse(plain.url, status=200, body=b"<html></html>", request=plain)
    assert mw.process_response(plain, ok) is ok


def test_spider_arguments_and_user_agent():
    import settings.default as defaults

    nianbao_settings = {k: v for k, v in vars(defaults).items() if k.startswith("NIANBAO_")}
    crawler = get_crawler(ReportsSpider, settings_dict={
        **nianbao_settings, "NIANBAO_CONTACT_URL": "https://example.invalid/contact"})
    spider = ReportsSpider.from_crawler(crawler, start_urls="http://127.0.0.2:1/a#frag, http://127.0.0.3:1/",
                                        backfill_urls="http://127.0.0.4:1/r.html", force="1")
    assert spider.start_urls == ["http://127.0.0.2:1/a", "http://127.0.0.3:1/"]
    assert spider.backfill_urls == ["http://127.0.0.4:1/r.html"] and spider.force is True
    agent = crawler.settings.get("USER_AGENT")
    assert agent.startswith("nianbao/") and "https://example.invalid/contact" in agent
    # a User-Agent the user chose is kept
    mine = get_crawler(ReportsSpider, settings_dict={**nianbao_settings, "USER_AGENT": "mine/1.0"})
    assert mine.settings.get("USER_AGENT") == "mine/1.0"
