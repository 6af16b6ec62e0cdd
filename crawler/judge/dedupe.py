"""Content identity of a report: text normalisation, content id (sha256) and near-duplicate signatures.

Normalisation (what two fetches of the same report share):
  1. Unicode NFKC (full-width digits/punctuation fold to ASCII, compatibility ideographs to unified ones);
  2. zero-width characters removed, every run of whitespace collapsed to one space, lines stripped,
     empty lines dropped;
  3. lines that only carry per-load page state are dropped (view counters such as 点击数/浏览次数/访问量,
     which chrome removal normally strips already, kept here as a second line of defence).
The content id is the sha256 of the UTF-8 bytes of the normalised text.

Near duplicates (a repost with a different title prefix or an added 来源 line) are found by MinHash
(datasketch) over character shingles of the normalised text *without* its first line (the title), so
that 【转载】 prefixes and title rewording do not count. Similar text is not enough: towns of the same name in
different counties fill one county template, so their reports of one year are nearly the same text. The
signature therefore ends with a digest of the report's figures (its table rows' numbers, else the counts its
prose states), and two reports whose figures differ are never one report. After it comes a digest of the
report's locality: the county-level place its text names most (卢氏县 for 卢氏县城关镇's report, found with
cpca's gazetteer), and two reports whose texts name different places are never one report either. The text's
place, not the site's, because a repost on the city's portal keeps the text and so the place.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib

import numpy as np
from datasketch import MinHash

__all__ = ["normalise", "content_id", "signature", "similarity", "find_near_duplicate", "agencies_compatible",
           "figures_digest", "figures_differ", "text_locality", "localities_differ", "NEAR_DUPLICATE_THRESHOLD"]

_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_SPACES = re.compile(r"\s+")
_VOLATILE_LINE = re.compile(r"^(点击数|点击量|浏览次数|浏览量|访问量|阅读数|阅读次数)\s*[:：]?\s*\d*\s*次?$")

SHINGLE = 5          # characters per shingle: short enough for Chinese (no word breaks), long enough to be rare
NUM_PERM = 128       # MinHash permutations: estimate error ~1/sqrt(128) ≈ 0.09 at worst, far less near 1.0
# Jaccard over 5-shingles of a repost (a title prefix and one or two added lines on a ~5,000-character body) is
# above 0.95; two reports of one agency in consecutive years share the template but differ in every date and
# figure (below 0.85 on the replica's pairs). 0.9 sits between with room for the estimate's error.
NEAR_DUPLICATE_THRESHOLD = 0.9
_SEED = 1


def normalise(text: str) -> str:
    """The normalised form of a report text (see module docstring)."""
    text = unicodedata.normalize("NFKC", text)
    text = _ZERO_WIDTH.sub("", text)
    lines = []
    for line in text.splitlines():
        line = _SPACES.sub(" ", line).strip()
        if line and not _VOLATILE_LINE.match(line):
            lines.append(line)
    return "\n".join(lines)


def content_id(text: str) -> str:
    """sha256 (hex) of the normalised text: the report's id."""
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


def _body(normalised: str) -> str:
    _, _, rest = normalised.partition("\n")
    return rest or normalised


_TABLE_NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])")
_PROSE_FIGURE = re.compile(r"(\d+(?:\.\d+)?)\s*(?:条|件|次|人次|个|项|期|篇|份|%|万元|元)")
_FIGURES_BYTES = 8


def figures_digest(text: str) -> bytes:
    """8 bytes naming the report's figures: the numbers of its table rows in order, else the counts its prose
    states; all zero bytes when it states none (then figures cannot tell two reports apart)."""
    # tabs separate table cells in the extractor's text; normalise() folds them into spaces, so read before it
    body = _body(unicodedata.normalize("NFKC", text).strip())
    numbers = [n for line in body.splitlines() if "\t" in line for n in _TABLE_NUMBER.findall(line)]
    if not numbers:
        numbers = _PROSE_FIGURE.findall(body)
    if not numbers:
        return bytes(_FIGURES_BYTES)
    return hashlib.sha256(" ".join(numbers).encode("ascii")).digest()[:_FIGURES_BYTES]


def _figures_of(sig: bytes) -> bytes | None:
    """The figures digest that follows a signature's MinHash; None when it has none (an older store) or it is
    blank."""
    digest = sig[NUM_PERM * 8:NUM_PERM * 8 + _FIGURES_BYTES]
    return digest if len(digest) == _FIGURES_BYTES and digest != bytes(_FIGURES_BYTES) else None


# -- locality ------------------------------------------------------------------------------------------------
_LOCALITY_BYTES = 8
_MIN_MENTIONS = 2     # a place named once may be a neighbour, a source line or a chance match
_LOCALITY_CHARS = 20_000    # where a report names its place: its opening and its body, not a long appendix


def text_locality(text: str) -> str | None:
    """The county-level place (县, 区, 县级市, 旗) a report's text names most, by cpca's gazetteer of China's
    divisions; None when it names none at least twice, or two as often. Only names the text spells out in full
    count (cpca also matches a bare 开平 inside 公开平台)."""
    import cpca          # loads its gazetteer (and pandas) on first use: only the dedupe stage needs it

    text = text[:_LOCALITY_CHARS]
    try:
        frame = cpca.transform_text_with_addrs(text, pos_sensitive=False)
    except KeyError:       # cpca's frame has no columns when the text names no place at all
        return None
    names = {name for name in frame["区"].dropna() if name and name in text}
    counts = sorted(((text.count(name), name) for name in names), reverse=True)
    if not counts or counts[0][0] < _MIN_MENTIONS or (len(counts) > 1 and counts[1][0] == counts[0][0]):
        return None
    return counts[0][1]


def locality_digest(text: str) -> bytes:
    """8 bytes naming the report's locality (text_locality); all zero when the text names none."""
    place = text_locality(text)
    return hashlib.sha256(place.encode("utf-8")).digest()[:_LOCALITY_BYTES] if place else bytes(_LOCALITY_BYTES)


def _locality_of(sig: bytes) -> bytes | None:
    start = NUM_PERM * 8 + _FIGURES_BYTES
    digest = sig[start:start + _LOCALITY_BYTES]
    return digest if len(digest) == _LOCALITY_BYTES and digest != bytes(_LOCALITY_BYTES) else None


def localities_differ(sig_a: bytes, sig_b: bytes) -> bool:
    """Both signatures carry a locality and they name different places: two agencies, never one report."""
    la, lb = _locality_of(sig_a), _locality_of(sig_b)
    return la is not None and lb is not None and la != lb


def figures_differ(sig_a: bytes, sig_b: bytes) -> bool:
    """Both signatures carry figures (see `signature`) and they are not the same figures."""
    fa, fb = _figures_of(sig_a), _figures_of(sig_b)
    return fa is not None and fb is not None and fa != fb


def signature(text: str) -> bytes:
    """MinHash signature of the body (title line excluded) as bytes, then the figures digest and the locality
    digest of the body, for storage."""
    body = _body(normalise(text)).replace("\n", " ")
    # crc32 (C speed, stable across processes, unlike hash()) instead of datasketch's default sha1:
    # a 5,000-character report has ~5,000 shingles, and sha1 in a Python loop cost 4 ms a page.
    mh = MinHash(num_perm=NUM_PERM, seed=_SEED, hashfunc=zlib.crc32)
    shingles = {body[i:i + SHINGLE] for i in range(max(1, len(body) - SHINGLE + 1))}
    mh.update_batch([s.encode("utf-8") for s in shingles])
    return mh.hashvalues.astype(np.uint64).tobytes() + figures_digest(text) + locality_digest(body)


def similarity(sig_a: bytes, sig_b: bytes) -> float:
    """Estimated Jaccard similarity of two signatures made by `signature`."""
    size = NUM_PERM * 8        # the MinHash part; a figures digest may follow (older stores have none)
    a = np.frombuffer(sig_a[:size], dtype=np.uint64)
    b = np.frombuffer(sig_b[:size], dtype=np.uint64)
    if a.shape != b.shape:
        return 0.0
    return float(np.count_nonzero(a == b)) / len(a)


def agencies_compatible(a: str | None, b: str | None) -> bool:
    """Same agency as far as near-duplicate matching goes: equal, or one the other's short or long form
    (松山镇 / 松山镇人民政府, 城关镇人民政府 / 卢氏县城关镇人民政府), or unknown on one side (the figures must then
    agree: see find_near_duplicate)."""
    if not a or not b:
        return True
    return a == b or a.startswith(b) or b.startswith(a) or a.endswith(b) or b.endswith(a)


def find_near_duplicate(store, sig: bytes, year: int | None, agency: str | None,
                        threshold: float = NEAR_DUPLICATE_THRESHOLD) -> tuple[str, float] | None:
    """(known report id, similarity) of the closest same-year, compatible-agency report whose
    signature similarity reaches `threshold`, else None. (Identical texts are found by id first.)"""
    best = None
    figures = _figures_of(sig)
    for known_id, known_agency, known_sig in store.near_candidates(year):
        if not agencies_compatible(agency, known_agency) or figures_differ(sig, known_sig) \
                or localities_differ(sig, known_sig):
            continue
        if not (agency and known_agency) and (figures is None or figures != _figures_of(known_sig)):
            continue        # an agency unknown on one side: only the same figures make it the same report
        sim = similarity(sig, known_sig)
        if sim >= threshold and (best is None or sim > best[1]):
            best = (known_id, sim)
    return best
