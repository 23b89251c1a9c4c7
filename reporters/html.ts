/**
 * One self-contained HTML page for people (release managers, reviewers):
 * inline CSS, no scripts, no external URLs. Every string that came from a
 * user or the environment passes through html() from escape.ts.
 */
import { join } from 'node:path';
import type { AssertionResult, RunResult, SuiteResult, TrainingSummary } from '../src/runner/result.js';
import { html } from './escape.js';
import { DASH, formatDuration, formatFlops, formatLoss, formatPercent } from './format.js';
import { extraLines, METRIC_COLUMNS, metricRows } from './metrics.js';
import { isWarning, runTotals } from './summary.js';
import type { Reporter } from './types.js';
import { writeFileAtomic } from '../src/util/write-atomic.js';

export interface HtmlReporterOptions {
  outputDir: string;
  /** Defaults to `<outputDir>/index.html`. */
  outputFile?: string;
}

export class HtmlReporter implements Reporter {
  readonly outputFile: string;

  constructor(options: HtmlReporterOptions) {
    this.outputFile = options.outputFile ?? join(options.outputDir, 'index.html');
  }

  async onRunEnd(result: RunResult): Promise<string[]> {
    await writeFileAtomic(this.outputFile, renderHtml(result));
    return [this.outputFile];
  }
}

export function renderHtml(run: RunResult): string {
  const title = `deepperform report — ${run.status}`;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${html(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    header(run),
    chips(run),
    suiteIndex(run),
    '<main>',
    ...run.suites.map((s, i) => suiteSection(s, i)),
    '</main>',
    '</body>',
    '</html>',
  ]
    .filter((part) => part !== '')
    .join('\n')
    .concat('\n');
}

// ---- page header ----

function header(run: RunResult): string {
  const e = run.environment;
  const facts: [string, string][] = [
    ['tool version', e.toolVersion],
    ['backend', e.backend],
    ['node', e.node],
    ['platform', e.platform],
    ['cpu', `${e.cpu} (${e.cpuCount} ${e.cpuCount === 1 ? 'core' : 'cores'})`],
    ['started', run.startedAt],
    ['duration', formatDuration(run.durationMs)],
  ];
  return [
    `<header class="run ${statusClass(run.status)}">`,
    `<h1>deepperform <span class="badge ${statusClass(run.status)}">${html(run.status)}</span></h1>`,
    definitionList(facts, 'env'),
    '</header>',
  ].join('\n');
}

function chips(run: RunResult): string {
  const t = runTotals(run);
  const chip = (n: number, label: string, cls: string) =>
    `<span class="chip ${n > 0 ? cls : 'zero'}"><b>${n}</b> ${label}</span>`;
  return [
    '<section class="chips">',
    '<div><span class="chips-label">Suites</span>',
    chip(t.suites.passed, 'passed', 'passed'),
    chip(t.suites.failed, 'failed', 'failed'),
    chip(t.suites.errored, 'errored', 'error'),
    '</div>',
    '<div><span class="chips-label">Assertions</span>',
    chip(t.assertions.passed, 'passed', 'passed'),
    chip(t.assertions.failed, 'failed', 'failed'),
    chip(t.assertions.warned, 'warned', 'warn'),
    chip(t.assertions.skipped, 'skipped', 'skipped'),
    '</div>',
    '</section>',
  ].join('\n');
}

function suiteIndex(run: RunResult): string {
  if (run.suites.length < 2) return '';
  const items = run.suites.map(
    (s, i) =>
      `<li><span class="badge ${statusClass(s.status)}">${html(s.status)}</span> <a href="#suite-${i + 1}">${html(s.name)}</a> <code>${html(s.file)}</code></li>`,
  );
  return `<nav><ol>\n${items.join('\n')}\n</ol></nav>`;
}

// ---- one suite ----

function suiteSection(s: SuiteResult, index: number): string {
  const parts = [
    `<section class="suite ${statusClass(s.status)}" id="suite-${index + 1}">`,
    `<h2><span class="badge ${statusClass(s.status)}">${html(s.status)}</span> ${html(s.name)}</h2>`,
    `<p class="meta"><code>${html(s.file)}</code> · ${html(formatDuration(s.durationMs))}</p>`,
  ];
  if (s.error) parts.push(errorBlock(s.error));
  parts.push('<div class="facts">', modelFacts(s), configFacts(s));
  if (s.training) parts.push(trainingFacts(s.training));
  parts.push('</div>');
  parts.push(assertionTable(s.assertions), metricsTable(s), extrasList(s), blocksTable(s), '</section>');
  return parts.filter((p) => p !== '').join('\n');
}

function errorBlock(error: { message: string; stack?: string }): string {
  const stack = error.stack ? `<pre>${html(error.stack)}</pre>` : '';
  return `<div class="error-box"><strong>${html(error.message)}</strong>${stack}</div>`;
}

function modelFacts(s: SuiteResult): string {
  const m = s.model;
  const blockFlops = m.blocks.reduce((sum, b) => sum + b.flops, 0);
  return factCard('Model', [
    ['name', m.name],
    ['arch', m.arch],
    ['kind', m.kind],
    ['blocks', String(m.blocks.length)],
    ['base FLOPs', formatFlops(m.baseFlops)],
    ['all blocks FLOPs', formatFlops(m.baseFlops + blockFlops)],
  ]);
}

function configFacts(s: SuiteResult): string {
  const c = s.config;
  return factCard('Configuration', [
    ['dataset', c.dataset],
    ['split', c.split],
    ['seeds', String(c.seeds)],
    ['norm', c.norm],
    ['epsilon', formatEpsilon(c.epsilon)],
    ['threshold', String(c.threshold)],
    ['seed', String(c.seed)],
  ]);
}

function trainingFacts(t: TrainingSummary): string {
  return factCard('Generator', [
    ['source', t.loaded ? 'loaded (cache or file)' : 'trained'],
    ['steps', String(t.steps)],
    ['epochs', String(t.epochs)],
    ['duration', formatDuration(t.durationMs)],
    ['best validation I-FLOPs', formatPercent(t.bestValidationIflops)],
    ['final loss', formatLoss(t.finalLosses.total)],
  ]);
}

/** Shows 8/255-style budgets as such, since that is how users write them. */
export function formatEpsilon(eps: number): string {
  if (!Number.isFinite(eps)) return DASH;
  const shown = String(Number(eps.toPrecision(4)));
  const k = Math.round(eps * 255);
  const isFraction = k > 0 && k < 255 && Math.abs(eps * 255 - k) < 1e-6;
  return isFraction ? `${shown} (${k}/255)` : shown;
}

function assertionTable(assertions: AssertionResult[]): string {
  if (assertions.length === 0) return '<h3>Assertions</h3>\n<p class="muted">No assertions were evaluated.</p>';
  const rows = assertions.map((a) => {
    const [cls, label] = assertionStatus(a);
    return (
      `<tr class="${cls}"><td class="status">${label}</td><td><code>${html(a.source)}</code></td>` +
      `<td>${html(a.expected)}</td><td>${html(a.actual ?? DASH)}</td><td>${html(a.message ?? '')}</td></tr>`
    );
  });
  return [
    '<h3>Assertions</h3>',
    '<table class="assertions">',
    '<thead><tr><th>status</th><th>assertion</th><th>expected</th><th>found</th><th>message</th></tr></thead>',
    `<tbody>\n${rows.join('\n')}\n</tbody>`,
    '</table>',
  ].join('\n');
}

function assertionStatus(a: AssertionResult): [string, string] {
  if (a.status === 'passed') return ['passed', '✓ passed'];
  if (a.status === 'skipped') return ['skipped', '↓ skipped'];
  if (isWarning(a)) return ['warn', '! warning'];
  return ['failed', '✗ failed'];
}

function metricsTable(s: SuiteResult): string {
  const rows = metricRows(s);
  if (rows.length === 0) return '';
  const head = ['set', ...METRIC_COLUMNS.map((c) => c.header)].map((h) => `<th>${html(h)}</th>`).join('');
  const body = rows.map(
    (r) => `<tr><th scope="row">${html(r.label)}</th>${METRIC_COLUMNS.map((c) => `<td class="num">${html(r.cells[c.key])}</td>`).join('')}</tr>`,
  );
  return ['<h3>Metrics</h3>', '<table class="metrics">', `<thead><tr>${head}</tr></thead>`, `<tbody>\n${body.join('\n')}\n</tbody>`, '</table>'].join('\n');
}

/** Latency, energy, correlation and threshold sensitivity, as plain lines. */
function extrasList(s: SuiteResult): string {
  const lines = extraLines(s);
  if (lines.length === 0) return '';
  return ['<ul class="extras">', ...lines.map((l) => `<li>${html(l)}</li>`), '</ul>'].join('\n');
}

/** Per-block FLOPs and the share of inputs that ran each block, seeds vs each method. */
function blocksTable(s: SuiteResult): string {
  const blocks = s.model.blocks;
  if (blocks.length === 0) return '';
  const sets: { label: string; activation: number[] }[] = [];
  if (s.seeds) sets.push({ label: 'seeds', activation: s.seeds.blockActivation });
  for (const m of s.methods) sets.push({ label: m.method, activation: m.blockActivation });
  const head = ['#', 'block', 'FLOPs', ...sets.map((x) => `ran: ${x.label}`)].map((h) => `<th>${html(h)}</th>`).join('');
  const rows = blocks.map((b, i) => {
    const cells = sets.map((x) => activationCell(x.activation[i])).join('');
    return `<tr><td class="num">${i + 1}</td><td>${html(b.name)}</td><td class="num">${html(formatFlops(b.flops))}</td>${cells}</tr>`;
  });
  return [
    `<details><summary>Blocks (${blocks.length})</summary>`,
    '<table class="blocks">',
    `<thead><tr>${head}</tr></thead>`,
    `<tbody>\n${rows.join('\n')}\n</tbody>`,
    '</table></details>',
  ].join('\n');
}

function activationCell(fraction: number | undefined): string {
  if (fraction === undefined || !Number.isFinite(fraction)) return `<td class="num">${DASH}</td>`;
  const width = Math.max(0, Math.min(100, fraction * 100)).toFixed(1);
  return `<td class="act"><span class="bar" style="width:${width}%"></span><span class="v">${html(formatPercent(fraction))}</span></td>`;
}

// ---- helpers ----

function factCard(title: string, facts: [string, string][]): string {
  return `<div class="card"><h4>${html(title)}</h4>${definitionList(facts)}</div>`;
}

function definitionList(facts: [string, string][], cls = ''): string {
  const items = facts.map(([k, v]) => `<div><dt>${html(k)}</dt><dd>${html(v)}</dd></div>`).join('');
  return `<dl${cls ? ` class="${cls}"` : ''}>${items}</dl>`;
}

function statusClass(status: string): string {
  return status === 'passed' ? 'passed' : status === 'failed' ? 'failed' : 'error';
}

const CSS = `
:root{--ok:#1a7f37;--bad:#cf222e;--err:#8b0000;--warn:#9a6700;--muted:#57606a;--line:#d0d7de;--bg:#f6f8fa}
*{box-sizing:border-box}
body{margin:0 auto;max-width:1200px;padding:1.5rem;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
h1{margin:0 0 .5rem;font-size:1.6rem}
h2{font-size:1.2rem;margin:0 0 .25rem;overflow-wrap:anywhere}
h3{font-size:1rem;margin:1.2rem 0 .4rem}
h4{margin:0 0 .3rem;font-size:.85rem;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
header.run{border-left:6px solid var(--line);padding:.5rem 1rem;background:var(--bg);border-radius:6px}
header.run.passed{border-color:var(--ok)}header.run.failed,header.run.error{border-color:var(--bad)}
dl{margin:0;display:flex;flex-wrap:wrap;gap:.2rem 1.2rem}
dl>div{display:flex;gap:.4rem}dt{color:var(--muted)}dd{margin:0;overflow-wrap:anywhere}
.card dl{display:block}.card dl>div{justify-content:space-between;border-bottom:1px dotted var(--line)}
.badge{display:inline-block;padding:0 .5em;border-radius:1em;font-size:.75em;font-weight:600;text-transform:uppercase;color:#fff;vertical-align:middle}
.badge.passed{background:var(--ok)}.badge.failed{background:var(--bad)}.badge.error{background:var(--err)}
.chips{display:flex;flex-wrap:wrap;gap:1.5rem;margin:1rem 0}
.chips-label{font-weight:600;margin-right:.5rem}
.chip{display:inline-block;margin-right:.4rem;padding:.15rem .6rem;border-radius:1em;border:1px solid var(--line)}
.chip.passed{border-color:var(--ok);color:var(--ok)}.chip.failed,.chip.error{border-color:var(--bad);color:var(--bad)}
.chip.warn,.chip.skipped{border-color:var(--warn);color:var(--warn)}.chip.zero{color:var(--muted)}
nav ol{padding-left:1.5rem}nav li{margin:.15rem 0}
section.suite{border:1px solid var(--line);border-left:6px solid var(--line);border-radius:6px;padding:1rem;margin:1rem 0}
section.suite.passed{border-left-color:var(--ok)}section.suite.failed{border-left-color:var(--bad)}section.suite.error{border-left-color:var(--err)}
.meta{margin:0 0 .5rem;color:var(--muted)}
.facts{display:grid;grid-template-columns:repeat(auto-fit,minmax(240px,1fr));gap:.8rem}
.card{background:var(--bg);border-radius:6px;padding:.6rem .8rem}
.error-box{background:#ffebe9;border:1px solid var(--bad);border-radius:6px;padding:.6rem .8rem;margin:.5rem 0;overflow-wrap:anywhere}
.error-box pre{white-space:pre-wrap;margin:.4rem 0 0}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid var(--line);vertical-align:top;overflow-wrap:anywhere}
thead th{background:var(--bg);font-weight:600}
td.num,table.metrics td{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.status{white-space:nowrap;font-weight:600}
tr.passed td.status{color:var(--ok)}tr.failed td.status{color:var(--bad)}tr.warn td.status,tr.skipped td.status{color:var(--warn)}
tr.failed{background:#fff5f5}
details{margin-top:1rem}summary{cursor:pointer;font-weight:600}
td.act{position:relative;min-width:90px;text-align:right}
td.act .bar{position:absolute;left:0;top:15%;height:70%;background:#ddf4ff}
td.act .v{position:relative}
.muted{color:var(--muted)}
`;
