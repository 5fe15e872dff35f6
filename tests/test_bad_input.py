"""Every broken file gets a specific reason; the document is failed or partial, never silent."""
from __future__ import annotations

import pytest

from conftest import FIXTURES
from extractors.errors import TextLayerError
from extractors.textlayer import pdf_to_textlayer

BAD = FIXTURES / "bad"


@pytest.mark.parametrize("name, code, words", [
    ("empty.pdf", "empty", "the file is empty (0 bytes)"),
    ("not-a-pdf.pdf", "not_pdf", "not a PDF (no %PDF- header): a text file starting"),
    ("html-saved-as.pdf", "html", "HTML page saved with a .pdf name (it says: '404 Not Found')"),
    ("encrypted.pdf", "encrypted", "encrypted and needs a password"),
    ("truncated.pdf", "truncated", "truncated (it ends without %%EOF after 57,861 bytes); a repair with pikepdf failed"),
])
def test_unreadable_files_say_what_they_are(name, code, words):
    with pytest.raises(TextLayerError) as info:
        pdf_to_textlayer((BAD / name).read_bytes())
    assert info.value.code == code
    assert words in str(info.value)


def test_wrong_password_is_told_apart():
    with pytest.raises(TextLayerError, match="the password given does not open it"):
        pdf_to_textlayer((BAD / "encrypted.pdf").read_bytes(), password="wrong")


def test_password_opens_the_encrypted_file():
    layer = pdf_to_textlayer((BAD / "encrypted.pdf").read_bytes(), password="user-pw")
    assert layer.encrypted and len(layer.pages) == 4
    assert all(p.status == "ok" for p in layer.pages)


def test_broken_stream_flags_its_pages_and_keeps_their_text():
    layer = pdf_to_textlayer((BAD / "corrupt-stream.pdf").read_bytes())
    assert {p.status for p in layer.pages} == {"damaged"}
    problems = [p for p in layer.problems if p.code == "broken_stream"]
    assert [p.page for p in problems] == [1, 2, 3, 4]
    assert "embedded font (object 24) does not decode" in problems[0].reason
    assert "项目名称" in layer.pages[0].text


def test_blank_page_is_counted_for_ocr():
    layer = pdf_to_textlayer((BAD / "blank-page.pdf").read_bytes())
    assert [p.status for p in layer.pages] == ["no_text"]
    assert layer.problems[0].code == "no_text" and "needs OCR" in layer.problems[0].reason


@pytest.mark.parametrize("damage", [
    lambda pdf: pdf.replace(b"trailer", b"trailex"),      # the trailer keyword is gone
    lambda pdf: b"JUNK" * 300 + pdf,                      # junk before the header (a bad download)
])
def test_repairable_damage_is_repaired_and_recorded(damage):
    good = (FIXTURES.parent.parent / "data" / "raw" / "004_bde0c0f62c0d9a40.pdf").read_bytes()
    layer = pdf_to_textlayer(damage(good))
    assert layer.repaired and len(layer.pages) == 4
    assert layer.problems[0].code == "repaired"
    assert "repaired with pikepdf, 4 page(s) recovered" in layer.problems[0].reason
    assert "项目名称" in layer.pages[0].text


def test_tables_are_read_only_on_ruled_pages():
    good = (FIXTURES.parent.parent / "data" / "raw" / "004_bde0c0f62c0d9a40.pdf").read_bytes()
    layer = pdf_to_textlayer(good)
    assert [p.has_rules for p in layer.pages] == [False, True, True, True]
    assert layer.pages[1].tables[0][0] == ["项目负责人", "张兴智", "联系电话", "5369112"]
