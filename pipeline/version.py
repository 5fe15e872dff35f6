"""PIPELINE_VERSION: changes whenever any source or rule file of the per-document chain
(`extractors/`, at any depth) or the schema (`schemas/`) changes, so that unchanged files are
re-read after an upgrade and skipped otherwise."""
from __future__ import annotations

import hashlib
from importlib.util import find_spec
from pathlib import Path

SUFFIXES = (".py", ".toml", ".sql")
PACKAGES = ("extractors", "schemas")


def chain_files(root: Path) -> list[Path]:
    """Every source, rule and schema file under `root`, recursively, in a stable order."""
    return sorted((p for p in root.rglob("*") if p.suffix in SUFFIXES and p.is_file()
                   and "__pycache__" not in p.parts), key=lambda p: p.relative_to(root).as_posix())


def fingerprint(roots: list[Path]) -> str:
    digest = hashlib.sha256()
    for root in roots:
        for path in chain_files(root):
            digest.update(f"{root.name}/{path.relative_to(root).as_posix()}\0".encode())
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()[:12]


def package_dir(name: str) -> Path:
    """The folder of an installed package, found without importing it (a Dask worker asks the
    version without loading the chain)."""
    spec = find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(f"the package {name} is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


PIPELINE_VERSION = fingerprint([package_dir(p) for p in PACKAGES])
