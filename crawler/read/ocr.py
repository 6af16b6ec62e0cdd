"""OCR of scanned pages and image reports: Tesseract (chi_sim) TSV, lines rebuilt with their confidence."""

from __future__ import annotations

import io
import os
import re
from concurrent.futures import ThreadPoolExecutor
from statistics import median

from crawler.read.filetext import BadFile, CJK, FileText, finish_text, fold, is_cjk, join_fragments, paragraphs, run_tool

OCR_DPI = 300
OCR_LANG = "chi_sim"
OCR_WORKERS = max(1, min(2, os.cpu_count() or 1))

# ----------------------------------------------------------------------------- OCR

def _ocr_lines(image: bytes, deadline: float, scale: float) -> tuple[list[dict], list[float]]:
    """Tesseract's lines of an image (PNG or PNM bytes): geometry scaled to PDF points, text, and
    the word confidences."""
    proc = run_tool(["tesseract", "stdin", "stdout", "-l", OCR_LANG, "--psm", "3", "--dpi", str(OCR_DPI), "tsv"],
                deadline, "tesseract", stdin=image)
    if proc.returncode != 0:
        raise BadFile("image the OCR engine cannot read")
    lines: dict[tuple, dict] = {}
    confs = []
    for row in proc.stdout.decode("utf-8", "replace").splitlines()[1:]:
        f = row.split("\t")
        if len(f) < 12 or f[0] != "5" or not f[11].strip():
            continue
        conf = float(f[10])
        if conf >= 0:
            confs.append(conf / 100)
        left, top, width, height = (int(v) * scale for v in f[6:10])
        line = lines.setdefault(tuple(f[1:5]), {"words": [], "x0": left, "x1": left + width, "top": top,
                                                "bottom": top + height})
        line["words"].append(_OCR_PUNCT_RE.sub(lambda m: _FULL_WIDTH[m.group(0)], f[11].strip()))
        line["x0"], line["x1"] = min(line["x0"], left), max(line["x1"], left + width)
        line["top"], line["bottom"] = min(line["top"], top), max(line["bottom"], top + height)
    out = []
    for line in sorted(lines.values(), key=lambda l: (l["top"], l["x0"])):
        text = ""
        for word in line["words"]:
            text = join_fragments(text, word)
        line["text"] = fold(_OCR_PUNCT_RE.sub(lambda m: _FULL_WIDTH[m.group(0)], text), cjk_gaps=True)
        line["size"] = _em(line)
        out.append(line)
    if out:
        # measured sizes scatter (a short line of punctuation looks small): a line is in the body
        # size unless it is clearly larger, as a title is
        body = median(line["size"] for line in out)
        for line in out:
            line["size"] = line["size"] if line["size"] > 1.3 * body else body
    return out, confs


# chi_sim reads the full-width punctuation of Chinese text as ASCII; next to a CJK character it is
# the full-width form the source has ("(一)" is "（一）", "邮编:" is "邮编：").
_FULL_WIDTH = dict(zip("(),;:?!", "（），；：？！"))
_OCR_PUNCT_RE = re.compile(f"(?<=[{CJK}])[(),;:?!]|[(),;:?!](?=[{CJK}])")


def _em(line: dict) -> float:
    """The font size of an OCR line, from its width: a CJK character is one em wide, others about
    half.  Box heights are no measure: Tesseract's boxes hug the glyphs, and 一 is flat."""
    text = line["text"].replace(" ", "")
    cjk = sum(1 for ch in text if is_cjk(ch))
    if cjk < 2:
        return (line["bottom"] - line["top"]) * 0.85
    return (line["x1"] - line["x0"]) / (cjk + 0.55 * (len(text) - cjk))


# A multi-page TIFF is a scanned document; more frames than this is not a report.
IMAGE_MAX_FRAMES = 60


def _images_for_ocr(body: bytes) -> list[bytes]:
    """Each frame of an image (a TIFF may hold a whole scan) as greyscale PGM bytes: palettes,
    alpha and CMYK JPEGs confuse Tesseract, and raw PGM costs no compression time."""
    from PIL import Image, ImageSequence, UnidentifiedImageError

    frames = []
    try:
        with Image.open(io.BytesIO(body)) as image:
            for frame in ImageSequence.Iterator(image):
                out = io.BytesIO()
                frame.convert("L").save(out, format="PPM")
                frames.append(out.getvalue())
                if len(frames) >= IMAGE_MAX_FRAMES:
                    break
    except (UnidentifiedImageError, OSError, ValueError, EOFError, Image.DecompressionBombError) as exc:
        raise BadFile("truncated or corrupt image") from exc
    return frames


def ocr_pages(images: list, deadline: float) -> list[tuple[list[dict], list[float]]]:
    """_ocr_lines of each page image (bytes, or a callable making them), one Tesseract per core
    (each runs single-threaded, see _TOOL_ENV)."""
    def one(image) -> tuple[list[dict], list[float]]:
        return _ocr_lines(image() if callable(image) else image, deadline, 72 / OCR_DPI)

    with ThreadPoolExecutor(max_workers=max(1, min(OCR_WORKERS, len(images)))) as pool:
        return list(pool.map(one, images))


def read_image(body: bytes, ocr: bool, deadline: float) -> FileText:
    frames = _images_for_ocr(body)
    if not ocr:
        raise BadFile("scanned file: OCR disabled")
    items, confs = [], []
    for number, (lines, page_confs) in enumerate(ocr_pages(frames, deadline), start=1):
        items += [("line", dict(line, page=number)) for line in lines]
        confs += page_confs
    return FileText("image", finish_text(paragraphs(items)), ocr=True, ocr_confidence=mean_or_none(confs),
                    pages=len(frames), tool="tesseract")


def mean_or_none(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 3) if values else None


