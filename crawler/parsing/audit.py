"""Audit figures of a report: its legal deadline and whether it was met, the share of its text copied from the
agency's report of the year before, the required sections present or missing, and the checks it fails.

Deadlines (reference/reports.md): under the 2019 regulation (in force 15 May 2019, 第四十九条, reports on 2019
onwards) a department of a county-level-or-higher government publishes by 31 January of Y+1 and a
county-level-or-higher people's government's own report is due by 31 March; townships and subdistricts have no
national deadline.  Under the 2008 regulation (第三十一条, reports on 2018 and before) every agency by 31 March.
A local rule (a province's deadline for its townships, say) is passed in as ``local`` {level: "MM-DD"}.

Per report (:func:`report_audit`, in `parse_text`'s output) and store-wide (:func:`store_audit`, written to
DIR/parsed/audit.jsonl by `parse_store`, since the reuse measure and the published date's source need the
agency's other reports and the archived bytes).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import tempfile
from pathlib import Path

from .sections import is_heading

AUDIT_FILE = "audit.jsonl"

REGULATION_2019_START = 2019           # reports on 2019 onwards fall under the 2019 regulation
_BASIS_2019 = "《中华人民共和国政府信息公开条例》（2019年修订）第四十九条"
_BASIS_2008 = "《中华人民共和国政府信息公开条例》（2008年）第三十一条"
LEVEL_LABELS = {"government": "县级以上人民政府", "department": "县级以上人民政府部门", "township": "乡镇人民政府、街道办事处"}

# The sections both national formats require (国办公开办函〔2019〕60号, 〔2021〕30号), with the words that
# name each in a heading however an agency words it.
REQUIRED_SECTIONS = (("一、总体情况", ("总体", "概述", "基本情况")),
                     ("二、主动公开政府信息情况", ("主动公开",)),
                     ("三、收到和处理政府信息公开申请情况", ("申请",)),
                     ("四、政府信息公开行政复议、行政诉讼情况", ("复议", "诉讼")),
                     ("五、存在的主要问题及改进情况", ("问题", "不足", "改进")),
                     ("六、其他需要报告的事项", ("其他",)))

# Shared runs shorter than this are the genre's stock phrases (《中华人民共和国政府信息公开条例》 is 17), not copying.
REUSE_MIN_CHARS = 20
REUSE_PASSAGES = 3
HIGH_REUSE = 0.5                       # assessment rules deduct points above 50 %

_TOWNSHIP_RE = re.compile(r"(镇|乡|街道|苏木)(人民政府|政府|办事处|办)?$")
_GOVERNMENT_RE = re.compile(r"(省|自治区|市|州|盟|县|旗|区|特区|林区)(人民政府|政府)$")


def agency_level(agency: str | None) -> str | None:
    """``government`` (a county-level-or-higher people's government's own report), ``township`` (镇/乡/街道),
    ``department`` (everything else: 局, 委, 办 … of a county-level-or-higher government); None without a name."""
    if not agency:
        return None
    name = re.sub(r"\s+", "", agency)
    if _TOWNSHIP_RE.search(name):
        return "township"
    if _GOVERNMENT_RE.search(name):
        return "township" if re.search(r"(镇|乡)(人民)?政府$", name) else "government"
    return "department"


def _month_day(year: int, text: str) -> dt.date:
    month, day = (int(x) for x in text.split("-"))
    return dt.date(year, month, day)


def deadline(level: str | None, year: int | None, local: dict | None = None) -> tuple[dt.date | None, str]:
    """(the date a report on `year` is due, its basis); (None, why) when no deadline applies."""
    if not year or not level:
        return None, "年度或机关未知"
    if local and local.get(level):
        return _month_day(year + 1, local[level]), f"地方规定：{local.get('basis') or local[level]}"
    if year < REGULATION_2019_START:
        return dt.date(year + 1, 3, 31), f"{_BASIS_2008}：各级行政机关每年3月31日前公布"
    if level == "government":
        return dt.date(year + 1, 3, 31), f"{_BASIS_2019}：县级以上地方人民政府每年3月31日前公布本级政府年度报告"
    if level == "department":
        return dt.date(year + 1, 1, 31), f"{_BASIS_2019}：县级以上人民政府部门每年1月31日前公布"
    return None, f"{_BASIS_2019}未规定乡镇人民政府、街道办事处的公布期限"


def timeliness(published: str | None, due: dt.date | None) -> tuple[bool | None, int | None]:
    """(on_time, days_late): None for both when there is no deadline or no published date."""
    if due is None or not published:
        return None, None
    try:
        day = dt.date.fromisoformat(published[:10])
    except ValueError:
        return None, None
    late = (day - due).days
    return late <= 0, max(late, 0)


def required_sections(sections: list[dict], fmt: str | None) -> tuple[list[str] | None, list[str] | None]:
    """(present, missing) of the six required sections; (None, None) for reports not in a national format."""
    if fmt not in ("2019", "2021"):
        return None, None
    headings = [s.get("heading") or "" for s in sections]
    present, missing = [], []
    for name, words in REQUIRED_SECTIONS:
        numeral = name.split("、", 1)[0]
        found = any(h.strip().startswith(numeral) and any(w in h for w in words) for h in headings) or \
            any(any(w in h for w in words) for h in headings if h)
        (present if found else missing).append(name)
    return present, missing


def failing_rules(checks: list[dict]) -> list[str]:
    """``rule[column]`` of every failing check, sorted (the exports' `failed_rules` form)."""
    return sorted({c["rule"] + f"[{c.get('column') or c.get('row') or c.get('figure')}]" for c in checks
                   if c.get("status") == "fail"})


def report_audit(parsed: dict, *, local: dict | None = None) -> dict:
    """The audit figures one parsed report carries on its own (reuse needs the store: :func:`store_audit`)."""
    level = agency_level(parsed.get("agency"))
    due, basis = deadline(level, parsed.get("year"), local)
    on_time, days_late = timeliness(parsed.get("published"), due)
    present, missing = required_sections(parsed.get("sections") or [], parsed.get("format"))
    return {"level": level, "deadline": due.isoformat() if due else None, "deadline_basis": basis,
            "on_time": on_time, "days_late": days_late, "sections_present": present, "sections_missing": missing,
            "failing": failing_rules(parsed.get("checks") or [])}


# -- reuse of the previous year's text --------------------------------------------------------------

def prose_of(text: str, title: str | None = None) -> str:
    """The text a reuse measure compares: no table rows and no section headings (the mandated template's
    labels), no title line, no whitespace."""
    lines = [line for line in (text or "").split("\n") if "\t" not in line and not is_heading(line)]
    if lines and title and "".join(lines[0].split()) == "".join(title.split()):
        lines = lines[1:]
    return "".join("".join(lines).split())


def reuse(this: str, previous: str, k: int = REUSE_MIN_CHARS) -> tuple[float, list[str]]:
    """(share of `this` covered by runs of at least `k` characters found verbatim in `previous`, the longest
    such passages).  Shingles of k characters: linear in the texts' length."""
    if len(this) < k or len(previous) < k:
        return 0.0, []
    grams = {previous[i:i + k] for i in range(len(previous) - k + 1)}
    runs: list[tuple[int, int]] = []
    start = end = -1
    for i in range(len(this) - k + 1):
        if this[i:i + k] in grams:
            if i <= end:
                end = i + k           # overlapping shingles extend the run
            else:
                if end > start:
                    runs.append((start, end))
                start, end = i, i + k
    if end > start:
        runs.append((start, end))
    covered = sum(b - a for a, b in runs)
    runs.sort(key=lambda r: r[1] - r[0], reverse=True)
    return round(covered / len(this), 4), [this[a:b] for a, b in runs[:REUSE_PASSAGES]]


# -- the published date's source ----------------------------------------------------------------------

_DATE_FORMS = ("{y}-{m:02d}-{d:02d}", "{y}-{m}-{d}", "{y}/{m:02d}/{d:02d}", "{y}年{m}月{d}日", "{y}年{m:02d}月{d:02d}日",
               "{y}.{m:02d}.{d:02d}")
_META_RE = re.compile(r"<meta[^>]+(?:name|property)=[\"']?(pubdate|firstpublishedtime|publishdate|publishtime|"
                      r"article:published_time)[\"']?[^>]*>", re.I)
_BYLINE_RE = re.compile(r"(发布日期|发布时间|发文日期|成文日期|时间|日期)\s*[：:]")


def _date_forms(published: str) -> list[str]:
    y, m, d = (int(x) for x in published[:10].split("-"))
    return [f.format(y=y, m=m, d=d) for f in _DATE_FORMS]


def published_source(record: dict, raw: bytes | None) -> str | None:
    """Where the published date came from: ``byline`` (the page's byline or its PubDate meta), ``url`` (a
    TRS/Hanweb date path), ``signature`` (the date under the text), ``listing`` (the date beside the link in
    the column, for a report published as a bare file), ``file`` (the file's own text); None without a date."""
    published = record.get("published")
    if not published:
        return None
    forms = _date_forms(published)
    tail = "\n".join((record.get("text") or "").split("\n")[-6:])
    kind = (record.get("raw") or {}).get("kind")
    if kind and kind != "html":
        return "file" if any(f in tail for f in forms) else "listing"
    if raw:
        page = raw.decode("utf-8", "replace") if b"charset=utf-8" in raw[:2000].lower() or \
            b'charset="utf-8"' in raw[:2000].lower() else _decode(raw)
        page = html.unescape(page)
        for meta in _META_RE.finditer(page):
            if any(f in meta.group(0) for f in forms[:2]):
                return "byline"
        for match in _BYLINE_RE.finditer(page):
            window = re.sub(r"<[^>]+>|\s", "", page[match.end():match.end() + 120])
            if any(window.startswith(f) for f in forms):
                return "byline"
    url = record.get("url") or ""
    if re.search(published[:4] + r"[-/]?" + published[5:7] + r"[-/]?" + published[8:10], url):
        return "url"
    if any(f in tail for f in forms):
        return "signature"
    return "listing"


def _decode(raw: bytes) -> str:
    from crawler.read.encoding import DecodeError, decode_html
    try:
        return decode_html(raw).text
    except DecodeError:
        return raw.decode("utf-8", "replace")


# -- the whole store --------------------------------------------------------------------------------------

def _agency_key(agency: str | None) -> str | None:
    return re.sub(r"\s+", "", agency) if agency else None


def store_audit(parsed: dict[str, dict], feed: dict[str, dict], cross: dict[str, dict],
                raw_of=None, known: dict[str, dict] | None = None, local_of=None) -> list[dict]:
    """One audit line per parsed report: :func:`report_audit` plus ``published_source``, ``previous_id``,
    ``reuse_of_previous`` and ``reused_passages`` (against the same agency's report on the year before), and the
    cross-year rule among the failing checks.  `raw_of(sha256)` gives archived bytes (for the date's source);
    `known` holds earlier lines by id, whose source is reused; `local_of(record)` gives a local deadline rule."""
    known = known or {}
    by_agency_year: dict[tuple[str, int], str] = {}
    for rid, record in parsed.items():
        key, year = _agency_key(record.get("agency")), record.get("year")
        if key and year:
            by_agency_year[(key, year)] = rid
    out = []
    for rid, record in parsed.items():
        fed = feed.get(rid, {})
        checks = list(record.get("checks") or []) + list(cross.get(rid, {}).get("checks") or [])
        line = {"id": rid, "url": record.get("url"), "agency": record.get("agency"), "year": record.get("year"),
                "published": record.get("published"), "site": fed.get("site"), "format": record.get("format"),
                **report_audit({**record, "checks": checks}, local=local_of(record) if local_of else None)}
        if rid in known and known[rid].get("published_source") is not None:
            line["published_source"] = known[rid]["published_source"]
        else:
            sha = (fed.get("raw") or {}).get("sha256")
            raw = raw_of(sha) if raw_of and sha and (fed.get("raw") or {}).get("kind") == "html" else None
            line["published_source"] = published_source(fed, raw) if fed else None
        key, year = _agency_key(record.get("agency")), record.get("year")
        previous = by_agency_year.get((key, year - 1)) if key and year else None
        line["previous_id"] = previous
        if previous and previous in feed and fed:
            share, passages = reuse(prose_of(fed.get("text", ""), fed.get("title")),
                                    prose_of(feed[previous].get("text", ""), feed[previous].get("title")))
            line["reuse_of_previous"], line["reused_passages"] = share, passages
        else:
            line["reuse_of_previous"], line["reused_passages"] = None, []
        line["high_reuse"] = line["reuse_of_previous"] is not None and line["reuse_of_previous"] > HIGH_REUSE
        out.append(line)
    return out


def audit_path(root: str | os.PathLike) -> Path:
    return Path(root) / "parsed" / AUDIT_FILE


def read_audit(root: str | os.PathLike) -> dict[str, dict]:
    path = audit_path(root)
    if not path.exists():
        return {}
    out = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                record = json.loads(line)
                out[record["id"]] = record
    return out


def write_audit(root: str | os.PathLike, lines: list[dict]) -> Path:
    """DIR/parsed/audit.jsonl, replaced atomically (derived from the whole store, like cross_year.jsonl)."""
    path = audit_path(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        for line in lines:
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")
    os.replace(tmp, path)
    return path


def raw_path(root: str | os.PathLike, sha256: str) -> Path | None:
    """Where the store keeps the bytes of `sha256` (None for anything but 64 hex digits)."""
    if not re.fullmatch(r"[0-9a-f]{64}", sha256 or ""):
        return None
    return Path(root) / "raw" / "sha256" / sha256[:2] / sha256[2:4] / sha256


def audit_store(root: str | os.PathLike, version: int | None = None) -> Path:
    """Recompute DIR/parsed/audit.jsonl from the parsed lines, the feed and the archived bytes."""
    from crawler.archive.feed import read_feed

    from .report import PARSER_VERSION
    from .store import read_cross_year, read_parsed

    def raw_of(sha: str) -> bytes | None:
        path = raw_path(root, sha)
        try:
            return path.read_bytes() if path else None
        except OSError:
            return None

    feed = {r["id"]: r for r in read_feed(Path(root) / "feed") if r.get("id")}
    lines = store_audit(read_parsed(root, version or PARSER_VERSION), feed, read_cross_year(root), raw_of,
                        known=read_audit(root))
    return write_audit(root, lines)


def audit_figures(root: str | os.PathLike, parsed: dict[str, dict], feed: dict[str, dict],
                  cross: dict[str, dict]) -> dict[str, dict]:
    """Report id -> its audit line, computed in memory (for exports, also of a store that is only read);
    the published date's source is taken from parsed/audit.jsonl where it is known, else from the raw bytes."""
    def raw_of(sha: str) -> bytes | None:
        path = raw_path(root, sha)
        try:
            return path.read_bytes() if path else None
        except OSError:
            return None

    lines = store_audit(parsed, feed, cross, raw_of, known=read_audit(root))
    return {line["id"]: line for line in lines}
