"""Every rules file loads through the one loader and its patterns compile."""
from __future__ import annotations

import regex

import pytest

from extractors.errors import RulesError
from extractors.rules import load, rule_names

EXPECTED = {"amounts", "counts", "dates", "header", "indicators", "normalize", "parties", "percentages",
            "roles", "scores", "structure", "funds", "reconcile", "textlayer", "sources", "money_tables"}


def test_all_rule_files_are_known():
    assert set(rule_names()) == EXPECTED


def _strings(node, key=""):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _strings(v, k)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v, key)
    elif isinstance(node, str):
        yield key, node


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_rule_file_loads_and_patterns_compile(name):
    rules = load(name)
    assert rules, f"{name}.toml is empty"
    for key, value in _strings(rules):
        if "pattern" in key:
            regex.compile(value)


def test_missing_rule_file_is_a_clear_error():
    with pytest.raises(RulesError, match="no rules file nosuch.toml"):
        load("nosuch")
