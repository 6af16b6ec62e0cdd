"""安远县人民政府 (江西): one county's agencies over three years, with what an audit must find among them.

A plain TRS portal (createPageHTML paging, byline dates) whose report column holds every agency's
2021-2023 reports.  Among them: agencies that skip a year, reports published after their legal deadline
(a department's 31 January, the county government's own 31 March; a township has none), reports that copy
the previous year's text, and a report whose tables do not add up.  ``Audit.truth`` states all of it from the
site's own data (each report's agency kind, publication date and how it was made), independently of how a
crawler or an auditor works it out.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from functools import partial

from . import templates as T
from .fillers import County, title_for
from .reports import Report, parse_blocks
from .server import Context, Reply, html_reply
from .site import Site, assign_docids, trs_path
from .tables import CARRIED, FORWARD, NEW, TOTAL, format_of, random_figures

PORTAL = T.Portal("安远县人民政府", "www.ay.gov.cn", "3607260001", "赣ICP备05004321号",
                  "赣公网安备 36072602000101号", "安远县人民政府办公室", "江西省赣州市安远县欣山镇濂江路1号",
                  "0797-3722345")
NAV = [("/", "首页"), ("/zwgk/", "政务公开"), ("/xwzx/", "新闻中心"), ("/hdjl/", "互动交流")]
COLUMN = "/zwgk/zfxxgknb/"
COLUMN_NAME = "政府信息公开年度报告"
PER_PAGE = 8
YEARS = (2021, 2022, 2023)

ANYUAN = County("安远县", "安远县人民政府", ("欣山镇", "孔田镇", "镇岗乡"),
                ("教育局", "财政局", "民政局", "自然资源局", "卫生健康委员会", "市场监督管理局", "农业农村局"),
                "342100", "0797", "http://www.ay.gov.cn")

# (agency, kind): kind as the 2019 regulation's 第四十九条 sorts them (government, department, township)
AGENCIES = (("安远县人民政府", "government"), ("安远县教育局", "department"), ("安远县财政局", "department"),
            ("安远县民政局", "department"), ("安远县自然资源局", "department"), ("安远县卫生健康委员会", "department"),
            ("安远县市场监督管理局", "department"), ("安远县农业农村局", "department"),
            ("欣山镇人民政府", "township"), ("孔田镇人民政府", "township"), ("镇岗乡人民政府", "township"))
# Who did not publish a year: 民政局 and 孔田镇 stopped after 2022; 自然资源局 skipped 2022.
SKIPPED = {("安远县民政局", 2023), ("孔田镇人民政府", 2023), ("安远县自然资源局", 2022)}
# Publication dates that matter for the deadline (the rest are early in January, or February for the
# county government, March for townships).
PUBLISHED = {("安远县财政局", 2023): dt.date(2024, 2, 19),          # 19 days after 31 January
             ("安远县人民政府", 2023): dt.date(2024, 4, 10),        # 10 days after 31 March
             ("安远县教育局", 2023): dt.date(2024, 1, 31),          # on the day: on time
             ("欣山镇人民政府", 2023): dt.date(2024, 4, 20),        # a township: no national deadline
             ("安远县农业农村局", 2022): dt.date(2023, 3, 2)}        # 30 days after 31 January
# Reports that are last year's text with the year changed.
COPIED = {("安远县市场监督管理局", 2023), ("镇岗乡人民政府", 2023)}
# A report whose 本年新收 was raised in 自然人 and its row total only: the balance rule fails in those columns.
BROKEN = {("安远县卫生健康委员会", 2023): {("balance", "natural_person"), ("balance", "total")}}

_WE = {"government": "我县", "department": "我局", "township": "我镇"}


@dataclass
class Made:
    agency: str
    kind: str
    report: Report
    copied: bool = False


def _deadline(kind: str, year: int) -> dt.date | None:
    """The national deadline as the regulations state it (the site's truth, not the auditor's code)."""
    if year < 2019:
        return dt.date(year + 1, 3, 31)
    return {"government": dt.date(year + 1, 3, 31), "department": dt.date(year + 1, 1, 31)}.get(kind)


def _steady_figures(rng: random.Random, fmt: int, busy: float):
    """Figures whose 上年结转 and 结转下年度 are zero, so consecutive years agree (the cross-year rule holds)."""
    fig = random_figures(rng, fmt, busy)
    for col in range(7):
        carried, forward = fig.table3[CARRIED][col], fig.table3[FORWARD][col]
        fig.table3[NEW][col] += carried
        fig.table3[CARRIED][col] = 0
        fig.table3[FORWARD][col] = 0
        fig.table3[TOTAL][col] += forward
        fig.table3["（一）予以公开"][col] += forward
    return fig


# 表二's document rows (2021 format: 本年制发件数, 本年废止件数, 现行有效件数) and their canonical keys
DOC_ROWS = {"规章": "rules", "行政规范性文件": "normative_docs"}


def _chain(previous, fig) -> None:
    """This year's 现行有效件数 = last year's + 本年制发件数 − 本年废止件数, as an agency's own books give it."""
    for label in DOC_ROWS:
        issued, repealed, _ = fig.table2[label]
        before = previous.table2[label][2]
        repealed = min(repealed, before + issued)
        fig.table2[label] = [issued, repealed, before + issued - repealed]


def _in_force_breaks(previous, fig) -> set[tuple[str, str]]:
    """(in_force_vs_last_year, row) where the two years' 表二 do not chain (a copied report repeats last year's)."""
    out = set()
    for label, key in DOC_ROWS.items():
        issued, repealed, in_force = fig.table2[label]
        if previous.table2[label][2] + issued != in_force + repealed:
            out.add(("in_force_vs_last_year", key))
    return out


def _report(rng: random.Random, agency: str, kind: str, year: int, published: dt.date, broken: bool) -> Report:
    """A report in the national format of its year (as fillers.table_report), own wording drawn per report."""
    fmt = format_of(year)
    fig = _steady_figures(rng, fmt, {"government": 3.0, "department": 1.0, "township": 0.6}[kind])
    if broken:
        fig.table3[NEW][0] += 2
        fig.table3[NEW][6] += 2
    we = _WE[kind]
    pick = partial(_sentence, rng, we, year)
    lines = ["本报告依据《中华人民共和国政府信息公开条例》第五十条规定编制，所列数据统计期限为"
             f"{year}年1月1日至{year}年12月31日。如对本报告有疑问，请与{agency}办公室联系"
             f"（联系人：{rng.choice(ANYUAN.contacts)}；电话：0797-{rng.randint(3700000, 3799999)}）。",
             "一、总体情况", "".join(pick(_OPENING, 2)),
             "（一）主动公开", "".join(pick(_ACTIVE_WORK, 2)) + f"全年主动公开政府信息{rng.randint(40, 1200)}条。",
             "（二）依申请公开", f"{year}年共收到政府信息公开申请{fig.received}件，" + "".join(pick(_REQUEST_WORK, 1)),
             "（三）政府信息管理", "".join(pick(_MANAGE, 2)),
             "二、主动公开政府信息情况", "[[table2]]", "三、收到和处理政府信息公开申请情况", "[[table3]]",
             "四、政府信息公开行政复议、行政诉讼情况", "[[table4]]",
             "五、存在的主要问题及改进情况", "".join(pick(_PROBLEMS, 2)) + "".join(pick(_PLANS, 2)),
             "六、其他需要报告的事项", f"{year}年，{we}未收取信息处理费。" + "".join(pick(_OTHER_WORK, 1)),
             f">> {agency}", f">> {published.year}年{published.month}月{published.day}日"]
    return Report(title=title_for(rng, agency, year), agency=agency, year=year, published=published,
                  source=agency, figures=fig, blocks=parse_blocks("\n".join(lines)))


# Sentence banks: each sentence has a slot every dozen characters or so, so two reports share a run of twenty
# characters only where one copies the other (the reuse measure's minimum), not because they are of one genre.
_TOPICS = ("义务教育", "医疗卫生", "乡村振兴", "生态环境", "安全生产", "食品药品", "社会救助", "财政预决算", "重大建设项目",
           "公共资源配置", "就业创业", "养老服务", "营商环境", "农村产权", "防汛抗旱", "住房保障")
_WAYS = ("门户网站", "政务微信", "政务微博", "公开栏", "新闻发布会", "政务服务大厅", "融媒体中心", "村务公开栏")
_OPENING = ("{y}年，{we}围绕{t1}和{t2}，{n1}次研究政务公开工作，", "{we}把{t1}作为{y}年公开重点，制定清单{n1}项，",
            "全年召开{t1}专题会{n1}次、{t2}推进会{n2}次，", "{we}以{w1}为主渠道，兼顾{w2}，全年推送{n1}条，",
            "对照{y}年要点，{we}逐项分解{n1}项任务，落实到{n2}个股室，", "{y}年{we}新增{t1}公开事项{n1}项，",
            "{we}{y}年调整公开目录{n1}次，涉及{t1}、{t2}等领域，")
_ACTIVE_WORK = ("通过{w1}发布{t1}信息{n1}条、{t2}信息{n2}条。", "在{w1}开设{t1}专栏，更新{n1}次。",
                "围绕{t1}发布政策解读{n1}篇，其中图解{n2}篇。", "{t1}领域公开{n1}条，较上年增加{n2}条。",
                "依托{w1}和{w2}同步发布{n1}条。", "{t2}相关文件{n1}件均在{n2}个工作日内公开。")
_REQUEST_WORK = ("当面申请{n1}件，网上申请{n2}件。", "均在{n1}个工作日内答复，平均用时{n2}天。",
                 "其中涉及{t1}的{n1}件，涉及{t2}的{n2}件。", "经{w1}受理{n1}件，经信函受理{n2}件。")
_MANAGE = ("开展保密审查{n1}次，清理过时信息{n2}条。", "对{t1}类信息实行{n1}级审核，全年下架{n2}条。",
           "更新{t1}公开目录{n1}项，修订制度{n2}项。", "组织{t2}业务培训{n1}期，参训{n2}人次。")
_PROBLEMS = ("{t1}信息更新不够及时，{n1}个栏目超期未更新。", "{w1}互动回应偏少，全年仅{n1}条。",
             "{t2}领域解读形式单一，图解仅占{n1}%。", "基层{t1}公开不够规范，抽查发现问题{n1}处。")
_PLANS = ("下一步将在{t2}领域新增{n1}项清单。", "计划于{n1}月前完成{t1}目录梳理。", "拟每季度开展{n1}次{w2}专项检查。",
          "力争{t2}政策解读率达到{n1}%以上。")
_OTHER_WORK = ("落实{y}年政务公开要点{n1}项任务，完成率{n2}%。", "办理人大建议、政协提案{n1}件，公开率{n2}%。",
               "{we}本年度无其他需要报告的事项，共计{n1}项任务已办结。")


def _sentence(rng: random.Random, we: str, year: int, bank: tuple[str, ...], count: int) -> list[str]:
    out = []
    for template in rng.sample(bank, count):
        t1, t2 = rng.sample(_TOPICS, 2)
        w1, w2 = rng.sample(_WAYS, 2)
        out.append(template.format(y=year, we=we, t1=t1, t2=t2, w1=w1, w2=w2, n1=rng.randint(2, 99),
                                   n2=rng.randint(2, 99)))
    return out


def _copy(previous: Report, year: int, published: dt.date) -> Report:
    """Last year's report with the year moved on: same wording, same figures, a new title and date."""
    old, new = previous.year, year
    blocks = []
    for block in previous.blocks:
        text = block.text.replace(f"{old}年", f"{new}年").replace(f"{old + 1}年", f"{new + 1}年")
        if block.kind == "sig" and "月" in text:
            text = f"{published.year}年{published.month}月{published.day}日"
        blocks.append(type(block)(block.kind, text))
    return Report(title=previous.title.replace(str(old), str(new)), agency=previous.agency, year=year,
                  published=published, source=previous.source, figures=previous.figures, blocks=blocks)


class AuditCounty(Site):
    name = "audit_county"
    title = PORTAL.name

    def __init__(self, scale: int = 1):
        super().__init__()
        rng = random.Random(f"audit-county-{scale}")
        made: list[Made] = []
        last: dict[str, Report] = {}
        for year in YEARS:
            for agency, kind in AGENCIES:
                if (agency, year) in SKIPPED:
                    continue
                published = PUBLISHED.get((agency, year)) or (
                    dt.date(year + 1, 1, 4) + dt.timedelta(days=rng.randint(0, 20)) if kind == "department" else
                    dt.date(year + 1, 2, 1) + dt.timedelta(days=rng.randint(0, 40)))
                if (agency, year) in COPIED:
                    report, copied = _copy(last[agency], year, published), True
                else:
                    report = _report(rng, agency, kind, year, published, (agency, year) in BROKEN)
                    copied = False
                    if agency in last:
                        _chain(last[agency].figures, report.figures)
                    if (agency, year) in BROKEN:
                        # its tables break the sum rules on purpose (replica tests skip it; the audit must find it)
                        report.extra["broken_sums"] = BROKEN[(agency, year)]
                last[agency] = report
                made.append(Made(agency, kind, report, copied))
        self.made = made
        reports = [m.report for m in made]
        assign_docids(reports, rng, 2460000)
        reports.sort(key=lambda r: (r.published, r.docid), reverse=True)
        self.header = T.trs_header(PORTAL, NAV)
        crumbs = [("/", "首页"), ("/zwgk/", "政务公开"), (COLUMN, COLUMN_NAME)]
        paths = {id(r): trs_path(COLUMN, r) for r in reports}
        for k, report in enumerate(reports):
            prev = reports[k - 1] if k > 0 else None
            nxt = reports[k + 1] if k + 1 < len(reports) else None
            path = paths[id(report)]
            self.route(path, partial(self.article, report, crumbs, prev and (paths[id(prev)], prev.title),
                                     nxt and (paths[id(nxt)], nxt.title), path))
            self.add_report(report, [path])
        self.paths = {(m.agency, m.report.year): paths[id(m.report)] for m in made}
        pages = T.paginate([(f"./{paths[id(r)][len(COLUMN):]}", r.title, r.published) for r in reports], PER_PAGE)
        side = f'<ul class="side"><li><a href="{COLUMN}" class="on">{COLUMN_NAME}</a></li></ul>'
        for i, rows in enumerate(pages):
            self.route(COLUMN + T.page_name("index", "html", i),
                       partial(self.listing, crumbs, rows, T.create_page_html(len(pages), i, "index", "html"), side))
        self.route(COLUMN, self.routes[COLUMN + "index.html"])
        self.add_column(COLUMN, reports=len(reports), stated=None)
        self.route("/", self.home)
        self.route("/index.html", self.home)
        self.route("/zwgk/", self.hub)
        self.route("/js/page.js", lambda ctx: Reply(200, T.PAGE_JS.encode(), "application/javascript"))
        for path, title in (("/xwzx/", "新闻中心"), ("/hdjl/", "互动交流"), ("/search/search.jsp", "站内搜索")):
            self.route(path, partial(lambda t, ctx: html_reply(T.stub_page(PORTAL, t, self.header)), title))

    # -- what an audit of this county must find ------------------------------------------------

    def audit_truth(self, year: int) -> dict:
        """What `nianbao audit --year` must list for this county, from the site's own data: ``missing``
        {agency: last year reported}, ``late`` {agency: (published, deadline, days late)}, ``reuse``
        {agencies whose report copies the year before}, ``failing`` {agency: {(rule, column or row)}}, ``found``
        {agency: path}."""
        of_year = {m.agency: m for m in self.made if m.report.year == year}
        before = {m.agency: m for m in self.made if m.report.year == year - 1}
        missing = {}
        for agency in before:
            if agency not in of_year:
                missing[agency] = year - 1
        late = {}
        for agency, m in of_year.items():
            deadline = _deadline(m.kind, year)
            if deadline is not None and m.report.published > deadline:
                late[agency] = (f"{m.report.published:%Y-%m-%d}", f"{deadline:%Y-%m-%d}",
                                (m.report.published - deadline).days)
        failing = {}
        for agency, m in of_year.items():
            rules = set(BROKEN.get((agency, year), set()))
            if agency in before:
                rules |= _in_force_breaks(before[agency].report.figures, m.report.figures)
            if rules:
                failing[agency] = rules
        return {"year": year, "missing": missing, "late": late,
                "reuse": {a for a, m in of_year.items() if m.copied},
                "failing": failing,
                "found": {a: self.paths[(a, year)] for a in of_year},
                "deadline": {a: (_deadline(m.kind, year) and f"{_deadline(m.kind, year):%Y-%m-%d}")
                             for a, m in of_year.items()}}

    # -- pages -------------------------------------------------------------------------------

    def article(self, report, crumbs, prev, nxt, path, ctx: Context) -> Reply:
        return html_reply(T.trs_article(PORTAL, report, header=self.header, crumbs=crumbs, column=COLUMN_NAME,
                                        url=f"http://{PORTAL.domain}{path}", hits=ctx.hit(), prev=prev, nxt=nxt,
                                        links=[]))

    def listing(self, crumbs, rows, pager, side, ctx: Context) -> Reply:
        return html_reply(T.trs_list(PORTAL, header=self.header, crumbs=crumbs, column=COLUMN_NAME, rows=rows,
                                     pager=pager, side=side))

    def home(self, ctx: Context) -> Reply:
        body = (f"{T.top_bar(PORTAL)}{self.header}<div class=\"w1200 main\"><div class=\"box\"><h3>政务公开</h3><ul>"
                f'<li><a href="/zwgk/">政府信息公开</a></li><li><a href="/xwzx/">新闻中心</a></li></ul></div></div>'
                f"{T.footer(PORTAL)}")
        return html_reply(T.page(PORTAL.name, "", body))

    def hub(self, ctx: Context) -> Reply:
        body = (f"{T.top_bar(PORTAL)}{self.header}<div class=\"w1200 main\"><ul class=\"side\">"
                f'<li><a href="/zwgk/xxgkzn/">政府信息公开指南</a></li><li><a href="{COLUMN}">{COLUMN_NAME}</a></li>'
                f"</ul></div>{T.footer(PORTAL)}")
        return html_reply(T.page(f"政务公开_{PORTAL.name}", "", body))
