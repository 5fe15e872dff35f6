"""Shortcuts of the fact and reconciliation stages give the answers of the long way round.

Each test runs a shortcut and the plain computation it stands for on sentences of our own and
compares them, so that a rule file edited later cannot make a shortcut wrong unnoticed."""
from __future__ import annotations

import pytest
import regex

from extractors.document import layer_to_view
from extractors.facts import indicators, parties, roles, sources, tables
from extractors.textlayer import PageText, TextLayer
from extractors.facts.indicator_tables import indicator_rules
from extractors.facts.score_tables import _rules as score_rules
from extractors.document import text_to_rows
from extractors.reconcile import conflict_rules, scope, target_rules
from extractors.reconcile.inputs import DocumentFacts

SOURCE_TEXTS = [
    "", "下达资金", "中央财政补助资金", "中央下达", "省级配套资金", "我省补助资金", "本市配套", "市财政局",
    "县财政安排工作经费", "区配套资金", "乡镇自筹资金", "单位自筹", "新增专项债券资金", "银行贷款",
    "中央和省级资金", "市县配套资金", "其他资金及社会资本", "自有资金与政府债券", "州补助", "全省补助资金",
    "镇级财政投入", "该社区配套", "实际支出", "拨付至乡镇", "社会资金投入两处养老站",
]


@pytest.mark.parametrize("text", SOURCE_TEXTS)
def test_source_gate_finds_what_some_source_pattern_finds(text):
    rules = sources._rules()
    some = any(p.search(text) for p in rules["sources"].values())
    assert (rules["any_source"].search(text) is not None) == some


@pytest.mark.parametrize("text", SOURCE_TEXTS)
def test_source_of_as_without_the_gate(text, monkeypatch):
    fast = sources.source_of(text)
    rules = dict(sources._rules())
    rules["any_source"] = type("Always", (), {"search": staticmethod(lambda t: True)})()
    monkeypatch.setattr(sources, "_rules", lambda: rules)
    assert sources.source_of(text) == fast


@pytest.mark.parametrize("text", [
    "", "项目资金按进度拨付。", "审计发现部分票据不规范。", "不存在截留、挤占、挪用资金的情况。", "存在多结算工程款8.2万元的问题。",
    "个别支出超范围列支。", "以收据代替发票入账3笔。", "该项目未按合同约定时间付款。", "未发现违规行为",
])
def test_risk_gate_finds_what_some_risk_word_finds(text):
    words = [w for ws in target_rules._rules()["risk"]["families"].values() for w in ws]
    assert (target_rules._risk_words().search(text) is not None) == any(w in text for w in words)


@pytest.mark.parametrize("cell", [
    None, "", "年度", "一级指标", "指标", "指 标 值", "目标值（万元）", "实际完成值(%)", "完成值/目标值", "分值", "得分",
    "三级\n指标", "备注", "年度目标（注）", "权重",
])
@pytest.mark.parametrize("columns", ["indicators", "scores"])
def test_role_by_word_as_the_first_role_listing_the_word(cell, columns):
    columns = (indicator_rules() if columns == "indicators" else score_rules())["table"]["columns"]
    text = tables._NOTE_AT_END.sub("", tables.squash(cell))
    first = next((r for r, words in columns.items() if text in words), None) if text else None
    assert tables.role_by_word(cell, tables.word_roles(columns)) == first


@pytest.mark.parametrize("clause", ["", "年初计划完成", "目标值为不少于", "实际完成", "预期目标", "原定于", "计划数是12"])
def test_reference_gate_finds_what_some_reference_word_finds(clause):
    r = indicators._rules()
    assert (r["reference_before_re"].search(clause) is not None) == any(w in clause for w in r["reference_before"])


@pytest.mark.parametrize("raw", ["95%", "95%以上", "30分钟以内", "12个", "5天以下", "90%及以上"])
def test_after_words_gate_as_each_word(raw):
    r = indicators._rules()
    assert raw.endswith(r["after_words"]) == any(raw.endswith(w) for w in r["after"])


def test_sentences_on_a_page_as_found_one_by_one():
    pages = ["一、项目概况\r\n某镇供水管网改造项目总投资420万元。\r\n", "二、资金使用\r\n全年支付工程款310万元，\r\n",
             "尚欠110万元。\r\n三、结论\r\n", "", "附表：指标完成情况。\r\n"]
    layer = TextLayer(pages=[PageText(i + 1, t) for i, t in enumerate(pages)])
    view = layer_to_view("p" * 64, layer)[0]
    for page in range(0, len(pages) + 2):
        assert view.on_page(page) == [s for s in view.sentences if view.page_of(s.start) == page]
    view.on_page(2).clear()                     # a caller's own list
    assert view.on_page(2) == [s for s in view.sentences if view.page_of(s.start) == 2]


FORM = [["项目名称", "乡村道路养护", None, "主管部门", "某县交通运输局"],
        ["实施单位", " 某县公路 中心 ", None, "自评等级", ""],
        ["项目 名称", "", "评价等级", "良", None],
        ["年度", "一级指标", "指标值", "实际完成值", "得分"]]


@pytest.mark.parametrize("labels", [["项目名称"], ["实施单位", "主管部门"], ["自评等级", "评价等级"], ["年度"], ["不在表中"]])
def test_labelled_cells_as_read_cell_by_cell(labels):
    layer = TextLayer(pages=[PageText(1, "附表：项目支出绩效自评表\r\n", tables=[FORM]),
                             PageText(2, "续表\r\n", tables=[FORM[1:]])])
    view = layer_to_view("q" * 64, layer)[0]
    slow = []
    for rows in tables.blocks(view):
        for row in rows:
            cells = [(c or "").strip() for c in row.cells]
            for i, cell in enumerate(cells):
                if tables.squash(cell) in labels:
                    value = next((c for c in cells[i + 1:] if c), None)
                    if value and tables.squash(value) not in labels:
                        slow.append((tables.squash(cell), value, row))
    assert list(tables.labelled_cells(view, labels)) == slow
    assert list(tables.labelled_cells(view, labels)) == slow       # made once, read again


@pytest.mark.parametrize("text", ["", "中央资金", "省补助资金下达", "其中基本支出", "上年结转资金", "支付工程款", "三公经费",
                                  "以前年度结转和自筹", "工作经费及人员经费"])
def test_scope_gates_find_what_some_word_finds(text):
    sources_words = [w for ws in scope.words()["sources"].values() for w in ws]
    assert (scope.any_word("sources").search(text) is not None) == any(w in text for w in sources_words)
    items = scope.words()["items_list"]["words"]
    assert (scope.any_word("items_list").search(text) is not None) == any(w in text for w in items)


def test_amounts_of_a_sentence_as_filtered():
    r = DocumentFacts.from_rows("a" * 64, text_to_rows("a" * 64, "项目预算120万元，已支付80万元。尚欠40万元。无金额。"))
    for sid in range(-1, len(r.sentences) + 1):
        assert r.amounts_in(sid) == [a for a in r.amounts if a["sentence_id"] == sid]
    r.amounts_in(0).clear()                     # a caller's own list
    assert len(r.amounts_in(0)) == 2


TRIGGER_TEXTS = [
    "", "无任何金额的说明。", "已支付尾款18.4万元", "累计向某某建材有限公司支付货款三笔共计52万元",
    "年初预算安排60万元，年中追加预算12万元，调整后预算为72万元", "合同金额的30%作为预付款",
    "本年共支付第二期进度款及第三期款项", "未执行完的资金结转下年，尚余质保金2万元", "多结算多支付问题涉及金额3.1万元",
    "下达下达下达拨付拨付", "支付支付了支付剩余款", "实际执行数与预算数的差异",
]


@pytest.mark.parametrize("text", TRIGGER_TEXTS)
def test_overlapped_as_the_overlapped_scan(text):
    for pattern in roles._rules()["kinds"].values():
        slow = [m.span() for m in pattern.finditer(text, overlapped=True)]
        assert [m.span() for m in roles.overlapped(pattern, text)] == slow
        first = pattern.search(text)
        if first is not None:
            assert [m.span() for m in roles.overlapped(pattern, text, first)] == slow


@pytest.mark.parametrize("text", TRIGGER_TEXTS)
def test_sentence_triggers_as_the_overlapped_scans(text):
    r = roles._rules()
    labels = [m.span() for m in r["labels"].finditer(text)]
    names = [m.span() for m in r["not_triggers"].finditer(text)]
    slow = [roles.Trigger(m.start(), m.end(), kind, m.group(), any(a <= m.start() and m.end() <= b for a, b in labels))
            for kind, pattern in r["kinds"].items() for m in pattern.finditer(text, overlapped=True)
            if not (r["share"].match(text, m.end()) or any(a <= m.start() and m.end() <= b for a, b in names))]
    assert roles.sentence_triggers(text) == sorted(slow, key=lambda t: (-t.end, t.start))


CAPITAL_TEXTS = [
    "", "本次采购共计3万元，已全部支付。", "合同价款为86.4万元（大写：捌拾陆万肆仟元整）。", "总价伍万元整（¥50,000.00）",
    "结算金额1,250.00元（人民币大写：壹仟贰佰伍拾元整）", "退回0元（大写零元）", "柒拾万元（小写：70万元）", "壹号楼改造完成",
    "大写金额未填写", "验收价叁拾元(30)",
]


@pytest.mark.parametrize("text", CAPITAL_TEXTS)
def test_capitals_gate_finds_what_either_pattern_finds(text):
    digits_first, capitals_first, gate = conflict_rules._patterns()
    if digits_first.search(text) or capitals_first.search(text):
        assert gate.search(text) is not None


def test_capitals_as_without_the_gate(monkeypatch):
    text = "".join(t if t.endswith("。") else t + "。" for t in CAPITAL_TEXTS if t)
    r = DocumentFacts.from_rows("c" * 64, text_to_rows("c" * 64, text))
    fast = conflict_rules._capitals(r)
    assert len(fast) >= 4
    digits_first, capitals_first, _ = conflict_rules._patterns()
    always = type("Always", (), {"search": staticmethod(lambda t: True)})()
    monkeypatch.setattr(conflict_rules, "_patterns", lambda: (digits_first, capitals_first, always))
    assert conflict_rules._capitals(r) == fast


PARTY_TEXTS = [
    "", "由某市青禾园林工程有限公司承建，青禾园林工程有限公司按期完工。",
    "与ABC(北京)信息科技股份有限公司签订合同；该公司于3月进场。监理单位为远山工程咨询有限公司。",
    "委托2号线建设有限公司及某某某某某某某某某某某某某某某某某某某某某某某某某某某某科技有限公司实施",
    "经公开招标，确定星河测绘有限公司（以下简称星河测绘）为中标单位，星河测绘于5月完成测绘。",
    "有限公司", "，有限公司", "向蓝湾物业服务有限公司支付物业费，向蓝湾物业服务有限公司支付维修费。",
]


@pytest.mark.parametrize("text", PARTY_TEXTS)
def test_name_run_as_walking_back_char_by_char(text):
    char = regex.compile(r"[\p{Han}A-Za-z0-9（）()]")
    limit = parties.load("parties")["max_name_chars"]
    for end in range(len(text) + 1):
        lo = end
        while lo > 0 and end - lo < limit and char.match(text[lo - 1]):
            lo -= 1
        assert parties._rules()["name_run"].match(text, 0, end).start() == lo


@pytest.mark.parametrize("text", PARTY_TEXTS)
def test_parties_as_with_every_name_cut_afresh(text, monkeypatch):
    fast = parties.text_to_parties(text)
    cut = parties._name_before
    monkeypatch.setattr(parties, "_name_before", lambda t, pos, kept: cut(t, pos, {}))
    assert parties.text_to_parties(text) == fast


@pytest.mark.parametrize("text", ["", "无分隔符的一段话", "项目预算120万元，其中：中央资金(80万元)；省级、市级配套。",
                                  "，", "。。", "甲（乙）丙:丁;戊,己"])
def test_clause_before_as_the_last_delimiter_found_one_by_one(text):
    delims = scope.words()["delimiters"]
    for pos in range(len(text) + 1):
        assert scope.clause_before(text, pos) == text[max(text.rfind(ch, 0, pos) for ch in delims) + 1:pos]
