"""The one loader for the rule files in extractors/rules/*.toml (vocabularies, units, patterns)."""
from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

from .errors import RulesError


def rule_names() -> list[str]:
    """Names of every rules file shipped with the package (without .toml)."""
    folder = resources.files(__package__).joinpath("rules")
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


@cache
def load(name: str) -> dict:
    """Parsed contents of extractors/rules/<name>.toml; RulesError when missing or malformed."""
    ref = resources.files(__package__).joinpath("rules", f"{name}.toml")
    try:
        text = ref.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise RulesError(f"no rules file {name}.toml", rule=name) from exc
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"rules file {name}.toml is not valid TOML: {exc}", rule=name) from exc
