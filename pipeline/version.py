"""PIPELINE_VERSION: changes whenever any source or rule file of the per-document chain
(`extractors/`, at any depth) or the schema (`schemas/`) changes, so that unchanged files are
re-read after an upgrade and skipped otherwise."""
from __future__ import annotations

import hashlib
from importlib import resources
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


PIPELINE_VERSION = fingerprint([Path(str(resources.files(p))) for p in PACKAGES])
