"""Bytes to text for portal pages: BOM > HTTP header > <meta> > detection, strict and never lossy.

GB2312/GBK declarations are read as GB18030 (w3lib's resolve_encoding does this; portals declare
gb2312 and use GBK-only characters, portals.md §4). A declaration that does not decode the bytes
strictly (a <meta> that lies), or whose strict decode reads as mojibake, is overridden: utf-8, then
GB18030, then charset-normalizer's best guess. When nothing decodes cleanly, DecodeError: unlike
trafilatura's decode_file, nianbao records a failure instead of text with replacement characters.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from dataclasses import dataclass

from charset_normalizer import from_bytes
from charset_normalizer.md import mess_ratio
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom, resolve_encoding

from crawler.vocab import (
    DETECTED_CODECS,
    MAX_CONTROL_PER_10K,
    MAX_MESS_RATIO,
    MAX_REPLACEMENT_CHARS,
    MESS_ASCII_RUN,
    MESS_SAMPLE_CHARS,
)

__all__ = ["DecodeError", "Decoded", "decode_html", "decode_text"]

#: Tried, in order, when the declarations fail: utf-8 first because GBK text is almost never
#: valid utf-8, while utf-8 bytes often pass as (garbled) GB18030.
FALLBACK_CODECS = ("utf-8", "gb18030")

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_ASCII_RUN_RE = re.compile(rf"[\x00-\x7f]{{{MESS_ASCII_RUN},}}")


class DecodeError(ValueError):
    """The bytes cannot be turned into text without loss."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    source: str   # 'bom' | 'header' | 'meta' | 'detected'


def codec_name(label: str | None) -> str | None:
    """Python codec for a declared charset label (gb2312/gbk → gb18030), None if unknown."""
    if not label:
        return None
    resolved = resolve_encoding(label)
    if resolved is None:
        return None
    try:
        return codecs.lookup(resolved).name
    except LookupError:
        return None


def mojibake_reason(text: str) -> str | None:
    """Why a strict decode still is not clean text, or None when it is."""
    if text.count("\ufffd") > MAX_REPLACEMENT_CHARS:
        return "replacement characters"
    controls = len(_CONTROL_RE.findall(text))
    if controls * 10000 > MAX_CONTROL_PER_10K * max(len(text), 1) and controls > 2:
        return f"{controls} control characters"
    sample = _ASCII_RUN_RE.sub(" ", text)[:MESS_SAMPLE_CHARS]
    if any(ord(ch) > 0x7F for ch in sample) and mess_ratio(sample, MAX_MESS_RATIO) >= MAX_MESS_RATIO:
        return "implausible mix of scripts"
    return None


def strict_decode(body: bytes, codec: str) -> str | None:
    """The body decoded strictly in `codec`, or None if it fails or reads as mojibake."""
    try:
        text = body.decode(codec, errors="strict")
    except (UnicodeDecodeError, LookupError):
        return None
    return None if mojibake_reason(text) else text


def _candidates(body: bytes, content_type: str | None,
                declared: Callable[[bytes], str | None]) -> list[tuple[str, str]]:
    """(source, codec) pairs to try, in order, without repeats."""
    out: list[tuple[str, str]] = []
    header = codec_name(http_content_type_encoding(content_type or ""))
    if header:
        out.append(("header", header))
    meta = codec_name(declared(body))
    if meta:
        out.append(("meta", meta))
    out.extend(("detected", codec) for codec in FALLBACK_CODECS)
    seen: set[str] = set()
    return [(s, c) for s, c in out if not (c in seen or seen.add(c))]


def _decode(body: bytes, content_type: str | None, declared: Callable[[bytes], str | None]) -> Decoded:
    bom_label, bom = read_bom(body)
    if bom_label:
        codec = codec_name(bom_label)
        text = strict_decode(body[len(bom):], codec) if codec else None
        if text is not None:
            return Decoded(text, codec, "bom")
    tried = []
    for source, codec in _candidates(body, content_type, declared):
        text = strict_decode(body, codec)
        if text is not None:
            return Decoded(text, codec, source)
        tried.append(codec)
    best = from_bytes(body).best()
    codec = codec_name(best.encoding) if best is not None else None
    if codec and codec not in tried and codec in DETECTED_CODECS:
        text = strict_decode(body, codec)
        if text is not None:
            return Decoded(text, codec, "detected")
        tried.append(codec)
    raise DecodeError(f"no clean decode (tried {', '.join(tried)})")


def decode_html(body: bytes, content_type: str | None = None) -> Decoded:
    """Decode an HTML page: BOM > header charset > <meta> charset > detection; raises DecodeError."""
    return _decode(body, content_type, html_body_declared_encoding)


def decode_text(body: bytes, content_type: str | None = None) -> Decoded:
    """Decode a plain-text body: the same rules without a <meta> declaration."""
    return _decode(body, content_type, lambda _body: None)
