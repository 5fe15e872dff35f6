"""findings.csv and summary.md of the nightly report. The CSV goes through the one CSV writer of
`jixiao sql --csv` (outputs.tabular): numbers as numbers, text formula-safe, every evidence page."""
from __future__ import annotations

import json
from decimal import Decimal

from ..tabular import flat_evidence, number_text
from .data import NightlyData

KIND_NAMES = {"sum_mismatch": "合计不符", "balance_mismatch": "余额不符", "over_limit": "超出限额", "conflict": "前后矛盾",
              "rate_mismatch": "比率不符", "score_mismatch": "评分不符", "period_mismatch": "年度错配",
              "target_missed": "目标未达成", "risk_statement": "问题陈述"}
SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}


def evidence_of(f: dict) -> list[dict]:
    return f["evidence"] if isinstance(f["evidence"], list) else json.loads(f["evidence"])


def cited(evidence: list[dict]) -> list[dict]:
    """The evidence to show: one quote per page and sentence, every page cited."""
    out, seen = [], set()
    for e in evidence:
        if (e["page"], e["quote"]) not in seen:
            seen.add((e["page"], e["quote"]))
            out.append(e)
    return out


def values_text(values, sep: str = "; ") -> str:
    """The figures a finding compares, as written (12883.27, never rounded to 12883.3)."""
    return sep.join(number_text(v) for v in values or [])


def wan(value) -> str:
    """万元 with thousands separators and no trailing zeros; — when unknown."""
    if value is None:
        return "—"
    return f"{Decimal(value):,.2f}".rstrip("0").rstrip(".")


# --- CSV ---------------------------------------------------------------------------------------

CSV_COLUMNS = ("file_name", "finding_id", "new", "severity", "kind", "rule", "message", "values", "expected",
               "actual", "difference", "page", "pages", "quote", "evidence")


def csv_rows(data: NightlyData) -> list[tuple]:
    """One row per finding, in the report's order; evidence as plain columns (first page, every
    page, first quote, every quote with its page)."""
    return [(f["file_name"], f["finding_id"], "new" if f["new"] else "", f["severity"], f["kind"], f["rule"],
             f["message"], values_text(f["values"]), f["expected"], f["actual"], f["difference"],
             *flat_evidence(evidence_of(f))) for f in data.findings]


# --- Markdown ----------------------------------------------------------------------------------

def _md(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ").replace("<", "&lt;")


def render_markdown(data: NightlyData) -> str:
    c = data.counts
    lines = [f"# jixiao 对账报告 {data.day.isoformat()}", "",
             f"- 新增错误 {c['new_error']}（共 {c['error']}），新增警告 {c['new_warning']}（共 {c['warning']}），"
             f"提示 {c['info']}",
             f"- 报告 {len(data.documents)} 份：无法读取 {c['unreadable']} 份，已不存在 {c['missing']} 份",
             f"- 已核验通过的检查 {sum(data.checks.values())} 项；无法核对的检查 {sum(data.unverifiable.values())} 项"
             "（口径不同、分项不全等，不计为问题）",
             f"- 自上一份报告（{data.previous_day or '无'}）以来已解决 {len(data.resolved)} 项",
             f"- 数据质量：{c['quality_failed']} 项期望未满足（共 {len(data.quality)} 项）", "",
             "| 报告 | 预算 | 合同 | 已付 | 执行率 | 错误 | 警告 | 无法核对 |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for l in data.ledger:
        fs = data.by_doc.get(l["doc_id"], [])
        rate = l["exec_rate_budget_pct"] if l["exec_rate_budget_pct"] is not None else "—"
        lines.append(f"| {_md(l['project_name'] or l['file_name'])} | {wan(l['budget_wan'])} | {wan(l['contract_wan'])} "
                     f"| {wan(l['paid_wan'])} | {rate} | {sum(f['severity'] == 'error' for f in fs)} "
                     f"| {sum(f['severity'] == 'warning' for f in fs)} | {data.unverifiable.get(l['doc_id'], 0)} |")
    lines += ["", "## 问题", ""]
    for f in data.findings:
        if f["severity"] == "info":
            continue
        pages = "、".join(str(p) for p in dict.fromkeys(e["page"] for e in evidence_of(f)))
        where = f"第{pages}页" if pages else ""
        lines.append(f"- {'**新** ' if f['new'] else ''}[{SEVERITY_NAMES[f['severity']]}] {_md(f['file_name'])} "
                     f"{where}：{_md(f['message'])}")
    lines += ["", "## 已解决", ""] + [f"- {_md(h['file_name'])}：{_md(h['message'])}（{h['first_seen']} 起，"
                                      f"{h['resolved_on']} 解决）" for h in data.resolved] + ([] if data.resolved else ["- 无"])
    for title, docs in (("无法读取的文件", data.unreadable), ("已不存在的文件", data.missing)):
        if docs:
            lines += ["", f"## {title}", ""] + [f"- {_md(d['file_name'])}：{_md(d['error'] or '')}" for d in docs]
    return "\n".join(lines) + "\n"
