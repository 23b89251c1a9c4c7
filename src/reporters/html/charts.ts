/**
 * The report's charts as Vega-Lite specifications, built from the result
 * model. User strings (method and block names) only ever appear as data
 * values, never in field names or expressions, so Vega cannot evaluate them.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { SuiteResult } from '../../results/index.js';
import { CHART_CONFIG, CHART_HEIGHT, CHART_WIDTH, type Chart } from './chart-base.js';
import { trainingChart } from './training-chart.js';

export type { Chart } from './chart-base.js';

/** Seeds green and DeepPerform red as in the paper's Fig. 7; baselines in other hues. */
const SEEDS_COLOUR = '#2da44e';
const DEEPPERFORM_COLOUR = '#cf222e';
const OTHER_COLOURS = ['#0969da', '#bf8700', '#8250df', '#1b7c83', '#57606a', '#bc4c00'];

export interface ColourScale {
  domain: string[];
  range: string[];
}

/** One colour per set, the same in every chart of a suite. */
export function colourScale(sets: readonly string[]): ColourScale {
  let next = 0;
  const range = sets.map((set) => {
    if (set === 'seeds') return SEEDS_COLOUR;
    if (set === 'deepperform') return DEEPPERFORM_COLOUR;
    return OTHER_COLOURS[next++ % OTHER_COLOURS.length]!;
  });
  return { domain: [...sets], range };
}

function setNames(s: SuiteResult): string[] {
  return [...(s.seeds ? ['seeds'] : []), ...s.methods.map((m) => m.method)];
}

/** The suite's colours restricted to some of its sets, so a set keeps its colour in every chart. */
function suiteColours(s: SuiteResult, only?: readonly string[]): ColourScale {
  const all = colourScale(setNames(s));
  if (!only) return all;
  const keep = all.domain.map((d, i) => [d, all.range[i]!] as const).filter(([d]) => only.includes(d));
  const extra = colourScale(only.filter((d) => !all.domain.includes(d)));
  return { domain: [...keep.map(([d]) => d), ...extra.domain], range: [...keep.map(([, c]) => c), ...extra.range] };
}

export interface EcdfPoint {
  set: string;
  flops: number;
  share: number;
  order: number;
}

/**
 * Empirical CDF steps of one set's FLOPs: a point per distinct value with the
 * share of inputs at or below it, anchored at `from` (share 0) and `to`
 * (share 1) so every curve spans the same range.
 */
export function ecdfPoints(set: string, values: readonly number[], from: number, to: number): EcdfPoint[] {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return [];
  const points: EcdfPoint[] = [{ set, flops: Math.min(from, sorted[0]!), share: 0, order: 0 }];
  sorted.forEach((v, i) => {
    if (sorted[i + 1] === v) return; // ties: one step at the last of them
    points.push({ set, flops: v, share: (i + 1) / sorted.length, order: points.length });
  });
  points.push({ set, flops: Math.max(to, sorted[sorted.length - 1]!), share: 1, order: points.length });
  return points;
}

/** Distinct FLOPs levels up to which the distribution is drawn as a histogram. */
export const MAX_BAR_LEVELS = 12;

/**
 * The paper's Fig. 7: the distribution of FLOPs per input, seeds vs every
 * method. Models with few distinct costs (early exits, a few gated blocks)
 * get the exact distribution as grouped bars (share of inputs at each cost);
 * otherwise empirical CDFs, which stay readable however many levels there are.
 */
export function flopsChart(s: SuiteResult): Chart | undefined {
  const sets: [string, readonly number[]][] = [];
  if (s.seeds) sets.push(['seeds', s.seeds.flops]);
  for (const m of s.methods) sets.push([m.method, m.flops]);
  const levels = new Set(sets.flatMap(([, v]) => v.filter(Number.isFinite)));
  if (levels.size === 0) return undefined;
  return levels.size <= MAX_BAR_LEVELS ? flopsBars(s, sets, levels.size) : flopsCdf(s, sets);
}

export interface FlopsShare {
  set: string;
  flops: number;
  share: number;
}

/** Share of a set's inputs at each distinct FLOPs value, in increasing FLOPs. */
export function flopsShares(set: string, values: readonly number[]): FlopsShare[] {
  const finite = values.filter(Number.isFinite);
  const counts = new Map<number, number>();
  for (const v of finite) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => a[0] - b[0]).map(([flops, n]) => ({ set, flops, share: n / finite.length }));
}

/**
 * Up to this many FLOPs labels ("1.23M": 5 characters, about 30 px in Vega's
 * default 10 px axis font) fit side by side in CHART_WIDTH (50 px a band).
 * More, as SkipNet's gated blocks give, overlap when level (12 levels leave
 * 25 px a band), so they are turned 45 degrees: neighbours are then
 * band x sin 45 >= 17 px apart, more than the font's height.
 */
export const LEVEL_LABELS_FLAT = 6;

function flopsBars(s: SuiteResult, sets: [string, readonly number[]][], levels: number): Chart {
  const values = sets.flatMap(([set, v]) => flopsShares(set, v));
  const spec: TopLevelSpec = {
    config: CHART_CONFIG,
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      x: {
        field: 'flops',
        type: 'ordinal',
        title: 'FLOPs per input',
        axis: { format: '.3~s', labelAngle: levels > LEVEL_LABELS_FLAT ? -45 : 0, labelOverlap: false },
      },
      y: { field: 'share', type: 'quantitative', title: 'share of inputs', axis: { format: '%' } },
      color: { field: 'set', type: 'nominal', scale: suiteColours(s) },
      xOffset: { field: 'set', type: 'nominal', sort: setNames(s) },
    },
  };
  return {
    kind: 'flops',
    title: 'FLOPs per input',
    caption: 'Share of each set’s inputs at each cost (the paper’s Fig. 7). Bars further right mean inputs that cost more.',
    spec,
  };
}

function flopsCdf(s: SuiteResult, sets: [string, readonly number[]][]): Chart {
  const lowest = s.model.baseFlops;
  const highest = s.model.baseFlops + s.model.blocks.reduce((sum, b) => sum + b.flops, 0);
  const values = sets.flatMap(([set, v]) => ecdfPoints(set, v, lowest, highest));
  const spec: TopLevelSpec = {
    config: CHART_CONFIG,
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    data: { values },
    mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2, opacity: 0.85, clip: true },
    encoding: {
      x: { field: 'flops', type: 'quantitative', title: 'FLOPs per input', scale: { zero: false, nice: false }, axis: { format: '~s', tickCount: 6 } },
      y: { field: 'share', type: 'quantitative', title: 'share of inputs at or below', axis: { format: '%' }, scale: { domain: [0, 1] } },
      color: { field: 'set', type: 'nominal', scale: suiteColours(s) },
      order: { field: 'order', type: 'quantitative' },
    },
  };
  return {
    kind: 'flops',
    title: 'FLOPs per input',
    caption:
      'Empirical distribution of the FLOPs each input costs (the paper’s Fig. 7 as a CDF). ' +
      'A curve further right means inputs that cost more; the x-axis runs from the always-run part to every block running.',
    spec,
  };
}

/** How often each block ran: seeds vs each method (x = block, in model order). */
export function activationChart(s: SuiteResult): Chart | undefined {
  const blocks = s.model.blocks;
  const sets: [string, readonly number[]][] = [];
  if (s.seeds) sets.push(['seeds', s.seeds.blockActivation]);
  for (const m of s.methods) sets.push([m.method, m.blockActivation]);
  if (blocks.length === 0 || sets.length === 0) return undefined;
  const labels = blockLabels(blocks.map((b) => b.name));
  const values = sets.flatMap(([set, shares]) =>
    labels.map((block, i) => ({ set, block, share: shares[i] ?? null })),
  );
  // Grouped bars read best for a few blocks; lines for deep models.
  const few = labels.length <= 12;
  // Vega measures text in Node by estimate, about 8 px per character at its
  // 10 px labels, and cuts a label longer than labelLimit: tilt long ones.
  const tilt = Math.max(...labels.map((l) => l.length)) * 8 > CHART_WIDTH / labels.length;
  const spec: TopLevelSpec = {
    config: CHART_CONFIG,
    width: few ? CHART_WIDTH : Math.min(1080, Math.max(CHART_WIDTH, labels.length * 18)),
    height: CHART_HEIGHT,
    data: { values },
    mark: few ? { type: 'bar' } : { type: 'line', point: { size: 20 }, strokeWidth: 1.5 },
    encoding: {
      x: {
        field: 'block',
        type: 'nominal',
        sort: null,
        title: 'block',
        axis: { labelAngle: few ? (tilt ? -40 : 0) : -60, labelLimit: 180, labelOverlap: few ? false : 'parity' },
      },
      y: { field: 'share', type: 'quantitative', title: 'share of inputs that ran it', axis: { format: '%' }, scale: { domain: [0, 1] } },
      color: { field: 'set', type: 'nominal', scale: suiteColours(s) },
      ...(few ? { xOffset: { field: 'set', type: 'nominal', sort: setNames(s) } } : {}),
    },
  };
  return {
    kind: 'activation',
    title: 'Block activation',
    caption: 'Share of inputs that ran each block. Generated inputs that wake up blocks the seeds skip cost more.',
    spec,
    wide: !few,
  };
}

/** Block names as axis categories: unique, so equal names do not merge. */
export function blockLabels(names: readonly string[]): string[] {
  const unique = new Set(names).size === names.length;
  return unique ? [...names] : names.map((n, i) => `${i + 1}. ${n}`);
}

/** Max and mean I-FLOPs at each threshold per method (the paper's Table 7). */
export function sensitivityChart(s: SuiteResult): Chart | undefined {
  const series = s.sensitivity ?? [];
  const values = series.flatMap(({ method, points }) =>
    points.flatMap((p) => [
      { set: method, tau: p.tau, statistic: 'max', iflops: finiteOrNull(p.iflops.max) },
      { set: method, tau: p.tau, statistic: 'mean', iflops: finiteOrNull(p.iflops.mean) },
    ]),
  );
  if (values.length === 0) return undefined;
  const methods = series.map((x) => x.method);
  const spec: TopLevelSpec = {
    config: CHART_CONFIG,
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    layer: [
      {
        data: { values },
        mark: { type: 'line', point: true, strokeWidth: 2 },
        encoding: {
          x: { field: 'tau', type: 'quantitative', title: 'threshold τ', scale: { zero: false } },
          y: { field: 'iflops', type: 'quantitative', title: 'I-FLOPs', axis: { format: '%' } },
          color: { field: 'set', type: 'nominal', scale: suiteColours(s, methods) },
          strokeDash: {
            field: 'statistic',
            type: 'nominal',
            title: null,
            scale: { domain: ['max', 'mean'], range: [[1, 0], [5, 3]] },
            // The caption says which is which; Vega's dash legend draws no visible symbol for line+point marks.
            legend: null,
          },
          detail: { field: 'statistic', type: 'nominal' },
        },
      },
      {
        data: { values: [{ tau: s.config.threshold }] },
        mark: { type: 'rule', color: '#8c959f', strokeDash: [2, 2] },
        encoding: { x: { field: 'tau', type: 'quantitative' } },
      },
    ],
  };
  return {
    kind: 'sensitivity',
    title: 'Threshold sensitivity',
    caption: `Max (solid) and mean (dashed) I-FLOPs of the same inputs re-run at other thresholds τ; the dotted line is the suite’s τ = ${s.config.threshold}.`,
    spec,
  };
}

function finiteOrNull(n: number): number | null {
  return Number.isFinite(n) ? n : null;
}

/** A suite's charts; a full-width one goes last so the others share a row. */
export function suiteCharts(s: SuiteResult): Chart[] {
  const charts = [flopsChart(s), activationChart(s), sensitivityChart(s), trainingChart(s)].filter((c): c is Chart => c !== undefined);
  return [...charts.filter((c) => !c.wide), ...charts.filter((c) => c.wide)];
}
