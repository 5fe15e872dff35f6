"""Errors of the pipeline stages (the root is extractors.errors.JixiaoError)."""
from extractors import JixiaoError


class StoreError(JixiaoError):
    """The DuckDB file cannot be opened or written."""
    code = "store"


class StoreLocked(StoreError):
    """Another process holds the database."""
    code = "locked"


class IngestError(JixiaoError):
    """The ingest run as a whole cannot go on (no input, bad arguments)."""
    code = "ingest"


class DocumentTimeout(JixiaoError):
    """A document took longer than its time budget."""
    code = "timeout"


class BenchError(JixiaoError):
    """`jixiao bench` cannot measure (no corpus to build, a timed ingest failed)."""
    code = "bench"
