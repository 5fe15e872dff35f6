from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SAMPLES = ROOT / "data" / "raw"          # the four sample reports shipped with the repo
SAMPLE_IDS = sorted(p.stem for p in SAMPLES.glob("*.pdf"))


@pytest.fixture
def memdb():
    """An in-memory DuckDB with the jixiao schema."""
    from pipeline.store import Store, connect

    con = connect(":memory:")
    yield Store(con)
    con.close()


@pytest.fixture(scope="session")
def sample_rows():
    """stem -> (DocumentRows, NormalText) for each sample PDF, extracted once per session."""
    from extractors.document import layer_to_rows
    from extractors.textlayer import pdf_to_textlayer

    out = {}
    for stem in SAMPLE_IDS:
        layer = pdf_to_textlayer((SAMPLES / f"{stem}.pdf").read_bytes())
        out[stem] = layer_to_rows(stem, layer)
    return out


def fresh_python(code: str, *args: str) -> str:
    """What `code` prints in a fresh interpreter (what a process loads at its start, which this
    one has loaded already); a failure raises with its output."""
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True).stdout.strip()


def drop_cjk_spaces(text: str) -> str:
    """Drop whitespace runs touching a CJK char or digit, so seed text resembles normalised text."""
    import regex

    return regex.sub(r"\s+(?=[\p{Han}\d])|(?<=[\p{Han}\d])\s+", "", text)


def normalised(text: str) -> str:
    """Seed text -> normalised text, through the project's own normaliser."""
    from extractors.normalize import normalize_snippet

    return normalize_snippet(text)


@pytest.fixture(scope="session")
def sample_views():
    """stem -> DocView (text, sentences, mentions, tables) of each sample PDF, before facts."""
    from extractors.document import layer_to_view
    from extractors.textlayer import pdf_to_textlayer

    return {stem: layer_to_view(stem, pdf_to_textlayer((SAMPLES / f"{stem}.pdf").read_bytes()))[0]
            for stem in SAMPLE_IDS}


def snippet_view(text: str, tables=()):
    """A DocView over already-normalised text, on one page, through the project's own mentions."""
    from types import SimpleNamespace

    from extractors.document import mention_rows
    from extractors.facts.view import DocView
    from extractors.sentences import SentenceIndex, text_to_sentences

    sentences = text_to_sentences(text)
    rows = mention_rows("t", SimpleNamespace(text=text, page_of=lambda pos: 1, locate=lambda pos: (1, pos)), SentenceIndex(sentences))
    return DocView("t", text, sentences, lambda pos: 1, rows["amounts"], rows["dates"],
                   rows["percentages"], rows["counts"], list(tables))


OWN_REPORTS = ROOT / "tests" / "reports"
FORM_FIXTURES = FIXTURES / "forms"


@pytest.fixture(scope="session")
def own_views():
    """stem -> DocView of our hand-written reports and the two standard forms."""
    from extractors.document import layer_to_view
    from extractors.textlayer import pdf_to_textlayer

    pdfs = sorted((OWN_REPORTS / "pdf").glob("*.pdf")) + sorted(FORM_FIXTURES.glob("*.pdf"))
    return {p.stem: layer_to_view(p.stem, pdf_to_textlayer(p.read_bytes()))[0] for p in pdfs}


def own_gold_path(stem: str) -> Path:
    path = OWN_REPORTS / "gold" / f"{stem}.gold.json"
    return path if path.exists() else FORM_FIXTURES / f"{stem}.gold.json"


def make_hostile():
    """tests/fixtures/hostile/make_hostile.py as a module (its generators make large files on demand)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_hostile", FIXTURES / "hostile" / "make_hostile.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def flood_folder(tmp_path: Path) -> Path:
    """A folder with two samples and a page that makes PDFium abort (a worker dies on it)."""
    import shutil

    folder = tmp_path / "in"
    folder.mkdir()
    make_hostile().content_flood(folder / "content-flood.pdf")     # PDFium aborts at 2 GB
    for name in ("003_7b98f24135c041f8.pdf", "004_bde0c0f62c0d9a40.pdf"):
        shutil.copy(SAMPLES / name, folder)
    return folder


# --- processes (Linux /proc): what a run leaves behind -----------------------------------

def descendants(pid: int) -> set[int]:
    out, stack = set(), [pid]
    while stack:
        try:
            kids = [int(c) for task in Path(f"/proc/{stack.pop()}/task").iterdir()
                    for c in (task / "children").read_text().split()]
        except OSError:
            continue
        out.update(kids)
        stack.extend(kids)
    return out


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/status").read_text().split("State:")[1].split()[0] not in ("Z", "X")
    except (OSError, IndexError):
        return False


def wait_gone(pids: set[int], seconds: float = 20) -> set[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(alive(p) for p in pids):
        time.sleep(0.2)
    return {p for p in pids if alive(p)}
