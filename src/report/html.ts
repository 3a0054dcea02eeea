/**
 * The visual report: one self-contained HTML file (inline style and script, nothing fetched when it is
 * viewed). A case list that filters and sorts, and per case its alerts, the figures beside the parameters
 * they were judged against, a timeline of the evidence legs and, for graph patterns, a drawing of the flow.
 * Every value from the store is escaped: names and memos come from the input files.
 */
import type { AlertDetail, CaseDetail } from '../store/cases.js';

export interface ReportInfo {
  store: string;
  generatedAt: string;
  toolVersion: string;
}

export function renderHtml(cases: readonly CaseDetail[], info: ReportInfo): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>amlscreen cases · ${esc(info.store)}</title>
<style>${STYLE}</style></head>
<body>
<header><h1>amlscreen cases</h1>
<p>Store <code>${esc(info.store)}</code> · ${cases.length} case(s) · written ${esc(info.generatedAt)} (UTC) by amlscreen ${esc(info.toolVersion)}.
Times are shown as recorded, with their UTC offset. Alerts are leads for review, not findings.</p></header>
<nav><label>Filter <input id="filter" type="search" placeholder="subject, rule, typology, assignee…"></label>
<label>Status <select id="status"><option value="">any</option>${['new', 'in_review', 'escalated', 'closed'].map((s) => `<option>${s}</option>`).join('')}</select></label>
<span id="shown">${cases.length} of ${cases.length} shown</span></nav>
<table id="cases"><thead><tr>${COLUMNS.map((c, i) => `<th data-col="${i}" data-type="${c.num ? 'num' : 'text'}">${c.label}</th>`).join('')}</tr></thead>
<tbody>${cases.map(caseRow).join('\n')}</tbody></table>
${cases.map(caseSection).join('\n')}
<script>${SCRIPT}</script>
</body></html>
`;
}

const COLUMNS = [
  { label: 'Case', num: true }, { label: 'Status', num: false }, { label: 'Score', num: true }, { label: 'Subject', num: false },
  { label: 'Rules', num: false }, { label: 'Typologies', num: false }, { label: 'Alerts', num: true }, { label: 'First', num: false },
  { label: 'Last', num: false }, { label: 'Total USD', num: true }, { label: 'Assignee', num: false },
];

function caseRow(c: CaseDetail): string {
  const cells = [
    `<a href="#case-${c.case_id}">${c.case_id}</a>`, esc(c.disposition ? `${c.status} (${c.disposition})` : c.status), String(c.score),
    `${esc(c.subject_type)} ${esc(c.subject)}`, esc(c.rule_ids.join(', ')), esc(c.typologies.join(', ')), String(c.alerts),
    esc(c.first_ts.slice(0, 10)), esc(c.last_ts.slice(0, 10)), esc(c.total_usd), esc(c.assignee ?? ''),
  ];
  return `<tr class="case-row" data-status="${esc(c.status)}">${cells.map((x) => `<td>${x}</td>`).join('')}</tr>`;
}

function caseSection(c: CaseDetail): string {
  return `<section class="case" id="case-${c.case_id}">
<h2>Case ${c.case_id} · ${esc(c.subject_type)} ${esc(c.subject)} <span class="status">${esc(c.status)}${c.disposition ? ` (${esc(c.disposition)})` : ''}</span></h2>
<p>Score ${c.score} · period ${esc(c.first_ts)} to ${esc(c.last_ts)} · trigger total USD ${esc(c.total_usd)} · version ${c.version} · assignee ${esc(c.assignee ?? 'none')}</p>
${c.related.length > 0 ? `<p>Related: ${c.related.map((r) => `<a href="#case-${r.case_id}">case ${r.case_id}</a> (${esc(r.subject)}, shares ${esc(r.accounts.join(', '))})`).join('; ')}</p>` : ''}
${timeline(c)}
${c.alert_details.map(alertBlock).join('\n')}
<details><summary>History (${c.events.length} events)</summary><ul>${c.events.map((e) => `<li>${esc(e.at)} · ${esc(e.user ?? '-')} · ${esc(e.kind)} · <code>${esc(JSON.stringify(e.data))}</code></li>`).join('')}</ul></details>
</section>`;
}

function alertBlock(a: AlertDetail): string {
  const graph = a.rule_id.startsWith('GRAPH-') ? flow(a) : '';
  return `<div class="alert"><h3>${esc(a.rule_id)} v${esc(a.rule_version)} · ${esc(a.typology)} · severity ${a.severity}</h3>
<p>${esc(a.narrative)}</p>
<div class="figures">${table('Figures', a.figures)}${table('Judged against (parameters)', a.params)}</div>
${graph}
<table class="legs"><thead><tr><th>Role</th><th>Txn</th><th>Booking time</th><th>Account</th><th>Dir</th><th>Amount</th><th>Channel</th><th>Counterparty</th><th>Source</th></tr></thead><tbody>
${a.evidence.map((e) => {
    const r = e.record;
    return `<tr class="${e.role}"><td>${esc(e.role)}</td><td>${esc(r.txn_id)}</td><td>${esc(r.booking_ts)}</td><td>${esc(r.account_id)}</td><td>${esc(r.direction)}</td>` +
      `<td class="num">${esc(r.amount)} ${esc(r.currency)}</td><td>${esc(r.channel)}</td><td>${esc(r.cp_name ?? r.cp_account ?? '')}</td><td>${esc(r.source_file_id)}:${esc(r.source_row)}</td></tr>`;
  }).join('\n')}</tbody></table></div>`;
}

function table(title: string, values: Record<string, unknown>): string {
  const rows = Object.entries(values).map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(typeof v === 'object' && v !== null ? JSON.stringify(v) : v)}</td></tr>`);
  return `<table class="kv"><caption>${esc(title)}</caption>${rows.join('')}</table>`;
}

interface Leg {
  ms: number;
  usd: number;
  dir: string;
  role: string;
  label: string;
}

/** The case's evidence legs on a time axis: money in above it, out below, bar height by USD amount (square root). */
function timeline(c: CaseDetail): string {
  const seen = new Map<string, Leg>();
  for (const a of c.alert_details) {
    for (const e of a.evidence) {
      const r = e.record;
      const key = `${String(r.source_file_id)}:${String(r.source_row)}:${String(r.account_id)}:${String(r.direction)}`;
      const known = seen.get(key);
      if (known) {
        if (e.role === 'trigger') known.role = 'trigger';
        continue;
      }
      seen.set(key, {
        ms: Date.parse(String(r.booking_ts)), usd: Number(r.amount_usd ?? 0), dir: String(r.direction), role: e.role,
        label: `${String(r.txn_id)} · ${String(r.booking_ts)} · ${String(r.direction)} ${String(r.amount)} ${String(r.currency)} · ${String(r.channel)}`,
      });
    }
  }
  const legs = [...seen.values()].sort((x, y) => x.ms - y.ms);
  if (legs.length === 0) return '';
  const [W, H, PAD] = [900, 160, 30];
  const t0 = legs[0]!.ms;
  const span = Math.max(legs[legs.length - 1]!.ms - t0, 1);
  const top = Math.sqrt(Math.max(...legs.map((l) => l.usd), 1));
  const mid = H / 2;
  const bars = legs.map((l) => {
    const x = PAD + ((l.ms - t0) / span) * (W - 2 * PAD);
    const h = Math.max(2, (Math.sqrt(Math.max(l.usd, 0)) / top) * (mid - 12));
    const y = l.dir === 'in' ? mid - h : mid;
    return `<rect class="leg ${l.dir} ${l.role}" x="${(x - 3).toFixed(1)}" y="${y.toFixed(1)}" width="6" height="${h.toFixed(1)}"><title>${esc(l.label)}</title></rect>`;
  });
  return `<figure><svg class="timeline" viewBox="0 0 ${W} ${H}" role="img" aria-label="timeline of ${legs.length} evidence legs">
<line x1="${PAD}" y1="${mid}" x2="${W - PAD}" y2="${mid}" class="axis"/>
<text x="${PAD}" y="${H - 4}">${esc(new Date(t0).toISOString().slice(0, 16))}Z</text><text x="${W - PAD}" y="${H - 4}" text-anchor="end">${esc(new Date(t0 + span).toISOString().slice(0, 16))}Z</text>
<text x="4" y="14">in</text><text x="4" y="${H - 18}">out</text>
${bars.join('\n')}</svg>
<figcaption>${legs.length} evidence leg(s) in time (UTC): money in above the line, out below; height grows with the USD amount; solid bars are trigger legs, pale ones context.</figcaption></figure>`;
}

/** A graph pattern's accounts on a circle, with an arrow per transfer between them and its amount. */
function flow(a: AlertDetail): string {
  const edges = a.evidence.flatMap((e) => {
    const r = e.record;
    if (r.cp_account === undefined || r.cp_account === null) return [];
    const [from, to] = r.direction === 'out' ? [String(r.account_id), String(r.cp_account)] : [String(r.cp_account), String(r.account_id)];
    return [{ from, to, label: `${String(r.amount)} ${String(r.currency)}` }];
  });
  const nodes = [...new Set(edges.flatMap((e) => [e.from, e.to]))];
  if (nodes.length === 0) return '';
  const [S, R] = [360, 130];
  const at = new Map(nodes.map((n, i) => [n, {
    x: S / 2 + R * Math.cos((2 * Math.PI * i) / nodes.length - Math.PI / 2), y: S / 2 + R * Math.sin((2 * Math.PI * i) / nodes.length - Math.PI / 2),
  }]));
  const lines = edges.map((e) => {
    const p = at.get(e.from)!;
    const q = at.get(e.to)!;
    return `<line class="edge" x1="${p.x.toFixed(1)}" y1="${p.y.toFixed(1)}" x2="${q.x.toFixed(1)}" y2="${q.y.toFixed(1)}" marker-end="url(#arrow-${esc(a.alert_id.slice(0, 12))})"><title>${esc(`${e.from} → ${e.to}: ${e.label}`)}</title></line>`;
  });
  const circles = nodes.map((n) => {
    const p = at.get(n)!;
    const center = n === a.subject ? ' center' : '';
    return `<circle class="node${center}" cx="${p.x.toFixed(1)}" cy="${p.y.toFixed(1)}" r="9"><title>${esc(n)}</title></circle>` +
      `<text x="${p.x.toFixed(1)}" y="${(p.y - 13).toFixed(1)}" text-anchor="middle">${esc(n.length > 14 ? `…${n.slice(-12)}` : n)}</text>`;
  });
  return `<figure><svg class="flow" viewBox="0 0 ${S} ${S}" role="img" aria-label="flow between ${nodes.length} accounts">
<defs><marker id="arrow-${esc(a.alert_id.slice(0, 12))}" viewBox="0 0 10 10" refX="19" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z"/></marker></defs>
${lines.join('\n')}
${circles.join('\n')}</svg>
<figcaption>The pattern's ${nodes.length} accounts and ${edges.length} transfer(s); the alert's subject is dark. Hover for accounts and amounts.</figcaption></figure>`;
}

function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:0 24px 48px;color:#1b1f24}
header h1{margin:16px 0 4px;font-size:22px} code{font-size:12px}
nav{position:sticky;top:0;background:#fff;padding:8px 0;border-bottom:1px solid #ccd;display:flex;gap:16px;align-items:center}
table{border-collapse:collapse} #cases{width:100%;margin:8px 0 24px}
th,td{padding:3px 8px;border-bottom:1px solid #e3e6ea;text-align:left;vertical-align:top}
#cases th{cursor:pointer;background:#f3f5f8;user-select:none} #cases th.asc::after{content:" ▲"} #cases th.desc::after{content:" ▼"}
#cases td:nth-child(8),#cases td:nth-child(9){white-space:nowrap}
td.num,#cases td:nth-child(3),#cases td:nth-child(7),#cases td:nth-child(10){text-align:right}
tr[hidden]{display:none}
section.case{border-top:3px solid #345;margin-top:28px;padding-top:4px} h2{font-size:18px;margin:8px 0} h3{font-size:15px;margin:14px 0 4px}
.status{font-size:13px;background:#eef;padding:2px 6px;border-radius:4px}
.figures{display:flex;gap:24px;flex-wrap:wrap} table.kv caption{text-align:left;font-weight:600} table.kv th{font-weight:normal;color:#556}
table.legs{font-size:12px;margin-top:8px} table.legs tr.context{color:#778}
svg.timeline{width:100%;max-width:900px;height:auto;background:#fafbfc;border:1px solid #e3e6ea}
svg text{font-size:10px;fill:#556} .axis{stroke:#99a}
rect.leg.in{fill:#2b8a3e} rect.leg.out{fill:#c92a2a} rect.leg.context{opacity:.35}
svg.flow{width:360px;height:360px;background:#fafbfc;border:1px solid #e3e6ea}
.edge{stroke:#667;stroke-width:1.3} .node{fill:#9ab} .node.center{fill:#234} marker path{fill:#667}
figure{margin:8px 0} figcaption{font-size:12px;color:#667}
`;

/** Filters (text, status; also from the URL: #filter=…&status=…) and sorts the case list. */
const SCRIPT = `
(function () {
  var rows = Array.prototype.slice.call(document.querySelectorAll('#cases tbody tr'));
  var filter = document.getElementById('filter'), status = document.getElementById('status'), shown = document.getElementById('shown');
  function apply() {
    var q = filter.value.trim().toLowerCase(), s = status.value, n = 0;
    rows.forEach(function (r) {
      var ok = (!q || r.textContent.toLowerCase().indexOf(q) >= 0) && (!s || r.getAttribute('data-status') === s);
      r.hidden = !ok; if (ok) n++;
    });
    shown.textContent = n + ' of ' + rows.length + ' shown';
  }
  var params = new URLSearchParams(location.hash.slice(1));
  filter.value = params.get('filter') || ''; status.value = params.get('status') || '';
  filter.addEventListener('input', apply); status.addEventListener('change', apply);
  document.querySelectorAll('#cases th').forEach(function (th) {
    th.addEventListener('click', function () {
      var col = +th.getAttribute('data-col'), num = th.getAttribute('data-type') === 'num', asc = !th.classList.contains('asc');
      document.querySelectorAll('#cases th').forEach(function (h) { h.classList.remove('asc', 'desc'); });
      th.classList.add(asc ? 'asc' : 'desc');
      var key = function (r) { var t = r.children[col].textContent; return num ? parseFloat(t.replace(/[^0-9.-]/g, '')) || 0 : t.toLowerCase(); };
      rows.sort(function (a, b) { var x = key(a), y = key(b); return (x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1); });
      var body = document.querySelector('#cases tbody'); rows.forEach(function (r) { body.appendChild(r); });
    });
  });
  apply();
})();
`;
