"""What `make stress` found, kept as small tests: a file's rows depend on its bytes alone (not on
what the same worker read before), and the stress corpus is the same for the same seed."""
from __future__ import annotations

import random
import re

import pikepdf
import pypdfium2 as pdfium

from conftest import SAMPLES
from extractors import fresh_pdf_library
from extractors.textlayer import pdf_to_textlayer
from pipeline.stress import MUTATIONS


def _broken_font(name: str) -> bytes:
    """A sample whose largest embedded font program has 512 zero bytes in the middle."""
    path = SAMPLES / name
    with pikepdf.open(path) as pdf:
        fonts = [o for o in pdf.objects if isinstance(o, pikepdf.Stream) and "/Length1" in o.stream_dict]
        number = max(fonts, key=lambda o: len(o.read_raw_bytes())).objgen[0]
    data = path.read_bytes()
    start = data.index(b"stream", re.search(rb"\n%d 0 obj" % number, data).end()) + 7 + 2000
    return data[:start] + b"\0" * 512 + data[start + 512:]


def test_a_file_reads_the_same_whatever_the_process_read_before():
    target = _broken_font("001_0eae385221b322f5.pdf")

    def read() -> list[str]:
        return [p.text for p in pdf_to_textlayer(target, tables=False).pages]

    fresh_pdf_library()
    alone = read()
    other = pdfium.PdfDocument(_broken_font("003_7b98f24135c041f8.pdf"))
    for i in range(len(other)):          # drawing another file whose font is broken fills PDFium's caches
        other[i].render(scale=2)
    other.close()
    fresh_pdf_library()                  # what a worker does before each document
    assert read() == alone


def test_the_mutations_are_seeded():
    data = (SAMPLES / "004_bde0c0f62c0d9a40.pdf").read_bytes()
    for kind, mutate in MUTATIONS.items():
        once, again = mutate(data, random.Random(7)), mutate(data, random.Random(7))
        assert once == again and once != data, kind


def test_workers_take_turns_at_ocr(monkeypatch):
    from extractors import ocr as ocr_module
    from extractors import read_document

    class Turn:                             # stands for the lock the pool's workers share
        held, taken = False, 0

        def __enter__(self):
            assert not self.held
            self.held, self.taken = True, self.taken + 1

        def __exit__(self, *exc):
            self.held = False

    turn, read = Turn(), ocr_module.image_to_lines

    def while_held(*args):
        assert turn.held                    # the engine runs only during the worker's turn
        return read(*args)

    monkeypatch.setitem(ocr_module._TURN, "lock", turn)
    monkeypatch.setattr(ocr_module, "image_to_lines", while_held)
    from conftest import FIXTURES
    doc = read_document("t" * 64, (FIXTURES / "ocr" / "scanned_page.pdf").read_bytes())
    assert doc.ocr.pages == turn.taken == 1 and not turn.held


def test_a_table_unit_does_not_depend_on_the_hash_seed():
    import os
    import subprocess
    import sys

    from conftest import ROOT

    code = ("from extractors.reconcile.tables import Cell, Row, _unit_above; "
            "print(_unit_above('甲乙\\n单位：元\\n丙丁', [Row(1, [Cell('甲乙'), Cell('丙丁')])], Row(1, [Cell('x')])))")
    seen = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                           env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout.strip() for seed in range(6)}
    assert seen == {"元"}
