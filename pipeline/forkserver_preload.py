"""Imported by the fork server only (never by the main process): tie its life to the ingest
that started it, then load the chain and the worker code once, for every worker it forks."""
from .lifeline import die_with_parent

die_with_parent()

from extractors import read_document, warm_up  # noqa: E402,F401  (the whole chain, preloaded for the workers)

from . import arrow, worker  # noqa: E402,F401
from .dictionary import load_dictionary  # noqa: E402

load_dictionary()       # jieba's words from jixiao's faster cache; warm_up then finds them loaded
warm_up()

# Not arrow_schemas(): Arrow's allocator would reserve address space here that every worker
# inherits, and the workers' RLIMIT_AS counts it.
