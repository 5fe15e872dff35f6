"""Every rules file loads through the one loader, matches its declared shape, and its patterns
compile; a broken rule file is reported with the file and the key."""
from __future__ import annotations

import regex

import pytest

from extractors.errors import RulesError
from extractors.rule_shapes import SHAPES
from extractors.rules import load, parse, rule_files, rule_names


def test_every_rule_file_has_a_declared_shape_and_every_shape_a_file():
    assert set(rule_names()) == set(SHAPES)


def test_reconcile_rules_sit_beside_their_code():
    assert rule_files()["reconcile"].parent.name == "reconcile"


def _strings(node, key=""):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _strings(v, k)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v, key)
    elif isinstance(node, str):
        yield key, node


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_rule_file_loads_and_patterns_compile(name):
    rules = load(name)
    assert rules, f"{name}.toml is empty"
    for key, value in _strings(rules):
        if "pattern" in key:
            regex.compile(value)


def test_missing_rule_file_is_a_clear_error():
    with pytest.raises(RulesError, match="no rules file nosuch.toml"):
        load("nosuch")


def _text(name: str) -> str:
    return rule_files()[name].read_text(encoding="utf-8")


def test_a_missing_key_names_the_file_and_the_key():
    broken = _text("textlayer").replace("min_rule_ops", "min_rules_ops")
    with pytest.raises(RulesError, match=r"textlayer\.toml lacks the key `min_rule_ops`") as err:
        parse("textlayer", broken)
    assert err.value.rule == "textlayer:min_rule_ops"


def test_a_missing_nested_key_names_its_path():
    broken = _text("reconcile").replace("parts_after", "parts_afterwards")
    with pytest.raises(RulesError, match=r"reconcile\.toml lacks the key `sums\.parts_after`"):
        parse("reconcile", broken)


def test_a_mistyped_key_is_reported():
    broken = regex.sub(r"(?m)^min_page_chars\s*=.*$", 'min_page_chars = "ten"', _text("textlayer"))
    with pytest.raises(RulesError, match=r"`min_page_chars` must be an integer, not str"):
        parse("textlayer", broken)


def test_invalid_toml_is_reported():
    with pytest.raises(RulesError, match=r"amounts\.toml is not valid TOML"):
        parse("amounts", "units = [")
