"""The nightly report's stylesheet (screen and print) and its one small script: filter, sort and
remember both in the address (#sev=error&new=1&q=合同&sort=page), no library, nothing fetched."""

CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:24px;color:#222;max-width:1280px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #ddd;padding-bottom:4px}
.lead{color:#555;margin:0 0 12px}.cards{display:flex;gap:12px;flex-wrap:wrap;margin:12px 0}
.card{display:block;border:1px solid #ddd;border-radius:6px;padding:8px 14px;min-width:130px;color:inherit;
text-decoration:none}.card b{display:block;font-size:26px}.card small{color:#666}
.card.hot{border-color:#b00020;background:#fff5f6}.card.warm{border-color:#c77700;background:#fffaf0}
table{border-collapse:collapse;width:100%;margin:8px 0}
td,th{border:1px solid #e3e3e3;padding:4px 6px;vertical-align:top;font-size:13px;text-align:left}
th{background:#f5f5f5}th[data-key]{cursor:pointer;user-select:none;white-space:nowrap}
th[data-key]::after{content:" ↕";color:#aaa}th[aria-sort=ascending]::after{content:" ↑";color:#222}
th[aria-sort=descending]::after{content:" ↓";color:#222}
.num{text-align:right;white-space:nowrap}.nowrap{white-space:nowrap}.sev-error{color:#b00020;font-weight:bold}
.sev-warning{color:#a15c00;font-weight:bold}.sev-info{color:#666}.new{background:#ffe08a;border-radius:3px;
padding:0 4px;font-size:11px}.quote{color:#555;font-size:12px;margin-top:2px}.crop img{display:block;max-width:100%;margin-top:4px;border:1px solid #ddd}.ok{color:#1b7f3b}.bad{color:#b00020}
.controls{display:flex;gap:12px;align-items:center;flex-wrap:wrap;margin:8px 0}.controls input[type=search]{padding:4px;
width:280px}.legend span{display:inline-block;margin-right:12px}.sw{display:inline-block;width:10px;height:10px;
margin-right:4px}.muted{color:#666}.print-only{display:none}ul.passed{margin:4px 0;padding-left:20px}
.sign{margin-top:32px;display:flex;gap:48px}.sign span{display:inline-block;min-width:220px;
border-bottom:1px solid #000;height:28px}
@media print{
  @page{size:A4;margin:14mm}
  body{margin:0;max-width:none;font-size:10.5pt;color:#000}
  .controls,.no-print{display:none !important}.print-only{display:block}
  .card{border:1px solid #000;background:none !important;padding:4px 10px}.card b{font-size:18px}
  a{color:#000;text-decoration:none}
  th[data-key]::after{content:""}
  table{page-break-inside:auto}tr{break-inside:avoid}thead{display:table-header-group}
  h2{break-after:avoid}td,th{font-size:9pt;border-color:#999}
  .quote{color:#000}.new{border:1px solid #000;background:none}
  svg,.legend{-webkit-print-color-adjust:exact;print-color-adjust:exact}
  details>*:not(summary){display:none}
}
"""

SCRIPT = """
window.__errors = [];
window.addEventListener('error', function (e) {
  window.__errors.push(String(e.message)); document.body.dataset.errors = window.__errors.length;
});
document.addEventListener('DOMContentLoaded', function () {
  var body = document.body, table = document.getElementById('findings-table');
  var tbody = table.tBodies[0], rows = Array.prototype.slice.call(tbody.rows);
  var q = document.getElementById('q'), sev = document.getElementById('sev'), fresh = document.getElementById('fresh');
  var shown = document.getElementById('shown'), note = document.getElementById('filter-note');
  var state = {sort: '', dir: 1};
  function readHash() {
    var out = {};
    location.hash.replace(/^#/, '').split('&').forEach(function (kv) {
      var i = kv.indexOf('=');
      if (i < 0) return;
      try { out[decodeURIComponent(kv.slice(0, i))] = decodeURIComponent(kv.slice(i + 1)); } catch (e) {}
    });
    return out;
  }
  function writeHash() {
    var parts = [];
    if (q.value) parts.push('q=' + encodeURIComponent(q.value));
    if (sev.value) parts.push('sev=' + encodeURIComponent(sev.value));
    if (fresh.checked) parts.push('new=1');
    if (state.sort) parts.push('sort=' + encodeURIComponent(state.sort) + (state.dir < 0 ? '-' : ''));
    history.replaceState(null, '', parts.length ? '#' + parts.join('&') : location.pathname + location.search);
  }
  function apply() {
    var text = q.value.trim().toLowerCase(), n = 0;
    rows.forEach(function (tr) {
      var ok = (!text || tr.textContent.toLowerCase().indexOf(text) >= 0) &&
               (!sev.value || tr.dataset.severity === sev.value) && (!fresh.checked || tr.dataset.new === '1');
      tr.hidden = !ok;
      if (ok) n++;
    });
    shown.textContent = n;
    body.dataset.shown = n;
    note.textContent = (text || sev.value || fresh.checked) ? '已筛选：显示 ' + n + ' / ' + rows.length + ' 条问题' : '';
  }
  function value(tr, col, num) {
    var v = tr.cells[col].dataset.v;
    if (v === undefined) v = tr.cells[col].textContent;
    return num ? (v === '' ? Infinity : parseFloat(v)) : v;
  }
  function sortBy(key, dir) {
    var th = table.querySelector('th[data-key="' + key + '"]');
    if (!th) return;
    var col = th.cellIndex, num = th.dataset.type === 'num';
    rows.sort(function (a, b) {
      var x = value(a, col, num), y = value(b, col, num);
      var r = num ? (x < y ? -1 : x > y ? 1 : 0) : x.localeCompare(y, 'zh');
      return r * dir || a.dataset.order - b.dataset.order;
    });
    rows.forEach(function (tr) { tbody.appendChild(tr); });
    table.querySelectorAll('th[data-key]').forEach(function (h) { h.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', dir > 0 ? 'ascending' : 'descending');
    state.sort = key; state.dir = dir;
    body.dataset.sorted = key + (dir < 0 ? '-' : '');
  }
  table.querySelectorAll('th[data-key]').forEach(function (th) {
    function go() { sortBy(th.dataset.key, state.sort === th.dataset.key ? -state.dir : 1); writeHash(); }
    th.addEventListener('click', go);
    th.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); go(); } });
  });
  [q, sev, fresh].forEach(function (el) {
    el.addEventListener('input', function () { apply(); writeHash(); });
    el.addEventListener('change', function () { apply(); writeHash(); });
  });
  var h = readHash();
  if (h.q) q.value = h.q;
  if (h.sev) sev.value = h.sev;
  if (h['new'] === '1') fresh.checked = true;
  if (h.sort) sortBy(h.sort.replace(/-$/, ''), /-$/.test(h.sort) ? -1 : 1);
  apply();
  body.dataset.findings = rows.length;
  body.dataset.bars = document.querySelectorAll('#chart rect.bar').length;
  body.dataset.findingsTop = Math.round(document.getElementById('findings').getBoundingClientRect().top + window.scrollY);
  body.dataset.ready = '1';
});
"""
