"""index.html of the nightly report, built for triage: counts at the top, then every finding (new
and most severe first; filter and sort in the page), what was resolved, the money chart bounded to
the largest reports, data quality, and the files that could not be read. One self-contained file:
no link, font or script from outside. Text from PDFs is untrusted: every piece is escaped."""
from __future__ import annotations

from html import escape
from pathlib import Path

from ..tabular import number_text
from .assets import CSS, SCRIPT
from .data import SEVERITY_ORDER, NightlyData, money_size
from .files import KIND_NAMES, SEVERITY_NAMES, cited, evidence_of, values_text, wan

CHART_TOP = 20          # reports drawn in the chart; the others are a table below it
QUOTE_CHARS = 160       # characters of a quote shown under a finding
COLORS = {"budget_wan": "#5b8def", "contract_wan": "#f2a541", "paid_wan": "#3bb273"}
SERIES = (("budget_wan", "预算"), ("contract_wan", "合同"), ("paid_wan", "已付"))


def _cards(data: NightlyData) -> str:
    c = data.counts
    cards = [("findings", "新增错误", c["new_error"], f"共 {c['error']} 个错误", "hot" if c["new_error"] else ""),
             ("findings", "新增警告", c["new_warning"], f"共 {c['warning']} 个警告", "warm" if c["new_warning"] else ""),
             ("unreadable", "无法读取的文件", c["unreadable"], f"共 {len(data.documents)} 份文件",
              "hot" if c["unreadable"] else ""),
             ("quality", "质量检查未通过", c["quality_failed"], f"共 {len(data.quality)} 项期望",
              "warm" if c["quality_failed"] else "")]
    if c["missing"]:
        cards.append(("missing", "已不存在的文件", c["missing"], "已删除或移走", "warm"))
    return '<div class="cards">' + "".join(
        f'<a class="card {cls}" id="card-{target}-{i}" href="#{target}">{escape(label)}<b>{value}</b>'
        f'<small>{escape(sub)}</small></a>' for i, (target, label, value, sub, cls) in enumerate(cards)) + "</div>"


def evidence_html(f: dict) -> str:
    """Every piece of evidence of a finding, once per page and sentence: page and quote (escaped,
    cut at QUOTE_CHARS)."""
    out = []
    for e in cited(evidence_of(f)):
        quote = str(e.get("quote") or "")
        cut = quote[:QUOTE_CHARS] + ("…" if len(quote) > QUOTE_CHARS else "")
        out.append(f'<div class="quote">第{escape(str(e.get("page")))}页：{escape(cut)}</div>')
    for c in f.get("crops") or []:
        link = f'{Path(c["path"]).as_uri()}#page={int(c["page"])}' if c["path"] else ""
        if c["png"]:
            out.append(f'<a class="crop" href="{escape(link)}" title="第{int(c["page"])}页"><img alt="第{int(c["page"])}页" '
                       f'src="data:image/png;base64,{c["png"]}"></a>')
        else:
            out.append(f'<div class="quote">（第{int(c["page"])}页无法显示：{escape(c["why"] or "")}）</div>')
    return "".join(out)


FINDING_COLUMNS = (("new", "新增", "num"), ("severity", "级别", "num"), ("file", "报告", "text"),
                   ("kind", "类型", "text"), ("message", "说明与证据", "text"), ("page", "页", "num"),
                   ("values", "数值", "num"), ("id", "编号", "text"))


def _finding_row(i: int, f: dict) -> str:
    ev = evidence_of(f)
    page = ev[0]["page"] if ev else ""
    first = f["values"][0] if f["values"] else ""
    sev = escape(f["severity"])
    new = '<span class="new">新</span>' if f["new"] else ""
    return (f'<tr class="finding" data-order="{i}" data-severity="{sev}" data-new="{1 if f["new"] else 0}">'
            f'<td data-v="{0 if f["new"] else 1}">{new}</td>'
            f'<td class="sev-{sev}" data-v="{SEVERITY_ORDER[f["severity"]]}">{SEVERITY_NAMES[f["severity"]]}</td>'
            f'<td>{escape(f["file_name"])}</td><td class="nowrap">{escape(KIND_NAMES.get(f["kind"], f["kind"]))}</td>'
            f'<td>{escape(f["message"])}{evidence_html(f)}</td>'
            f'<td class="num" data-v="{escape(str(page))}">{escape(str(page))}</td>'
            f'<td class="num" data-v="{escape(number_text(first) if first != "" else "")}">'
            f'{escape(values_text(f["values"], " / "))}</td><td><code>{escape(f["finding_id"])}</code></td></tr>')


def _findings(data: NightlyData) -> str:
    head = "".join(f'<th data-key="{key}" data-type="{kind}" tabindex="0" scope="col">{label}</th>'
                   for key, label, kind in FINDING_COLUMNS)
    body = "".join(_finding_row(i, f) for i, f in enumerate(data.findings))
    empty = "" if data.findings else '<p class="ok">未发现问题。</p>'
    options = "".join(f'<option value="{s}">{SEVERITY_NAMES[s]}</option>' for s in SEVERITY_ORDER)
    return (f'<section id="findings"><h2>问题（{len(data.findings)}）</h2>'
            f'<p class="muted no-print">新增的在前，其次按严重程度；点击表头排序。</p>'
            f'<div class="controls"><input type="search" id="q" placeholder="筛选（如 合同、第3页、文件名）" '
            f'aria-label="筛选问题"><label>级别 <select id="sev"><option value="">全部</option>{options}</select>'
            f'</label><label><input type="checkbox" id="fresh"> 只看新增</label>'
            f'<span class="muted">显示 <b id="shown">{len(data.findings)}</b> / {len(data.findings)}</span></div>'
            f'<p id="filter-note" class="muted"></p>'
            f'<table id="findings-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{empty}</section>')


def _resolved(data: NightlyData) -> str:
    if not data.resolved:
        body = ("<p>自上一份报告以来没有已解决的问题。</p>" if data.has_previous else
                "<p>这是第一份报告：还没有可比较的上一份报告。</p>")
    else:
        gone = {d["doc_id"] for d in data.missing}
        rows = "".join(f'<tr class="resolved"><td>{escape(h["file_name"])}'
                       f'{"<div class=muted>文件已不存在</div>" if h["doc_id"] in gone else ""}</td>'
                       f'<td>{SEVERITY_NAMES.get(h["severity"], "")}</td>'
                       f'<td>{escape(KIND_NAMES.get(h["kind"], h["kind"]))}</td><td>{escape(h["message"])}</td>'
                       f'<td>{escape(str(h["first_seen"]))}</td><td>{escape(str(h["resolved_on"]))}</td>'
                       f'<td><code>{escape(h["finding_id"])}</code></td></tr>' for h in data.resolved)
        body = (f'<table id="resolved-table"><thead><tr><th>报告</th><th>级别</th><th>类型</th><th>说明</th>'
                f'<th>首次发现</th><th>解决于</th><th>编号</th></tr></thead><tbody>{rows}</tbody></table>')
    since = f"（{data.previous_day}）" if data.previous_day else ""
    count = f"：{len(data.resolved)} 项" if data.resolved else ""
    return f'<section id="resolved"><h2>自上一份报告{since}以来已解决{count}</h2>{body}</section>'


def _chart(rows: list[dict]) -> str:
    """Budget vs contract vs paid per report, as inline SVG (no network, no library)."""
    if not rows:
        return "<p>没有可绘制的金额。</p>"
    top = max(money_size(l) for l in rows) or 1.0
    bar, gap, label_w, width = 14, 10, 260, 860
    height = len(rows) * (3 * bar + gap) + 20
    parts = [f'<svg id="chart" role="img" aria-label="预算、合同与已付金额" width="{width}" height="{height}" '
             f'xmlns="http://www.w3.org/2000/svg">']
    for i, l in enumerate(rows):
        y0 = 10 + i * (3 * bar + gap)
        name = escape((l["project_name"] or l["file_name"])[:24])
        parts.append(f'<text x="0" y="{y0 + 1.8 * bar}" font-size="12">{name}</text>')
        for j, (key, label) in enumerate(SERIES):
            w = (width - label_w - 90) * float(l[key] or 0) / top
            y = y0 + j * bar
            parts.append(f'<rect class="bar" data-series="{key}" x="{label_w}" y="{y}" width="{w:.1f}" '
                         f'height="{bar - 2}" fill="{COLORS[key]}"><title>{label} {wan(l[key])}万元</title></rect>')
            parts.append(f'<text x="{label_w + w + 4:.1f}" y="{y + bar - 4}" font-size="11">{wan(l[key])}</text>')
    parts.append("</svg>")
    legend = "".join(f'<span><i class="sw" style="background:{COLORS[k]}"></i>{n}（万元）</span>' for k, n in SERIES)
    return f'<div class="legend">{legend}</div>' + "".join(parts)


def _ledger_table(data: NightlyData, rows: list[dict], table_id: str) -> str:
    body = []
    for l in rows:
        fs = data.by_doc.get(l["doc_id"], [])
        rate = l["exec_rate_budget_pct"]
        body.append(f'<tr><td>{escape(l["project_name"] or "")}<div class="muted">{escape(l["file_name"])}</div></td>'
                    + "".join(f'<td class="num">{wan(l[k])}</td>' for k in
                              ("budget_wan", "appropriation_wan", "contract_wan", "paid_wan", "balance_wan"))
                    + f'<td class="num">{"—" if rate is None else escape(number_text(rate))}</td>'
                    f'<td class="num">{sum(f["severity"] == "error" for f in fs)}</td>'
                    f'<td class="num">{sum(f["severity"] == "warning" for f in fs)}</td>'
                    f'<td class="num">{data.checks.get(l["doc_id"], 0)}</td>'
                    f'<td class="num">{data.unverifiable.get(l["doc_id"], 0)}</td></tr>')
    return (f'<table id="{table_id}"><thead><tr><th>报告</th><th>预算</th><th>到位</th><th>合同</th><th>已付</th>'
            f'<th>余额</th><th>执行率%</th><th>错误</th><th>警告</th><th>已核验</th><th>无法核对</th></tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>')


def _money(data: NightlyData) -> str:
    ranked = sorted(data.ledger, key=lambda l: (-money_size(l), l["file_name"]))
    drawn = [l for l in ranked[:CHART_TOP] if money_size(l) > 0]
    rest = [l for l in ranked if l not in drawn]
    title = f"金额最大的 {len(drawn)} 份报告" if len(ranked) > CHART_TOP else "各报告"
    out = f'<section id="money"><h2>预算、合同与已付：{title}（万元）</h2>{_chart(drawn)}'
    if rest:
        out += f'<h3>其余 {len(rest)} 份报告</h3>' + _ledger_table(data, rest, "other-reports")
    return out + "</section>"


def _quality(data: NightlyData) -> str:
    if not data.quality:
        return '<section id="quality"><h2>数据质量</h2><p>尚未运行数据质量检查。</p></section>'
    tables: dict[str, list[dict]] = {}
    for q in data.quality:
        tables.setdefault(q["table_name"], []).append(q)
    lines = []
    for table, qs in sorted(tables.items()):
        bad = sum(not q["success"] for q in qs)
        state = (f'<span class="ok">{len(qs)} 项全部通过</span>' if not bad else
                 f'{len(qs) - bad} 项通过，<span class="bad">{bad} 项未通过</span>（见下表）')
        lines.append(f'<li data-table="{escape(table)}"><code>{escape(table)}</code>：{state}</li>')
    failed = [q for q in data.quality if not q["success"]]
    rows = "".join(f'<tr><td>{escape(q["table_name"])}</td><td>{escape(q["expectation"])}</td>'
                   f'<td>{escape(q["column"] or "")}</td><td class="num">{q["unexpected_count"] or 0}</td>'
                   f'<td>{escape(q["unexpected_sample"] or "")}</td></tr>' for q in failed)
    table = (f'<table id="quality-failed"><thead><tr><th>表</th><th>期望</th><th>列</th><th>异常行</th><th>示例</th>'
             f'</tr></thead><tbody>{rows}</tbody></table>' if failed else "")
    return (f'<section id="quality"><h2>数据质量</h2><p>{len(data.quality)} 项期望，{len(failed)} 项未通过。</p>'
            f'<ul class="passed">{"".join(lines)}</ul>{table}</section>')


def _files(data: NightlyData) -> str:
    failed = "".join(f'<tr><td>{escape(d["file_name"])}<div class="muted">{escape(d["path"])}</div></td>'
                     f'<td>{escape(d["error"] or "")}</td></tr>' for d in data.unreadable)
    out = ('<section id="unreadable"><h2>无法读取的文件</h2>' +
           (f'<table id="unreadable-table"><thead><tr><th>文件</th><th>原因</th></tr></thead><tbody>{failed}'
            f'</tbody></table>' if failed else "<p>所有文件均已读取。</p>"))
    notes = [e for e in data.ingest_errors if not e["fatal"] and e["status"] != "failed"]
    if notes:
        rows = "".join(f'<tr><td>{escape(e["file_name"])}</td><td>{escape(str(e["page"] or ""))}</td>'
                       f'<td>{escape(e["code"])}</td><td>{escape(e["reason"])}</td></tr>' for e in notes)
        out += (f'<details><summary>其他读取提示（{len(notes)} 条：部分页面损坏或经 OCR 读取）</summary><table>'
                f'<thead><tr><th>文件</th><th>页</th><th>代码</th><th>说明</th></tr></thead><tbody>{rows}</tbody>'
                f'</table></details>')
    out += "</section>"
    if data.missing:
        rows = "".join(f'<tr><td>{escape(d["file_name"])}</td><td>{escape(d["error"] or "")}</td></tr>'
                       for d in data.missing)
        out += (f'<section id="missing"><h2>已不存在的文件（{len(data.missing)}）</h2><p class="muted">上次读取后被删除'
                f'或移走；它们的金额和问题已不再列出。</p><table id="missing-table"><thead><tr><th>文件</th><th>说明</th>'
                f'</tr></thead><tbody>{rows}</tbody></table></section>')
    return out


def render_html(data: NightlyData) -> str:
    c = data.counts
    readable = len(data.documents) - c["unreadable"] - c["missing"]
    lead = (f'共 {len(data.documents)} 份文件：可读 {readable} 份，无法读取 {c["unreadable"]} 份'
            + (f'，已不存在 {c["missing"]} 份' if c["missing"] else "")
            + f'；已核验通过的检查 {sum(data.checks.values())} 项，无法核对的检查 {sum(data.unverifiable.values())} 项'
            f'（口径不同、分项不全等，不计为问题）；自上一份报告以来已解决 {len(data.resolved)} 项。'
            + ("" if data.has_previous else "这是第一份报告：所有问题都标为新增。"))
    title = f"jixiao 对账报告 {data.day.isoformat()}"
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" '
            f'content="width=device-width,initial-scale=1"><title>{title}</title><style>{CSS}</style>'
            f'<script>{SCRIPT}</script></head><body data-errors="0"><h1>{title}</h1><p class="lead">{lead}</p>'
            f'{_cards(data)}{_findings(data)}{_resolved(data)}{_money(data)}{_quality(data)}{_files(data)}'
            f'<div class="sign print-only"><div>审核人（签字）：<span></span></div><div>日期：<span></span></div></div>'
            f'</body></html>')
