"""Chinese full-text search on SQLite FTS5: overlapping character bigrams.

FTS5's unicode61 tokenizer keeps a run of Chinese characters as one token and its trigram tokenizer cannot
match a query shorter than three characters (复议, 诉讼, 年报: the common case), so the index stores each run
of Han characters as its overlapping bigrams, plus the run's last character on its own (行政复议 -> 行政 政复
复议 议), and a query becomes the phrase of its bigrams: "行政 政复 复议" matches exactly the texts holding
行政复议, and "复议" every text holding 复议.  A one-character query is a prefix query ("议"*: every bigram
starting with it, and the run-final character).  Latin letters and digits stay whole words (unicode61).

Chosen by measurement (bench/workbench.py): against a substring scan, bigrams find every report (recall 1.0)
where jieba's words miss queries that cut across its segmentation, and trigram + a LIKE fallback for short
queries scans the whole table for every two-character query.
"""

from __future__ import annotations

import re

# Han ideographs (CJK Unified, Extension A, Compatibility), the characters Chinese words are made of.
_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_PIECE_RE = re.compile(rf"[{_HAN}]+|[^\W_{_HAN}]+")
_HAN_RE = re.compile(rf"[{_HAN}]+")
MAX_QUERY_CHARS = 200          # a search longer than this is cut (a query is words, not a document)


def _han_tokens(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i:i + 2] for i in range(len(run) - 1)] + [run[-1]]


def index_text(text: str | None) -> str:
    """The string an FTS5 unicode61 column stores for `text`: Han runs as bigrams, other words as they are."""
    out: list[str] = []
    for piece in _PIECE_RE.findall(text or ""):
        out.extend(_han_tokens(piece) if _HAN_RE.fullmatch(piece) else [piece])
    return " ".join(out)


def _phrase(term: str) -> str | None:
    """One query word -> an FTS5 phrase (possibly with a prefix star), None when it holds nothing searchable."""
    tokens: list[str] = []
    prefix = False
    pieces = _PIECE_RE.findall(term)
    for n, piece in enumerate(pieces):
        if _HAN_RE.fullmatch(piece):
            if len(piece) == 1:
                tokens.append(piece)
                if n == len(pieces) - 1:
                    prefix = True          # 年 of "2023年": the text has 年度, 年报 … as its tokens
                else:
                    tokens.pop()           # a lone Han character inside a word: dropped, the rest must match
                    if not tokens:
                        continue
            else:
                tokens.extend(piece[i:i + 2] for i in range(len(piece) - 1))
        else:
            tokens.append(piece)
    if not tokens:
        return None
    return '"' + " ".join(t.replace('"', "") for t in tokens) + '"' + ("*" if prefix else "")


def match_query(query: str | None) -> str:
    """A user's search (words separated by spaces, all required) as an FTS5 MATCH expression over
    :func:`index_text` columns; never a syntax error, whatever the input."""
    terms = (query or "")[:MAX_QUERY_CHARS].replace('"', " ").split()
    phrases = [p for p in (_phrase(t) for t in terms) if p]
    return " ".join(phrases) if phrases else '""'
