"""Is a page a government information-disclosure annual report, or a look-alike? A decision with reasons.

Title and body evidence together (reports.md §9): a title may name a report while the page is the
national format notice, and a report may be titled loosely; so the title picks a look-alike kind
when it names one, and the body must read as a report (its section topics, figures, no notice
instructions, no template placeholders) before a page is accepted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crawler.read.extract import Page, compact
from crawler.read.metadata import Metadata
from crawler.vocab import (
    CONTENT_FARM_RE,
    FIGURE_RE,
    MAX_PLACEHOLDERS,
    MIN_BODY_CHARS,
    MIN_FIGURES,
    MIN_NOTICE_MARKERS,
    MIN_TOPICS_WITH_TITLE,
    MIN_TOPICS_WITHOUT_TITLE,
    NEWS_BODY_RE,
    NOTICE_BODY_RE,
    OTHER_REPORT_RE,
    PLACEHOLDER_RE,
    TABLE_LABEL_RE,
    TEMPLATE_BODY_RE,
    REPORT_TITLE_RE,
    REPORT_TOPICS,
    REPOST_PREFIX_RE,
    TITLE_LOOKALIKES,
)

__all__ = ["Decision", "classify", "BodyEvidence", "body_evidence"]

_TITLE_LOOKALIKES = tuple((kind, re.compile(pattern), reason, always)
                          for kind, pattern, reason, always in TITLE_LOOKALIKES)
_TOPICS = tuple((label, re.compile(pattern)) for label, pattern in REPORT_TOPICS)
_NUMERIC_CELL_RE = re.compile(r"^[+\-－]?\d[\d,.]*(?:元|万元|%|％)?$")


@dataclass(frozen=True)
class Decision:
    is_report: bool
    reasons: tuple[str, ...]
    kind: str      # "report" or the look-alike kind (format_notice, work_points, content_farm …)


@dataclass(frozen=True)
class BodyEvidence:
    topics: tuple[str, ...]     # report section topics the body covers
    figures: int                # counts with units in prose + numeric table cells
    notice_markers: int         # instructions only a notice gives (特此通知, 请认真贯彻 …)
    placeholders: int           # template placeholders (xxxx年, xx县)
    content_farm: bool          # content-farm chrome (快捷搜索:论文 合同, 范文)
    news: bool                  # tells of a report it quotes by name (报告显示 …): news about a report
    chars: int                  # body characters, title line excluded
    template: bool              # the format's own instructions, or its table labels with no figures


# Row labels of the standard tables, and the figures after them on the same line.
_ROW_LABEL_RE = re.compile(r"申请数量|予以公开|部分公开|不予公开|结果维持|结果纠正|本年制发|处理决定|收费金额|尚未审结")
_ROW_FIGURES_RE = re.compile(r"(?<=[\u4e00-\u9fff）)\s])\d[\d\s.]*")


def body_evidence(page: Page) -> BodyEvidence:
    """What the body (text after the title line) says about the page."""
    lines = page.text.split("\n")
    if lines and page.title and compact(lines[0]) == compact(page.title):
        lines = lines[1:]
    body = "\n".join(lines)
    cells = [cell.strip() for line in lines if "\t" in line for cell in line.split("\t")]
    numeric_cells = sum(1 for c in cells if _NUMERIC_CELL_RE.match(c))
    if not numeric_cells:
        # a table as another tool extracted it (a PDF's text layer, a flattened page): its figures follow their
        # labels on the line, space-separated or run together, with no tabs, or stand a cell to a line
        numeric_cells = sum(len(_ROW_FIGURES_RE.findall(line)) for line in lines if _ROW_LABEL_RE.search(line))
        numeric_cells += sum(1 for line in lines if _NUMERIC_CELL_RE.match(line.strip()))
    return BodyEvidence(
        topics=tuple(label for label, pattern in _TOPICS if pattern.search(body)),
        figures=len(FIGURE_RE.findall(body)) + numeric_cells,
        notice_markers=len(NOTICE_BODY_RE.findall(body)),
        placeholders=len(PLACEHOLDER_RE.findall(body)),
        content_farm=bool(CONTENT_FARM_RE.search(body) or CONTENT_FARM_RE.search(page.html_title)),
        news=bool(NEWS_BODY_RE.search(body)),
        chars=len(compact(body)),
        template=bool(TEMPLATE_BODY_RE.search(body)) or (numeric_cells == 0 and bool(TABLE_LABEL_RE.search(body))),
    )


def title_lookalike(title: str, names_report: bool) -> tuple[str, str] | None:
    """(kind, reason) when the title names a look-alike."""
    for kind, pattern, reason, always in _TITLE_LOOKALIKES:
        match = pattern.search(title)
        if match and (always or not names_report):
            return kind, f"rejected: {reason} ({match.group(0)})"
    return None


def title_verdict(title: str) -> Decision | None:
    """The rejection the title alone decides (a look-alike's name: 通知, 格式, 要点 …; a report other than the
    disclosure report), as classify() would give it; None when the body must be read too. The spider asks
    this before it fetches an article's attachments, so a look-alike's files are not fetched at all."""
    title = REPOST_PREFIX_RE.sub("", compact(title or ""))
    names_report = bool(REPORT_TITLE_RE.search(title))
    lookalike = title_lookalike(title, names_report)
    if lookalike:
        return Decision(False, (lookalike[1],), lookalike[0])
    if not names_report and OTHER_REPORT_RE.search(title):
        return Decision(False, (f"rejected: title names a report other than the disclosure report ({title})",),
                        "other_report")
    return None


def classify(page: Page, meta: Metadata) -> Decision:
    """Accept a government information-disclosure annual report, reject look-alikes; with reasons."""
    title = REPOST_PREFIX_RE.sub("", compact(page.title or meta.title or ""))
    names_report = bool(REPORT_TITLE_RE.search(title))
    evidence = body_evidence(page)
    reasons: list[str] = []

    def reject(kind: str, reason: str) -> Decision:
        return Decision(False, tuple(reasons + [reason]), kind)

    if names_report:
        reasons.append(f"title names an annual disclosure report ({REPORT_TITLE_RE.search(title).group(0)})")
    lookalike = title_lookalike(title, names_report)
    if lookalike:
        return reject(*lookalike)
    if not names_report and OTHER_REPORT_RE.search(title):
        return reject("other_report", f"rejected: title names a report other than the disclosure report ({title})")
    if meta.year is None:
        return reject("no_year", "rejected: no year in the title, the text or the publish date")
    if evidence.content_farm or evidence.placeholders > MAX_PLACEHOLDERS:
        return reject("content_farm", f"rejected: content-farm / template page "
                                      f"({evidence.placeholders} xx placeholders, farm chrome: {evidence.content_farm})")
    if evidence.template:
        return reject("format_notice", "rejected: body is the report format itself "
                                       "(template instructions or table labels with no figures)")
    if evidence.notice_markers >= MIN_NOTICE_MARKERS and evidence.figures < MIN_FIGURES:
        return reject("notice", f"rejected: body is a notice ({evidence.notice_markers} instructions, "
                                f"{evidence.figures} figures)")
    topic_note = f"body has {len(evidence.topics)} of the report's section topics ({'、'.join(evidence.topics)})"
    if names_report:
        if evidence.chars < MIN_BODY_CHARS and evidence.news:
            return reject("news", "rejected: a short news item about the report (quotes it by name and tells "
                                  "what it shows)")
        if evidence.chars < MIN_BODY_CHARS:
            reasons.append(f"body has only {evidence.chars} characters (image or attachment report): title decides")
            return Decision(True, tuple(reasons), "report")
        if len(evidence.topics) >= MIN_TOPICS_WITH_TITLE:
            reasons.append(topic_note)
            reasons.append(f"body states {evidence.figures} figures")
            return Decision(True, tuple(reasons), "report")
        return reject("not_report", f"rejected: {topic_note}, fewer than {MIN_TOPICS_WITH_TITLE}")
    if len(evidence.topics) >= MIN_TOPICS_WITHOUT_TITLE and evidence.figures >= MIN_FIGURES:
        reasons.append("title does not name a report but " + topic_note)
        reasons.append(f"body states {evidence.figures} figures")
        return Decision(True, tuple(reasons), "report")
    return reject("not_report", f"rejected: title does not name an annual disclosure report and {topic_note}")
