"""jieba's dictionary, loaded in a third of the time: jieba keeps its prefix dictionary (about
half a million words) as a marshal file and reads it back in 0.4 s; the same words as one UTF-8
block and their counts as one int64 array load in about 0.13 s. The fork server loads it once per
ingest before it starts any worker, so this is start-up time every run pays. The file is a cache:
kept in the temporary folder per user and jieba version, rebuilt from jieba's own when it is
missing, damaged or not this user's, and it holds only text and numbers (no pickle)."""
from __future__ import annotations

import array
import os
import struct
import sys
import tempfile
from pathlib import Path

MAGIC = b"jixiao-jieba-v1\n"
_HEADER = struct.Struct("<16sqqq")        # magic, total, words, bytes of the words block


def import_jieba():
    """jieba, imported without pkg_resources: jieba opens its own files through pkg_resources when
    it can import it, and from its package folder otherwise (the same files). pkg_resources takes
    about 0.05 s to import, in the fork server's start-up, which every ingest waits for; a
    module that imports it later still can."""
    if "jieba" in sys.modules or "pkg_resources" in sys.modules:
        import jieba

        return jieba
    sys.modules["pkg_resources"] = None        # type: ignore[assignment]  (import raises ImportError)
    try:
        import jieba
    finally:
        del sys.modules["pkg_resources"]
    return jieba


def cache_path(folder: Path | None = None) -> Path:
    jieba = import_jieba()
    name = f"jixiao-jieba-{jieba.__version__}-{os.getuid()}.bin"
    return (folder or Path(tempfile.gettempdir())) / name


def load_dictionary(folder: Path | None = None) -> bool:
    """Load jieba's default dictionary into its default tokenizer, from the cache when it can be
    used (True), else by jieba itself, writing the cache for the next time (False)."""
    import logging

    jieba = import_jieba()
    jieba.setLogLevel(logging.WARNING)    # as extractors.segmenter keeps it
    tokenizer = jieba.dt
    if tokenizer.initialized:
        return True
    path = cache_path(folder)
    cached = read_cache(path)
    if cached is None:
        jieba.initialize()
        write_cache(path, tokenizer.FREQ, tokenizer.total)
        return False
    tokenizer.FREQ, tokenizer.total = cached
    tokenizer.initialized = True
    return True


def read_cache(path: Path) -> tuple[dict[str, int], int] | None:
    """The words and total in the cache; None when it is missing, not this user's, writable by
    others, or not a whole cache file."""
    try:
        stat = path.stat()
        if stat.st_uid != os.getuid() or stat.st_mode & 0o022:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    if len(data) < _HEADER.size:
        return None
    magic, total, count, size = _HEADER.unpack_from(data)
    if magic != MAGIC or len(data) != _HEADER.size + size + 8 * count:
        return None
    try:
        words = data[_HEADER.size:_HEADER.size + size].decode("utf-8").split("\n") if count else []
    except UnicodeDecodeError:
        return None
    counts = array.array("q")
    counts.frombytes(data[_HEADER.size + size:])
    if len(words) != count:
        return None
    return dict(zip(words, counts)), total


def write_cache(path: Path, freq: dict[str, int], total: int) -> None:
    """Write the cache atomically (a temporary file renamed over it). A folder that cannot be
    written is no error: the next run reads jieba's own cache again."""
    block = "\n".join(freq).encode("utf-8")
    counts = array.array("q", freq.values()).tobytes()
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".")     # readable by this user only
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(_HEADER.pack(MAGIC, total, len(freq), len(block)) + block + counts)
        os.replace(tmp, path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)
