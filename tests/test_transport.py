"""How a worker's rows reach the writer: Arrow tables as IPC streams, and no pandas in workers."""
from decimal import Decimal
from multiprocessing.reduction import ForkingPickler

from conftest import fresh_python
from pipeline.arrow import to_arrow


def test_a_table_crosses_the_process_boundary_unchanged():
    rows = [{"doc_id": "d" * 64, "mention_id": "m1", "page": 3, "char_start": 10, "char_end": 18,
             "sentence_id": 2, "sentence": "拨付资金1,234.567891万元。", "raw": "1,234.567891万元",
             "value": Decimal("1234.567891"), "unit": "万元", "value_wan": Decimal("1234.567891"),
             "numeral": "arabic", "unit_source": "inline", "x0": 1.5},
            {"doc_id": "d" * 64, "mention_id": "m2", "page": 4, "char_start": 30, "char_end": 33,
             "sentence_id": 5, "sentence": "", "raw": "5元", "value": Decimal("5"), "unit": "元",
             "value_wan": Decimal("0.0005"), "numeral": "arabic", "unit_source": "inline"}]
    table = to_arrow("amounts", rows)
    data = bytes(ForkingPickler.dumps(table))
    assert b"from_ipc" in data               # one IPC stream, not the columns pickled one by one
    back = ForkingPickler.loads(data)
    assert back.equals(table) and back.schema.equals(table.schema)
    assert back.column("value_wan").to_pylist() == [Decimal("1234.567891"), Decimal("0.000500")]


def test_a_worker_converts_rows_without_loading_pandas():
    code = ("import sys; from pipeline.worker import init_worker; init_worker(None);"
            "from pipeline.arrow import to_arrow;"
            "to_arrow('parties', [{'doc_id': 'x', 'name': '某某公司', 'mentions': 1, 'is_main': True}]);"
            "print('pandas' in sys.modules)")
    assert fresh_python(code) == "False"


def test_outside_workers_pandas_is_untouched():
    code = "import pipeline.arrow, pandas; print(pandas.DataFrame({'a': [1]}).shape)"
    assert fresh_python(code) == "(1, 1)"


def test_a_worker_converts_with_the_schemas_the_writer_read_from_its_store(tmp_path):
    code = ("import duckdb, sys; from schemas import ddl; from pipeline.arrow import schemas_from;"
            f"con = duckdb.connect({str(tmp_path / 's.duckdb')!r}); con.execute(ddl()); given = schemas_from(con);"
            "from pipeline.worker import init_worker; init_worker(None, schemas=given);"
            "duckdb.connect = None;"           # no database of its own
            "from pipeline.arrow import to_arrow;"
            "t = to_arrow('parties', [{'doc_id': 'x', 'name': '某某公司', 'mentions': 1, 'is_main': True}]);"
            "print(t.schema.equals(given['parties']))")
    assert fresh_python(code) == "True"
