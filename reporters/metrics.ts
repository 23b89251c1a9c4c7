/**
 * The per-suite metrics table (rows: seeds, then each method), built once so
 * the console and HTML reporters show the same columns and figures.
 */
import type { MethodResult, SuiteResult } from '../src/runner/result.js';
import { DASH, formatFlops, formatMs, formatNorm, formatPercent } from './format.js';

export interface MetricColumn {
  key: MetricKey;
  header: string;
}

export type MetricKey =
  | 'flops'
  | 'iflopsMean'
  | 'iflopsMax'
  | 'success'
  | 'coverage'
  | 'accuracy'
  | 'l2'
  | 'linf'
  | 'genMs';

export const METRIC_COLUMNS: readonly MetricColumn[] = [
  { key: 'flops', header: 'mean FLOPs' },
  { key: 'iflopsMean', header: 'mean I-FLOPs' },
  { key: 'iflopsMax', header: 'max I-FLOPs' },
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
        flops: formatFlops(suite.seeds.flopsStats.mean),
        iflopsMean: DASH,
        iflopsMax: DASH,
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
    flops: formatFlops(m.flopsStats.mean),
    iflopsMean: formatPercent(m.iflopsStats.mean),
    iflopsMax: formatPercent(m.iflopsStats.max),
    success: formatPercent(m.successRate),
    coverage: formatPercent(m.coverage),
    accuracy: formatPercent(m.accuracy),
    l2: formatNorm(m.perturbationL2.mean),
    linf: formatNorm(m.perturbationLinf.mean),
    genMs: formatMs(m.generationMsPerInput),
  };
}
