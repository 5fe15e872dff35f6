"""Truncated files (issue 13, item 7): the pages that survive the cut are read, the document is
partial, and its reason names the pages that were lost. Nothing is read through a guessed font.
Fixtures: tests/fixtures/truncated/ (make_truncated.py cuts pdf/three-pages.pdf)."""
from __future__ import annotations

import shutil

import duckdb
import pikepdf
import pytest

from conftest import FIXTURES
from extractors.errors import TextLayerError
from extractors.fontmatch import match, strip_text, text_runs
from extractors.textlayer import pdf_to_textlayer
from pipeline.ingest import Options, ingest

TRUNCATED = FIXTURES / "truncated"
FULL = pdf_to_textlayer((TRUNCATED / "pdf" / "three-pages.pdf").read_bytes(), tables=False)


def read(name: str):
    return pdf_to_textlayer((TRUNCATED / name).read_bytes(), tables=False)


def text(layer) -> str:
    return "".join(p.text for p in layer.pages)


def words(layer) -> str:
    return "".join(text(layer).split())


def test_cut_at_96_percent_every_page_is_rebuilt_whole():
    layer = read("cut-96.pdf")                # LibreOffice: the page tree is lost, the pages are not
    assert layer.repaired and [p.status for p in layer.pages] == ["ok", "ok", "ok"]
    assert text(layer) == text(FULL)
    first = layer.problems[0]
    assert (first.code, first.stage) == ("truncated", "repair")
    assert first.reason.startswith("the file is truncated (it ends without %%EOF after 43,683 bytes): its page "
                                   "tree is lost; 3 page(s) rebuilt from the page contents that survive")


def test_cut_at_80_percent_keeps_the_body_and_leaves_out_text_in_lost_fonts():
    layer = read("cut-80.pdf")
    assert [p.status for p in layer.pages] == ["damaged"] * 3
    body = text(layer)
    assert set(body) <= set(text(FULL))       # never a character the file does not hold
    assert "累计支付资金48万元" in words(layer) and "项目结余资金12万元" in words(layer)
    assert "资金使用情况" not in body           # the headings' font is lost (or cannot be told apart)
    lost = [p for p in layer.problems if p.code == "text_lost"]
    assert [p.page for p in lost] == [1, 2, 3] and "is lost with the end of the file and left out" in lost[0].reason


def test_a_linearized_file_says_which_pages_are_lost():
    layer = read("linearized-97.pdf")
    assert [p.status for p in layer.pages] == ["ok", "ok", "failed"]
    assert layer.problems[0].reason == ("the file is truncated at 97% of its length (44,532 of 45,910 bytes): "
                                        "page 3 of 3 is lost, 2 recovered")
    assert layer.pages[2].text == "" and "12万元" not in words(layer)


def test_a_page_tree_written_first_keeps_its_pages_and_flags_lost_glyph_programs():
    layer = read("tree-first-50.pdf")         # Word/WPS/qpdf order: only font programs were at the end
    assert layer.problems[0].reason.endswith("none of its 3 pages is lost; on 3 page(s) text may be incomplete "
                                             "(fonts or images lost with the file)")
    assert "the glyph program of font F3 is lost" in layer.problems[1].reason
    assert "累计支付资金48万元" in words(layer)


def test_the_old_truncated_fixture_is_read_now():
    layer = pdf_to_textlayer((FIXTURES / "bad" / "truncated.pdf").read_bytes(), tables=False)
    assert len(layer.pages) == 4 and layer.problems[0].code == "truncated"
    assert "its page tree is lost; 4 page(s) rebuilt" in layer.problems[0].reason


@pytest.mark.parametrize("name, cut, said", [
    ("cut-50.pdf", None, "no complete page survives"),
    ("cut-96.pdf", 300, "no complete object survives"),
])
def test_when_nothing_survives_the_file_fails_saying_so(name, cut, said):
    data = (TRUNCATED / name).read_bytes()
    with pytest.raises(TextLayerError) as info:
        pdf_to_textlayer(data[:cut] if cut else data)
    assert info.value.code == "truncated" and said in str(info.value)


# --- fonts of pages whose resources are lost: told apart by their widths, never guessed ---------

def _font(*widths: int) -> pikepdf.Dictionary:
    return pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, FirstChar=1, Widths=list(widths))


def _runs(content: bytes):
    pdf = pikepdf.new()
    return text_runs(pikepdf.parse_content_stream(pikepdf.Stream(pdf, content)))


# name /A is set in a font whose code 1 is 1000 wide and code 2 is 500; /B in the other way round.
# Each run is followed on its baseline by one placed where the right font's widths end it.
CONTENT = (b"BT /A 10 Tf 0 700 Td <010102> Tj ET BT /A 10 Tf 25 700 Td <02> Tj ET "
           b"BT /B 10 Tf 0 600 Td <020201> Tj ET BT /B 10 Tf 25 600 Td <01> Tj ET")


def test_widths_tell_two_fonts_apart():
    wide_one, wide_two = _font(1000, 500), _font(500, 1000)
    assert match([_runs(CONTENT)], {"w1": wide_one, "w2": wide_two}) == {"A": "w1", "B": "w2"}


def test_a_name_whose_font_is_lost_gets_none():
    assert match([_runs(CONTENT)], {"w2": _font(500, 1000)}) == {"B": "w2"}


def test_fonts_that_cannot_be_told_apart_are_left_out():
    assert match([_runs(CONTENT)], {"x": _font(1000, 500), "y": _font(1000, 500)}) == {}


def test_text_in_a_lost_font_is_left_out_and_its_line_moves_kept():
    pdf = pikepdf.new()
    content = b"BT /A 10 Tf 12 TL 0 700 Td (kept) Tj /B 10 Tf (gone) ' (more) Tj ET"
    out, shown = strip_text(pikepdf.parse_content_stream(pikepdf.Stream(pdf, content)), {"A"})
    assert dict(shown) == {"A": 1, "B": 2}
    assert pikepdf.unparse_content_stream(out).split() == [
        b"BT", b"/A", b"10", b"Tf", b"12", b"TL", b"0", b"700", b"Td", b"(kept)", b"Tj", b"/B", b"10", b"Tf",
        b"T*", b"ET"]


# --- end to end ------------------------------------------------------------------------------

def test_a_truncated_file_is_partial_with_its_lost_pages_named_and_its_facts_kept(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("linearized-97.pdf", "cut-80.pdf"):
        shutil.copy(TRUNCATED / name, folder)
    db = tmp_path / "t.duckdb"
    summary = ingest(folder, db, Options(workers=1, progress=False, quality="never", ocr=False))
    assert (summary.seen, summary.failed, summary.partial) == (2, 0, 2)
    con = duckdb.connect(str(db), read_only=True)
    try:
        docs = {r[0]: r[1:] for r in con.execute("SELECT file_name, status, pages, pages_failed, repaired "
                                                 "FROM documents").fetchall()}
        rows = con.execute("SELECT stage, page, fatal, reason FROM ingest_errors JOIN documents USING (doc_id) "
                           "WHERE file_name = 'linearized-97.pdf' AND code = 'truncated'").fetchall()
        pages = con.execute("SELECT page, pages.status FROM pages JOIN documents USING (doc_id) "
                            "WHERE file_name = 'linearized-97.pdf' ORDER BY page").fetchall()
        paid = con.execute("SELECT file_name, value_wan FROM facts JOIN documents USING (doc_id) "
                           "WHERE kind = 'paid_total' ORDER BY file_name").fetchall()
    finally:
        con.close()
    assert docs == {"linearized-97.pdf": ("partial", 3, 1, True), "cut-80.pdf": ("partial", 3, 3, True)}
    assert rows == [("repair", None, False, "the file is truncated at 97% of its length (44,532 of 45,910 bytes): "
                                            "page 3 of 3 is lost, 2 recovered")]
    assert pages == [(1, "ok"), (2, "ok"), (3, "failed")]
    assert [(f, float(v)) for f, v in paid] == [("cut-80.pdf", 48.0), ("linearized-97.pdf", 48.0)]


def test_a_damaged_file_that_qpdf_cannot_repair_is_rebuilt_like_a_cut_one():
    import re

    from conftest import SAMPLES

    data = (SAMPLES / "004_bde0c0f62c0d9a40.pdf").read_bytes()
    catalog = re.search(rb"\d+ 0 obj\s*<</Type/Catalog.*?endobj", data, re.S)
    layer = pdf_to_textlayer(data[:catalog.start()] + data[catalog.end():], tables=False)   # no catalog: no pages
    assert [p.status for p in layer.pages] == ["ok"] * 4
    first = layer.problems[0]
    assert first.code == "damaged" and "a repair with pikepdf failed" in first.reason
    assert "its page tree is lost; 4 page(s) rebuilt from the page contents that survive" in first.reason
