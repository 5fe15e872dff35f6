"""Table contracts: the DuckDB DDL (ddl.sql) and the row types (rows.py) that mirror it."""
from importlib import resources


def ddl() -> str:
    """The DDL that creates every table of the curated store."""
    return resources.files(__package__).joinpath("ddl.sql").read_text(encoding="utf-8")
