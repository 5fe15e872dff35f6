"""The one loader for the rule files (vocabularies, units, patterns, thresholds): every `*.toml`
inside the package, found by name (`extractors/rules/amounts.toml` is `amounts`,
`extractors/reconcile/reconcile.toml` is `reconcile`), parsed and checked against its declared
shape in `rule_shapes.py`."""
from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from importlib.abc import Traversable

from .errors import RulesError
from .rule_shapes import SHAPES


def _walk(folder: Traversable):
    for entry in folder.iterdir():
        if entry.is_dir() and not entry.name.startswith(("_", ".")):
            yield from _walk(entry)
        elif entry.name.endswith(".toml"):
            yield entry


@cache
def rule_files() -> dict[str, Traversable]:
    """Name -> file of every rule file shipped with the package; names are unique."""
    out: dict[str, Traversable] = {}
    for entry in _walk(resources.files(__package__)):
        name = entry.name[:-5]
        if name in out:
            raise RulesError(f"two rule files are named {name}.toml", rule=name)
        out[name] = entry
    return out


def rule_names() -> list[str]:
    """Names of every rules file shipped with the package (without .toml)."""
    return sorted(rule_files())


@cache
def load(name: str) -> dict:
    """Parsed contents of the rule file `name`; RulesError when missing, malformed or not of its
    declared shape."""
    ref = rule_files().get(name)
    if ref is None:
        raise RulesError(f"no rules file {name}.toml", rule=name)
    return parse(name, ref.read_text(encoding="utf-8"))


def parse(name: str, text: str) -> dict:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"rules file {name}.toml is not valid TOML: {exc}", rule=name) from exc
    if name not in SHAPES:
        raise RulesError(f"rules file {name}.toml has no declared shape in extractors/rule_shapes.py", rule=name)
    check_shape(name, data, SHAPES[name])
    return data


def check_shape(name: str, data: dict, shape: dict, where: str = "") -> None:
    for key, kind in shape.items():
        path = f"{where}{key}"
        if key not in data:
            raise RulesError(f"rules file {name}.toml lacks the key `{path}`", rule=f"{name}:{path}")
        value = data[key]
        if isinstance(kind, dict):
            if not isinstance(value, dict):
                raise RulesError(f"rules file {name}.toml: `{path}` must be a table", rule=f"{name}:{path}")
            check_shape(name, value, kind, f"{path}.")
        elif not _is(value, kind):
            raise RulesError(f"rules file {name}.toml: `{path}` must be {_NAMES[kind]}, not {type(value).__name__}",
                             rule=f"{name}:{path}")


_NAMES = {str: "a string", int: "an integer", float: "a number", bool: "true or false", list: "an array",
          dict: "a table"}


def _is(value, kind: type) -> bool:
    if kind is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


def check_all() -> list[str]:
    """Load every rule file (raising RulesError at the first broken one); their names."""
    names = rule_names()
    for name in names:
        load(name)
    return names
