"""Every broken file gets a specific reason; the document is failed or partial, never silent."""
from __future__ import annotations

import ast

import pytest

from conftest import FIXTURES
from extractors.errors import TextLayerError
from extractors.sniff import SAMPLE_CHARS
from extractors.textlayer import pdf_to_textlayer

BAD = FIXTURES / "bad"


@pytest.mark.parametrize("name, code, words", [
    ("empty.pdf", "empty", "the file is empty (0 bytes)"),
    ("not-a-pdf.pdf", "not_pdf", "not a PDF (no %PDF- header): a text file of"),
    ("html-saved-as.pdf", "html", "HTML page saved with a .pdf name (it says: '404 Not Found')"),
    ("encrypted.pdf", "encrypted", "encrypted and needs a password"),
])                       # truncated.pdf is no longer unreadable: its surviving pages are read (test_truncated.py)
def test_unreadable_files_say_what_they_are(name, code, words):
    with pytest.raises(TextLayerError) as info:
        pdf_to_textlayer((BAD / name).read_bytes())
    assert info.value.code == code
    assert words in str(info.value)


@pytest.mark.parametrize("data, said", [
    (b"root:x:0:0:root:/root:/bin/bash\nsvc:x:1:1:token=abc123:/srv:/bin/sh\n",
     "not a PDF (no %PDF- header): a text file of 68 bytes (its text is not shown)"),
    (b"\x7fELF\x02\x01\x01\x00secret-bytes\xff\xfe", "not a PDF (no %PDF- header): binary data starting 7f 45 4c 46"),
])
def test_a_non_pdf_is_named_never_quoted(data, said):
    with pytest.raises(TextLayerError) as info:
        pdf_to_textlayer(data)
    reason = str(info.value)
    assert said in reason
    assert not any(word in reason for word in ("root:", "token", "abc123", "secret-bytes", "/bin"))


def test_an_html_page_is_quoted_by_a_short_escaped_title_only():
    page = ("<html><head><title>\x1b[31m" + "页面不存在" * 20 + "</title></head><body>"
            "<p>internal host db01 password=swordfish</p></body></html>").encode()
    with pytest.raises(TextLayerError) as info:
        pdf_to_textlayer(page)
    reason = str(info.value)
    assert info.value.code == "html" and "\x1b" not in reason and "\\x1b[31m" in reason
    quoted = reason.split("(it says: ", 1)[1].rstrip(")")
    assert len(ast.literal_eval(quoted)) == SAMPLE_CHARS == 40      # the repr of at most 40 characters
    assert "swordfish" not in reason and "db01" not in reason


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
