/**
 * The per-suite metrics table (rows: seeds, then each method), built once so
 * the console and HTML reporters show the same columns and figures.
 */
import type { MethodResult, SuiteResult } from '../results/index.js';
import { DASH, formatFlops, formatMs, formatNorm, formatPercent } from './format.js';
import { mitigationLines } from './mitigation.js';

export interface MetricColumn {
  key: MetricKey;
  header: string;
}

export type MetricKey =
  | 'n'
  | 'flops'
  | 'iflopsMean'
  | 'iflopsP50'
  | 'iflopsMax'
  | 'fullDepth'
  | 'success'
  | 'coverage'
  | 'accuracy'
  | 'l2'
  | 'linf'
  | 'genMs';

export const METRIC_COLUMNS: readonly MetricColumn[] = [
  // Seeds the row is measured on: fewer for a baseline run on a subset.
  { key: 'n', header: 'n' },
  { key: 'flops', header: 'mean FLOPs' },
  { key: 'iflopsMean', header: 'mean I-FLOPs' },
  { key: 'iflopsP50', header: 'p50 I-FLOPs' },
  { key: 'iflopsMax', header: 'max I-FLOPs' },
  { key: 'fullDepth', header: 'full-depth' },
  { key: 'success', header: 'success' },
  { key: 'coverage', header: 'coverage' },
  { key: 'accuracy', header: 'accuracy' },
  { key: 'l2', header: 'mean L2' },
  { key: 'linf', header: 'mean Linf' },
  { key: 'genMs', header: 'gen/input' },
];

export interface MetricRow {
  /** 'seeds' or the method name. */
  label: string;
  cells: Record<MetricKey, string>;
}

export function metricRows(suite: SuiteResult): MetricRow[] {
  const rows: MetricRow[] = [];
  if (suite.seeds) {
    rows.push({
      label: 'seeds',
      cells: {
        n: String(suite.seeds.flops.length),
        flops: formatFlops(suite.seeds.flopsStats.mean),
        iflopsMean: DASH,
        iflopsP50: DASH,
        iflopsMax: DASH,
        fullDepth: formatPercent(suite.seeds.fullDepthRate),
        success: DASH,
        coverage: formatPercent(suite.seeds.coverage),
        accuracy: formatPercent(suite.seeds.accuracy),
        l2: DASH,
        linf: DASH,
        genMs: DASH,
      },
    });
  }
  for (const m of suite.methods) rows.push({ label: m.method, cells: methodCells(m) });
  return rows;
}

function methodCells(m: MethodResult): Record<MetricKey, string> {
  return {
    n: String(m.seedCount ?? m.iflops.length),
    flops: formatFlops(m.flopsStats.mean),
    iflopsMean: formatPercent(m.iflopsStats.mean),
    iflopsP50: formatPercent(m.iflopsStats.p50),
    iflopsMax: formatPercent(m.iflopsStats.max),
    fullDepth: formatPercent(m.fullDepthRate),
    success: formatPercent(m.successRate),
    coverage: formatPercent(m.coverage),
    accuracy: formatPercent(m.accuracy),
    l2: formatNorm(m.perturbationL2.mean),
    linf: formatNorm(m.perturbationLinf.mean),
    // A cached baseline's time was measured when its inputs were made, not in this run.
    genMs: `${formatMs(m.generationMsPerInput)}${m.generationCached ? ' (cached)' : ''}`,
  };
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
