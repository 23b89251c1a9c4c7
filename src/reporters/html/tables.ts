/**
 * The report's tables: assertions, the per-method metrics (the same columns
 * and figures the console prints), threshold sensitivity and blocks.
 */
import type { AssertionResult, SuiteResult } from '../../results/index.js';
import { html } from '../escape.js';
import { DASH, formatFlops, formatPercent } from '../format.js';
import { METRIC_COLUMNS, metricRows, worstCaseLine } from '../metrics.js';
import { isWarning } from '../summary.js';
import { numCell, table } from './markup.js';

/** Filter key of an assertion row; the page's status chips toggle these. */
export type AssertionFilter = 'passed' | 'failed' | 'warn' | 'skipped';

export function assertionFilter(a: AssertionResult): AssertionFilter {
  if (a.status === 'passed' || a.status === 'skipped') return a.status;
  return isWarning(a) ? 'warn' : 'failed';
}

const STATUS_LABEL: Record<AssertionFilter, string> = {
  passed: '✓ passed',
  failed: '✗ failed',
  warn: '! warning',
  skipped: '↓ skipped',
};

export function assertionTable(assertions: readonly AssertionResult[]): string {
  if (assertions.length === 0) return '<h3>Assertions</h3>\n<p class="muted">No assertions were evaluated.</p>';
  const rows = assertions.map((a) => {
    const f = assertionFilter(a);
    const level = a.level === 'warn' ? ' <span class="level">warn</span>' : '';
    return (
      `<tr class="${f}"><td class="status">${STATUS_LABEL[f]}</td><td><code>${html(a.source)}</code>${level}</td>` +
      `${expectedCell(a)}${numCell(a.actual ?? DASH, a.value, 'found')}<td>${html(a.message ?? '')}</td></tr>`
    );
  });
  return ['<h3>Assertions</h3>', table('assertions', ['status', 'assertion', 'expected', 'found', 'message'], rows)].join('\n');
}

/** The expectation; for a comparison ("1.5x ilfo") the computed bound rides along as data-bound. */
function expectedCell(a: AssertionResult): string {
  const bound = a.comparison?.bound;
  const data = typeof bound === 'number' && Number.isFinite(bound) ? ` data-bound="${bound}"` : '';
  return `<td${data}>${html(a.expected)}</td>`;
}

/** Seeds, then one row per method: what the console summary shows. */
export function methodTable(s: SuiteResult): string {
  const rows = metricRows(s);
  if (rows.length === 0) return '';
  const body = rows.map((r) => {
    const cells = r.cells.map((c) => numCell(c.text, c.value)).join('');
    return `<tr data-set="${html(r.label)}"><th scope="row">${html(r.label)}</th>${cells}</tr>`;
  });
  const sources = worstCaseLine(s);
  const note = sources === undefined ? [] : [`<p class="muted worst-case">${html(sources)}</p>`];
  // Thirteen columns: scroll sideways on a narrow page rather than spill out of the section.
  const metrics = `<div class="scroll">${table('metrics', ['set', ...METRIC_COLUMNS.map((c) => c.header)], body)}</div>`;
  return ['<h3>Methods</h3>', metrics, ...note].join('\n');
}

/** Table 7's numbers behind the sensitivity chart: one row per method and statistic. */
export function sensitivityTable(s: SuiteResult): string {
  const series = s.sensitivity ?? [];
  const taus = [...new Set(series.flatMap((x) => x.points.map((p) => p.tau)))].sort((a, b) => a - b);
  if (taus.length === 0) return '';
  const rows = series.flatMap(({ method, points }) =>
    (['max', 'mean'] as const).map((stat) => {
      const cells = taus.map((tau) => {
        const v = points.find((p) => p.tau === tau)?.iflops[stat];
        return numCell(formatPercent(v), v);
      });
      return `<tr><th scope="row">${html(method)}</th><td>${stat} I-FLOPs</td>${cells.join('')}</tr>`;
    }),
  );
  return table('sensitivity', ['method', 'statistic', ...taus.map((t) => `τ = ${t}`)], rows);
}

/** Per-block FLOPs and the share of inputs that ran each block, seeds vs each method. */
export function blocksTable(s: SuiteResult): string {
  const blocks = s.model.blocks;
  if (blocks.length === 0) return '';
  const sets: { label: string; activation: readonly number[] }[] = [];
  if (s.seeds) sets.push({ label: 'seeds', activation: s.seeds.blockActivation });
  for (const m of s.methods) sets.push({ label: m.method, activation: m.blockActivation });
  const rows = blocks.map((b, i) => {
    const cells = sets.map((x) => activationCell(x.activation[i])).join('');
    return `<tr><td class="num">${i + 1}</td><td>${html(b.name)}</td>${numCell(formatFlops(b.flops), b.flops)}${cells}</tr>`;
  });
  const headings = ['#', 'block', 'FLOPs', ...sets.map((x) => `ran: ${x.label}`)];
  return [`<details><summary>Blocks (${blocks.length})</summary>`, table('blocks', headings, rows), '</details>'].join('\n');
}

function activationCell(fraction: number | undefined): string {
  if (fraction === undefined || !Number.isFinite(fraction)) return `<td class="num">${DASH}</td>`;
  const width = Math.max(0, Math.min(100, fraction * 100)).toFixed(1);
  return (
    `<td class="act" data-value="${fraction}"><span class="bar" style="width:${width}%"></span>` +
    `<span class="v">${html(formatPercent(fraction))}</span></td>`
  );
}
