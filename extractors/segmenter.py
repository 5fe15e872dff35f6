"""jieba, the word segmenter that normalising (does a line break fall inside a word?) and the
company names (where does a name start?) ask, loaded on first use with its log kept to warnings
and worse (jieba reports its dictionary loading at debug level)."""
from __future__ import annotations

import logging
from functools import cache


@cache
def segmenter():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba
