"""`jixiao sql` (printed table, CSV, xlsx, Parquet, errors) and `jixiao export --xlsx`."""
from __future__ import annotations

import csv
import datetime as dt
import re
import subprocess
import sys
import threading
from pathlib import Path

import duckdb
import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import ROOT, SAMPLES
from pipeline.cli import main
from pipeline.ingest import Options, ingest
from pipeline.outputs.sqlcmd import MAX_WIDTH, fit, sandbox
from pipeline.outputs.tabular import screen_width
from pipeline.outputs.workbook import COLUMNS_SHEET, WORKBOOK_TABLES
from pipeline.outputs.xlsx import sheet_name

SENTENCE = "项目总投资估算为6868.2万元"
FORMULA_START = ("=", "+", "-", "@")
EVIL = "'=HYPERLINK(\"http://x\",\"点我\")' AS f1, '+1+1' AS f2, '-2+3' AS f3, '@SUM(A1)' AS f4"


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sql") / "s.duckdb"
    ingest(SAMPLES, path, Options(workers=1, progress=False, quality="never"))
    return path


def count(db: Path, sql: str) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def run(db: Path, capsys, *args: str) -> tuple[int, str, str]:
    code = main(["sql", *args, "--db", str(db)])
    out, err = capsys.readouterr()
    return code, out, err


# --- the printed table ---------------------------------------------------------------------------

def test_display_width_and_fit():
    assert screen_width("海南ab") == 6 and screen_width("６８") == 4 and screen_width("abc") == 3
    cut = fit("海南省一体化在线政务服务平台项目", 9)
    assert cut.endswith("…") and screen_width(cut) <= 9 and cut.startswith("海南省")
    assert fit("short", 9) == "short"


def test_table_lines_up_chinese_and_right_aligns_numbers(db, capsys):
    code, out, _ = run(db, capsys, "SELECT project_name, file_name, pages FROM documents ORDER BY file_name")
    assert code == 0
    lines = out.rstrip("\n").split("\n")
    table, footer = lines[:-1], lines[-1]
    assert footer == "(4 rows)"
    assert len(table) == 2 + 4                                    # header, rule, four rows
    assert len({screen_width(line) for line in table}) == 1      # every line equally wide on screen
    assert "海南省一体化在线政务服务平台项目" in out
    assert table[0].endswith("pages") and set(table[1]) <= {"-", " "}
    pages = {r[0]: r[1] for r in _rows(db, "SELECT file_name, pages FROM documents")}
    for line in table[2:]:
        name = next(n for n in pages if n in line)
        assert line.endswith(f" {pages[name]}")                   # numbers right-aligned


def test_long_cells_are_cut_and_control_characters_never_reach_the_terminal(db, capsys):
    code, out, _ = run(db, capsys, "SELECT sentence, NULL AS nothing, 'a' || chr(27) || '[31m红' || chr(10) || 'b' AS esc "
                                   "FROM facts ORDER BY length(sentence) DESC LIMIT 3")
    assert code == 0
    lines = out.rstrip("\n").split("\n")[:-1]
    assert len({screen_width(line) for line in lines}) == 1
    assert all("…" in line for line in lines[2:])
    assert all(screen_width(line.split("  ")[0]) <= MAX_WIDTH for line in lines)
    assert "\x1b" not in out and "a\ufffd[31m红 b" in out


def test_max_rows_says_how_many_were_left_out(db, capsys):
    total = count(db, "SELECT count(*) FROM facts")
    code, out, _ = run(db, capsys, "SELECT fact_id, kind, value_wan FROM facts", "--max-rows", "5")
    assert code == 0
    lines = out.rstrip("\n").split("\n")
    assert len(lines) == 2 + 5 + 1
    assert f"{total} rows; showing the first 5, {total - 5} left out" in lines[-1]
    code, out, _ = run(db, capsys, "SELECT fact_id FROM facts", "--max-rows", "0")
    assert out.rstrip().endswith(f"({total} rows)") and len(out.rstrip("\n").split("\n")) == 2 + total + 1


# --- files ---------------------------------------------------------------------------------------

def test_csv_has_a_bom_and_no_formulas(db, capsys, tmp_path):
    target = tmp_path / "out" / "facts.csv"
    code, out, _ = run(db, capsys, f"SELECT d.file_name, f.kind, f.value_wan, f.sentence, {EVIL} "
                                   "FROM facts f JOIN documents d USING (doc_id)", "--csv", str(target))
    assert code == 0 and f"to {target}" in out
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0][:4] == ["file_name", "kind", "value_wan", "sentence"]
    assert len(rows) == 1 + count(db, "SELECT count(*) FROM facts")
    assert not [cell for row in rows for cell in row if cell.startswith(FORMULA_START)]
    assert rows[1][-4:] == ["'=HYPERLINK(\"http://x\",\"点我\")", "'+1+1", "'-2+3", "'@SUM(A1)"]
    assert any(r[2] == "6868.2" and SENTENCE in r[3] for r in rows)


def test_csv_keeps_negative_numbers_as_numbers(db, capsys, tmp_path):
    target = tmp_path / "n.csv"
    assert run(db, capsys, "SELECT -3 AS n, -1.50::DECIMAL(6,2) AS d, '-3' AS t, [1.5, -2]::DECIMAL(3,1)[] AS l",
               "--csv", str(target))[0] == 0
    assert target.read_text(encoding="utf-8-sig").splitlines()[1] == "-3,-1.5,'-3,\"[1.5, -2]\""


def test_xlsx_keeps_chinese_text_and_numbers(db, capsys, tmp_path):
    target = tmp_path / "facts.xlsx"
    code, _, _ = run(db, capsys, f"SELECT d.file_name, f.value_wan, f.date_start, f.sentence, {EVIL} "
                                 "FROM facts f JOIN documents d USING (doc_id) ORDER BY d.file_name, f.fact_id",
                     "--xlsx", str(target))
    assert code == 0
    ws = openpyxl.load_workbook(target).active
    header = [c.value for c in ws[1]]
    assert header[:4] == ["file_name", "value_wan", "date_start", "sentence"] and ws["A1"].font.b
    assert ws.freeze_panes == "A2"
    assert ws.max_row == 1 + count(db, "SELECT count(*) FROM facts")
    first = [c.value for c in ws[2]]
    assert first[0] == "001_0eae385221b322f5.pdf"
    assert first[1] == 6868.2 and isinstance(first[1], float)
    assert first[2] == dt.datetime(2019, 11, 8) and ws["C2"].is_date
    assert SENTENCE in first[3]
    assert first[4:] == ["'=HYPERLINK(\"http://x\",\"点我\")", "'+1+1", "'-2+3", "'@SUM(A1)"]
    assert not [c for row in ws.iter_rows() for c in row if c.data_type == "f"]


def test_parquet_reads_back(db, capsys, tmp_path):
    target = tmp_path / "facts.parquet"
    code, out, _ = run(db, capsys, "SELECT doc_id, fact_id, kind, value_wan, sentence FROM facts", "--parquet",
                       str(target))
    assert code == 0 and "wrote" in out
    table = pq.read_table(target)
    assert table.num_rows == count(db, "SELECT count(*) FROM facts")
    assert table.column_names == ["doc_id", "fact_id", "kind", "value_wan", "sentence"]
    assert any(SENTENCE in s for s in table.column("sentence").to_pylist())


# --- errors --------------------------------------------------------------------------------------

def test_a_bad_query_is_a_clear_error(db, capsys):
    code, out, err = run(db, capsys, "SELECT * FROM no_such_table")
    assert code == 2 and out == ""
    assert err.startswith("jixiao: error: the query failed:") and "no_such_table" in err
    assert "Traceback" not in err
    code, _, err = run(db, capsys, "SELEC 1")
    assert code == 2 and "syntax error" in err


@pytest.mark.parametrize("sql", ["DELETE FROM facts", "INSERT INTO meta VALUES ('k', 'v')", "DROP TABLE facts",
                                 "CREATE TABLE t AS SELECT 1", "ATTACH 'other.duckdb'"])
def test_a_write_statement_is_refused(db, capsys, sql):
    before = count(db, "SELECT count(*) FROM facts")
    code, out, err = run(db, capsys, sql)
    assert code == 2 and out == ""
    assert "only reads" in err and "read-only" in err
    assert count(db, "SELECT count(*) FROM facts") == before


def test_one_statement_only_and_no_database(db, capsys, tmp_path):
    code, _, err = run(db, capsys, "SELECT 1; DELETE FROM facts")
    assert code == 2 and "one statement" in err
    assert main(["sql", "SELECT 1", "--db", str(tmp_path / "missing.duckdb")]) == 2
    assert f"the database {tmp_path / 'missing.duckdb'} does not exist" in capsys.readouterr().err


# --- the sandbox: the analyst's SQL reaches nothing but the database ----------------------------

SECRET = "hunter2-not-for-sql"
ESCAPES = {   # what a query tried -> the statement; {out} must never be written, {secret} never read
    "copy to": "COPY (SELECT 1 AS a) TO '{out}'",
    "explain analyze copy": "EXPLAIN ANALYZE COPY (SELECT 1 AS a) TO '{out}'",
    "read_csv": "SELECT * FROM read_csv('{secret}')",
    "read_text": "SELECT content FROM read_text('{secret}')",
    "read_blob": "SELECT content FROM read_blob('{secret}')",
    "a file as a table": "SELECT * FROM '{secret}'",
    "glob": "SELECT file FROM glob('{folder}/*')",
    "glob home": "SELECT file FROM glob('~/*')",
    "read_parquet https": "SELECT * FROM read_parquet('https://127.0.0.1:9/x.parquet')",
    "set back": "SET enable_external_access = true",
    "reset": "RESET enable_external_access",
    "unlock": "SET lock_configuration = false",
    "install": "INSTALL httpfs",
    "load": "LOAD httpfs",
    "attach": "ATTACH '{out}' AS other",
}


@pytest.fixture
def hostile(tmp_path) -> dict[str, str]:
    folder = tmp_path / "private"
    folder.mkdir()
    (folder / "secret.csv").write_text(f"user,password\nroot,{SECRET}\n")
    return {"out": str(tmp_path / "x.sh"), "secret": str(folder / "secret.csv"), "folder": str(folder)}


@pytest.mark.parametrize("name", ESCAPES)
def test_sql_cannot_touch_the_file_system_network_or_extensions(db, capsys, hostile, name):
    code, out, err = run(db, capsys, ESCAPES[name].format(**hostile))
    assert code == 2 and out == "" and "Traceback" not in err
    assert SECRET not in err and "secret.csv" not in out
    assert not Path(hostile["out"]).exists()


@pytest.mark.parametrize("name", ESCAPES)
def test_the_sandboxed_connection_refuses_even_without_the_statement_check(db, hostile, name):
    """DuckDB itself refuses, not only our list of read statements (EXPLAIN ANALYZE COPY passed it)."""
    con = sandbox(duckdb.connect(str(db), read_only=True))
    try:
        with pytest.raises(duckdb.Error) as info:
            con.execute(ESCAPES[name].format(**hostile)).fetchall()
        assert SECRET not in str(info.value)
        assert not Path(hostile["out"]).exists()
        assert con.execute("SELECT current_setting('enable_external_access')").fetchone()[0] is False
    finally:
        con.close()


def test_a_file_query_names_the_sandbox(db, capsys, hostile):
    code, _, err = run(db, capsys, ESCAPES["explain analyze copy"].format(**hostile))
    assert code == 2 and "sql reads only the database: files, URLs, extensions and settings are off" in err
    code, _, err = run(db, capsys, ESCAPES["read_text"].format(**hostile))
    assert code == 2 and "disabled by configuration" in err


def test_python_objects_are_not_tables_either(db):
    con = sandbox(duckdb.connect(str(db), read_only=True))
    rows_in_python = pa.table({"password": [SECRET]})      # noqa: F841 (a replacement scan would find it)
    try:
        with pytest.raises(duckdb.Error):
            con.execute("SELECT * FROM rows_in_python").fetchall()
    finally:
        con.close()


def test_selects_and_every_view_still_work_in_the_sandbox(db, capsys):
    views = re.findall(r"CREATE OR REPLACE VIEW (\w+)", (ROOT / "schemas" / "ddl.sql").read_text(encoding="utf-8"))
    assert {"ledger", "vendors", "open_findings", "fact_sources"} <= set(views)
    for view in views:
        code, out, err = run(db, capsys, f"SELECT count(*) AS n FROM {view}")
        assert code == 0 and err == "" and out.rstrip().endswith("(1 row)"), view
    code, out, _ = run(db, capsys, f"SELECT kind, contains(sentence, '{SENTENCE}') AS quoted FROM facts "
                                   "WHERE value_wan = 6868.2 LIMIT 1")
    assert code == 0 and out.split("\n")[2].split() == ["budget", "true"]
    code, out, _ = run(db, capsys, "EXPLAIN SELECT count(*) FROM facts")
    assert code == 0


# --- a database in use: --wait -------------------------------------------------------------------

def test_sql_and_report_wait_for_a_writer_with_wait(db, capsys, tmp_path):
    busy = tmp_path / "busy.duckdb"
    busy.write_bytes(db.read_bytes())
    script = (f"import duckdb, sys; c = duckdb.connect({str(busy)!r}); print('ready', flush=True); "
              "sys.stdin.readline(); c.close()")
    with subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          text=True) as holder:
        try:
            assert holder.stdout.readline().strip() == "ready"
            for command in (["sql", "SELECT 1"], ["report", "--out", str(tmp_path / "r")]):
                assert main([*command, "--db", str(busy)]) == 2
                err = capsys.readouterr().err
                assert "is in use by another process" in err and "--wait" in err
            release = threading.Timer(1.0, lambda: (holder.stdin.write("\n"), holder.stdin.flush()))
            release.start()
            assert main(["sql", "SELECT count(*) FROM documents", "--db", str(busy), "--wait", "30"]) == 0
            assert capsys.readouterr().out.rstrip().endswith("(1 row)")
            release.join()
            assert main(["report", "--db", str(busy), "--out", str(tmp_path / "r"), "--wait", "5",
                         "--fail-on", "never"]) == 0
        finally:
            holder.kill()


# --- export --xlsx -------------------------------------------------------------------------------

def test_export_writes_a_workbook_with_a_sheet_per_table(db, capsys, tmp_path):
    book = tmp_path / "book" / "jixiao.xlsx"
    assert main(["export", str(tmp_path / "json"), "--db", str(db), "--xlsx", str(book)]) == 0
    out = capsys.readouterr().out
    assert "wrote 4 report(s)" in out and f"sheet(s) to {book}" in out
    assert ({p.name for p in (tmp_path / "json").glob("*.json")}              # no clash: the plain names
            == {f"{p.stem}.json" for p in SAMPLES.glob("*.pdf")})
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == [COLUMNS_SHEET, *WORKBOOK_TABLES]
    assert all(len(name) <= 31 for name in wb.sheetnames)
    facts = wb["facts"]
    assert facts.freeze_panes == "A2" and facts["A1"].font.b
    header = [c.value for c in facts[1]]
    values = [dict(zip(header, (c.value for c in row))) for row in facts.iter_rows(min_row=2)]
    assert len(values) == count(db, "SELECT count(*) FROM facts")
    hit = [v for v in values if v["value_wan"] == 6868.2]
    assert hit and SENTENCE in hit[0]["sentence"] and hit[0]["kind"] == "budget"
    assert facts.column_dimensions["A"].width >= 6
    docs = wb["documents"]
    assert {c.value for c in docs["A"][1:]} == {p.name for p in SAMPLES.glob("*.pdf")}
    assert not [c for ws in wb for row in ws.iter_rows() for c in row if c.data_type == "f"]


def test_sheet_names_are_valid_and_unique():
    used: set[str] = set()
    long = "a_very_long_table_name_beyond_the_limit_of_excel"
    assert len(sheet_name(long, used)) == 31
    second = sheet_name(long, used)
    assert len(second) == 31 and second.endswith("_2")
    assert sheet_name("a/b:c?", used) == "a_b_c_"


def _rows(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


# --- sql: --max-width, --json, the query from standard input -------------------------------------

def test_max_width_cuts_cells_where_asked_and_zero_never(db, capsys):
    sql = "SELECT sentence FROM facts ORDER BY length(sentence) DESC LIMIT 2"
    longest = _rows(db, sql)[0][0]
    code, out, _ = run(db, capsys, sql, "--max-width", "12")
    assert code == 0 and all(screen_width(line) <= 12 for line in out.splitlines()[:-1])
    code, out, _ = run(db, capsys, sql, "--max-width", "0")
    assert code == 0 and longest in out and "…" not in out
    code, _, err = run(db, capsys, sql, "--max-width", "-1")
    assert code == 2 and "--max-width must be 0 (no limit) or more" in err


def test_json_prints_every_row_with_exact_numbers(db, capsys):
    import json

    total = count(db, "SELECT count(*) FROM facts")
    code, out, err = run(db, capsys, "SELECT fact_id, value_wan, date_start, sentence, [1.5, -2]::DECIMAL(3,1)[] AS l, "
                                     "NULL AS n FROM facts ORDER BY doc_id, fact_id", "--json", "--max-rows", "3")
    assert code == 0 and err == ""
    rows = json.loads(out)
    assert len(rows) == total                                           # --max-rows is for the printed table
    assert set(rows[0]) == {"fact_id", "value_wan", "date_start", "sentence", "l", "n"}
    assert any(r["value_wan"] == 6868.2 and isinstance(r["value_wan"], float) for r in rows)
    assert '"value_wan": 6868.2,' in out and "6868.200000" not in out  # the Decimal as written, not padded
    assert rows[0]["l"] == [1.5, -2] and rows[0]["n"] is None
    assert all(r["date_start"] is None or re.fullmatch(r"\d{4}-\d\d-\d\d", r["date_start"]) for r in rows)
    code, out, _ = run(db, capsys, "SELECT 1 AS x WHERE false", "--json")
    assert code == 0 and json.loads(out) == []


def test_json_is_one_of_the_outputs(db, capsys, tmp_path):
    with pytest.raises(SystemExit):
        main(["sql", "SELECT 1", "--db", str(db), "--json", "--csv", str(tmp_path / "x.csv")])
    assert "not allowed with argument" in capsys.readouterr().err


def test_the_query_comes_from_standard_input(db, capsys, monkeypatch):
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO("SELECT count(*) AS n\nFROM documents\n"))
    code, out, _ = run(db, capsys, "-")
    assert code == 0 and out.split("\n")[2].strip() == "4"
    monkeypatch.setattr(sys, "stdin", io.StringIO("SELECT 7 AS seven"))
    assert main(["sql", "--db", str(db)]) == 0                         # no query and a pipe: read it
    assert "7" in capsys.readouterr().out
    monkeypatch.setattr(sys, "stdin", io.StringIO("  \n"))
    assert main(["sql", "-", "--db", str(db)]) == 2
    assert "standard input held no query" in capsys.readouterr().err


def test_no_query_on_a_terminal_says_how_to_give_one(db, capsys, monkeypatch):
    import io

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr(sys, "stdin", Terminal(""))
    assert main(["sql", "--db", str(db)]) == 2
    assert "give a query" in capsys.readouterr().err


def test_sql_query_from_a_pipe_end_to_end(db):
    out = subprocess.run([sys.executable, "-m", "pipeline", "sql", "--db", str(db), "--json"],
                         input="SELECT file_name FROM documents ORDER BY 1 LIMIT 1", capture_output=True,
                         text=True, cwd=ROOT)
    assert out.returncode == 0 and '"file_name": "001_0eae385221b322f5.pdf"' in out.stdout


# --- the workbook finance staff open ------------------------------------------------------------

@pytest.fixture(scope="module")
def book(db, tmp_path_factory):
    path = tmp_path_factory.mktemp("book") / "all.xlsx"
    assert main(["export", str(path.parent / "json"), "--db", str(db), "--xlsx", str(path)]) == 0
    return openpyxl.load_workbook(path)


def _header(ws) -> list[str]:
    return [c.value for c in ws[1]]


def test_every_sheet_has_a_filter_on_its_header(book):
    from openpyxl.utils import get_column_letter

    for ws in book:
        assert ws.auto_filter.ref == f"A1:{get_column_letter(ws.max_column)}{ws.max_row}", ws.title


def test_money_shows_as_thousands_with_two_decimals(book):
    seen = 0
    for ws in book:
        for i, name in enumerate(_header(ws), start=1):
            if str(name).endswith("_wan"):
                for row in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                    if isinstance(row[0].value, (int, float)):
                        assert row[0].number_format == "#,##0.00", (ws.title, name)
                        seen += 1
    assert seen > 100
    ledger = book["ledger"]
    budget = _header(ledger).index("budget_wan") + 1
    assert 6868.2 in [ledger.cell(r, budget).value for r in range(2, ledger.max_row + 1)]


def test_file_name_comes_first_on_every_sheet_about_reports(book):
    for ws in book:
        header = _header(ws)
        if "doc_id" in header:
            assert header[0] == "file_name", ws.title
            assert all(ws.cell(r, 1).value for r in range(2, ws.max_row + 1)), ws.title


def test_the_views_the_readme_uses_are_sheets(book):
    assert {"fact_sources", "contract_latest", "quality", "ledger", "open_findings", "vendors"} <= set(book.sheetnames)
    assert book["fact_sources"].max_row == 1 + count_rows(book, "fact_evidence")


def count_rows(book, sheet: str) -> int:
    return book[sheet].max_row - 1


def test_evidence_is_plain_columns_not_json(book):
    header = _header(book["findings"])
    assert {"page", "pages", "quote", "evidence"} <= set(header) and "values" in header
    rows = [dict(zip(header, (c.value for c in row))) for row in book["findings"].iter_rows(min_row=2)]
    assert all(isinstance(r["page"], int) for r in rows)
    assert any(r["pages"] == "2; 5; 10" and r["evidence"].startswith("第2页：") for r in rows)
    for ws in book:
        for row in ws.iter_rows(min_row=2):
            for c in row:
                assert not (isinstance(c.value, str) and c.value.startswith(("[{", "{\""))), (ws.title, c.value)


def test_a_sheet_describes_every_column_in_chinese(book):
    assert book.sheetnames[0] == COLUMNS_SHEET
    described = {}
    for sheet, column, meaning in book[COLUMNS_SHEET].iter_rows(min_row=2, values_only=True):
        assert meaning and re.search(r"[\u4e00-\u9fff]", meaning), (sheet, column)
        described.setdefault(sheet, set()).add(column)
    for ws in book.worksheets[1:]:
        assert set(_header(ws)) <= described[ws.title], (ws.title, set(_header(ws)) - described[ws.title])
        assert None in described[ws.title]                      # and a line for the sheet itself


def test_a_failed_xlsx_write_is_one_clear_line(db, tmp_path):
    """No 'Exception ignored in …' tracebacks from the XML writer, no half-written file."""
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    for target in (blocker / "out.xlsx", Path("/dev/full")):
        if not target.parent.exists() or (target == Path("/dev/full") and not target.exists()):
            continue
        out = subprocess.run([sys.executable, "-m", "pipeline", "sql", "SELECT * FROM facts", "--db", str(db),
                              "--xlsx", str(target)], capture_output=True, text=True, cwd=ROOT)
        assert out.returncode == 2
        assert out.stderr.count("\n") == 1 and out.stderr.startswith("jixiao: error: cannot"), out.stderr
        assert "Traceback" not in out.stderr and "lxml" not in out.stderr


def test_a_failing_save_inside_the_xml_writer_is_quiet(tmp_path):
    script = (
        "import sys; from pathlib import Path; from pipeline.outputs.xlsx import Workbook, _save_quietly\n"
        "b = Workbook(Path('x.xlsx')); b.add_sheet('s', ['a_wan', 'b'], [[1.5, 'x']] * 600)\n"
        f"print(repr(_save_quietly(b, {str(tmp_path / 'no' / 'such' / 'folder' / 'x.xlsx')!r})))\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0 and "No such file" in out.stdout and out.stderr == "", out.stderr


def test_a_sheet_over_the_row_limit_is_one_clear_line(db):
    script = ("import sys; import pipeline.outputs.xlsx as x; x.EXCEL_MAX_ROWS, x.WIDTH_SAMPLE = 10, 5\n"
              "from pipeline.cli import main\n"
              f"sys.exit(main(['sql', 'SELECT * FROM facts', '--db', {str(db)!r}, '--xlsx', 'never.xlsx']))\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 2 and out.stderr.count("\n") == 1 and "the most a worksheet holds" in out.stderr
    assert not (ROOT / "never.xlsx").exists()
