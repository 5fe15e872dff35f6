"""OCR of scanned and garbled pages (one page each: OCR is slow), reading order, garbled text."""
from __future__ import annotations

import pytest

from conftest import FIXTURES
from extractors.textlayer import page_status, pdf_to_textlayer, unreadable_share
from extractors.ocr import OcrLine, OcrStats, ocr_pages, reading_order, rows_to_page
from pipeline.worker import Job, process

OCR = FIXTURES / "ocr"


@pytest.mark.parametrize("text, status", [
    ("海南省一体化在线政务服务平台项目为海南省大数据管理局建设项目。", "ok"),
    ("\x01\x04\x05\x06\x04\x07\x08\t\n\x0b\x0c\r\n\x01\x04\x05\x06\x07 预算 2100", "garbled"),
    ("\ue000\ue001\ue002项目\ue003\ue004\ue005", "garbled"),
    ("", "no_text"),
    ("- 3 -", "no_text"),
])
def test_page_status_tells_garbled_text_from_real_text(text, status):
    assert page_status(text) == status


def test_unreadable_share_counts_control_private_use_and_replacement_characters():
    assert unreadable_share("项目\ufffd\ue000\x01资金") == pytest.approx(3 / 7)


def test_reading_order_rows_top_to_bottom_cells_left_to_right():
    lines = [OcrLine(300, 400, 700, 688, "359.95", 0.99), OcrLine(50, 200, 701, 689, "实际到位资金", 0.99),
             OcrLine(50, 500, 650, 638, "第二行正文", 0.98)]
    page = rows_to_page(1, reading_order(lines))
    assert page.text == "实际到位资金 359.95\r\n第二行正文\r\n"
    assert page.source == "ocr" and page.ocr_confidence == pytest.approx(0.9867, abs=1e-3)
    assert page.lines[0] == (50, 400, 688, 701)


@pytest.mark.parametrize("name, status, expected", [
    ("scanned_page.pdf", "no_text", ["2022年项目批复预算为2100万元", "1060.29万、500万元和539.71万元"]),
    ("garbled_page.pdf", "garbled", ["太极计算机股份有限公司5511.7万元"]),
])
def test_ocr_reads_the_page(name, status, expected):
    data = (OCR / name).read_bytes()
    layer = pdf_to_textlayer(data)
    assert [p.status for p in layer.pages] == [status]
    stats = OcrStats()
    ocr_pages(data, layer.pages, None, stats)
    page = layer.pages[0]
    assert page.status == "ok" and page.source == "ocr" and page.ocr_confidence > 0.9
    assert stats.pages == 1 and stats.seconds > 0
    text = "".join(page.text.split())
    for words in expected:
        assert words in text


def test_a_scanned_page_yields_facts_through_the_whole_chain():
    pdf = OCR / "scanned_page.pdf"
    result = process(Job(str(pdf), "s" * 64, pdf.stat().st_size, "run"))
    doc = result.tables["documents"].to_pylist()[0]
    assert (doc["status"], doc["text_source"], doc["pages_no_text"]) == ("ok", "ocr", 0)
    assert result.tables["pages"].to_pylist()[0]["text_source"] == "ocr"
    assert {"budget", "appropriation", "payment"} <= {f["kind"] for f in result.tables["facts"].to_pylist()}
    assert "read by OCR" in result.tables["ingest_errors"].to_pylist()[0]["reason"]
    assert result.ocr_pages == 1


def test_without_ocr_the_page_is_flagged_and_the_document_partial():
    pdf = OCR / "garbled_page.pdf"
    result = process(Job(str(pdf), "g" * 64, pdf.stat().st_size, "run", ocr=False))
    doc = result.tables["documents"].to_pylist()[0]
    assert (doc["status"], doc["text_source"]) == ("partial", "none")
    assert doc["error"] == "1 of 1 page(s) have no readable text layer (OCR is off)"
    assert result.tables["ingest_errors"].to_pylist()[0]["code"] == "garbled"
