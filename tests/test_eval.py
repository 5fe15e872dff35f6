"""End to end: ingest, export and evaluate against gold, as `make eval` does, on the samples,
our own reports, the two standard forms and the development set; and the eval command's outputs.

Our reports r5-r12 and r14-r32 (tests/reports, written after the extractors, each with its gold
written before any code ran on it) are scored as a separate set, `unseen`, whose scores are
printed against their first run (UNSEEN_BASELINE) and held to a floor over the whole set."""
from __future__ import annotations

import json

import duckdb
import pytest

from conftest import FIXTURES, ROOT, SAMPLES
from pipeline.cli import main
from pipeline.evaluate import evaluate, load_gold
from pipeline.outputs.export import all_documents
from pipeline.ingest import Options, ingest

SETS = {"samples": (SAMPLES, ROOT / "data" / "gold"), "own": (ROOT / "tests" / "reports" / "pdf",
                                                            ROOT / "tests" / "reports" / "gold"),
        "forms": (FIXTURES / "forms", FIXTURES / "forms"),
        "own_forms": (ROOT / "tests" / "forms" / "pdf", ROOT / "tests" / "forms" / "gold")}


# tests/reports documents scored as `unseen`: not asserted yet (see the module docstring)
UNSEEN = {"r5_fund_sources.pdf", "r6_dept_final_yuan.pdf", "r7_bond_yi.pdf",
          "r8_three_level_scores.pdf", "r9_vendor_pages.pdf", "r10_farm_subsidy_mu.pdf",
          "r11_scanned_form.pdf", "r12_spaced_narrative.pdf", "r14_carryover_traps.pdf",
          "r15_county_dept_hunan.pdf", "r16_bond_numbered_list.pdf", "r17_third_party_health.pdf",
          "r18_township_terse.pdf", "r19_rural_revival_results_first.pdf", "r20_school_dept_yoy.pdf",
          "r21_service_purchase_quarterly.pdf", "r22_transfer_payment_counties.pdf",
          "r23_dept_overall_qa.pdf", "r24_rural_road_audit_settlement.pdf",
          "r25_it_maintenance_framework.pdf", "r26_student_aid_third_party.pdf",
          "r27_ppp_availability_payment.pdf", "r28_research_fund_thousand_yuan.pdf",
          "r29_hospital_equipment_lots.pdf", "r30_enterprise_award_subsidy.pdf",
          "r31_sports_event_mixed_income.pdf", "r32_river_works_multiyear_table.pdf"}
# F1 per section (facts, indicators, scores, report, findings) on the first run, with the
# extractors as they were when the reports were added
UNSEEN_BASELINE = {
    "r5_fund_sources.pdf": (0.44, 0.71, 1.00, 0.89, 0.00),
    "r6_dept_final_yuan.pdf": (0.47, 0.57, 1.00, 0.60, 0.00),
    "r7_bond_yi.pdf": (0.39, 0.40, 1.00, 1.00, 0.00),
    "r8_three_level_scores.pdf": (0.79, 0.29, 1.00, 0.80, 0.00),
    "r9_vendor_pages.pdf": (0.14, 0.75, 1.00, 0.80, 0.00),
    "r10_farm_subsidy_mu.pdf": (0.60, 0.00, 1.00, 1.00, 0.00),
    "r11_scanned_form.pdf": (0.00, 0.14, 0.00, 0.67, 0.00),
    "r12_spaced_narrative.pdf": (0.00, 0.00, 0.00, 0.50, 0.00),
    # r14-r16 added later: their first run, with the extractors of main at 56030b0
    "r14_carryover_traps.pdf": (0.71, 0.00, 0.33, 1.00, 1.00),
    "r15_county_dept_hunan.pdf": (0.97, 0.00, 0.00, 0.89, 0.33),
    "r16_bond_numbered_list.pdf": (0.78, 0.29, 1.00, 1.00, 0.40),
    # r17-r18 added later: their first run, with the extractors of main at 312e0c4
    "r17_third_party_health.pdf": (0.61, 0.80, 0.91, 1.00, 0.75),
    "r18_township_terse.pdf": (0.61, 0.00, 0.33, 0.67, 1.00),
    # r19-r20 added later: their first run, with the extractors of main at 41733b8
    "r19_rural_revival_results_first.pdf": (0.95, 0.59, 0.00, 0.67, 0.00),
    "r20_school_dept_yoy.pdf": (0.49, 0.00, 0.00, 0.29, 0.00),
    # r21-r22 added later: their first run, with the extractors of main at c1de12f
    "r21_service_purchase_quarterly.pdf": (0.67, 0.60, 1.00, 0.89, 0.00),
    "r22_transfer_payment_counties.pdf": (0.86, 0.11, 0.33, 0.89, 0.80),
    # r23-r24 added later: their first run, with the extractors of main at c1de12f
    "r23_dept_overall_qa.pdf": (0.70, 1.00, 0.25, 1.00, 0.67),
    "r24_rural_road_audit_settlement.pdf": (0.68, 0.91, 1.00, 0.80, 0.00),
    # r25-r26 added later: their first run, with the extractors of main at cb81a42
    "r25_it_maintenance_framework.pdf": (0.57, 1.00, 1.00, 0.89, 0.00),
    "r26_student_aid_third_party.pdf": (0.14, 1.00, 0.33, 0.80, 0.00),
    # r27-r28 added later: their first run, with the extractors of main at f939ed8
    "r27_ppp_availability_payment.pdf": (0.33, 0.14, 0.33, 1.00, 0.00),
    "r28_research_fund_thousand_yuan.pdf": (0.18, 0.00, 0.40, 0.67, 0.00),
    # r29-r30 added later: their first run, with the extractors of main at 19e6389
    "r29_hospital_equipment_lots.pdf": (0.88, 1.00, 1.00, 1.00, 0.00),
    "r30_enterprise_award_subsidy.pdf": (0.38, 0.80, 0.00, 0.57, 0.50),
    # r31-r32 added later: their first run, with the extractors of main at 936ce0c
    "r31_sports_event_mixed_income.pdf": (0.48, 0.67, 0.33, 1.00, 0.67),
    "r32_river_works_multiyear_table.pdf": (0.76, 1.00, 0.33, 0.80, 0.67),
}
UNSEEN_SECTIONS = ("facts", "indicators", "scores", "report", "findings")
# The development set (tests/dev, copied from the shared corpus with its gold): reports in wordings
# and layouts the project was not built on, held to issue 11's and 12's targets.
DEV = (ROOT / "tests" / "dev" / "pdf", ROOT / "tests" / "dev" / "gold")


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    out = {}
    for name, (pdfs, gold) in {**SETS, "dev": DEV}.items():
        db = tmp_path_factory.mktemp(name) / "eval.duckdb"
        ingest(pdfs, db, Options(workers=2, progress=False, quality="never"))
        con = duckdb.connect(str(db), read_only=True)
        try:
            reports = all_documents(con)
        finally:
            con.close()
        golds = load_gold(gold)
        out[name] = (db, evaluate({d: g for d, g in golds.items() if d not in UNSEEN}, reports))
        if name == "own":
            out["unseen"] = (db, evaluate({d: g for d, g in golds.items() if d in UNSEEN}, reports))
    return out


def test_unseen_reports_are_ingested_and_scored(results):
    """Not a threshold: every unseen report must be read and scored; its scores are printed
    against the recorded baseline (pytest -s, or in the message if this test fails)."""
    _, result = results["unseen"]
    assert not result["missing"] and set(result["documents"]) == UNSEEN == set(UNSEEN_BASELINE)
    for doc, scores in result["documents"].items():
        now = tuple(round(scores[s].f1, 2) for s in UNSEEN_SECTIONS)
        print(f"unseen {doc}: F1 {now} (baseline {UNSEEN_BASELINE[doc]})")


def test_unseen_reports_hold_a_floor_over_the_set(results):
    """Each was first read without a rule written for it (UNSEEN_BASELINE); the fixes since are for
    families, and the set as a whole keeps what they gained: every section's F1 >= 0.9, and no
    false finding."""
    _, result = results["unseen"]
    overall = result["overall"]
    for section in UNSEEN_SECTIONS:
        assert overall[section].f1 >= 0.9, (section, overall[section].misses, overall[section].false_hits)
    assert overall["findings"].precision == 1.0, overall["findings"].false_hits


def test_development_set_meets_its_targets(results):
    """facts F1 >= 0.95 overall and >= 0.85 in every report; indicators and scores >= 0.9;
    findings precision >= 0.95 and recall >= 0.9."""
    _, result = results["dev"]
    overall = result["overall"]
    assert not result["missing"]
    assert overall["facts"].f1 >= 0.95, overall["facts"].misses
    for doc, scores in result["documents"].items():
        assert scores["facts"].f1 >= 0.85, (doc, scores["facts"].misses, scores["facts"].false_hits)
    for section in ("indicators", "scores"):
        assert overall[section].f1 >= 0.9, (section, overall[section].misses, overall[section].false_hits)
    findings = overall["findings"]
    assert findings.precision >= 0.95 and findings.recall >= 0.9, (findings.misses, findings.false_hits)


@pytest.mark.parametrize("name", SETS)
def test_facts_per_document(results, name):
    _, result = results[name]
    for doc, scores in result["documents"].items():
        assert scores["facts"].precision >= 0.95 and scores["facts"].recall >= 0.95, (doc, scores["facts"].misses,
                                                                                        scores["facts"].false_hits)


@pytest.mark.parametrize("name", SETS)
@pytest.mark.parametrize("section", ["indicators", "scores", "report"])
def test_indicators_scores_and_report_fields_overall(results, name, section):
    _, result = results[name]
    assert result["overall"][section].f1 >= 0.9, result["overall"][section].misses


@pytest.mark.parametrize("name", SETS)
def test_findings_are_exactly_the_planted_ones(results, name):
    _, result = results[name]
    score = result["overall"]["findings"]
    assert score.precision == 1.0 and score.recall == 1.0, (score.misses, score.false_hits)


def test_eval_command_prints_a_table_and_json(results, capsys):
    db, _ = results["samples"]
    assert main(["eval", "--gold", str(ROOT / "data" / "gold"), "--db", str(db)]) == 0
    table = capsys.readouterr().out
    assert "overall" in table and "001_0eae385221b322f5.pdf" in table
    assert main(["eval", "--gold", str(ROOT / "data" / "gold"), "--db", str(db), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["overall"]["facts"]["f1"] == 1.0


def test_export_writes_one_json_per_report_in_the_gold_shape(results, tmp_path):
    db, _ = results["samples"]
    assert main(["export", str(tmp_path), "--db", str(db)]) == 0
    files = sorted(p.name for p in tmp_path.glob("*.json"))
    assert files == [f"{p.stem}.json" for p in sorted(SAMPLES.glob("*.pdf"))]
    report = json.loads((tmp_path / "004_bde0c0f62c0d9a40.json").read_text(encoding="utf-8"))
    assert set(report) >= {"document", "report", "facts", "indicators", "scores", "findings"}
    assert all(f["evidence"] and f["evidence"][0]["page"] >= 1 for f in report["facts"])
    assert report["findings"][0]["kind"] == "conflict" and report["findings"][0]["evidence"]


def test_gold_source_and_indicator_year_must_be_met():
    from pipeline.evaluate import fact_matches, indicator_matches
    gold = {"kind": "appropriation", "value_wan": 12.5, "source": "provincial"}
    assert fact_matches(gold, {"kind": "appropriation", "value_wan": 12.5, "source": "provincial"})
    assert not fact_matches(gold, {"kind": "appropriation", "value_wan": 12.5, "source": "county"})
    assert not fact_matches(gold, {"kind": "appropriation", "value_wan": 12.5})
    assert fact_matches({"kind": "budget", "value_wan": 3}, {"kind": "budget", "value_wan": 3, "source": "self"})
    ind = {"name": "新增就业", "target": 40, "actual": 42, "unit": "人", "year": 2024}
    assert indicator_matches(ind, {"target": 40, "actual": 42, "unit": "人", "year": 2024})
    assert not indicator_matches(ind, {"target": 40, "actual": 42, "unit": "人", "year": 2025})
    assert not indicator_matches(ind, {"target": 40, "actual": 42, "unit": "人"})
    assert indicator_matches({k: v for k, v in ind.items() if k != "year"}, {"target": 40, "actual": 42, "year": 2025})
