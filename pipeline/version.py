"""PIPELINE_VERSION: changes whenever the extractors, their rules or the schema change, so that
unchanged files are re-read after an upgrade and skipped otherwise."""
from __future__ import annotations

import hashlib
from importlib import resources


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for package, patterns in (("extractors", ("*.py", "rules/*.toml")), ("schemas", ("*.py", "*.sql"))):
        root = resources.files(package)
        files = sorted((p for pattern in patterns for p in _glob(root, pattern)), key=str)
        for path in files:
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _glob(root, pattern: str):
    folder, _, suffix = pattern.rpartition("/")
    base = root.joinpath(folder) if folder else root
    return [p for p in base.iterdir() if p.name.endswith(suffix.lstrip("*"))]


PIPELINE_VERSION = _fingerprint()
