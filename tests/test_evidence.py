"""The evidence as a picture: every mention keeps its box on its page; `jixiao show` and the
crops box the figure (the crop's text, read back with pypdfium2, contains it)."""
from __future__ import annotations

import re

import duckdb
import pypdfium2 as pdfium
import pytest

from conftest import ROOT, SAMPLE_IDS, SAMPLES
from pipeline.cli import main
from pipeline.ingest import Options, ingest
from pipeline.outputs.evidence import crop_png, figures_for

README = (ROOT / "README.md").read_text(encoding="utf-8")
README_SHOW = re.search(r"jixiao show (\S+) --png", README).group(1)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("evidence") / "samples.duckdb"
    ingest(SAMPLES, path, Options(workers=1, progress=False, quality="never"))
    return path


@pytest.fixture(scope="module")
def con(db):
    c = duckdb.connect(str(db), read_only=True)
    yield c
    c.close()


def digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def text_in(fig, box) -> str:
    doc = pdfium.PdfDocument(fig.path)
    try:
        return doc[fig.page - 1].get_textpage().get_text_bounded(*box)
    finally:
        doc.close()


@pytest.mark.parametrize("stem", SAMPLE_IDS)
def test_a_fact_of_each_sample_is_boxed_where_it_stands(con, stem):
    doc_id, fact_id, value = con.execute(
        "SELECT doc_id, fact_id, value_wan FROM fact_sources WHERE file_name = ? ORDER BY fact_id LIMIT 1",
        [f"{stem}.pdf"]).fetchone()
    figures = figures_for(con, f"{doc_id[:12]}:f:{fact_id}")
    assert figures
    for fig in figures:
        png, boxes = crop_png(fig)
        assert png.startswith(b"\x89PNG") and len(png) < 60_000
        assert boxes and digits(fig.label) in digits(text_in(fig, boxes[0]))


def test_stored_boxes_land_on_their_figures(con):
    rows = con.execute("""SELECT m.mention_id, m.raw, m.x0, m.y0, m.x1, m.y1 FROM amounts m
                          JOIN pages p USING (doc_id, page) WHERE p.text_source = 'pdf' ORDER BY m.mention_id""").fetchall()
    assert rows and all(r[2] is not None for r in rows)
    hits = 0
    for mention_id, raw, x0, y0, x1, y1 in rows:
        [fig] = figures_for(con, mention_id)
        hits += digits(raw)[:3] in digits(text_in(fig, (x0 - 3, y0 - 1, x1 + 3, y1 + 1)))
    assert hits / len(rows) > 0.9


def test_every_sample_finding_has_a_boxed_crop(con):
    ids = [r[0] for r in con.execute("SELECT finding_id FROM findings WHERE outcome = 'mismatch'").fetchall()]
    assert ids
    for finding_id in ids:
        figures = figures_for(con, finding_id)
        assert figures and all(crop_png(f)[1] for f in figures), finding_id


def test_the_readme_show_command_works(db, tmp_path, capsys):
    target = tmp_path / "figure.png"
    assert main(["show", README_SHOW, "--db", str(db), "--png", str(target)]) == 0
    out = capsys.readouterr().out
    assert "1361.5万元" in out and "p." in out and target.read_bytes().startswith(b"\x89PNG")


def test_an_unknown_id_is_a_clear_error(db, capsys):
    assert main(["show", "nosuch", "--db", str(db)]) == 2
    assert "no mention, fact or finding" in capsys.readouterr().err
