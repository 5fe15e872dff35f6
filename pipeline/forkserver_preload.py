"""Imported by the fork server only (never by the main process): tie its life to the ingest
that started it, then load the worker code once for every worker it forks."""
from .lifeline import die_with_parent

die_with_parent()

from . import worker  # noqa: E402,F401  (preloaded for the forked workers)
