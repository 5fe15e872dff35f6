"""The nightly report: files, escaping, CSV safety, new and resolved findings remembered in the
database, unverifiable checks counted apart, exit codes, and a real browser."""
from __future__ import annotations

import csv
import io
import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from conftest import FIXTURES, SAMPLES
from pipeline.cli import main
from pipeline.ingest import Options, ingest
from pipeline.outputs.nightly import write_nightly
from pipeline.outputs.tabular import safe_cell

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DAY1, DAY2 = dt.date(2026, 1, 5), dt.date(2026, 1, 6)


@pytest.fixture(scope="module")
def report_db(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("in")
    for pdf in list(SAMPLES.glob("*.pdf")) + [FIXTURES / "hostile" / "hostile_text.pdf", FIXTURES / "bad" / "empty.pdf"]:
        shutil.copy(pdf, folder / pdf.name)
    db = folder / "r.duckdb"
    ingest(folder, db, Options(workers=2, progress=False))
    return db


@pytest.fixture(scope="module")
def written(report_db, tmp_path_factory):
    root = tmp_path_factory.mktemp("reports")
    db = tmp_path_factory.mktemp("copy") / "r.duckdb"
    shutil.copy(report_db, db)
    con = duckdb.connect(str(db))
    try:
        first = write_nightly(con, root, DAY1)
        second = write_nightly(con, root, DAY2)
    finally:
        con.close()
    return root, first, second


def test_the_three_files_are_written(written):
    root, first, _ = written
    assert sorted(p.name for p in (root / DAY1.isoformat()).iterdir()) == ["findings.csv", "index.html", "summary.md"]
    md = (first.folder / "summary.md").read_text(encoding="utf-8")
    assert md.startswith(f"# jixiao 对账报告 {DAY1.isoformat()}") and "同一合同金额在报告中不一致" in md


def test_html_escapes_pdf_text(written):
    _, first, _ = written
    html = (first.folder / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html and "<script>document.title" not in html
    assert "&lt;script&gt;" in html
    assert len(re.findall(r"<script>", html)) == 1          # only the report's own script


NUMERIC = {"expected", "actual", "difference", "page"}


def _csv(first) -> list[dict]:
    raw = (first.folder / "findings.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")                   # BOM: Excel reads it as UTF-8
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_csv_opens_in_excel_and_neutralises_formulas(written):
    _, first, _ = written
    rows = _csv(first)
    assert list(rows[0])[0] == "file_name"
    for row in rows:
        for key, value in row.items():
            if key not in NUMERIC:
                assert not value.startswith(("=", "+", "-", "@")), row
    assert [safe_cell(v) for v in ("=1+1", "+1", "-2", "@x", "ok")] == ["'=1+1", "'+1", "'-2", "'@x", "ok"]


def test_csv_numbers_are_numbers_written_as_people_write_them(written):
    _, first, _ = written
    rows = _csv(first)
    for row in rows:
        for key in NUMERIC:
            if row[key]:
                float(row[key])                                         # a number, not text
                assert not row[key].startswith("'") and not re.search(r"\.\d*0$", row[key]), row
    rounding = next(r for r in rows if r["rule"] == "payments_vs_cumulative")
    assert (rounding["expected"], rounding["actual"], rounding["difference"]) == ("12883.3", "12883.27", "-0.03")
    assert rounding["values"] == "12883.27; 12883.3"                    # never rounded to 6 digits


def test_csv_lists_every_evidence_page(written):
    _, first, _ = written
    rows = _csv(first)
    for row, finding in zip(rows, first.data.findings):
        pages = list(dict.fromkeys(e["page"] for e in finding["evidence"]))
        assert row["finding_id"] == finding["finding_id"]
        assert row["pages"] == "; ".join(map(str, pages)) and row["page"] == str(pages[0])
        assert row["evidence"].count("\n") == len(finding["evidence"]) - 1
    assert any(len(r["pages"].split("; ")) >= 3 for r in rows)


def test_only_the_first_report_marks_everything_new(written):
    _, first, second = written
    assert first.data.counts["new"] > 0 and not first.data.has_previous
    assert second.data.has_previous and second.data.counts["new"] == 0
    assert second.exit_code("new") == 0 and second.exit_code("any") == 1 and second.exit_code("never") == 0
    assert first.exit_code("new") == 1


@pytest.fixture
def fresh_db(report_db, tmp_path) -> Path:
    db = tmp_path / "fresh.duckdb"
    shutil.copy(report_db, db)
    return db


def test_report_command_and_exit_codes(fresh_db, tmp_path, capsys):
    out = tmp_path / "reports"
    assert main(["report", "--db", str(fresh_db), "--out", str(out), "--date", "2026-02-01"]) == 1
    assert main(["report", "--db", str(fresh_db), "--out", str(out), "--date", "2026-02-02"]) == 0
    assert "0 new" in capsys.readouterr().out


def test_twice_the_same_day_reports_nothing_new_the_second_time(fresh_db, tmp_path, capsys):
    out = tmp_path / "reports"
    assert main(["report", "--db", str(fresh_db), "--out", str(out), "--date", "2026-03-01"]) == 1
    assert main(["report", "--db", str(fresh_db), "--out", str(out), "--date", "2026-03-01"]) == 0
    printed = capsys.readouterr().out
    assert printed.count("0 new") == 1 and "0 resolved" in printed
    md = (out / "2026-03-01" / "summary.md").read_text(encoding="utf-8")
    assert "**新**" not in md


def test_the_memory_is_in_the_database_not_in_the_report_folder(fresh_db, tmp_path):
    out = tmp_path / "reports"
    assert main(["report", "--db", str(fresh_db), "--out", str(out), "--date", "2026-03-01"]) == 1
    shutil.rmtree(out)                                    # deleting the folder loses nothing
    assert main(["report", "--db", str(fresh_db), "--out", str(out), "--date", "2026-03-02"]) == 0
    con = duckdb.connect(str(fresh_db), read_only=True)
    try:
        first, last = con.execute("SELECT min(first_seen), max(last_seen) FROM finding_history").fetchone()
        runs = con.execute("SELECT count(*) FROM report_runs").fetchone()[0]
    finally:
        con.close()
    assert (first, last, runs) == (dt.date(2026, 3, 1), dt.date(2026, 3, 2), 2)


def test_a_finding_gone_since_the_previous_report_is_listed_as_resolved(fresh_db, tmp_path):
    out = tmp_path / "reports"
    con = duckdb.connect(str(fresh_db))
    try:
        first = write_nightly(con, out, DAY1)
        gone = next(f for f in first.data.findings if f["severity"] == "error")
        con.execute("DELETE FROM findings WHERE doc_id = ? AND finding_id = ?", [gone["doc_id"], gone["finding_id"]])
        second = write_nightly(con, out, DAY2)
        resolved_on = con.execute("SELECT resolved_on FROM finding_history WHERE finding_id = ?",
                                  [gone["finding_id"]]).fetchone()[0]
    finally:
        con.close()
    assert [h["finding_id"] for h in second.data.resolved] == [gone["finding_id"]] and resolved_on == DAY2
    assert second.data.counts["new"] == 0 and second.exit_code("new") == 0
    md = (second.folder / "summary.md").read_text(encoding="utf-8")
    assert gone["message"] in md.split("## 已解决", 1)[1]
    html = (second.folder / "index.html").read_text(encoding="utf-8")
    assert html.count('class="resolved"') == 1


def test_unverifiable_checks_are_counted_apart_never_as_findings(written):
    _, first, _ = written
    assert all(f["outcome"] == "mismatch" for f in first.data.findings)
    md = (first.folder / "summary.md").read_text(encoding="utf-8")
    assert f"无法核对的检查 {sum(first.data.unverifiable.values())} 项" in md


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_a_person_sees_findings_and_a_chart_in_a_real_browser(written, tmp_path):
    _, first, _ = written
    page = first.folder / "index.html"
    args = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=5000"]
    dom = subprocess.run(args + ["--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120).stdout
    body = re.search(r"<body([^>]*)>", dom).group(1)
    assert 'data-ready="1"' in body and 'data-errors="0"' in body
    findings = int(re.search(r'data-findings="(\d+)"', body).group(1))
    bars = int(re.search(r'data-bars="(\d+)"', body).group(1))
    assert findings == len(first.data.findings) and findings >= 4
    assert bars == 3 * len([l for l in first.data.ledger if any(l[k] for k in ("budget_wan", "contract_wan", "paid_wan"))])
    assert "pwned" not in re.search(r"<title>(.*?)</title>", dom).group(1)
    shot = tmp_path / "shot.png"
    subprocess.run(args + [f"--screenshot={shot}", "--window-size=1200,900", page.as_uri()], capture_output=True,
                   timeout=120)
    assert shot.exists() and shot.stat().st_size > 10_000
