"""Report texts of the replica: the document model, the data-file markup, and body HTML.

Data files (``data/*.txt``) hold one block per line:

- ``一、…`` (a Chinese numeral and 、) is a section heading;
- ``>> …`` is a right-aligned signature line (issuing agency, date);
- ``[[table2]]`` / ``[[table3]]`` / ``[[table4]]`` stand for the official tables, filled from
  the report's :class:`~replica.tables.Figures`;
- anything else is a paragraph.

Inside a line, ``{x}`` marks characters that real pages put in an element of their own (the
characters the seed capture tool dropped).  Full dates ``2018年1月1日`` get the same treatment
automatically.  :func:`plain` is the text a faithful extractor must return for a line.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from .tables import TABLE_ROWS, Figures, row_fragments

DATA = Path(__file__).with_name("data")

_MARK = re.compile(r"\{([^{}]+)\}")
_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_HEADING = re.compile(r"^[一二三四五六七八九十]{1,2}、")


@dataclass(frozen=True)
class Block:
    kind: str      # "p", "h", "sig", "table"
    text: str      # markup text, or the table name


@dataclass
class Report:
    """One article page's document: a report or a look-alike, with everything its pages show."""

    title: str
    agency: str | None
    year: int | None
    published: dt.date
    source: str                              # 来源 in the byline
    blocks: list[Block]
    figures: Figures | None = None
    kind: str = "report"                     # "report" or "lookalike"
    title_lines: tuple[str, ...] = ()        # how the body heading breaks the title, if it does
    docid: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def is_report(self) -> bool:
        return self.kind == "report"


def parse_blocks(text: str) -> list[Block]:
    """Blocks of a data-file text (see module docstring)."""
    blocks = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith(">> "):
            blocks.append(Block("sig", line[3:]))
        elif line.startswith("[[") and line.endswith("]]"):
            blocks.append(Block("table", line[2:-2]))
        elif _HEADING.match(line) and len(line) < 40:
            blocks.append(Block("h", line))
        else:
            blocks.append(Block("p", line))
    return blocks


def load_blocks(name: str, **fill: str) -> list[Block]:
    """Blocks of a data file; ``%KEY%`` placeholders are replaced from `fill`."""
    text = (DATA / name).read_text(encoding="utf-8")
    for key, value in fill.items():
        text = text.replace(f"%{key}%", value)
    return parse_blocks(text)


def plain(markup: str) -> str:
    """The text of a markup line as a reader sees it."""
    return _MARK.sub(r"\1", markup)


def inline_html(markup: str, span: str = "<span>") -> str:
    """HTML for a markup line: restored characters and date parts each in their own element."""
    close = "</" + span[1:].split()[0].rstrip(">") + ">"
    out = html.escape(markup, quote=False)
    out = _MARK.sub(lambda m: f"{span}{m.group(1)}{close}", out)
    return _DATE.sub(lambda m: f"{m.group(1)}{span}年{close}{m.group(2)}{span}月{close}{m.group(3)}{span}日{close}", out)


def text_lines(report: Report) -> list[str]:
    """The report's text, one line per paragraph and one tab-joined line per table row."""
    lines = []
    for block in report.blocks:
        if block.kind == "table":
            for row in TABLE_ROWS[block.text](report.figures):
                lines.append("\t".join(plain(c.text).replace("<br>", "") for c in row))
        else:
            lines.append(plain(block.text))
    return lines


def must_contain(report: Report) -> list[str]:
    """Exact substrings a faithful extraction of this report keeps: opening, ending, dates, restorations."""
    paras = [plain(b.text) for b in report.blocks if b.kind == "p"]
    picks = [paras[0][:40], paras[len(paras) // 2][:40], paras[-1][-30:]]
    for block in report.blocks:
        if block.kind == "table":
            continue
        text = block.text
        for m in _MARK.finditer(text):
            before = plain(text[:m.start()])[-3:]
            after = plain(text[m.end():])[:3]
            picks.append(before + m.group(1) + after)
        picks += [m.group(0) for m in _DATE.finditer(plain(text))]
    if report.figures is not None:
        picks += row_fragments(report.figures)
    seen = []
    rows = row_fragments(report.figures) if report.figures is not None else []
    for p in picks:
        # whitespace inside a pick is the page's, and extractors may fold it: keep the last unbroken run
        p = p if p in rows else (p.strip().split()[-1] if p.strip() else "")
        if p and p not in seen:
            seen.append(p)
    return seen


# -- body HTML -----------------------------------------------------------------------------------
# Each CMS family pastes Word content differently; the flavours below follow what the families emit.

_P = {
    "trs": '<p style="text-indent: 2em; line-height: 1.75em;">{}</p>',
    "trs_word": ('<p class="MsoNormal" style="text-indent:32.0pt;mso-char-indent-count:2.0">'
                 '<span style="font-size:16.0pt;font-family:仿宋_GB2312">{}</span></p>'),
    "hanweb": '<p style="text-indent:2em;margin-bottom:10px;"><font face="仿宋_GB2312" size="4">{}</font></p>',
    "old": '<p>&nbsp;&nbsp;&nbsp;&nbsp;{}</p>',
}
_H = {
    "trs": '<p style="text-indent: 2em; line-height: 1.75em;"><strong>{}</strong></p>',
    "trs_word": ('<p class="MsoNormal" style="text-indent:32.0pt"><b><span style="font-size:16.0pt;'
                 'font-family:黑体">{}</span></b></p>'),
    "hanweb": '<p style="text-indent:2em;"><strong><font face="黑体" size="4">{}</font></strong></p>',
    "old": '<p>&nbsp;&nbsp;&nbsp;&nbsp;<b>{}</b></p>',
}
_SIG = {
    "trs": '<p style="text-align: right; line-height: 1.75em;">{}</p>',
    "trs_word": '<p class="MsoNormal" align="right" style="text-align:right"><span style="font-size:16.0pt">{}</span></p>',
    "hanweb": '<p style="text-align:right;">{}</p>',
    "old": '<p align="right">{}</p>',
}
_SPAN = {"trs": "<span>", "trs_word": '<span lang="EN-US">', "hanweb": "<span>", "old": "<font>"}


def table_html(name: str, figures: Figures) -> str:
    """One official table as the report pages print it (bordered, rowspan/colspan headers)."""
    rows = []
    for row in TABLE_ROWS[name](figures):
        cells = []
        for c in row:
            tag = "td"
            attrs = ' align="center" valign="middle"'
            if c.rowspan > 1:
                attrs += f' rowspan="{c.rowspan}"'
            if c.colspan > 1:
                attrs += f' colspan="{c.colspan}"'
            inner = inline_html(c.text).replace("&lt;br&gt;", "<br>")
            if c.header:
                inner = f"<strong>{inner}</strong>"
            cells.append(f'<{tag}{attrs} style="border:1px solid #000;padding:4px;">{inner}</{tag}>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return ('<table border="1" cellspacing="0" cellpadding="0" width="100%" '
            'style="border-collapse:collapse;font-size:14px;"><tbody>' + "\n".join(rows) + "</tbody></table>")


def body_html(report: Report, flavour: str = "trs") -> str:
    """The article body as the CMS flavour renders it (no container, no chrome)."""
    if "body_html" in report.extra:
        return report.extra["body_html"]
    span = _SPAN[flavour]
    parts = []
    for block in report.blocks:
        if block.kind == "table":
            parts.append(table_html(block.text, report.figures))
        elif block.kind == "h":
            parts.append(_H[flavour].format(inline_html(block.text, span)))
        elif block.kind == "sig":
            parts.append(_SIG[flavour].format(inline_html(block.text, span)))
        else:
            parts.append(_P[flavour].format(inline_html(block.text, span)))
    return "\n".join(parts)
