/**
 * The visual report: one self-contained HTML file (inline style and script, nothing fetched when it is
 * viewed). A case list that filters and sorts, and per case a timeline of its evidence legs, the legs
 * with their file:line, and each alert with its figures beside the parameters they were judged against
 * and, for graph patterns, a drawing of the flow. Every value from the store is escaped: names and memos
 * come from the input files.
 */
import type { AlertDetail, CaseDetail, CaseRow } from '../store/cases.js';
import { STATUSES } from '../store/lifecycle.js';
import { describeScore, formatValue, relatedShown, renderHistory, statusText } from './case-text.js';
import { caseLegs, esc, flow, timeline, type CaseLeg } from './html-charts.js';

export interface ReportInfo {
  store: string;
  generatedAt: string;
  toolVersion: string;
  /** Which cases the report holds, e.g. "status new"; empty for all of them. */
  selection: string;
}

export function renderHtml(cases: readonly CaseDetail[], info: ReportInfo): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>amlscreen cases · ${esc(info.store)}</title>
<style>${STYLE}</style></head>
<body>
<header><h1>amlscreen cases</h1>
<p>Store <code>${esc(info.store)}</code> · ${cases.length} case(s)${info.selection ? ` with ${esc(info.selection)}` : ''} · generated ${esc(info.generatedAt)} (UTC)
by amlscreen ${esc(info.toolVersion)}. Booking times are shown as recorded, with their UTC offset. Alerts are leads for review, not findings.</p></header>
<nav><label>Filter <input id="filter" type="search" size="32" placeholder="subject, rule, typology, assignee…"></label>
<label>Status <select id="status"><option value="">any</option>${STATUSES.map((s) => `<option>${s}</option>`).join('')}</select></label>
<span id="shown">${cases.length} of ${cases.length} shown</span></nav>
<table id="cases"><thead><tr>${COLUMNS.map((c) => `<th data-key="${c.key}"${c.num ? ' class="num"' : ''}>${c.label}</th>`).join('')}</tr></thead>
<tbody>
${cases.map(caseRow).join('\n')}
</tbody></table>
${cases.map(caseSection).join('\n')}
<script>${SCRIPT}</script>
</body></html>
`;
}

interface Column {
  key: string;
  label: string;
  /** Right-aligned, and sorted as a number. */
  num?: boolean;
  /** The cell's HTML. */
  cell: (c: CaseRow) => string;
}

const COLUMNS: readonly Column[] = [
  { key: 'case', label: 'Case', num: true, cell: (c) => `<a href="#case-${c.case_id}">${c.case_id}</a>` },
  { key: 'status', label: 'Status', cell: (c) => esc(c.status) },
  { key: 'disposition', label: 'Disposition', cell: (c) => esc(c.disposition) },
  { key: 'assignee', label: 'Assignee', cell: (c) => esc(c.assignee) },
  { key: 'subject', label: 'Subject', cell: (c) => `<small>${esc(c.subject_type)}</small> <span class="id">${esc(c.subject)}</span>` },
  { key: 'score', label: 'Score', num: true, cell: (c) => String(c.score) },
  { key: 'severity', label: 'Severity', num: true, cell: (c) => String(c.severity) },
  { key: 'rules', label: 'Rules', cell: (c) => c.rule_ids.map((r) => `<span class="nw">${esc(r)}</span>`).join(', ') },
  { key: 'typologies', label: 'Typologies', cell: (c) => esc(c.typologies.join(', ')) },
  { key: 'first', label: 'First', cell: (c) => esc(c.first_ts.slice(0, 10)) },
  { key: 'last', label: 'Last', cell: (c) => esc(c.last_ts.slice(0, 10)) },
  { key: 'total_usd', label: 'Total USD', num: true, cell: (c) => esc(c.total_usd) },
  { key: 'alerts', label: 'Alerts', num: true, cell: (c) => String(c.alerts) },
];

function caseRow(c: CaseRow): string {
  return `<tr class="case-row" data-status="${esc(c.status)}">${COLUMNS.map((col) => `<td${col.num ? ' class="num"' : ''}>${col.cell(c)}</td>`).join('')}</tr>`;
}

function caseSection(c: CaseDetail): string {
  const legs = caseLegs(c);
  const { shown, more } = relatedShown(c);
  const related = shown.map((r) => `<a href="#case-${r.case_id}">case ${r.case_id}</a> (${esc(r.subject)}, shares ${esc(r.accounts.join(', '))})`);
  if (more > 0) related.push(`${more} more, none sharing more accounts (cases show --format json lists them all)`);
  return `<section class="case" id="case-${c.case_id}">
<h2>Case ${c.case_id} · ${esc(c.subject_type)} ${esc(c.subject)} <span class="status">${esc(statusText(c))}</span></h2>
<p>Score ${c.score} (${esc(describeScore(c.score_breakdown))}) · period ${esc(c.first_ts)} to ${esc(c.last_ts)} · trigger total USD ${esc(c.total_usd)}
· version ${c.version} · assignee ${esc(c.assignee ?? 'none')}</p>
${related.length > 0 ? `<p>Related: ${related.join('; ')}</p>` : ''}
${timeline(legs)}
${legTable(legs)}
${c.alert_details.map(alertBlock).join('\n')}
<details><summary>History (${c.events.length} events)</summary><ul>${renderHistory(c.events).map((l) => `<li>${esc(l)}</li>`).join('')}</ul></details>
</section>`;
}

function alertBlock(a: AlertDetail): string {
  const partition = Object.entries(a.partition).map(([k, v]) => ` · ${k}=${v}`).join('');
  return `<div class="alert"><h3>${esc(a.rule_id)} v${esc(a.rule_version)} · ${esc(a.typology)} · severity ${a.severity} · ${esc(a.subject_type)} ${esc(a.subject)}${esc(partition)}</h3>
<p>${esc(a.narrative)}</p>
<div class="figures">${keyValues('Figures', a.figures)}${keyValues('Judged against (parameters)', a.params)}${flow(a)}</div></div>`;
}

function keyValues(title: string, values: Record<string, unknown>): string {
  const rows = Object.entries(values).map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(formatValue(v))}</td></tr>`);
  return `<table class="kv"><caption>${esc(title)}</caption>${rows.join('')}</table>`;
}

const LEG_HEADER = ['#', 'Role', 'Alerts', 'Txn', 'Booking time', 'Account', 'Dir', 'Amount', 'Ccy', 'Channel', 'Counterparty', 'Memo', 'Source'];
/** The columns that wrap; the others keep to one line. */
const LEG_WRAP = new Set(['Alerts', 'Counterparty', 'Memo']);

/** The legs of the timeline, in its order. */
function legTable(legs: readonly CaseLeg[]): string {
  const rows = legs.map((l, i) => {
    const r = l.record;
    const cells = [i + 1, l.trigger ? 'trigger' : 'context', l.rules.join(', '), r.txn_id, r.booking_ts, r.account_id, r.direction, r.amount, r.currency,
      r.channel, [r.cp_name, r.cp_account].filter((x) => x !== undefined && x !== null).join(' · '), r.description, `${String(r.source_file_id)}:${String(r.source_row)}`];
    return `<tr class="${l.trigger ? 'trigger' : 'context'}">${cells.map((x, j) => `<td${LEG_HEADER[j] === 'Amount' ? ' class="num"' : LEG_WRAP.has(LEG_HEADER[j]!) ? ' class="wrap"' : ''}>${esc(x)}</td>`).join('')}</tr>`;
  });
  return `<table class="legs"><thead><tr>${LEG_HEADER.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:0 24px 48px;color:#1b1f24}
header h1{margin:16px 0 4px;font-size:22px} code{font-size:12px}
nav{position:sticky;top:0;background:#fff;padding:8px 0;border-bottom:1px solid #ccd;display:flex;gap:16px;align-items:center}
table{border-collapse:collapse} #cases{width:100%;margin:8px 0 24px}
th,td{padding:3px 8px;border-bottom:1px solid #e3e6ea;text-align:left;vertical-align:top}
#cases th{cursor:pointer;background:#f3f5f8;user-select:none;white-space:nowrap} #cases th.asc::after{content:" ▲"} #cases th.desc::after{content:" ▼"}
#cases{font-size:13px} #cases td:nth-child(10),#cases td:nth-child(11),.nw{white-space:nowrap} .id{overflow-wrap:anywhere} small{color:#667}
.num{text-align:right} tr[hidden]{display:none}
section.case{border-top:3px solid #345;margin-top:28px;padding-top:4px} h2{font-size:18px;margin:8px 0} h3{font-size:15px;margin:16px 0 4px}
.status{font-size:13px;background:#eef;padding:2px 6px;border-radius:4px}
.figures{display:flex;gap:24px;flex-wrap:wrap;align-items:flex-start} table.kv caption{text-align:left;font-weight:600} table.kv th{font-weight:normal;color:#556}
table.legs{font-size:12px;margin-top:4px} table.legs td{white-space:nowrap} table.legs td.wrap{white-space:normal} table.legs tr.context{color:#778}
svg.timeline{width:100%;max-width:900px;height:auto;background:#fafbfc;border:1px solid #e3e6ea}
svg text{font-size:10px;fill:#556} .axis{stroke:#99a}
rect.leg.in{fill:#2b8a3e} rect.leg.out{fill:#c92a2a} rect.leg.context{opacity:.35}
svg.flow{width:440px;height:440px;background:#fafbfc;border:1px solid #e3e6ea}
.edge{stroke:#667;stroke-width:1.3} .node{fill:#9ab} .node.own{fill:#234} marker path{fill:#667} text.amount{fill:#345;font-size:9px;paint-order:stroke;stroke:#fafbfc;stroke-width:3px}
figure{margin:8px 0} figcaption{font-size:12px;color:#667;max-width:900px}
`;

/** Filters (text, status) and sorts the case list; `#filter=…&status=…&sort=[-]key` in the URL sets them on opening. */
const SCRIPT = `
(function () {
  var body = document.querySelector('#cases tbody'), rows = [].slice.call(body.rows), heads = [].slice.call(document.querySelectorAll('#cases th'));
  var filter = document.getElementById('filter'), status = document.getElementById('status'), shown = document.getElementById('shown');
  function apply() {
    var q = filter.value.trim().toLowerCase(), s = status.value, n = 0;
    rows.forEach(function (r) {
      var ok = (!q || r.textContent.toLowerCase().indexOf(q) >= 0) && (!s || r.getAttribute('data-status') === s);
      r.hidden = !ok; if (ok) n++;
    });
    shown.textContent = n + ' of ' + rows.length + ' shown';
  }
  function sortBy(th, asc) {
    var col = heads.indexOf(th), num = th.classList.contains('num');
    heads.forEach(function (h) { h.classList.remove('asc', 'desc'); });
    th.classList.add(asc ? 'asc' : 'desc');
    function key(r) { var t = r.cells[col].textContent; return num ? parseFloat(t.replace(/[^0-9.-]/g, '')) || 0 : t.toLowerCase(); }
    rows.sort(function (a, b) { var x = key(a), y = key(b); return (x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1); });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  heads.forEach(function (th) { th.addEventListener('click', function () { sortBy(th, !th.classList.contains('asc')); }); });
  filter.addEventListener('input', apply);
  status.addEventListener('change', apply);
  var params = new URLSearchParams(location.hash.slice(1)), sort = params.get('sort') || '';
  filter.value = params.get('filter') || '';
  status.value = params.get('status') || '';
  heads.forEach(function (th) { if (th.getAttribute('data-key') === sort.replace(/^-/, '')) sortBy(th, sort[0] !== '-'); });
  apply();
})();
`;
