"""Shared pieces of the sites multipage_articles, viewer_documents, extensionless_downloads, same_name_towns:
report bodies that can be cut into parts (a table may be cut between two of its rows), a Word-pasted table
printer, the 网站标识码/ICP footer every government site must print, and look-alike documents.

Each site prints its own chrome (the CMS family of its evidence); only the report body markup and the
footer's statutory lines are shared.
"""

from __future__ import annotations

import datetime as dt
import html
import random
from dataclasses import dataclass

from ..reports import Block, Report, inline_html, parse_blocks
from ..tables import TABLE_ROWS, Cell, blank_figures


def esc(text: str) -> str:
    return html.escape(text, quote=True)


@dataclass(frozen=True)
class Rows:
    """Rows [start, stop) of one official table: a table cut by a page break prints as two tables."""

    table: str
    start: int
    stop: int


Piece = Block | Rows


def pieces(report: Report) -> list[Piece]:
    """The report body as pieces: every block, tables whole."""
    out: list[Piece] = []
    for block in report.blocks:
        if block.kind == "table":
            out.append(Rows(block.text, 0, len(TABLE_ROWS[block.text](report.figures))))
        else:
            out.append(block)
    return out


def clean_cuts(rows: list[list[Cell]]) -> list[int]:
    """Row indexes a table may be cut before: no rowspan reaches across, not the first or last row."""
    reach, cuts = 0, []
    for r, row in enumerate(rows):
        if 0 < r and reach <= r:
            cuts.append(r)
        for cell in row:
            reach = max(reach, r + cell.rowspan)
    return cuts


def split_pages(report: Report, count: int, cut_table: str | None = None) -> list[list[Piece]]:
    """The report's pieces over `count` pages of roughly equal length, as a CMS pagebreak leaves them.

    With `cut_table`, that table is cut at its middle clean row boundary and the page break falls there
    (the table crosses the page boundary); the other breaks fall between blocks.
    """
    items = pieces(report)
    if cut_table is not None:
        k = next(i for i, p in enumerate(items) if isinstance(p, Rows) and p.table == cut_table)
        whole = items[k]
        rows = TABLE_ROWS[cut_table](report.figures)
        cuts = clean_cuts(rows)
        at = min(cuts, key=lambda c: abs(c - len(rows) / 2))
        items[k:k + 1] = [Rows(cut_table, whole.start, at), Rows(cut_table, at, whole.stop)]
        forced = k + 1
    else:
        forced = None
    weights = [_weight(p) for p in items]
    total = sum(weights)
    breaks: list[int] = []
    if forced is not None:
        breaks.append(forced)
    acc = 0.0
    for i, w in enumerate(weights):
        acc += w
        if len(breaks) >= count - 1:
            break
        # the next break once this page holds its share; never right after a heading
        share = total * (len(breaks) + 1) / count
        if acc >= share and i + 1 < len(items) and i + 1 not in breaks and getattr(items[i], "kind", "") != "h":
            breaks.append(i + 1)
    breaks = sorted(set(breaks))[:count - 1]
    bounds = [0, *breaks, len(items)]
    return [items[a:b] for a, b in zip(bounds, bounds[1:]) if b > a]


def _weight(piece: Piece) -> float:
    if isinstance(piece, Rows):
        return 40.0 * (piece.stop - piece.start)
    return float(len(piece.text))


_P_STYLES = {
    # what Word pasted into a UEditor/KindEditor leaves behind, per family
    "ueditor": ('<p style="text-indent:2em;line-height:2em;margin-bottom:0px;"><span style="font-family:仿宋_GB2312, '
                'FangSong;font-size:16px;">{}</span></p>'),
    "kind": '<p style="text-indent:32px;">{}</p>',
    "vsb": '<p class="vsbcontent_start" style="text-indent:2em;">{}</p>',
    "plain": "<p>　　{}</p>",
}
_H_STYLES = {
    "ueditor": ('<p style="text-indent:2em;line-height:2em;"><strong><span style="font-family:黑体, SimHei;'
                'font-size:16px;">{}</span></strong></p>'),
    "kind": '<p style="text-indent:32px;"><strong>{}</strong></p>',
    "vsb": '<p style="text-indent:2em;"><b>{}</b></p>',
    "plain": "<p>　　<strong>{}</strong></p>",
}
_SIG_STYLES = {"ueditor": '<p style="text-align:right;line-height:2em;">{}</p>',
               "kind": '<p style="text-align:right;">{}</p>', "vsb": '<p style="text-align:right;">{}</p>',
               "plain": '<p align="right">{}</p>'}


def rows_html(report: Report, rows: Rows, *, mso: bool = True) -> str:
    """Rows of an official table as Word pastes them (MsoNormalTable, widths in pt, spans kept)."""
    cells = TABLE_ROWS[rows.table](report.figures)[rows.start:rows.stop]
    out = []
    for row in cells:
        tds = []
        for c in row:
            attrs = ""
            if c.rowspan > 1:
                attrs += f' rowspan="{c.rowspan}"'
            if c.colspan > 1:
                attrs += f' colspan="{c.colspan}"'
            inner = inline_html(c.text).replace("&lt;br&gt;", "<br/>")
            if c.header:
                inner = f"<b>{inner}</b>"
            tds.append(f'<td{attrs} valign="center" style="border:solid windowtext 1.0pt;padding:0cm 5.4pt;">'
                       f'<p class="MsoNormal" align="center" style="text-align:center;">{inner}</p></td>')
        out.append('<tr style="height:20.0pt;">' + "".join(tds) + "</tr>")
    cls = ' class="MsoNormalTable"' if mso else ""
    return (f'<table{cls} border="1" cellspacing="0" cellpadding="0" width="100%" '
            f'style="border-collapse:collapse;border:none;"><tbody>' + "\n".join(out) + "</tbody></table>")


def pieces_html(report: Report, items: list[Piece], flavour: str = "ueditor") -> str:
    """Body HTML of some pieces of a report."""
    parts = []
    for piece in items:
        if isinstance(piece, Rows):
            parts.append(rows_html(report, piece))
        elif piece.kind == "h":
            parts.append(_H_STYLES[flavour].format(inline_html(piece.text)))
        elif piece.kind == "sig":
            parts.append(_SIG_STYLES[flavour].format(inline_html(piece.text)))
        else:
            parts.append(_P_STYLES[flavour].format(inline_html(piece.text)))
    return "\n".join(parts)


def statutory_footer(*, host_org: str, site_code: str, icp: str, police: str, address: str = "", phone: str = "",
                     extra: str = "") -> str:
    """The lines every government site must print (网站标识码, ICP 备案, 公安备案) and the conac badge."""
    where = f"地址：{esc(address)}　" if address else ""
    tel = f"电话：{esc(phone)}" if phone else ""
    return f"""<div class="footer">
  {extra}
  <p>主办单位：{esc(host_org)}　{where}{tel}</p>
  <p>网站标识码：{site_code}　<a href="https://beian.miit.gov.cn" target="_blank">{esc(icp)}</a>　
  <a href="http://www.beian.gov.cn/portal/registerSystemInfo" target="_blank">{esc(police)}</a></p>
  <span id="_ideConac"><script type="text/javascript" src="https://dcs.conac.cn/js/17/000/0000/60000000/CA170000000600000000001.js"></script></span>
</div>"""


# -- look-alikes: documents report columns list next to the reports ----------------------------------------

def lookalikes(region: str, government: str, office: str, rng: random.Random) -> list[Report]:
    """A format notice, a 工作要点 and a 统计公报 of this region (dated, titled like column neighbours)."""
    y = rng.choice((2020, 2021, 2022, 2023))
    notice = Report(
        title=f"关于做好{y}年度政府信息公开工作年度报告编制和发布工作的通知", agency=None, year=None,
        published=dt.date(y, 12, rng.randint(10, 28)), source=office, kind="lookalike",
        blocks=parse_blocks("\n".join([
            f"各乡（镇）人民政府，{region}政府各部门：",
            f"根据《中华人民共和国政府信息公开条例》和国务院办公厅政府信息与政务公开办公室关于年度报告格式的要求，"
            f"现就做好{y}年度政府信息公开工作年度报告编制和发布工作通知如下。",
            "一、严格执行年度报告格式",
            "各单位应严格按照《中华人民共和国政府信息公开工作年度报告格式》编制年度报告，表格内容不得删减，"
            "数据应真实准确，并与上一年度报告数据相衔接。",
            "二、按时发布",
            f"各单位须于{y + 1}年1月31日前将年度报告在本单位政府信息公开专栏“政府信息公开年报”栏目中公开，"
            f"同时报送{region}政务公开领导小组办公室备案。",
            f">> {office}",
            f">> {y}年12月{rng.randint(1, 28)}日",
        ])))
    y2 = rng.choice((2021, 2022, 2023, 2024))
    points = Report(
        title=f"{government}办公室关于印发{region}{y2}年政务公开工作要点的通知", agency=None, year=None,
        published=dt.date(y2, rng.randint(4, 6), rng.randint(1, 28)), source=office, kind="lookalike",
        blocks=parse_blocks("\n".join([
            f"各乡（镇）人民政府，{region}政府各部门：",
            f"《{region}{y2}年政务公开工作要点》已经{region}政府同意，现印发给你们，请认真贯彻执行。",
            "一、围绕稳住经济大盘加强政策发布解读",
            "及时公开稳经济一揽子政策措施及配套政策的落实情况，加强政策解读，回应社会关切。",
            "二、持续推进政府信息公开工作",
            "做好政府信息公开工作年度报告的编制和发布，规范依申请公开办理，加强政府信息管理。",
            "三、加强政务公开平台建设",
            "加强政府网站和政务新媒体管理，推进政务公开专区建设。",
        ])))
    y3 = rng.choice((2019, 2020, 2021, 2022, 2023))
    stats = Report(
        title=f"{region}{y3}年国民经济和社会发展统计公报", agency=None, year=None,
        published=dt.date(y3 + 1, rng.randint(3, 5), rng.randint(1, 28)), source=f"{region}统计局", kind="lookalike",
        blocks=parse_blocks("\n".join([
            f"{y3}年，面对复杂严峻的外部环境，全{region[-1]}上下坚持稳中求进工作总基调，经济运行总体平稳。",
            "一、综合",
            f"初步核算，全{region[-1]}地区生产总值{rng.randint(80, 400)}.{rng.randint(0, 9)}亿元，"
            f"按不变价格计算，比上年增长{rng.randint(2, 8)}.{rng.randint(0, 9)}%。",
            "二、农业",
            f"全年粮食种植面积{rng.randint(30, 90)}.{rng.randint(0, 9)}万亩，粮食总产量{rng.randint(10, 40)}.{rng.randint(0, 9)}万吨。",
            "三、人民生活和社会保障",
            f"全年全体居民人均可支配收入{rng.randint(18000, 32000)}元，比上年增长{rng.randint(4, 9)}.{rng.randint(0, 9)}%。",
        ])))
    return [notice, points, stats]


def format_notice() -> Report:
    """The national format notice itself: the blank tables of the 2021 format, no agency, no year reported."""
    return Report(
        title="国务院办公厅政府信息与政务公开办公室关于印发《中华人民共和国政府信息公开工作年度报告格式》的通知",
        agency=None, year=None, published=dt.date(2021, 9, 26), source="中国政府网", kind="lookalike",
        figures=blank_figures(2021),
        blocks=parse_blocks("\n".join([
            "各省、自治区、直辖市人民政府办公厅，国务院各部委、各直属机构办公厅（室）：",
            "为进一步规范政府信息公开工作年度报告的编制和发布，现将修订后的《中华人民共和国政府信息公开工作年度报告格式》"
            "印发给你们，请从2022年1月起遵照执行。",
            "二、主动公开政府信息情况", "[[table2]]",
            "三、收到和处理政府信息公开申请情况", "[[table3]]",
            "四、政府信息公开行政复议、行政诉讼情况", "[[table4]]",
            ">> 国务院办公厅政府信息与政务公开办公室",
        ])))
