"""Messages a person reads when a command is given something wrong: each says what is wrong and
what is accepted, in one line, with no traceback."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from conftest import SAMPLES
from pipeline.cli import main
from pipeline.ingest import Options, ingest


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("m")
    shutil.copy(SAMPLES / "004_bde0c0f62c0d9a40.pdf", folder / "r.pdf")
    path = folder / "m.duckdb"
    ingest(folder, path, Options(workers=1, progress=False, quality="never"))
    return path


def _err(capsys) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err


def test_a_path_that_does_not_exist_says_so(tmp_path, capsys, db):
    assert main(["ingest", str(tmp_path / "nowhere"), "--db", str(tmp_path / "x.duckdb")]) == 2
    assert f"{tmp_path / 'nowhere'} does not exist" in _err(capsys)
    for command in (["report", "--out", str(tmp_path / "r")], ["sql", "SELECT 1"], ["export", str(tmp_path / "e")],
                    ["eval", "--gold", str(SAMPLES.parent / "gold")]):
        assert main([*command, "--db", str(tmp_path / "none.duckdb")]) == 2
        assert f"the database {tmp_path / 'none.duckdb'} does not exist" in _err(capsys), command
    assert main(["eval", "--gold", str(tmp_path / "no-gold"), "--db", str(db)]) == 2
    assert f"the gold folder {tmp_path / 'no-gold'} does not exist" in _err(capsys)



@pytest.mark.parametrize("word, days", [("today", 0), ("yesterday", 1), ("Yesterday", 1)])
def test_report_date_takes_today_and_yesterday(db, tmp_path, capsys, word, days):
    assert main(["report", "--db", str(db), "--out", str(tmp_path), "--date", word, "--fail-on", "never"]) == 0
    day = dt.date.today() - dt.timedelta(days=days)
    assert (tmp_path / day.isoformat() / "index.html").exists()


@pytest.mark.parametrize("bad", ["yestrday", "2026-13-01", "1/2/2026"])
def test_a_bad_date_says_what_is_accepted(db, tmp_path, capsys, bad):
    with pytest.raises(SystemExit) as info:
        main(["report", "--db", str(db), "--out", str(tmp_path), "--date", bad])
    assert info.value.code == 2
    err = _err(capsys)
    assert f"'{bad}' is not a date: give YYYY-MM-DD (e.g. 2026-01-31), today or yesterday" in err


@pytest.mark.parametrize("argv, meant", [
    (["ingest", "x", "--wrkers", "2"], "--workers"),
    (["ingest", "x", "--retry-faild"], "--retry-failed"),
    (["sql", "SELECT 1", "--max-widht", "3"], "--max-width"),
    (["report", "--fial-on", "any"], "--fail-on"),
    (["--degub", "report"], "--debug"),
    (["injest", "x"], "ingest"),
    (["report", "--fail-on", "nwe"], "new"),
    (["ingest", "x", "--quality", "alway"], "always"),
])
def test_a_mistyped_option_suggests_the_right_one(capsys, argv, meant):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    assert _err(capsys).rstrip().endswith(f"; did you mean {meant}?")


def test_an_option_nothing_resembles_gets_no_guess(capsys):
    with pytest.raises(SystemExit):
        main(["ingest", "x", "--zzzzzz"])
    err = _err(capsys)
    assert "unrecognized arguments: --zzzzzz" in err and "did you mean" not in err
