"""The report's three files. Text from PDFs is untrusted: escaped in HTML, formula-safe in CSV."""
from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from html import escape

from .data import NightlyData

KIND_NAMES = {"sum_mismatch": "合计不符", "balance_mismatch": "余额不符", "over_limit": "超出限额", "conflict": "前后矛盾",
              "rate_mismatch": "比率不符", "score_mismatch": "评分不符", "period_mismatch": "年度错配",
              "target_missed": "目标未达成", "risk_statement": "问题陈述"}
SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """A CSV/xlsx cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _wan(value) -> str:
    if value is None:
        return "—"
    return f"{Decimal(value):,.2f}".rstrip("0").rstrip(".")


def _evidence(f: dict) -> list[dict]:
    return f["evidence"] if isinstance(f["evidence"], list) else json.loads(f["evidence"])


# --- CSV ---------------------------------------------------------------------------------------

CSV_COLUMNS = ("report", "finding_id", "new", "severity", "kind", "rule", "message", "values", "expected", "actual",
               "difference", "page", "quote")


def render_csv(data: NightlyData) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for f in data.findings:
        ev = _evidence(f)[0] if _evidence(f) else {"page": "", "quote": ""}
        row = (f["file_name"], f["finding_id"], "new" if f["new"] else "", f["severity"], f["kind"], f["rule"],
               f["message"], " ".join(f"{v:g}" for v in f["values"]), f["expected"], f["actual"], f["difference"],
               ev["page"], ev["quote"])
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue()


# --- Markdown ----------------------------------------------------------------------------------

def _md(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ").replace("<", "&lt;")


def render_markdown(data: NightlyData) -> str:
    c = data.counts
    lines = [f"# jixiao 对账报告 {data.day.isoformat()}", "",
             f"- 报告 {len(data.documents)} 份（读取失败 {sum(d['status'] == 'failed' for d in data.documents)} 份）",
             f"- 问题：错误 {c['error']}，警告 {c['warning']}，提示 {c['info']}；新增 {c['new']}",
             f"- 已核验通过的检查 {sum(data.checks.values())} 项；无法核对的检查 {sum(data.unverifiable.values())} 项"
             "（口径不同、分项不全等，不计为问题）",
             f"- 自上一份报告（{data.previous_day or '无'}）以来已解决 {len(data.resolved)} 项",
             f"- 数据质量：{sum(not q['success'] for q in data.quality)} 项期望未满足（共 {len(data.quality)} 项）", "",
             "| 报告 | 预算 | 合同 | 已付 | 执行率 | 错误 | 警告 | 无法核对 |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for l in data.ledger:
        fs = data.by_doc.get(l["doc_id"], [])
        lines.append(f"| {_md(l['project_name'] or l['file_name'])} | {_wan(l['budget_wan'])} | {_wan(l['contract_wan'])} "
                     f"| {_wan(l['paid_wan'])} | {l['exec_rate_budget_pct'] if l['exec_rate_budget_pct'] is not None else '—'} "
                     f"| {sum(f['severity'] == 'error' for f in fs)} | {sum(f['severity'] == 'warning' for f in fs)} "
                     f"| {data.unverifiable.get(l['doc_id'], 0)} |")
    lines += ["", "## 问题", ""]
    for f in data.findings:
        if f["severity"] == "info":
            continue
        ev = _evidence(f)
        where = f"第{ev[0]['page']}页" if ev else ""
        lines.append(f"- {'**新** ' if f['new'] else ''}[{SEVERITY_NAMES[f['severity']]}] {_md(f['file_name'])} "
                     f"{where}：{_md(f['message'])}")
    lines += ["", "## 已解决", ""] + [f"- {_md(h['file_name'])}：{_md(h['message'])}（{h['first_seen']} 起，"
                                      f"{h['resolved_on']} 解决）" for h in data.resolved] + ([] if data.resolved else ["- 无"])
    return "\n".join(lines) + "\n"


# --- HTML --------------------------------------------------------------------------------------

CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:24px;color:#222;max-width:1200px}
h1{font-size:22px}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #ddd;padding-bottom:4px}
.cards{display:flex;gap:12px;flex-wrap:wrap}.card{border:1px solid #ddd;border-radius:6px;padding:8px 14px}
.card b{display:block;font-size:22px}table{border-collapse:collapse;width:100%;margin:8px 0}
td,th{border:1px solid #e3e3e3;padding:4px 6px;vertical-align:top;font-size:13px;text-align:left}
th{background:#f5f5f5}.num{text-align:right;white-space:nowrap}.sev-error{color:#b00020;font-weight:bold}
.sev-warning{color:#a15c00;font-weight:bold}.sev-info{color:#666}.new{background:#ffe08a;border-radius:3px;
padding:0 4px;font-size:11px}.quote{color:#555;font-size:12px}.ok{color:#1b7f3b}.bad{color:#b00020}
.legend span{display:inline-block;margin-right:12px}.sw{display:inline-block;width:10px;height:10px;margin-right:4px}
#filter{padding:4px;width:280px}
"""

COLORS = {"budget_wan": "#5b8def", "contract_wan": "#f2a541", "paid_wan": "#3bb273"}
SERIES = (("budget_wan", "预算"), ("contract_wan", "合同"), ("paid_wan", "已付"))


def _chart(data: NightlyData) -> str:
    """Budget vs contract vs paid per report, as inline SVG (no network, no library)."""
    rows = [l for l in data.ledger if any(l[k] for k, _ in SERIES)]
    if not rows:
        return "<p>没有可绘制的金额。</p>"
    top = max(float(l[k] or 0) for l in rows for k, _ in SERIES) or 1.0
    bar, gap, label_w, width = 14, 10, 260, 860
    height = len(rows) * (3 * bar + gap) + 20
    parts = [f'<svg id="chart" role="img" aria-label="预算、合同与已付金额" width="{width}" height="{height}" '
             f'xmlns="http://www.w3.org/2000/svg">']
    for i, l in enumerate(rows):
        y0 = 10 + i * (3 * bar + gap)
        name = escape((l["project_name"] or l["file_name"])[:24])
        parts.append(f'<text x="0" y="{y0 + 1.8 * bar}" font-size="12">{name}</text>')
        for j, (key, label) in enumerate(SERIES):
            value = float(l[key] or 0)
            w = (width - label_w - 90) * value / top
            y = y0 + j * bar
            parts.append(f'<rect class="bar" data-series="{key}" x="{label_w}" y="{y}" width="{w:.1f}" '
                         f'height="{bar - 2}" fill="{COLORS[key]}"><title>{label} {_wan(l[key])}万元</title></rect>')
            parts.append(f'<text x="{label_w + w + 4:.1f}" y="{y + bar - 4}" font-size="11">{_wan(l[key])}</text>')
    parts.append("</svg>")
    legend = "".join(f'<span><i class="sw" style="background:{COLORS[k]}"></i>{n}（万元）</span>' for k, n in SERIES)
    return f'<div class="legend">{legend}</div>' + "".join(parts)


def _finding_rows(fs: list[dict]) -> str:
    out = []
    for f in fs:
        ev = "".join(f'<div class="quote">第{escape(str(e["page"]))}页：{escape(e["quote"][:160])}</div>'
                     for e in _cited_pages(_evidence(f)))
        new = '<span class="new">新</span> ' if f["new"] else ""
        out.append(f'<tr class="finding" data-severity="{escape(f["severity"])}"><td class="sev-{escape(f["severity"])}">'
                   f'{new}{SEVERITY_NAMES[f["severity"]]}</td><td>{escape(KIND_NAMES.get(f["kind"], f["kind"]))}</td>'
                   f'<td>{escape(f["message"])}{ev}</td><td class="num">{escape(" / ".join(f"{v:g}" for v in f["values"]))}'
                   f'</td><td><code>{escape(f["finding_id"])}</code></td></tr>')
    return "".join(out)


def _cited_pages(evidence: list[dict], limit: int = 6) -> list[dict]:
    """The evidence to show: one quote per page and sentence, every page cited."""
    out, seen = [], set()
    for e in evidence:
        if (e["page"], e["quote"]) not in seen:
            seen.add((e["page"], e["quote"]))
            out.append(e)
    return out[:limit]


def _resolved(data: NightlyData) -> str:
    if not data.resolved:
        return "<p>没有自上一份报告以来解决的问题。</p>" if data.has_previous else "<p>这是第一份报告。</p>"
    rows = "".join(f'<tr class="resolved"><td>{escape(h["file_name"])}</td><td>{escape(KIND_NAMES.get(h["kind"], h["kind"]))}'
                   f'</td><td>{escape(h["message"])}</td><td>{escape(str(h["first_seen"]))}</td>'
                   f'<td>{escape(str(h["resolved_on"]))}</td></tr>' for h in data.resolved)
    return (f"<table><tr><th>报告</th><th>类型</th><th>说明</th><th>首次发现</th><th>解决于</th></tr>{rows}</table>")


def _reports(data: NightlyData) -> str:
    out = []
    for l in data.ledger:
        fs = data.by_doc.get(l["doc_id"], [])
        title = escape(l["project_name"] or l["file_name"])
        line = (f'预算 {_wan(l["budget_wan"])} → 到位 {_wan(l["appropriation_wan"])} → 合同 {_wan(l["contract_wan"])} '
                f'→ 已付 {_wan(l["paid_wan"])} → 余额 {_wan(l["balance_wan"])}（万元）；执行率 '
                f'{escape(str(l["exec_rate_budget_pct"] if l["exec_rate_budget_pct"] is not None else "—"))}%')
        body = (f"<table><tr><th>级别</th><th>类型</th><th>说明与证据</th><th>数值</th><th>编号</th></tr>"
                f"{_finding_rows(fs)}</table>" if fs else '<p class="ok">未发现问题。</p>')
        out.append(f'<section class="report" data-doc="{escape(l["doc_id"][:12])}"><h3>{title} '
                   f'<small>{escape(l["file_name"])}</small></h3><p>{line}；已核验 {data.checks.get(l["doc_id"], 0)} 项'
                   f'</p>{body}</section>')
    return "".join(out)


def _quality(data: NightlyData) -> str:
    if not data.quality:
        return "<p>尚未运行数据质量检查。</p>"
    rows = "".join(f'<tr><td>{escape(q["table_name"])}</td><td>{escape(q["expectation"])}</td>'
                   f'<td>{escape(q["column"] or "")}</td><td class="{"ok" if q["success"] else "bad"}">'
                   f'{"通过" if q["success"] else "未通过"}</td><td class="num">{q["unexpected_count"] or 0}</td>'
                   f'<td>{escape(q["unexpected_sample"] or "")}</td></tr>' for q in data.quality)
    failed = sum(not q["success"] for q in data.quality)
    return (f"<p>{len(data.quality)} 项期望，{failed} 项未通过。</p><table id=\"quality\"><tr><th>表</th><th>期望</th>"
            f"<th>列</th><th>结果</th><th>异常行</th><th>示例</th></tr>{rows}</table>")


def _errors(data: NightlyData) -> str:
    if not data.ingest_errors:
        return "<p>所有文件均已读取。</p>"
    rows = "".join(f'<tr><td>{escape(e["file_name"])}</td><td>{escape(str(e["page"] or ""))}</td>'
                   f'<td>{escape(e["code"])}</td><td>{escape(e["reason"])}</td></tr>' for e in data.ingest_errors)
    return f"<table><tr><th>文件</th><th>页</th><th>代码</th><th>原因</th></tr>{rows}</table>"


SCRIPT = """
window.__errors = [];
window.addEventListener('error', function (e) { window.__errors.push(String(e.message)); document.body.dataset.errors = window.__errors.length; });
document.addEventListener('DOMContentLoaded', function () {
  var input = document.getElementById('filter');
  input.addEventListener('input', function () {
    var q = input.value.trim().toLowerCase();
    document.querySelectorAll('tr.finding').forEach(function (tr) {
      tr.style.display = !q || tr.textContent.toLowerCase().indexOf(q) >= 0 ? '' : 'none';
    });
  });
  document.body.dataset.findings = document.querySelectorAll('tr.finding').length;
  document.body.dataset.bars = document.querySelectorAll('#chart rect.bar').length;
  document.body.dataset.ready = '1';
});
"""


def render_html(data: NightlyData) -> str:
    c = data.counts
    cards = "".join(f'<div class="card">{escape(label)}<b>{value}</b></div>' for label, value in (
        ("报告", len(data.documents)), ("错误", c["error"]), ("警告", c["warning"]), ("新增问题", c["new"]),
        ("已核验", sum(data.checks.values())), ("无法核对", sum(data.unverifiable.values())),
        ("已解决", len(data.resolved)), ("质量未通过", sum(not q["success"] for q in data.quality))))
    note = "" if data.has_previous else "<p>这是第一份报告：所有问题都标为新增。</p>"
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>jixiao 对账报告 '
            f'{data.day.isoformat()}</title><style>{CSS}</style><script>{SCRIPT}</script></head><body data-errors="0">'
            f'<h1>jixiao 对账报告 {data.day.isoformat()}</h1><div class="cards">{cards}</div>{note}'
            f'<h2>预算、合同与已付</h2>{_chart(data)}'
            f'<h2>各报告的问题</h2><p><input id="filter" placeholder="筛选问题（如 合同、第3页）"></p>{_reports(data)}'
            f'<h2>自上一份报告以来已解决</h2>{_resolved(data)}'
            f'<h2>数据质量</h2>{_quality(data)}<h2>读取问题</h2>{_errors(data)}</body></html>')
