"""Table contracts: the DuckDB DDL (ddl.sql) and the row types (rows.py) that mirror it."""
from importlib import resources


def ddl() -> str:
    """The DDL that creates every table of the curated store."""
    return resources.files(__package__).joinpath("ddl.sql").read_text(encoding="utf-8")


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
