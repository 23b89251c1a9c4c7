/** Numbers shown in assertion results, in the unit the user wrote or the metric's natural one. */
import { metricByName, UNIT_SCALE, type MetricDef, type MetricKind, type Unit } from '../results/index.js';

/** Decimals shown for a value in each unit ('' depends on what the metric counts). */
const UNIT_DECIMALS: Readonly<Record<Exclude<Unit, ''>, number>> = { '%': 1, x: 2, ms: 1, s: 3, K: 2, M: 2, G: 2 };
const BARE_DECIMALS: Readonly<Record<MetricKind, number>> = { ratio: 3, count: 0, flops: 0, time: 1, norm: 4, energy: 4, correlation: 3 };

/**
 * `value` (canonical scale) in `unit`, with at least `minDecimals` decimals
 * and, unless the two are equal, never the same text as `avoid` (canonical):
 * a failure never reads "expected < 50.0%, found 50.0%".
 */
export function formatValue(value: number, metric: string, unit: Unit, minDecimals = 0, avoid?: number): string {
  const scale = UNIT_SCALE[unit];
  const kind = metricByName(metric)?.kind ?? 'ratio';
  const base = unit === '' ? BARE_DECIMALS[kind] : UNIT_DECIMALS[unit];
  return `${distinctFixed(value / scale, avoid === undefined ? undefined : avoid / scale, Math.max(base, minDecimals))}${unit}`;
}

/** `x` with `decimals` decimals, more when needed to tell it from `other`. */
export function distinctFixed(x: number, other: number | undefined, decimals: number): string {
  let d = decimals;
  while (d < 12 && other !== undefined && x !== other && x.toFixed(d) === other.toFixed(d)) d++;
  return x.toFixed(d);
}

/** Digits after the point in the plain decimal form of n (0.25 -> 2, 8 -> 0). */
export function decimalsOf(n: number): number {
  const text = String(n);
  if (text.includes('e')) return Math.min(12, Math.max(0, -Math.floor(Math.log10(Math.abs(n))) + 1));
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

/**
 * The unit values of a metric are shown in when the assertion names none:
 * percent for ratios, ms (s from 10 s) for times, K/M/G for FLOPs by size.
 */
export function naturalUnit(def: MetricDef, magnitude: number): Unit {
  if (def.units.includes('%')) return '%';
  if (def.kind === 'time') return magnitude >= 10_000 ? 's' : 'ms';
  if (def.kind === 'flops') return magnitude >= 1e9 ? 'G' : magnitude >= 1e6 ? 'M' : magnitude >= 1e3 ? 'K' : '';
  return def.units[0];
}
