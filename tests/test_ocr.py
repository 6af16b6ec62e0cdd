"""OCR (crawler.read.ocr): RapidOCR by default, Tesseract as the fallback, table rows rebuilt from the
positions of the boxes; on small images drawn with the replica's fonts and table painter (PIL), read by
the real engines. A missing engine or model is made missing for real (the package unimportable, the model
path absent, tesseract off PATH)."""

from __future__ import annotations

import io
import logging
import socket
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFilter

from crawler.parsing.report import parse_text
from crawler.read import ocr
from crawler.read.files import BadFile, read_file
from replica import documents as D
from replica.corpus import OUTCOME_COLUMNS, REVIEW_ROWS
from replica.tables import TABLE_ROWS, Figures

# 表四 with every cell different from its neighbours (sums hold: 3+1+0+12 = 16, 0+2+0+1 = 3, 7+0+0+5 = 12)
TABLE4 = [3, 1, 0, 12, 16, 0, 2, 0, 1, 3, 7, 0, 0, 5, 12]
HEADING = "四、政府信息公开行政复议、行政诉讼情况"
PARAGRAPH = "本报告所列数据的统计期限自2023年1月1日起至2023年12月31日止。"


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.convert("L").save(out, format="PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def figures() -> Figures:
    return Figures(2021, table4=list(TABLE4))


@pytest.fixture(scope="module")
def table_image(figures) -> bytes:
    """表四 as a scan at 200 dpi shows it: the heading, then the ruled table with its narrow columns."""
    painter = D._Painter((1654, 900), margin=100, body_px=33)
    painter.text_block(HEADING, painter.bold, align="left", indent_chars=0)
    painter.table(TABLE_ROWS["table4"](figures))
    return _png(painter.page.crop((0, 0, 1654, painter.y + 30)))


def _text_image(lines: list[str], px: int = 34, gap_px: int = 0) -> bytes:
    font = D._font(D.SERIF, px)
    image = Image.new("L", (1400, 60 + len(lines) * px * 2), 255)
    draw = ImageDraw.Draw(image)
    for k, line in enumerate(lines):
        x = 60
        for cell in line.split("\t"):   # a tab in a line: the next cell starts gap_px further on
            draw.text((x, 30 + k * px * 2), cell, font=font, fill=20)
            x += font.getlength(cell) + gap_px
    return _png(image)


@pytest.fixture(scope="module")
def paragraph_image() -> bytes:
    return _text_image([PARAGRAPH])


@pytest.fixture(autouse=True)
def fresh_engines(monkeypatch):
    """Each test chooses its engine and finds the engines anew (a missing one is logged again)."""
    monkeypatch.delenv(ocr.ENGINE_ENV, raising=False)
    ocr.set_engine(None)
    ocr.reset_engines()
    yield
    ocr.set_engine(None)
    ocr.reset_engines()


def _flat(text: str) -> str:
    return "".join(text.split())


def test_rapidocr_is_the_default_and_loads_the_models_in_its_wheel_without_network(monkeypatch, paragraph_image):
    import rapidocr_onnxruntime

    models = Path(rapidocr_onnxruntime.__file__).parent / "models"
    assert sorted(p.name for p in models.glob("*.onnx")) == [
        "ch_PP-OCRv4_det_infer.onnx", "ch_PP-OCRv4_rec_infer.onnx", "ch_ppocr_mobile_v2.0_cls_infer.onnx"]

    def no_network(*args, **kwargs):
        raise AssertionError(f"network use while loading the OCR models: {args}")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    result = read_file(paragraph_image, "image/png", "p.png")
    assert result.tool == "rapidocr" and result.ocr and result.kind == "image"
    assert _flat(result.text) == _flat(PARAGRAPH)
    assert 0.9 <= result.ocr_confidence <= 1


def test_a_ruled_table_comes_out_row_by_row_and_parses_cell_for_cell(table_image):
    result = read_file(table_image, "image/png", "t4.png")
    assert result.tool == "rapidocr"
    lines = result.text.splitlines()
    assert lines[0] == HEADING
    # one line per table row, its cells tab-separated: the 15 figures are the last row
    assert lines[-1].split("\t") == [str(v) for v in TABLE4]
    parsed = parse_text(result.text)
    assert parsed["tables"]["review_litigation"] == {
        row: {column: TABLE4[5 * k + j] for j, column in enumerate(OUTCOME_COLUMNS)} for k, row in enumerate(REVIEW_ROWS)}
    assert result.ocr_confidence >= 0.9


def test_tesseract_when_chosen_reads_the_table_into_rows_too(monkeypatch, table_image):
    monkeypatch.setenv(ocr.ENGINE_ENV, "tesseract")
    result = read_file(table_image, "image/png", "t4.png")
    assert result.tool == "tesseract" and result.ocr
    rows = [line.split("\t") for line in result.text.splitlines() if "\t" in line]
    # the rules painted out, the cells come apart: the header rows and the figures' row, whatever it read
    assert len(rows) >= 3 and max(len(r) for r in rows) == 15
    assert 0 < result.ocr_confidence <= 1


def test_columns_without_rules_become_cells_and_a_paragraph_stays_one_line():
    image = _text_image([PARAGRAPH, "行政许可\t12\t34", "行政处罚\t5\t6"], gap_px=180)
    result = read_file(image, "image/png", "rows.png")
    assert result.text.splitlines() == [PARAGRAPH, "行政许可\t12\t34", "行政处罚\t5\t6"]


def test_confidence_falls_with_the_quality_of_the_image(paragraph_image):
    """The feed's ocr_confidence: near 1 on a clean image, clearly lower where the text read is garbled."""
    clean = read_file(paragraph_image, "image/png", "p.png")
    with Image.open(io.BytesIO(paragraph_image)) as image:
        small = image.resize((image.width // 3, image.height // 3)).filter(ImageFilter.GaussianBlur(1.2))
        poor = read_file(_png(small.resize(image.size)), "image/png", "p.png")
    assert similarity(clean.text, PARAGRAPH) > 0.95 > similarity(poor.text, PARAGRAPH) + 0.1
    assert clean.ocr_confidence > 0.95 and poor.ocr_confidence < clean.ocr_confidence - 0.05


def _warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == ocr.__name__ and r.levelno == logging.WARNING]


def test_without_the_rapidocr_package_tesseract_reads_and_one_line_says_why(monkeypatch, caplog, paragraph_image):
    monkeypatch.setitem(__import__("sys").modules, "rapidocr_onnxruntime", None)   # import fails as if not installed
    caplog.set_level(logging.WARNING, logger=ocr.__name__)
    for _ in range(2):
        result = read_file(paragraph_image, "image/png", "p.png")
        assert result.tool == "tesseract" and result.ocr and result.ocr_confidence > 0.5
    assert similarity(result.text, PARAGRAPH) >= 0.9
    [line] = _warnings(caplog)
    assert "rapidocr unavailable" in line and "rapidocr_onnxruntime" in line and "using tesseract" in line


def test_a_missing_model_file_falls_back_too(monkeypatch, caplog, tmp_path, paragraph_image):
    monkeypatch.setattr(ocr, "RAPIDOCR_OPTIONS", {**ocr.RAPIDOCR_OPTIONS, "det_model_path": str(tmp_path / "gone.onnx")})
    caplog.set_level(logging.WARNING, logger=ocr.__name__)
    result = read_file(paragraph_image, "image/png", "p.png")
    assert result.tool == "tesseract"
    [line] = _warnings(caplog)
    assert "rapidocr unavailable" in line and "gone.onnx" in line


def test_without_tesseract_the_chosen_fallback_is_rapidocr(monkeypatch, caplog, tmp_path, paragraph_image):
    monkeypatch.setenv("PATH", str(tmp_path))   # no tesseract on it
    ocr.set_engine("tesseract")
    caplog.set_level(logging.WARNING, logger=ocr.__name__)
    result = read_file(paragraph_image, "image/png", "p.png")
    assert result.tool == "rapidocr" and _flat(result.text) == _flat(PARAGRAPH)
    [line] = _warnings(caplog)
    assert "tesseract unavailable" in line and "not installed" in line


def test_with_no_engine_at_all_the_file_is_a_bad_file_not_a_crash(monkeypatch, tmp_path, paragraph_image):
    monkeypatch.setitem(__import__("sys").modules, "rapidocr_onnxruntime", None)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(BadFile) as err:
        read_file(paragraph_image, "image/png", "p.png")
    assert err.value.reason.startswith("cannot read the file: no OCR engine is available")
    assert "rapidocr" in err.value.reason and "tesseract" in err.value.reason


def test_engine_names(monkeypatch, caplog):
    with pytest.raises(ValueError):
        ocr.set_engine("abbyy")
    ocr.set_engine("Tesseract")
    assert ocr.engine_order() == ["tesseract", "rapidocr"]
    ocr.set_engine(None)
    monkeypatch.setenv(ocr.ENGINE_ENV, "abbyy")
    caplog.set_level(logging.WARNING, logger=ocr.__name__)
    assert ocr.engine_order() == ["rapidocr", "tesseract"]
    assert any("abbyy" in line for line in _warnings(caplog))


def similarity(a: str, b: str) -> float:
    import difflib

    return difflib.SequenceMatcher(None, _flat(a), _flat(b), autojunk=False).ratio()


def test_the_crawl_setting_chooses_the_engine(tmp_path):
    from scrapy.utils.misc import build_from_crawler
    from scrapy.utils.test import get_crawler

    from pipelines.extract import ExtractPipeline

    store = str(tmp_path / "store")
    build_from_crawler(ExtractPipeline, get_crawler(settings_dict={"NIANBAO_OCR_ENGINE": "tesseract",
                                                                   "NIANBAO_STORE": store}))
    assert ocr.preferred_engine() == "tesseract"
    with pytest.raises(ValueError, match="abbyy"):
        build_from_crawler(ExtractPipeline, get_crawler(settings_dict={"NIANBAO_OCR_ENGINE": "abbyy",
                                                                       "NIANBAO_STORE": store}))


def test_a_table_cut_by_the_page_break_keeps_its_last_row_and_the_page_number_goes():
    """A table carried over to the next page has no bottom rule where the page ends (its vertical rules
    end in the open), and the page's number sits in the bottom margin: the row is read, the number is not
    text (as the PDF reader drops it)."""
    font = D._font(D.SERIF, 30)
    image = Image.new("L", (1200, 1000), 255)
    draw = ImageDraw.Draw(image)
    draw.text((100, 60), PARAGRAPH[:20], font=font, fill=20)
    xs, ys = (100, 500, 800, 1100), (150, 230, 310, 390)
    for y in ys:   # no rule below the last row
        draw.line((xs[0], y, xs[-1], y), fill=0, width=3)
    for x in xs:
        draw.line((x, ys[0], x, 510), fill=0, width=3)
    rows = [("信息内容", "本年新增", "累计"), ("行政许可", "12", "340"), ("行政处罚", "7", "25")]
    for k, row in enumerate(rows):
        for j, text in enumerate(row):
            draw.text((xs[j] + 20, ys[k] + 22), text, font=font, fill=20)
    # the last row's label wraps over two lines, its figures centred beside them
    draw.text((xs[0] + 20, 405), "5.要求行政机关确认", font=font, fill=20)
    draw.text((xs[0] + 20, 455), "或重新出具信息", font=font, fill=20)
    draw.text((xs[1] + 20, 430), "3", font=font, fill=20)
    draw.text((xs[2] + 20, 430), "16", font=font, fill=20)
    draw.text((570, 940), "- 2 -", font=font, fill=20)
    result = read_file(_png(image), "image/png", "p.png")
    assert result.text.splitlines() == [PARAGRAPH[:20], *("\t".join(row) for row in rows),
                                        "5.要求行政机关确认或重新出具信息\t3\t16"]


def test_lone_sixes_and_nines_in_narrow_cells_are_not_turned_upside_down():
    """RapidOCR's angle classifier takes a lone 9 in a narrow cell for an upside-down 6 (seen on a real
    report's 表三): it is off, and the digits stay as printed."""
    font = D._font(D.SERIF, 28)
    image = Image.new("L", (1200, 260), 255)
    draw = ImageDraw.Draw(image)
    xs = [50, 450] + [450 + 100 * k for k in range(1, 8)]
    for y in (50, 130, 210):
        draw.line((50, y, xs[-1], y), fill=0, width=2)
    for x in xs:
        draw.line((x, 50, x, 210), fill=0, width=2)
    rows = (("4.保护第三方合法权益", "6900696"), ("7.属于行政执法案卷", "9600969"))
    for r, (label, digits) in enumerate(rows):
        draw.text((60, 75 + 80 * r), label, font=font, fill=20)
        for k, digit in enumerate(digits):
            draw.text((xs[k + 1] + 42, 75 + 80 * r), digit, font=font, fill=20)
    result = read_file(_png(image), "image/png", "t.png")
    assert result.text.splitlines() == ["\t".join((label, *digits)) for label, digits in rows]


def test_an_image_of_more_frames_than_a_report_is_refused_not_read_in_part():
    import io as _io

    from PIL import Image

    from crawler.read.document import BadFile
    from crawler.read.ocr import IMAGE_MAX_FRAMES, read_image

    frames = [Image.new("L", (40, 40), color=n % 255) for n in range(IMAGE_MAX_FRAMES + 1)]
    out = _io.BytesIO()
    frames[0].save(out, format="TIFF", save_all=True, append_images=frames[1:])
    with pytest.raises(BadFile, match=f"{IMAGE_MAX_FRAMES + 1} frames"):
        read_image(out.getvalue(), ocr=True, deadline=float("inf"))
