"""Text that reads oddly or costs too much: a letter-spaced PDF, mixed numerals that must not fail
a document, pages of very many figures or long numeral runs read in linear time, exact 万元."""
from __future__ import annotations

import io
import time
from decimal import Decimal

import pikepdf
import pytest

from extractors.document import layer_to_rows
from extractors.mentions import text_to_mentions
from extractors.textlayer import PageText, TextLayer, pdf_to_textlayer


def cjk_pdf(lines: list[tuple[float, float, str]]) -> bytes:
    """One A4 page; each (x, y, text) set in a non-embedded CJK font (STSong-Light, UCS-2)."""
    pdf = pikepdf.new()
    descendant = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.CIDFontType0, BaseFont=pikepdf.Name("/STSong-Light"),
        CIDSystemInfo=pikepdf.Dictionary(Registry=pikepdf.String("Adobe"), Ordering=pikepdf.String("GB1"),
                                         Supplement=2),
        FontDescriptor=pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.FontDescriptor, FontName=pikepdf.Name("/STSong-Light"), Flags=6,
            FontBBox=[0, -200, 1000, 900], ItalicAngle=0, Ascent=880, Descent=-120, CapHeight=880, StemV=93)),
        DW=1000))
    font = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type0, BaseFont=pikepdf.Name("/STSong-Light"),
        Encoding=pikepdf.Name("/UniGB-UCS2-H"), DescendantFonts=[descendant]))
    ops = "\n".join(f"BT /F1 12 Tf {x} {y} Td <{text.encode('utf-16-be').hex()}> Tj ET" for x, y, text in lines)
    pdf.pages.append(pikepdf.Page(pikepdf.Dictionary(
        Type=pikepdf.Name.Page, MediaBox=[0, 0, 595, 842],
        Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)), Contents=pdf.make_stream(ops.encode()))))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_a_letter_spaced_pdf_reads_its_figures_and_keeps_its_table_cells_apart():
    data = cjk_pdf([
        (72, 700, "市 财 政 局 下 达 项 目 资 金 2 5 6 . 4 0 万 元 ， 已 全 部 到 位 。"),
        (72, 670, "合 计"), (250, 670, "2 5 6 . 4"), (450, 670, "1 9 . 8"),     # a table row: wide gaps
    ])
    layer = pdf_to_textlayer(data)
    assert "\t" in layer.pages[0].text                   # the wide gaps are marked by the text layer
    rows, norm = layer_to_rows("s" * 64, layer)
    assert norm.text == "市财政局下达项目资金256.40万元，已全部到位。\n合计 256.4 19.8"
    (amount,) = rows.tables["amounts"]
    assert (amount["raw"], amount["value_wan"]) == ("256.40万元", Decimal("256.40"))
    assert norm.locate(amount["char_start"]) == (1, layer.pages[0].text.index("2 5 6 . 4 0"))


@pytest.mark.parametrize("text", [
    "2023年5月支付第十0笔合同款30万元。",     # digits and numerals mixed in an installment number
    "第十十期支付12万元，第两0次支付3万元。",
])
def test_mixed_numerals_do_not_fail_a_document(text):
    rows, _ = layer_to_rows("m" * 64, TextLayer(pages=[PageText(1, text)]))
    assert [f["installment"] for f in rows.tables["facts"]] == [None] * len(rows.tables["facts"])


def _seconds(text: str) -> float:
    start = time.perf_counter()
    text_to_mentions(text)
    return time.perf_counter() - start


@pytest.mark.parametrize("text", [
    "2023年5月，12%，3个，" * 8000,          # 24,000 mentions of three kinds that must not overlap
    "12万元，￥5，" * 10000,                   # amounts inline and by currency sign
    "\u202e" + "一二十百" * 5000 + "\u202c",    # a 20,000-character run of numerals (an RTL-wrapped line)
])
def test_the_mention_pass_is_linear(text):
    # quadratic, each took over 10 s (the numeral run 40 s); linear, well under one
    assert _seconds(text) < 4


def test_amounts_in_yuan_stay_exact_in_wan_through_the_typed_rows():
    from pipeline.arrow import to_arrow

    rows, _ = layer_to_rows("e" * 64, TextLayer(pages=[PageText(1, "全年支付资金30,452,107.39元。")]))
    (amount,) = to_arrow("amounts", rows.tables["amounts"]).to_pylist()
    (fact,) = to_arrow("facts", rows.tables["facts"]).to_pylist()
    assert amount["value_wan"] == fact["value_wan"] == Decimal("3045.210739")
