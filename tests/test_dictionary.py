"""jieba's dictionary from jixiao's cache: the same words and counts as jieba's own, and a cache
that is damaged or could have been written by someone else is never used."""
import json
import os

from conftest import fresh_python
from pipeline.dictionary import cache_path, read_cache, write_cache

LOAD = ("import json, sys, jieba; from pathlib import Path; from pipeline.dictionary import load_dictionary;"
        "used = load_dictionary(Path(sys.argv[1]));"
        "print(json.dumps([used, jieba.dt.total, len(jieba.dt.FREQ), jieba.dt.FREQ.get('绩效评价'),"
        " jieba.lcut('项目资金已全部拨付到位', HMM=False)]))")


def _load(folder) -> list:
    return json.loads(fresh_python(LOAD, str(folder)))


def test_the_cache_holds_what_jieba_itself_loads(tmp_path):
    built = _load(tmp_path)
    assert built[0] is False and cache_path(tmp_path).exists()        # first run: jieba's own load
    again = _load(tmp_path)
    assert again[0] is True and again[1:] == built[1:]                  # then the cache, same words
    assert oct(cache_path(tmp_path).stat().st_mode & 0o777) == "0o600"


def test_a_damaged_cache_is_not_used(tmp_path):
    path = tmp_path / "c.bin"
    write_cache(path, {"资金": 5, "到位": 3, "资": 0}, 8)
    assert read_cache(path) == ({"资金": 5, "到位": 3, "资": 0}, 8)
    path.write_bytes(path.read_bytes()[:-4])                            # cut short
    assert read_cache(path) is None
    write_cache(path, {"资金": 5}, 5)
    os.chmod(path, 0o666)                                               # anyone could have written it
    assert read_cache(path) is None
    assert read_cache(tmp_path / "missing.bin") is None


def test_a_stale_cache_file_is_rebuilt(tmp_path):
    cache_path(tmp_path).write_bytes(b"not a cache at all")
    os.chmod(cache_path(tmp_path), 0o600)
    assert _load(tmp_path)[0] is False
    assert _load(tmp_path)[0] is True


def test_jieba_is_loaded_without_pkg_resources_and_cuts_the_same():
    code = ("import sys; from pipeline.dictionary import import_jieba, load_dictionary;"
            "jieba = import_jieba(); load_dictionary(); blocked = 'pkg_resources' not in sys.modules;"
            "words = jieba.lcut('项目资金到位率达到百分之百'); import pkg_resources;"
            "print(blocked, '/'.join(words))")
    blocked, words = fresh_python(code).split()
    assert blocked == "True" and words == fresh_python("import jieba; print('/'.join(jieba.lcut('项目资金到位率达到百分之百')))")
