"""One organisation, one name: a unit printed without its place is counted under its full name
(the `units` view, used by open_findings and project_years). Invented names only."""
from __future__ import annotations

import datetime as dt


def _documents(memdb, units: list[str | None], status: str = "ok") -> None:
    for i, unit in enumerate(units):
        memdb.con.execute(
            "INSERT INTO documents (doc_id, path, file_name, size_bytes, pages, pages_no_text, pages_failed, status, "
            "text_source, encrypted, repaired, pipeline_version, run_id, ingested_at, unit) "
            "VALUES (?, ?, ?, 0, 1, 0, 0, ?, 'pdf', false, false, 'v', 'r', ?, ?)",
            [f"{status}{i}", f"/x/{status}{i}.pdf", f"{status}{i}.pdf", status, dt.datetime(2026, 1, 1), unit])


def _units(memdb) -> dict[str, str]:
    return dict(memdb.con.execute("SELECT unit_printed, unit FROM units").fetchall())


def test_a_name_without_its_place_is_the_full_name(memdb):
    _documents(memdb, ["江川省数据资源局", "省数据资源局", "数据资源局", "东坪市人民政府办公室", "市人民政府办公室",
                       "青石县教育局", "县教育局", "西岭自治州卫生健康委员会", "自治州卫生健康委员会", None])
    assert _units(memdb) == {
        "江川省数据资源局": "江川省数据资源局", "省数据资源局": "江川省数据资源局", "数据资源局": "江川省数据资源局",
        "东坪市人民政府办公室": "东坪市人民政府办公室", "市人民政府办公室": "东坪市人民政府办公室",
        "青石县教育局": "青石县教育局", "县教育局": "青石县教育局",
        "西岭自治州卫生健康委员会": "西岭自治州卫生健康委员会", "自治州卫生健康委员会": "西岭自治州卫生健康委员会"}


def test_a_short_name_that_fits_two_full_names_stays_as_printed(memdb):
    _documents(memdb, ["江川省数据资源局", "河谷省数据资源局", "省数据资源局"])
    assert _units(memdb)["省数据资源局"] == "省数据资源局"


def test_only_a_place_makes_a_short_name(memdb):
    """管理局 is not 数据资源管理局 without a place; 资源局 is not 江川省数据资源局 either."""
    _documents(memdb, ["江川省数据资源管理局", "管理局", "资源管理局", "数据资源管理局"])
    units = _units(memdb)
    assert units["管理局"] == "管理局" and units["资源管理局"] == "资源管理局"
    assert units["数据资源管理局"] == "江川省数据资源管理局"


def test_open_findings_counts_a_unit_once(memdb):
    _documents(memdb, ["江川省数据资源局", "省数据资源局"])
    for doc in ("ok0", "ok1"):
        memdb.con.execute("INSERT INTO findings VALUES (?, 'f', 'r', 'conflict', 'mismatch', 'error', 'm', [1.0], [], "
                          "NULL, NULL, NULL, [{'page': 1, 'quote': 'q', 'side': 'a'}])", [doc])
    rows = memdb.con.execute("SELECT unit, unit_printed FROM open_findings").fetchall()
    assert sorted(rows) == sorted([("江川省数据资源局", "省数据资源局"), ("江川省数据资源局", "江川省数据资源局")])
    assert memdb.con.execute("SELECT count(DISTINCT unit) FROM open_findings").fetchone()[0] == 1


def test_a_missing_document_names_no_unit(memdb):
    _documents(memdb, ["江川省数据资源局"], status="missing")
    _documents(memdb, ["省数据资源局"])
    assert _units(memdb) == {"省数据资源局": "省数据资源局"}
