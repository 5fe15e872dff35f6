"""The house rules of issue 10: the chain lives in `extractors/` and imports nothing from
`pipeline/`; `pipeline/` reaches it through its entry point; the version fingerprint sees every
file of the chain; errors go through the CLI boundary with exit status 2."""
from __future__ import annotations

import ast
import shutil
from pathlib import Path

import duckdb
import pytest

from conftest import ROOT, SAMPLES
from extractors import read_document
from extractors import rules as rules_module
from pipeline.cli import main
from pipeline.version import PIPELINE_VERSION, fingerprint

PUBLIC = {"extractors"}       # what pipeline/ may import from the chain: the package's entry point


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.append(node.module)
    return out


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def test_the_chain_imports_nothing_from_the_pipeline():
    bad = [(p.name, m) for p in _modules("extractors") for m in _imports(p) if m.split(".")[0] == "pipeline"]
    assert bad == []


def test_the_pipeline_reaches_the_chain_only_through_its_entry_point():
    bad = [(str(p.relative_to(ROOT)), m) for p in _modules("pipeline") for m in _imports(p)
           if m.split(".")[0] == "extractors" and m not in PUBLIC]
    assert bad == []


@pytest.mark.parametrize("package", ["extractors", "pipeline", "schemas"])
def test_modules_and_functions_stay_small(package):
    for path in _modules(package):
        source = path.read_text(encoding="utf-8")
        assert len(source.splitlines()) <= 420, path
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                assert node.end_lineno - node.lineno < 90, f"{path.name}:{node.name}"


def test_the_entry_point_reads_a_document_with_its_findings():
    pdf = next(SAMPLES.glob("004_*.pdf"))
    doc = read_document("d" * 64, pdf.read_bytes())
    assert doc.status == "ok" and doc.pages > 0 and doc.mentions > 0
    assert {"facts", "fact_evidence", "indicators", "findings", "pages", "amounts"} <= set(doc.rows.tables)
    assert any(f["kind"] == "conflict" for f in doc.rows.tables["findings"])


# --- the version fingerprint ---------------------------------------------------------------

@pytest.fixture
def chain_copy(tmp_path):
    for package in ("extractors", "schemas"):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    return [tmp_path / "extractors", tmp_path / "schemas"]


def test_the_fingerprint_of_the_installed_chain_is_the_version(chain_copy):
    assert fingerprint(chain_copy) == PIPELINE_VERSION


@pytest.mark.parametrize("nested", ["extractors/facts/money.py", "extractors/reconcile/money_rules.py",
                                    "extractors/reconcile/reconcile.toml", "extractors/rules/roles.toml",
                                    "schemas/ddl.sql"])
def test_editing_a_nested_file_changes_the_fingerprint(chain_copy, nested):
    before = fingerprint(chain_copy)
    target = chain_copy[0].parent / nested
    target.write_text(target.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    assert fingerprint(chain_copy) != before


def test_a_new_nested_module_changes_the_fingerprint(chain_copy):
    before = fingerprint(chain_copy)
    (chain_copy[0] / "facts" / "extra.py").write_text("X = 1\n", encoding="utf-8")
    assert fingerprint(chain_copy) != before


# --- errors through the CLI boundary ---------------------------------------------------------

@pytest.mark.parametrize("command", [["report", "--out", "OUT"], ["export", "OUT"], ["sql", "SELECT 1"],
                                     ["eval", "--gold", str(ROOT / "data" / "gold")]])
def test_a_duckdb_file_without_jixiao_tables_is_refused_with_status_2(tmp_path, capsys, command):
    db = tmp_path / "other.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE something (a INTEGER)")
    con.close()
    args = [str(tmp_path / "out") if a == "OUT" else a for a in command]
    assert main([*args, "--db", str(db)]) == 2
    assert "not a jixiao database" in capsys.readouterr().err


def test_a_broken_rule_file_stops_the_ingest_with_its_name(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "rules"
    folder.mkdir()
    files = {}
    for name, ref in rules_module.rule_files().items():
        files[name] = folder / f"{name}.toml"
        text = ref.read_text(encoding="utf-8")
        files[name].write_text(text.replace("rounding_wan", "rounding") if name == "reconcile" else text,
                               encoding="utf-8")
    monkeypatch.setattr(rules_module, "rule_files", lambda: files)
    rules_module.load.cache_clear()
    try:
        code = main(["ingest", str(SAMPLES), "--db", str(tmp_path / "x.duckdb"), "--no-progress"])
    finally:
        monkeypatch.undo()
        rules_module.load.cache_clear()
    assert code == 2
    assert "reconcile.toml lacks the key `rounding_wan`" in capsys.readouterr().err
    assert not (tmp_path / "x.duckdb").exists()
