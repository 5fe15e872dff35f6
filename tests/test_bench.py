"""`jixiao bench` builds its timed corpus from reports with a text layer; scans are timed apart."""
from pathlib import Path

from pipeline.bench import build_corpus, corpus_sources, has_text_layer

ROOT = Path(__file__).resolve().parent.parent


def test_a_scan_has_no_text_layer_and_a_report_has_one():
    assert not has_text_layer(ROOT / "tests" / "fixtures" / "variants" / "scanned_003.pdf")
    assert has_text_layer(ROOT / "data" / "raw" / "001_0eae385221b322f5.pdf")


def test_the_timed_corpus_leaves_scans_out(tmp_path):
    text, scans = corpus_sources()
    assert scans and all(not has_text_layer(p) for p in scans)
    files = build_corpus(tmp_path, len(text) + 3)
    assert len(files) == len(text) + 3
    assert {f.name.split("_", 1)[1] for f in files} == {p.name for p in text}
    assert len({f.read_bytes() for f in files}) == len(files)       # each copy unique
