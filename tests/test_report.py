"""The nightly report: files, escaping, CSV safety, new and resolved findings remembered in the
database, unverifiable checks counted apart, exit codes, and a real browser."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from conftest import FIXTURES, SAMPLES
from pipeline.cli import main
from pipeline.ingest import Options, ingest
from pipeline.outputs.nightly import write_nightly
from pipeline.outputs.nightly.data import NightlyData
from pipeline.outputs.nightly.render import CHART_TOP, render_html
from pipeline.outputs.nightly.files import CSV_COLUMNS, csv_rows
from pipeline.outputs.tabular import safe_cell, write_csv_rows

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


def test_csv_numbers_are_numbers_written_as_people_write_them(written, tmp_path):
    _, first, _ = written
    rows = _csv(first)
    period = next(r for r in rows if r["rule"] == "year_total_vs_dated_payments")
    assert (period["expected"], period["actual"], period["difference"]) == ("0", "1012.55", "1012.55")
    for row in rows:
        for key in NUMERIC:
            if row[key]:
                float(row[key])                                         # a number, not text
                assert not row[key].startswith("'") and not re.search(r"\.\d*0$", row[key]), row
    # a rounding difference: negative, six decimals in the database, never rounded in `values`
    data = synthetic(1)
    data.findings[0].update(expected=Decimal("12883.300000"), actual=Decimal("12883.270000"),
                            difference=Decimal("-0.030000"), values=[12883.27, 12883.3])
    write_csv_rows(tmp_path / "f.csv", CSV_COLUMNS, csv_rows(data))
    row = next(csv.DictReader(io.StringIO((tmp_path / "f.csv").read_text(encoding="utf-8-sig"), newline="")))
    assert (row["expected"], row["actual"], row["difference"]) == ("12883.3", "12883.27", "-0.03")
    assert row["values"] == "12883.27; 12883.3"


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
    rows = re.findall(r'<tr class="finding".*?</tr>', dom, re.S)
    assert len(rows) == findings
    for row in rows:                       # every finding shows its page, cropped, the figures boxed
        assert re.search(r'<img alt="第\d+页" src="data:image/png;base64,[A-Za-z0-9+/=]{200,}"', row), row[:300]
        assert "#page=" in row
    shot = tmp_path / "shot.png"
    subprocess.run(args + [f"--screenshot={shot}", "--window-size=1200,900", page.as_uri()], capture_output=True,
                   timeout=120)
    assert shot.exists() and shot.stat().st_size > 10_000


# --- built for triage ----------------------------------------------------------------------------


EVIL = '<img src=x onerror="document.title=\'pwned\'">"\'&'


def synthetic(n_reports: int, quality=None, resolved=None) -> NightlyData:
    """n reports of invented money, three findings on the first, one unreadable and one missing file."""
    docs, ledger, findings = [], [], []
    for i in range(n_reports):
        doc = {"doc_id": f"d{i:04}", "file_name": f"r{i:04}{EVIL if i == 0 else ''}.pdf", "path": f"/in/r{i:04}.pdf",
               "status": "ok", "error": None}
        docs.append(doc)
        ledger.append({**doc, "project_name": f"项目{i}{EVIL if i == 0 else ''}", "budget_wan": Decimal(1000 + i),
                       "appropriation_wan": None, "contract_wan": Decimal(900 + i), "paid_wan": Decimal(i),
                       "balance_wan": None, "exec_rate_budget_pct": None})
    docs.append({"doc_id": "bad", "file_name": f"bad{EVIL}.pdf", "path": "/in/bad.pdf", "status": "failed",
                 "error": f"not a PDF {EVIL}"})
    docs.append({"doc_id": "gone", "file_name": "gone.pdf", "path": "/in/gone.pdf", "status": "missing",
                 "error": "the file is no longer at /in/gone.pdf"})
    for j, (sev, new) in enumerate((("warning", False), ("error", True), ("info", True))):
        findings.append({"doc_id": "d0000", "file_name": docs[0]["file_name"], "finding_id": f"f{j}", "severity": sev,
                         "kind": "conflict", "rule": "r", "message": f"问题{j}{EVIL}", "values": [1.5, -2.25],
                         "evidence": [{"page": j + 1, "quote": f"原文{EVIL}", "side": "a"}], "new": new,
                         "expected": None, "actual": None, "difference": None})
    data = NightlyData(DAY1, docs, ledger, findings, {"d0000": 2}, quality or [], [], True,
                       resolved=resolved or [], unverifiable={"d0000": 4}, previous_day=DAY1)
    for f in findings:
        data.by_doc.setdefault(f["doc_id"], []).append(f)
    return data


def test_the_top_counts_new_errors_warnings_unreadable_files_and_failed_checks():
    quality = [{"table_name": "facts", "expectation": "expect_x", "column": "c", "success": False,
                "unexpected_count": 2, "unexpected_sample": EVIL}]
    html = render_html(synthetic(3, quality=quality))
    cards = re.findall(r'<a class="card[^"]*" id="card-(\w+)-\d" href="#\w+">([^<]*)<b>(\d+)</b>', html)
    assert [(target, label, int(n)) for target, label, n in cards] == [
        ("findings", "新增错误", 1), ("findings", "新增警告", 0), ("unreadable", "无法读取的文件", 1),
        ("quality", "质量检查未通过", 1), ("missing", "已不存在的文件", 1)]
    assert html.index('id="findings"') < html.index('id="money"')         # findings before the chart


def test_findings_new_and_most_severe_first(written):
    _, first, second = written
    for data in (first.data, second.data):
        keys = [(not f["new"], {"error": 0, "warning": 1, "info": 2}[f["severity"]]) for f in data.findings]
        assert keys == sorted(keys)


def test_the_chart_is_bounded_and_the_rest_is_a_table():
    html = render_html(synthetic(120))
    assert len(re.findall(r'<rect class="bar"', html)) == 3 * CHART_TOP
    rest = html.split('id="other-reports"')[1].split("</table>")[0]
    assert rest.count("<tr>") == 1 + 120 - CHART_TOP                  # header + the other reports
    chart = html.split('id="chart"')[1].split("</svg>")[0]
    assert ">项目119</text>" in chart and ">项目100</text>" in chart            # the largest are drawn
    assert ">项目99</text>" not in chart and "项目0&lt;" not in chart


def test_passed_expectations_are_one_line_per_table_and_failures_in_full():
    quality = ([{"table_name": "facts", "expectation": f"e{i}", "column": "c", "success": True,
                 "unexpected_count": 0, "unexpected_sample": None} for i in range(7)]
               + [{"table_name": "pages", "expectation": f"p{i}", "column": "c", "success": i != 0,
                   "unexpected_count": 3 if i == 0 else 0, "unexpected_sample": EVIL if i == 0 else None}
                  for i in range(4)])
    html = render_html(synthetic(2, quality=quality)).split('id="quality"')[1].split("</section>")[0]
    lines = re.findall(r'<li data-table="(\w+)">(.*?)</li>', html)
    assert [t for t, _ in lines] == ["facts", "pages"]
    assert "7 项全部通过" in lines[0][1] and "3 项通过" in lines[1][1] and "1 项未通过" in lines[1][1]
    failed = html.split('id="quality-failed"')[1]
    assert failed.count("<tr>") == 2 and "expect" not in failed.replace("p0", "")   # only the failure
    assert "e3" not in html                                                          # passed ones not listed


def test_resolved_findings_have_a_section_fed_by_the_history():
    html = render_html(synthetic(2))
    assert 'id="resolved"' in html and "自上一份报告以来没有已解决的问题" in html
    done = [{"doc_id": "d0001", "file_name": "r0001.pdf", "severity": "error", "kind": "conflict",
             "message": f"已改正{EVIL}", "finding_id": "old1", "first_seen": DAY1, "resolved_on": DAY2},
            {"doc_id": "gone", "file_name": "gone.pdf", "severity": "warning", "kind": "conflict",
             "message": "随文件消失", "finding_id": "old2", "first_seen": DAY1, "resolved_on": DAY2}]
    section = render_html(synthetic(2, resolved=done)).split('id="resolved"')[1].split("</section>")[0]
    assert "已解决：2 项" in section and "old1" in section and "已改正&lt;img" in section
    assert section.count("文件已不存在") == 1                      # the finding whose file was deleted


def test_every_pdf_text_is_escaped_in_the_triage_page():
    html = render_html(synthetic(25, quality=[{"table_name": "t", "expectation": "e", "column": "c",
                                               "success": False, "unexpected_count": 1, "unexpected_sample": EVIL}]))
    assert "<img" not in html and "onerror=\"" not in html
    assert html.count("&lt;img") >= 6
    assert len(re.findall(r"<script>", html)) == 1 and "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    assert not re.search(r"""<(link|img|iframe)|src=|@import|url\(""", html.replace("&lt;img src=x", ""))


def test_the_page_has_a_print_stylesheet():
    html = render_html(synthetic(2))
    css = html.split("<style>")[1].split("</style>")[0]
    assert "@media print" in css and "@page" in css
    printed = css.split("@media print")[1]
    assert ".controls" in printed and "display:none" in printed and ".print-only{display:block}" in printed
    assert 'class="sign print-only"' in html


def _dom(page: Path, tmp_path: Path, fragment: str = "", size: str = "1200,900") -> str:
    args = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=5000", f"--window-size={size}"]
    return subprocess.run(args + ["--dump-dom", page.as_uri() + fragment], capture_output=True, text=True,
                          timeout=120).stdout


def _body(dom: str) -> dict[str, str]:
    body = re.search(r"<body([^>]*)>", dom).group(1)
    return dict(re.findall(r'data-([\w-]+)="([^"]*)"', body))


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_filter_and_sort_work_in_a_real_browser_and_live_in_the_address(written, tmp_path):
    _, first, _ = written
    page = first.folder / "index.html"
    errors = [f for f in first.data.findings if f["severity"] == "error"]
    body = _body(_dom(page, tmp_path, "#sev=error"))
    assert body["ready"] == "1" and body["errors"] == "0" and body["shown"] == str(len(errors))
    body = _body(_dom(page, tmp_path, "#sev=info&new=1"))
    assert body["shown"] == str(sum(f["severity"] == "info" and f["new"] for f in first.data.findings))
    dom = _dom(page, tmp_path, "#sort=page-")
    assert _body(dom)["sorted"] == "page-"
    pages = [int(p) for p in re.findall(r'<td class="num" data-v="(\d+)">\d+</td><td class="num"', dom)]
    assert pages == sorted(pages, reverse=True) and len(pages) == len(first.data.findings)
    body = _body(_dom(page, tmp_path, "#q=" + first.data.findings[0]["finding_id"]))
    assert body["shown"] == "1"


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_findings_stay_above_the_fold_with_120_reports(tmp_path):
    page = tmp_path / "index.html"
    page.write_text(render_html(synthetic(120)), encoding="utf-8")
    body = _body(_dom(page, tmp_path))
    assert body["ready"] == "1" and body["errors"] == "0"
    assert int(body["findings-top"]) < 900 and body["findings"] == "3" and body["bars"] == str(3 * CHART_TOP)
    assert "pwned" not in re.search(r"<title>(.*?)</title>", _dom(page, tmp_path)).group(1)


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_the_printed_report_hides_the_controls_and_has_a_place_to_sign(written, tmp_path):
    import pypdfium2

    _, first, _ = written
    pdf = tmp_path / "printed.pdf"
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    f"--user-data-dir={tmp_path / 'profile'}", "--no-pdf-header-footer",
                    f"--print-to-pdf={pdf}", (first.folder / "index.html").as_uri()], capture_output=True, timeout=120)
    doc = pypdfium2.PdfDocument(str(pdf))
    text = "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    assert "审核人" in text and "只看新增" not in text
    assert first.data.findings[0]["finding_id"] in text
