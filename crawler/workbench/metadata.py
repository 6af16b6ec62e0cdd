"""Datasette metadata of the workbench: Chinese labels and descriptions of every table and column, the default
facets, full-text search, and the canned audit queries (read-only SELECTs with a :year parameter)."""

from __future__ import annotations

DATABASE = "nianbao"

REPORT_COLUMNS = {
    "id": "报告编号（规范化正文的 SHA-256）", "title": "标题", "agency": "发布机关", "province": "省", "city": "市",
    "county": "县（区）", "year": "报告年度", "published": "发布日期", "published_source": "发布日期来源（byline 页面署名、url、"
    "signature 落款、listing 栏目列表、file 文件）", "level": "机关层级（government 县级以上人民政府、department 政府部门、"
    "township 乡镇街道）", "deadline": "法定公布期限", "timeliness": "按期 / 逾期 / 无期限 / 未知（无发布日期）", "days_late": "逾期天数",
    "reuse_of_previous": "与上一年度报告文字重复率", "high_reuse": "重复率超过50%", "failing_checks": "未通过的校验数",
    "failing": "未通过的校验（规则[列]）", "sections_missing": "缺少的必备章节", "format": "格式（2019、2021、pre-2019、unknown）",
    "site": "门户网站", "site_name": "网站名称", "url": "原始网址", "kind": "原始文件类型", "text_source": "正文来源",
    "ocr": "OCR 识别", "revision": "修订版本", "previous_id": "被本修订替换的版本", "previous_year_id": "上一年度报告编号",
    "raw_sha256": "存档字节的 SHA-256", "fetched_at": "抓取时间",
}

_YEAR = "cast(:year as integer)"
QUERIES = {
    "missing": {
        "title": "未发布：上一年度有报告、本年度没有的机关",
        "description": "The agencies that published a report for year−1 on a crawled portal and none for :year.",
        "sql": f"""select p.province, p.city, p.county, p.agency, p.site, p.year as last_year, p.url as last_url
from reports p
where p.year = {_YEAR} - 1
  and not exists (select 1 from reports r where r.agency = p.agency and r.year = {_YEAR})
group by p.agency order by p.province, p.city, p.county, p.agency""",
    },
    "late": {
        "title": "逾期发布的报告",
        "sql": f"""select province, city, county, agency, year, published, published_source, deadline, days_late, id, url
from reports where year = {_YEAR} and timeliness = '逾期' order by days_late desc, agency""",
    },
    "reuse": {
        "title": "与上一年度报告高度重复（超过50%）的报告",
        "sql": f"""select province, city, county, agency, year, reuse_of_previous, previous_year_id, id, url
from reports where year = {_YEAR} and high_reuse = 1 order by reuse_of_previous desc, agency""",
    },
    "failing": {
        "title": "表格校验未通过的报告",
        "sql": f"""select province, city, county, agency, year, failing_checks, failing, id, url
from reports where year = {_YEAR} and failing_checks > 0 order by failing_checks desc, agency""",
    },
    "per_region": {
        "title": "各地区报告数、逾期数、高重复数、校验未通过数",
        "sql": f"""select province, city, county, count(*) as reports, sum(timeliness = '逾期') as late,
  sum(high_reuse = 1) as high_reuse, sum(failing_checks > 0) as failing
from reports where year = {_YEAR} group by province, city, county order by province, city, county""",
    },
}


def metadata(title: str = "nianbao 政府信息公开年报工作台") -> dict:
    return {
        "title": title,
        "description": "政府信息公开工作年度报告存档：全文检索、分面浏览、按期与重复率审计。只读。",
        "about": "nianbao", "about_url": "https://nianbao.invalid/",
        "databases": {
            DATABASE: {
                "tables": {
                    "reports": {
                        "label_column": "title",
                        "description": "每份已抓取的年报一行：元数据、地区、按期情况、与上年重复率、校验结果。",
                        "columns": REPORT_COLUMNS,
                        "fts_table": "reports_fts", "fts_pk": "rowid",
                        "facets": ["province", "city", "county", "year", "agency", "site", "format", "timeliness",
                                   {"array": "failing"}],
                        "sort_desc": "published",
                        "size": 20,
                    },
                    "checks": {"description": "每份报告的每条校验（勾稽关系、正文与表格、跨年度）。",
                               "columns": {"report_id": "报告编号", "rule": "规则", "target": "列 / 行 / 数字",
                                           "status": "ok / fail / not_assessable", "expected": "应为",
                                           "actual": "实为", "detail": "说明"},
                               "facets": ["rule", "status"]},
                    "urls": {"description": "报告的每个网址（首次、同内容、转载）。",
                             "columns": {"report_id": "报告编号", "url": "网址", "relation": "关系", "seen_at": "发现时间"}},
                    "texts": {"description": "每份报告的正文（标题一行，段落各一行，表格每行一行、单元格以制表符分隔）。",
                              "columns": {"report_id": "报告编号", "text": "正文"}},
                    "revisions": {"description": "同一网址的新版本及与旧版本的差异。",
                                  "columns": {"report_id": "新版本", "previous_id": "旧版本", "url": "网址",
                                              "revision": "版本号", "diff": "差异", "noted_at": "记录时间"}},
                    "parsed": {"hidden": True},
                    "reports_fts": {"hidden": True},
                },
                "queries": QUERIES,
            }
        },
    }
