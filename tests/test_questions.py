"""The ten README questions run against the samples and give the expected answers."""
from __future__ import annotations

import re
from decimal import Decimal as D

import duckdb
import pytest

from conftest import ROOT, SAMPLES
from pipeline.ingest import Options, ingest

README = (ROOT / "README.md").read_text(encoding="utf-8")
QUESTIONS = dict(re.findall(r"^### (\d+)\. .*?\n\n```sql\n(.*?)```", README, re.M | re.S))

EXPECTED = {
    "1": [("001_0eae385221b322f5.pdf", D("6868.2"), D("6078.9"), D("6644"), D("6078.9"), 88.51),
          ("002_ed56922f022e386f.pdf", D("13283.26"), D("13283.26"), D("13283.3"), D("12883.27"), 96.99),
          ("003_7b98f24135c041f8.pdf", D("2100"), D("2100"), None, D("2100"), 100.0),
          ("004_bde0c0f62c0d9a40.pdf", D("360"), D("359.95"), D("359.5"), None, None)],
    "2": [("中国电信股份有限公司", 1, D("6577.3")), ("数字海南有限公司", 1, D("5973.3")),
          ("太极计算机股份有限公司", 1, D("5331.7"))],
    "3": [("001_0eae385221b322f5.pdf", "海南省一体化在线政务服务平台项目", 88.51)],
    "4": [("001_0eae385221b322f5.pdf", 2, "2020年6月12日完成项目可服务能力评估，支付了第二笔合同款1361.5万元；"),
          ("001_0eae385221b322f5.pdf", 5, "2020年12月4日，支付第二笔合同款1361.5万元。"),
          ("001_0eae385221b322f5.pdf", 10, "2020年12月4日，完成支付合同第二笔款1361.5万元。")],
    "5": [],
    "6": [("海南省大数据管理局", "error", 1), ("海南省大数据管理局", "warning", 2), ("淮南市人民政府办公室", "error", 1)],
    "7": [(2020, D("3361.5"), D("3361.5"), D("3361.5")), (2021, D("1704.85"), D("1704.85"), D("1704.85")),
          (2022, None, None, D("1012.55")), (2023, D("1012.55"), D("1012.55"), None)],
    "8": [("数字海南有限公司", D("6547.4"), 3)],
    "9": [("001_0eae385221b322f5.pdf", "海南省政务服务一体化完成率", ">=", D(90), "%"),
          ("001_0eae385221b322f5.pdf", "覆盖率", ">=", D(90), "%"),
          ("001_0eae385221b322f5.pdf", "海南省政务服务数据标准化占比情况", ">=", D(90), "%"),
          ("001_0eae385221b322f5.pdf", "海南省一体化政务服务平台与国家平台对接完成率", ">=", D(90), "%"),
          ("003_7b98f24135c041f8.pdf", "系统用户满意度", ">=", D(85), "%")],
    "10": [("001_0eae385221b322f5.pdf", "conflict", "同一笔支付1,361.5万元在报告中的日期不一致：2020-06-12、2020-12-04"),
           ("001_0eae385221b322f5.pdf", "period_mismatch", "报告记2023年支付1,012.55万元，但逐笔支付显示该金额于2022年支付"),
           ("004_bde0c0f62c0d9a40.pdf", "conflict", "同一合同金额在报告中不一致：359.95、359.5万元")],
}


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    db = tmp_path_factory.mktemp("q") / "q.duckdb"
    ingest(SAMPLES, db, Options(workers=2, progress=False, quality="never"))
    connection = duckdb.connect(str(db), read_only=True)
    yield connection
    connection.close()


def test_the_readme_has_ten_questions():
    assert sorted(QUESTIONS, key=int) == [str(i) for i in range(1, 11)]


@pytest.mark.parametrize("number", [str(i) for i in range(1, 11)])
def test_question_gives_the_expected_answer(con, number):
    assert con.execute(QUESTIONS[number]).fetchall() == EXPECTED[number]
