"""长清区人民政府 (山东): a TRS portal whose report column changes between crawls, for incremental re-crawls.

Its state is an epoch the tests move forward with ``GET /__replica/epoch?set=N`` (loopback test control,
no such page exists on a real portal):

- epoch 0: the column as first crawled, newest first, ``index.html``, ``index_1.html`` … (PER_PAGE a page);
- epoch 1: three new reports on top; one report corrected after publication (a figure of its table
  changed and a correction note added, same URL); one report taken down (404, gone from the list); the
  view counter printed in every article has moved on (new bytes, same report);
- epoch 2: as 1, but the column re-sorted by title (a CMS template change) and one more report, back-
  dated, lands on a later page;
- epoch 3: epoch 0's column with one back-dated report (``Evolving.backdated``) published late with its
  original publication date and no re-sort: the column stays newest first by publication date, so the
  report lands at its date position, below at least BACKDATED_BELOW reports already listed at epoch 0
  (never on the first page), and the pager's page count is recomputed.  Nothing else of epochs 1-2
  happens (no reports on top, none corrected or taken down); only the view counter has moved.  The
  report is ``late`` when its date puts it low enough (scale 1: index 10, ``index_1.html``), otherwise a
  report of its own; ``Evolving.insert_position(3)`` is its index.

Epochs are states, not steps: epoch 3 branches off epoch 0 (a crawl at 0 then 3 sees only the insertion).
An article answers 200 exactly when the column lists it at the current epoch, 404 otherwise.

Static pages answer with ETag and Last-Modified and honour conditional requests (304), as the nginx in
front of a TRS site does; the replica server does the validators (Site.validators).
"""

from __future__ import annotations

import copy
import datetime as dt
import random
from functools import partial

from . import templates as T
from .fillers import County, filler_reports
from .reports import Block, Report
from .server import Context, Reply, html_reply
from .site import Site, assign_docids, trs_path

PORTAL = T.Portal("济南市长清区人民政府", "www.jnchangqing.gov.cn", "3701130001", "鲁ICP备05003261号",
                  "鲁公网安备 37011302000112号", "济南市长清区人民政府办公室", "山东省济南市长清区龙泉街1号", "0531-87221234")
CHANGQING = County("长清区", "济南市长清区人民政府",
                   ("文昌街道", "崮云湖街道", "平安街道", "五峰山街道", "归德街道", "张夏街道", "万德街道", "孝里街道"),
                   ("发展和改革局", "教育和体育局", "财政局", "自然资源局", "卫生健康局", "应急管理局", "民政局", "交通运输局"),
                   "250300", "0531", "http://www.jnchangqing.gov.cn")
NAV = [("/", "首页"), ("/zwgk/", "政务公开"), ("/xwzx/", "新闻中心")]
COLUMN = "/zwgk/zfxxgknb/"
COLUMN_NAME = "政府信息公开年报"
PER_PAGE = 8
EPOCHS = (0, 1, 2, 3)
BACKDATED_BELOW = 10     # epoch 3: the back-dated report sits below at least this many epoch-0 reports


class Evolving(Site):
    name = "evolving"
    title = PORTAL.name
    validators = True

    def __init__(self, scale: int = 1):
        super().__init__()
        self.epoch = 0
        rng = random.Random(f"evolving-{scale}")
        reports = filler_reports(f"evolving-{scale}", CHANGQING, 24 * scale + 4, range(2019, 2024))
        table = [r for r in reports if r.figures is not None]
        self.added = reports[:3]                  # published at epoch 1 (the newest three)
        # published at epoch 2, back-dated: the title that sorts last, so it lands on the last page
        self.late = max(reports[3:], key=lambda r: r.title)
        self.base = [r for r in reports[3:] if r is not self.late]
        self.revised = table[len(table) // 2] if table[len(table) // 2] in self.base else self.base[4]
        self.removed = next(r for r in self.base[6:] if r is not self.revised)
        assign_docids(reports, rng, 5120000)
        # published at epoch 3, back-dated, inserted at its date position (no re-sort)
        self.backdated = self.late if _date_position(self.base, self.late) >= BACKDATED_BELOW else \
            _backdated(scale, self.base, reports)
        if self.backdated is not self.late:
            reports = [*reports, self.backdated]
        self.paths = {id(r): trs_path(COLUMN, r) for r in reports}
        self.corrected = _corrected(self.revised)
        self.header = T.trs_header(PORTAL, NAV, "/search")
        self.route("/", self.home)
        self.route("/zwgk/", self.hub)
        self.route("/robots.txt", lambda ctx: Reply(200, b"User-agent: *\nAllow: /\n", "text/plain"))
        self.route("/__replica/epoch", self.control)
        self.route("/js/page.js", lambda ctx: Reply(200, T.PAGE_JS.encode(), "application/javascript"))
        for report in reports:
            path = self.paths[id(report)]
            self.route(path, partial(self.article, report, path))
            if report in self.base:        # the truth of a first crawl (epoch 0)
                self.add_report(report, [path])

    # -- what each epoch publishes ---------------------------------------------------------------
    def listed(self, epoch: int | None = None) -> list[Report]:
        """The column's reports at `epoch` (default: the current one), in list order."""
        epoch = self.epoch if epoch is None else epoch
        items = list(self.base)
        if epoch == 3:
            items.insert(_date_position(self.base, self.backdated), self.backdated)
            return items
        if epoch >= 1:
            items = [*self.added, *[r for r in items if r is not self.removed]]
        if epoch >= 2:
            items = sorted([*items, self.late], key=lambda r: r.title)
        return items

    def insert_position(self, epoch: int | None = None) -> int | None:
        """Index of `backdated` in the column at `epoch` (default: the current one), None when not listed.

        At epoch 3 it is its date position in epoch 0's list, >= BACKDATED_BELOW; its listing page is
        ``insert_position(3) // PER_PAGE`` (0 = index.html, 1 = index_1.html, ...).
        """
        return next((i for i, r in enumerate(self.listed(epoch)) if r is self.backdated), None)

    def url_of(self, report: Report) -> str:
        return self.paths[id(report)]

    def control(self, ctx: Context) -> Reply:
        value = ctx.request.args().get("set")
        if value is not None and value.isdigit() and int(value) in EPOCHS:
            self.epoch = int(value)
        return Reply(200, f'{{"epoch": {self.epoch}}}'.encode(), "application/json")

    def dynamic(self, ctx: Context, path: str, query: str) -> Reply | None:
        if not path.startswith(COLUMN) or not path.rsplit("/", 1)[-1].startswith("index"):
            return None
        items = self.listed()
        pages = T.paginate([(f"./{self.url_of(r)[len(COLUMN):]}", r.title, r.published) for r in items], PER_PAGE)
        names = {T.page_name("index", "html", i): i for i in range(len(pages))}
        index = names.get(path[len(COLUMN):] or "index.html")
        if index is None:
            return None
        crumbs = [("/", "首页"), ("/zwgk/", "政务公开"), (COLUMN + "index.html", COLUMN_NAME)]
        return html_reply(T.trs_list(PORTAL, header=self.header, crumbs=crumbs, column=COLUMN_NAME, rows=pages[index],
                                     pager=T.create_page_html(len(pages), index, "index", "html")))

    def article(self, report: Report, path: str, ctx: Context) -> Reply:
        # an article answers while the column lists it (epoch 3 branches off epoch 0: none of 1-2's changes)
        if not any(r is report for r in self.listed()):
            return self.not_found(ctx)
        shown = self.corrected if report is self.revised and self.epoch in (1, 2) else report
        crumbs = [("/", "首页"), ("/zwgk/", "政务公开"), (COLUMN + "index.html", COLUMN_NAME)]
        return html_reply(T.trs_article(PORTAL, shown, header=self.header, crumbs=crumbs, column=COLUMN_NAME,
                                        # the counter moves between epochs, so every page's bytes change then
                                        url=f"http://{PORTAL.domain}{path}", hits=100 + 7 * self.epoch,
                                        prev=None, nxt=None,
                                        links=[("/zwgk/", "政务公开")], date_label="发布时间"))

    def hub(self, ctx: Context) -> Reply:
        body = (f'{T.top_bar(PORTAL)}\n{self.header}\n<div class="w1200 main"><ul class="gk-menu">'
                f'<li><a href="/zwgk/xxgkzn/">政府信息公开指南</a></li>'
                f'<li><a href="{COLUMN}index.html">{COLUMN_NAME}</a></li></ul></div>\n{T.footer(PORTAL)}')
        return html_reply(T.page(f"政务公开_{PORTAL.name}", "", body))

    def home(self, ctx: Context) -> Reply:
        body = (f'{T.top_bar(PORTAL)}\n{self.header}\n<div class="w1200 main">'
                f'<div class="gk-entry"><a href="/zwgk/">政务公开</a></div></div>\n{T.footer(PORTAL)}')
        return html_reply(T.page(PORTAL.name, f'<meta name="SiteName" content="{PORTAL.name}">', body))


def _date_position(items: list[Report], report: Report) -> int:
    """Where the CMS lists `report` among `items` (newest first by publication date, same-day ones by
    title, as filler columns order them): before the first item older than it, else at the end."""
    key = (report.published, report.title)
    return next((i for i, r in enumerate(items) if (r.published, r.title) < key), len(items))


def _backdated(scale: int, base: list[Report], reports: list[Report]) -> Report:
    """A report of its own for epoch 3 when `late` would land too high: deterministic, a free (agency,
    year) pair (older years once the county's are all taken), the newest whose date position is at least
    BACKDATED_BELOW.  Created last in the CMS, so its document id is the highest of the column."""
    seed = f"evolving-{scale}-backdated"
    taken = {(r.agency, r.year) for r in reports}
    candidates = [*filler_reports(seed, CHANGQING, 6, range(2019, 2024), taken),
                  *filler_reports(seed, CHANGQING, 6, range(2015, 2019), taken)]
    candidates.sort(key=lambda r: (r.published, r.title), reverse=True)
    chosen = next(r for r in candidates if _date_position(base, r) >= BACKDATED_BELOW)
    chosen.docid = max(r.docid for r in reports) + 37 + random.Random(seed).randint(0, 30)
    return chosen


def _corrected(report: Report) -> Report:
    """The report as corrected after publication: one figure of 表三 (and of 表二 in prose) changed."""
    fixed = copy.deepcopy(report)
    if fixed.figures is not None:
        row = fixed.figures.table2
        label = next(iter(k for k in row if k in ("行政处罚", "行政许可")), next(iter(row)))
        row[label] = [v + 1 if isinstance(v, int) else v for v in row[label]]
    fixed.blocks = [*fixed.blocks, Block("p", f"（本报告于{fixed.published + dt.timedelta(days=20):%Y年%m月%d日}更正）")]
    return fixed
