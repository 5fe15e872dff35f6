"""End to end: folders of PDFs into DuckDB, re-runs, changed files, bad files, locks, workers."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import FIXTURES, SAMPLES, fresh_python
from pipeline.cli import main
from pipeline.outputs.export import export
from pipeline.ingest import Options, discover, ingest
from pipeline.worker import Job, process

COUNTED = ("documents", "pages", "sentences", "table_cells", "amounts", "dates", "percentages", "counts",
           "ingest_errors")


def counts(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in COUNTED}
    finally:
        con.close()


def query(db: Path, sql: str, params=()):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("db") / "samples.duckdb"
    summary = ingest(SAMPLES, db, Options(workers=1, progress=False))
    assert (summary.seen, summary.new, summary.failed, summary.pages) == (4, 4, 0, 48)
    return db


def test_samples_are_ingested_ok(sample_db):
    rows = query(sample_db, "SELECT file_name, status, pages, text_source FROM documents ORDER BY 1")
    assert rows == [("001_0eae385221b322f5.pdf", "ok", 15, "pdf"), ("002_ed56922f022e386f.pdf", "ok", 16, "pdf"),
                    ("003_7b98f24135c041f8.pdf", "ok", 13, "pdf"), ("004_bde0c0f62c0d9a40.pdf", "ok", 4, "pdf")]
    assert query(sample_db, "SELECT count(*) FROM amounts")[0][0] == 99
    # the amount's span points into its page's text
    page_text, raw = query(sample_db, """
        SELECT p.text, a.raw FROM amounts a JOIN pages p USING (doc_id, page)
        WHERE a.raw = '1361.5万元' ORDER BY a.char_start LIMIT 1""")[0]
    assert raw in page_text


def test_rerun_skips_unchanged_files_and_adds_nothing(sample_db):
    before = counts(sample_db)
    summary = ingest(SAMPLES, sample_db, Options(workers=1, progress=False))
    assert (summary.seen, summary.unchanged, summary.new, summary.changed) == (4, 4, 0, 0)
    assert counts(sample_db) == before
    assert query(sample_db, "SELECT count(*) FROM runs")[0][0] == 2


def test_force_rereads_without_duplicating(sample_db):
    before = counts(sample_db)
    summary = ingest(SAMPLES, sample_db, Options(workers=1, force=True, progress=False))
    assert counts(sample_db) == before
    assert (summary.seen, summary.reread, summary.new, summary.changed, summary.unchanged) == (4, 4, 0, 0, 0)
    assert "4 re-read" in summary.line()


def test_changed_file_replaces_its_rows(tmp_path):
    folder, db = tmp_path / "in", tmp_path / "x.duckdb"
    folder.mkdir()
    target = folder / "report.pdf"
    shutil.copy(SAMPLES / "004_bde0c0f62c0d9a40.pdf", target)
    ingest(folder, db, Options(workers=1, progress=False))
    shutil.copy(SAMPLES / "003_7b98f24135c041f8.pdf", target)
    summary = ingest(folder, db, Options(workers=1, progress=False))
    assert (summary.changed, summary.new) == (1, 0)
    assert query(db, "SELECT count(*), min(pages) FROM documents") == [(1, 13)]
    assert query(db, "SELECT count(DISTINCT doc_id) FROM amounts") == [(1,)]


def test_finds_pdfs_recursively_in_any_case(tmp_path):
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    shutil.copy(SAMPLES / "004_bde0c0f62c0d9a40.pdf", nested / "REPORT.PDF")
    (nested / "notes.txt").write_text("not a pdf")
    summary = ingest(tmp_path, tmp_path / "x.duckdb", Options(workers=1, progress=False))
    assert (summary.seen, summary.new) == (1, 1)


def _outside_secret(tmp_path: Path) -> Path:
    secret = tmp_path / "outside" / "passwd"
    secret.parent.mkdir()
    secret.write_text("root:x:0:0:secret-line-never-shown\n")
    return secret


def test_discovery_never_follows_links_out_of_the_folder(tmp_path):
    secret, root = _outside_secret(tmp_path), tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    shutil.copy(SAMPLES / "004_bde0c0f62c0d9a40.pdf", root / "sub" / "real.pdf")
    (root / "passwd.pdf").symlink_to(secret)                      # a file out of the folder
    (root / "dir.pdf").symlink_to(secret.parent, target_is_directory=True)
    (root / "up.pdf").symlink_to(Path("..") / "outside" / "passwd")  # relative, still out
    (root / "alias.pdf").symlink_to(Path("sub") / "real.pdf")     # a link within the folder is fine
    (root / "loop.pdf").symlink_to("loop.pdf")                    # a loop is neither, and never raises
    files, outside = discover(root)
    assert [p.name for p in files] == ["alias.pdf", "real.pdf"]
    assert [p.name for p in outside] == ["dir.pdf", "passwd.pdf", "up.pdf"]


def test_a_link_out_of_the_folder_is_a_failed_row_and_its_target_is_never_read(tmp_path, capsys):
    secret, root, db = _outside_secret(tmp_path), tmp_path / "in", tmp_path / "l.duckdb"
    root.mkdir()
    shutil.copy(FIXTURES / "bad" / "blank-page.pdf", root / "blank.pdf")
    (root / "passwd.pdf").symlink_to(secret)
    for _ in range(2):                                            # a re-run records it again, once
        assert main(["ingest", str(root), "--db", str(db), "--no-progress", "--quality", "never", "--no-ocr"]) == 0
        err = capsys.readouterr().err
        assert f"failed: {root / 'passwd.pdf'}: a link to {secret}, outside the input folder: not followed" in err
        assert "secret-line" not in err
    rows = query(db, "SELECT d.path, d.status, e.stage, e.code, e.reason FROM documents d JOIN ingest_errors e "
                     "USING (doc_id) WHERE d.file_name = 'passwd.pdf'")
    assert rows == [(str(root / "passwd.pdf"), "failed", "open", "link_outside",
                     f"a link to {secret}, outside the input folder: not followed")]
    assert not query(db, "SELECT * FROM documents WHERE path = ? OR error LIKE '%secret-line%'", [str(secret)])


def test_export_never_overwrites_reports_of_the_same_name(tmp_path):
    root = tmp_path / "in"
    for folder, sample in (("a", "004_bde0c0f62c0d9a40.pdf"), ("b", "003_7b98f24135c041f8.pdf")):
        (root / folder).mkdir(parents=True)
        shutil.copy(SAMPLES / sample, root / folder / "report.pdf")
    shutil.copy(FIXTURES / "bad" / "blank-page.pdf", root / "a" / "other.pdf")
    db = tmp_path / "e.duckdb"
    ingest(root, db, Options(workers=1, progress=False, quality="never", ocr=False))
    con = duckdb.connect(str(db), read_only=True)
    try:
        written = export(con, tmp_path / "out")
    finally:
        con.close()
    ids = {doc_id for (doc_id,) in query(db, "SELECT doc_id FROM documents WHERE file_name = 'report.pdf'")}
    assert len(ids) == 2 and len(written) == 3
    assert sorted(p.name for p in written) == sorted(["other.json"] + [f"report-{i[:8]}.json" for i in ids])
    assert {json.loads(p.read_text(encoding="utf-8"))["doc_id"] for p in written if p.name != "other.json"} == ids


def test_bad_files_are_recorded_and_the_run_goes_on(tmp_path):
    db = tmp_path / "bad.duckdb"
    assert main(["ingest", str(FIXTURES / "bad"), "--db", str(db), "--workers", "2", "--no-progress"]) == 0
    status = dict(query(db, "SELECT file_name, status FROM documents"))
    assert status == {"blank-page.pdf": "partial", "corrupt-stream.pdf": "partial", "empty.pdf": "failed",
                      "encrypted.pdf": "failed", "html-saved-as.pdf": "failed", "not-a-pdf.pdf": "failed",
                      "truncated.pdf": "partial"}         # the pages that survive the cut are read
    codes = {(f, c) for f, c in query(db, "SELECT d.file_name, e.code FROM ingest_errors e JOIN documents d "
                                         "USING (doc_id)")}
    assert {("empty.pdf", "empty"), ("encrypted.pdf", "encrypted"), ("html-saved-as.pdf", "html"),
            ("not-a-pdf.pdf", "not_pdf"), ("truncated.pdf", "truncated"), ("blank-page.pdf", "no_text"),
            ("corrupt-stream.pdf", "broken_stream")} <= codes
    # the password opens the encrypted file on the next run, and only that file is re-read
    assert main(["ingest", str(FIXTURES / "bad"), "--db", str(db), "--password", "user-pw", "--no-progress"]) == 0
    assert query(db, "SELECT status, encrypted FROM documents WHERE file_name = 'encrypted.pdf'") == [("ok", True)]


def test_exit_status_is_1_when_nothing_could_be_read(tmp_path, capsys):
    shutil.copy(FIXTURES / "bad" / "empty.pdf", tmp_path / "empty.pdf")
    assert main(["ingest", str(tmp_path), "--db", str(tmp_path / "x.duckdb"), "--no-progress"]) == 1
    assert "the file is empty" in capsys.readouterr().err


def test_no_pdfs_is_a_clear_error(tmp_path, capsys):
    assert main(["ingest", str(tmp_path), "--db", str(tmp_path / "x.duckdb")]) == 2
    assert "no PDF files found under" in capsys.readouterr().err


def test_a_second_writer_is_refused_with_a_clear_message(tmp_path, capsys):
    db = tmp_path / "locked.duckdb"
    holder = subprocess.Popen([sys.executable, "-c",
                               f"import duckdb, time; c = duckdb.connect({str(db)!r}); print('ready', flush=True); "
                               "time.sleep(30)"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        assert main(["ingest", str(SAMPLES), "--db", str(db), "--no-progress"]) == 2
        err = capsys.readouterr().err
        assert "is in use by another process" in err and "--wait" in err
    finally:
        holder.kill()
        holder.wait()


def test_same_rows_whatever_the_number_of_workers(tmp_path, sample_db):
    db2 = tmp_path / "two.duckdb"
    ingest(SAMPLES, db2, Options(workers=2, progress=False))
    sql = "SELECT doc_id, mention_id, page, raw, value_wan, sentence FROM amounts ORDER BY doc_id, mention_id"
    assert query(db2, sql) == query(sample_db, sql)
    sql = "SELECT doc_id, mention_id, iso FROM dates ORDER BY doc_id, mention_id"
    assert query(db2, sql) == query(sample_db, sql)


def test_a_document_over_its_time_budget_fails_alone(tmp_path):
    pdf = SAMPLES / "001_0eae385221b322f5.pdf"
    result = process(Job(str(pdf), "x" * 64, pdf.stat().st_size, "run", timeout_s=0.001))
    assert result.status == "failed"
    assert result.tables["ingest_errors"].to_pylist()[0]["code"] == "timeout"
    assert "longer than 0.001 s" in result.error


def test_unchanged_files_are_skipped_without_hashing(tmp_path, monkeypatch):
    import pipeline.ingest as ingest_module

    folder, db = tmp_path / "in", tmp_path / "x.duckdb"
    folder.mkdir()
    shutil.copy(SAMPLES / "004_bde0c0f62c0d9a40.pdf", folder / "a.pdf")
    ingest(folder, db, Options(workers=1, progress=False, quality="never"))
    hashed = []
    real = ingest_module.sha256_of
    monkeypatch.setattr(ingest_module, "sha256_of", lambda p: hashed.append(p.name) or real(p))
    summary = ingest(folder, db, Options(workers=1, progress=False, quality="never"))
    assert (summary.unchanged, hashed) == (1, [])
    os.utime(folder / "a.pdf", ns=(1, 1))            # touched, same bytes: hashed, still unchanged
    summary = ingest(folder, db, Options(workers=1, progress=False, quality="never"))
    assert (summary.unchanged, summary.reread, hashed) == (1, 0, ["a.pdf"])
    ingest(folder, db, Options(workers=1, progress=False, quality="never"))
    assert hashed == ["a.pdf"]                        # its new time was kept


def test_the_workers_start_loading_when_the_first_file_to_read_is_found(tmp_path, monkeypatch):
    import pipeline.ingest as ingest_module
    import pipeline.lifeline as lifeline

    folder, db = tmp_path / "in", tmp_path / "x.duckdb"
    folder.mkdir()
    shutil.copy(SAMPLES / "004_bde0c0f62c0d9a40.pdf", folder / "a.pdf")
    started, listed = [], []
    real, real_discover = lifeline.start_fork_server, ingest_module.discover
    monkeypatch.setattr(lifeline, "start_fork_server", lambda: started.append(1) or real())
    monkeypatch.setattr(ingest_module, "discover", lambda root: listed.append(len(started)) or real_discover(root))
    ingest(folder, db, Options(workers=1, progress=False, quality="never"))
    assert listed == [1]                             # a new database: at once, before the files are listed
    started.clear()
    ingest(folder, db, Options(workers=1, progress=False, quality="never"))
    assert started == []                             # nothing to read: no worker is loaded
    for name in ("b.pdf", "c.pdf"):
        shutil.copy(SAMPLES / "003_7b98f24135c041f8.pdf", folder / name)
    summary = ingest(folder, db, Options(workers=1, progress=False, quality="never"))
    assert started == [1] and summary.new == 1       # once, when planning found the first of them


def test_the_suites_library_loads_while_the_documents_are_read_when_the_suites_will_run(tmp_path, monkeypatch):
    import pipeline.ingest as ingest_module

    folder, db = tmp_path / "in", tmp_path / "x.duckdb"
    folder.mkdir()
    shutil.copy(SAMPLES / "004_bde0c0f62c0d9a40.pdf", folder / "a.pdf")
    loads = []
    monkeypatch.setattr(ingest_module, "load_in_background", lambda: loads.append(1))
    ingest(folder, db, Options(workers=1, progress=False, quality="never"))
    assert loads == []                               # no suites
    shutil.copy(SAMPLES / "003_7b98f24135c041f8.pdf", folder / "b.pdf")
    ingest(folder, db, Options(workers=1, progress=False))
    assert loads == [1]                              # a file to read, then the suites
    ingest(folder, db, Options(workers=1, progress=False))
    assert loads == [1]                              # nothing read: nothing loaded early


def test_a_failed_background_load_is_kept_and_the_suites_raise_it_themselves(monkeypatch):
    import pipeline.quality as quality

    def broken():
        raise ImportError("no module named great_expectations")

    monkeypatch.setattr(quality, "_import_gx", broken)
    thread = quality.load_in_background()
    thread.join()
    assert isinstance(thread.error, ImportError)
    with pytest.raises(ImportError):
        quality.check_tables(duckdb.connect(), "run")


def test_the_command_starts_the_workers_before_it_loads_the_ingest_code(tmp_path):
    """`jixiao ingest` into a new database: the fork server loads the chain while the command
    loads DuckDB and the ingest code and lists the files, not after."""
    pdf = SAMPLES / "004_bde0c0f62c0d9a40.pdf"
    code = ("import sys; import pipeline.lifeline as lifeline; from pipeline.cli import main; seen = [];"
            "real = lifeline.start_fork_server;"
            "lifeline.start_fork_server = lambda: seen.append({'pipeline.ingest', 'duckdb'} & set(sys.modules)) or real();"
            f"main(['ingest', {str(pdf)!r}, '--db', {str(tmp_path / 'x.duckdb')!r}, '--workers', '1',"
            "'--no-progress', '--quality', 'never']); print(seen[0])")
    assert fresh_python(code).splitlines()[-1] == "set()"
