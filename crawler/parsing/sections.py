"""Split a report's prose into its numbered sections (一、总体情况 … 六、其他需要报告的事项)."""

from __future__ import annotations

import re

# A top-level heading: a Chinese numeral and 、 opening a short line that is not a sentence.
_HEADING_RE = re.compile(r"^\s*([一二三四五六七八九十]{1,3})\s*[、.．]\s*\S")
MAX_HEADING_CHARS = 40


def is_heading(line: str) -> bool:
    text = line.strip()
    return (_HEADING_RE.match(text) is not None and len(text) <= MAX_HEADING_CHARS
            and not text.endswith(("。", "；", ";")) and "\t" not in text)


def split_sections(lines: list[str], skip: set[int], title: str = "") -> list[dict]:
    """[{"heading", "text"}] in order; lines in `skip` (the tables) are left out, and so is the title.

    Text before the first heading (a preamble) is a section with an empty heading.
    """
    sections: list[dict] = []
    heading, body = "", []
    title_seen = False

    def flush() -> None:
        text = "\n".join(body).strip()
        if heading or text:
            sections.append({"heading": heading, "text": text})

    for number, line in enumerate(lines):
        if number in skip:
            continue
        text = line.strip()
        if not text:
            continue
        if not title_seen and title and text.replace(" ", "") == title.replace(" ", ""):
            title_seen = True
            continue
        if is_heading(text):
            flush()
            heading, body = text, []
        else:
            body.append(text)
    flush()
    return sections
