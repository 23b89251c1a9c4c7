/**
 * The per-suite metrics table (rows: seeds, then each method), built once so
 * the console and HTML reporters show the same columns and figures. Its
 * columns are the metric registry's (results/metrics.ts `columns`), after
 * `n`, the inputs a row is measured on.
 */
import {
  REPORTED_METRICS,
  pickAggregate,
  readMetric,
  type Aggregate,
  type MethodMetric,
  type MethodResult,
  type MetricDef,
  type MetricKind,
  type SeedsMetric,
  type SuiteResult,
} from '../results/index.js';
import { DASH, formatFlops, formatMs, formatNorm, formatPercent } from './format.js';
import { mitigationLines } from './mitigation.js';

interface Cell<D extends MetricDef> {
  def: D;
  aggregate?: Aggregate;
}

export interface MetricColumn {
  header: string;
  /** The metric a method row shows in this column, and the one the seeds row shows (none: a dash). */
  method?: Cell<MethodMetric>;
  seeds?: Cell<SeedsMetric>;
}

/**
 * The registry's columns in their positions. A seeds metric fills the seeds
 * row of the method metric's column at the same position, under the same
 * header; anything else is a mistake in the registry.
 */
export function tableColumns(metrics: readonly MetricDef[]): MetricColumn[] {
  const byPosition = new Map<number, MetricColumn>();
  for (const def of metrics) {
    for (const { header, position, aggregate } of def.columns ?? []) {
      const column = byPosition.get(position) ?? { header };
      if (column.header !== header) throw new Error(`metrics table: column ${position} is "${column.header}" and "${header}"`);
      if (def.of === 'suite') throw new Error(`metrics table: "${def.name}" is measured once per suite, not per row`);
      if (column[def.of] !== undefined) throw new Error(`metrics table: column ${position} has two ${def.of} metrics`);
      if (def.of === 'method') column.method = { def, aggregate };
      else column.seeds = { def, aggregate };
      byPosition.set(position, column);
    }
  }
  const positions = [...byPosition.keys()].sort((a, b) => a - b);
  if (positions.some((p, i) => p !== i + 1)) throw new Error(`metrics table: positions ${positions.join(', ')} are not 1, 2, 3, ...`);
  return positions.map((p) => byPosition.get(p)!);
}

/** `n`, the inputs a row is measured on (fewer for a baseline run on a subset), then the registry's columns. */
export const METRIC_COLUMNS: readonly MetricColumn[] = [{ header: 'n' }, ...tableColumns(REPORTED_METRICS)];

/** A cell as shown, and the number behind it (the HTML report's data-value). */
export interface MetricCell {
  text: string;
  value?: number;
}

export interface MetricRow {
  /** 'seeds' or the method name. */
  label: string;
  /** One per column of METRIC_COLUMNS. */
  cells: MetricCell[];
}

const FORMAT: Readonly<Record<MetricKind, (n: number | undefined) => string>> = {
  ratio: formatPercent,
  flops: formatFlops,
  norm: formatNorm,
  time: formatMs,
  count: (n) => (n !== undefined && Number.isFinite(n) ? String(n) : DASH),
  energy: (n) => (n !== undefined && Number.isFinite(n) ? `${n.toExponential(3)} J` : DASH),
  correlation: (n) => (n !== undefined && Number.isFinite(n) ? n.toFixed(3) : DASH),
};

export function metricRows(suite: SuiteResult): MetricRow[] {
  const rows: MetricRow[] = [];
  const seeds = suite.seeds;
  if (seeds) {
    const cells = METRIC_COLUMNS.slice(1).map((c) => (c.seeds ? cell(c.seeds, suite) : { text: DASH }));
    rows.push({ label: 'seeds', cells: [{ text: String(seeds.flops.length), value: seeds.flops.length }, ...cells] });
  }
  for (const m of suite.methods) {
    const n = m.seedCount ?? m.iflops.length;
    const cells = METRIC_COLUMNS.slice(1).map((c) => (c.method ? cell(c.method, suite, m) : { text: DASH }));
    rows.push({ label: m.method, cells: [{ text: String(n), value: n }, ...cells] });
  }
  return rows;
}

function cell({ def, aggregate }: Cell<MetricDef>, suite: SuiteResult, method?: MethodResult): MetricCell {
  const read = pickAggregate(def, readMetric(def, suite, method), aggregate);
  const value = typeof read === 'number' ? read : undefined;
  const note = def.of === 'method' && method !== undefined ? (def.cellNote?.(method) ?? '') : '';
  return { text: `${FORMAT[def.kind](value)}${note}`, value };
}

/**
 * Which method supplied the worst case's inputs, e.g. "worst-case: per seed
 * the costliest input of any method; from ilfo 31, deepperform 12, random 7
 * (of 50 seeds)"; undefined when the suite has no worst-case row.
 */
export function worstCaseLine(s: SuiteResult): string | undefined {
  const w = s.methods.find((m) => m.sources);
  if (!w?.sources) return undefined;
  const from = w.sources.counts.map((c) => `${c.method} ${c.seeds}`).join(', ');
  return `${w.method}: per seed the costliest input of any method; from ${from} (of ${w.sources.perSeed.length} seeds)`;
}

/**
 * A reason's first clause, for one short console line: "no power sensor can
 * be read here (RAPL: …; NVIDIA: …; INA3221: …)" becomes "no power sensor can
 * be read here; details in the HTML and JSON reports", which keep it whole.
 */
export function shortReason(why: string): string {
  const cut = why.indexOf(' (');
  return cut > 0 ? `${why.slice(0, cut)}; details in the HTML and JSON reports` : why;
}

/**
 * The measurements beyond the FLOPs table, one line each, plain text:
 * latency and I-latency, energy (or why it was not measured), the FLOPs-latency
 * correlation and the threshold sensitivity.
 */
export function extraLines(s: SuiteResult): string[] {
  const lines: string[] = [];
  const sources = worstCaseLine(s);
  if (sources) lines.push(sources);
  const seedsLatency = s.seeds?.latencyStats;
  if (seedsLatency) {
    const per = s.methods
      .filter((m) => m.ilatencyStats)
      .map((m) => `${m.method} mean ${formatPercent(m.ilatencyStats!.mean)}, max ${formatPercent(m.ilatencyStats!.max)}`);
    lines.push(`latency (batch 1, ${s.seeds!.latencyMs!.length} inputs): seeds median ${formatMs(seedsLatency.p50)}; I-latency ${per.join('; ')}`);
  } else if (s.unmeasured?.latency) lines.push(`latency: not measured (${s.unmeasured.latency})`);
  if (s.correlation) {
    const r = Number.isNaN(s.correlation.r) ? `undefined (${s.correlation.reason ?? ''})` : s.correlation.r.toFixed(3);
    lines.push(`FLOPs-latency correlation over ${s.correlation.n} seeds: r = ${r}`);
  }
  if (s.seeds?.energyStats) {
    const per = s.methods.filter((m) => m.ienergyStats).map((m) => `${m.method} mean ${formatPercent(m.ienergyStats!.mean)}`);
    lines.push(`energy: seeds mean ${s.seeds.energyStats.mean.toExponential(3)} J; I-energy ${per.join('; ')}`);
  } else if (s.unmeasured?.energy) lines.push(`energy: not measured (${shortReason(s.unmeasured.energy)})`);
  for (const { method, points } of s.sensitivity ?? []) {
    lines.push(`threshold sensitivity, ${method} max I-FLOPs: ${points.map((p) => `tau ${p.tau} ${formatPercent(p.iflops.max)}`).join(', ')}`);
  }
  lines.push(...mitigationLines(s));
  return lines;
}
