"""The README and the CLI help stay honest."""
from __future__ import annotations

import re
import subprocess
import sys

import duckdb
import pytest

from conftest import ROOT, SAMPLES
from pipeline.cli import build_parser
from pipeline.ingest import Options, ingest

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_starts_with_the_two_commands():
    first = README.splitlines()[:6]
    assert any(line.startswith("make ingest") for line in first)
    assert any(line.startswith("make test") for line in first)


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make test$", ci, re.M)


def _commands() -> dict:
    return next(a for a in build_parser()._actions if a.dest == "command").choices


def _options(command: str) -> set[str]:
    return {opt for action in _commands()[command]._actions for opt in action.option_strings
            if opt.startswith("--") and opt != "--help"}


def test_every_ingest_option_is_documented_and_no_other():
    section = README.split("## Ingesting your own folder")[1].split("\n## ")[0]
    documented = set(re.findall(r"^\| `(--[a-z-]+)", section, re.M))
    documented |= set(re.findall(r"/ `(--[a-z-]+)`", section))
    assert _options("ingest") <= documented
    assert documented - {"--debug"} <= _options("ingest")


@pytest.mark.parametrize("command", ["report", "export", "eval", "sql"])
def test_every_option_of_the_other_commands_is_documented(command):
    assert f"jixiao {command}" in README
    for option in _options(command):
        assert f"`{option}" in README, f"{command} {option} is not in the README"


def test_every_command_is_in_the_readme():
    assert all(f"jixiao {name}" in README for name in _commands())


def test_make_stress_and_its_options_are_documented():
    from pipeline.stress import build_parser as stress_parser

    section = README.split("## Stress")[1].split("\n## ")[0]
    assert "make stress" in section and "python -m pipeline.stress" in section
    options = {o for a in stress_parser()._actions for o in a.option_strings if o.startswith("--") and o != "--help"}
    assert options and all(f"`{o}" in section for o in options)
    assert "\nstress: setup" in (ROOT / "Makefile").read_text()


def test_python_dash_m_pipeline_works():
    out = subprocess.run([sys.executable, "-m", "pipeline", "ingest", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "--workers" in out.stdout


def test_readme_sql_runs(tmp_path):
    db = tmp_path / "readme.duckdb"
    ingest(SAMPLES / "001_0eae385221b322f5.pdf", db, Options(workers=1, progress=False))
    tables_section = README.split("### Tables")[1].split("\n## ")[0]
    for sql in re.findall(r"```sql\n(.*?)```", tables_section, re.S):
        rows = duckdb.connect(str(db), read_only=True).execute(sql).fetchall()
        assert rows, sql
        assert rows[0][1] == "6868.2万元"
