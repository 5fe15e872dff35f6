"""Table contracts: the DuckDB DDL (ddl.sql) and the row types (rows.py) that mirror it."""
from importlib import resources


def ddl() -> str:
    """The DDL that creates every table of the curated store."""
    return resources.files(__package__).joinpath("ddl.sql").read_text(encoding="utf-8")


def chinese() -> dict:
    """schemas/columns_zh.toml: {'relations': {name: 中文}, 'shared': {column: 中文},
    'table': {name: {column: 中文}}}, the Chinese meaning of every table, view and column."""
    import tomllib

    return tomllib.loads(resources.files(__package__).joinpath("columns_zh.toml").read_text(encoding="utf-8"))


def column_zh(table: str, column: str, zh: dict | None = None) -> str:
    """The Chinese meaning of `column` in `table` ('' when there is none)."""
    zh = zh or chinese()
    return zh.get("table", {}).get(table, {}).get(column) or zh.get("shared", {}).get(column, "")


def expectation_suites() -> dict[str, dict]:
    """table -> its Great Expectations suite (schemas/expectations/<table>.json), with every
    `rows:<Type>` value set replaced by the members of that Literal type in schemas/rows.py."""
    import json
    import typing

    from . import rows

    out = {}
    folder = resources.files(__package__).joinpath("expectations")
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        if not path.name.endswith(".json"):
            continue
        suite = json.loads(path.read_text(encoding="utf-8"))
        for exp in suite["expectations"]:
            value_set = exp["kwargs"].get("value_set")
            if isinstance(value_set, str) and value_set.startswith("rows:"):
                exp["kwargs"]["value_set"] = list(typing.get_args(getattr(rows, value_set[5:])))
        out[path.name[:-5]] = suite
    return out
