/**
 * Checks a parsed assertion against measured values. A metric that cannot be
 * measured is 'skipped' with the reason, never 'passed'.
 */
import type { AssertionResult } from '../runner/result.js';
import { assertionLabel, type Assertion, type ComparisonOp } from './assertions.js';
import { metricByName, UNIT_SCALE, type Aggregate, type MetricKind, type Unit } from './metrics.js';

/** Where assertion values come from. Values are in the canonical scale: ratios as fractions, time in ms, raw FLOPs. */
export interface MetricSource {
  value(metric: string, aggregate: Aggregate | undefined, method: string): number | { unavailable: string };
}

export function evaluateAssertion(a: Assertion, source: MetricSource): AssertionResult {
  const base = {
    source: a.source,
    level: a.level,
    metric: assertionLabel(a),
    expected: `${a.op} ${a.bound.text}`,
  };
  const measured = source.value(a.metric, a.aggregate, a.method);
  if (typeof measured !== 'number' || Number.isNaN(measured)) {
    const why = typeof measured === 'number' ? 'the measurement produced no number (NaN)' : measured.unavailable;
    return { ...base, status: 'skipped', value: null, actual: null, message: why };
  }
  const actual = formatInUnit(measured, a);
  if (compare(measured, a.op, a.value)) return { ...base, status: 'passed', value: measured, actual };
  return {
    ...base,
    status: 'failed',
    value: measured,
    actual,
    message: `expected ${base.metric} ${base.expected}, found ${actual}`,
  };
}

export function compare(value: number, op: ComparisonOp, bound: number): boolean {
  switch (op) {
    case '<':
      return value < bound;
    case '<=':
      return value <= bound;
    case '>':
      return value > bound;
    case '>=':
      return value >= bound;
  }
}

/** Decimals shown for a value in each unit ('' depends on what the metric counts). */
const UNIT_DECIMALS: Readonly<Record<Exclude<Unit, ''>, number>> = { '%': 1, x: 2, ms: 1, s: 3, K: 2, M: 2, G: 2 };
const BARE_DECIMALS: Readonly<Record<MetricKind, number>> = { ratio: 3, count: 0, flops: 0, time: 1, norm: 4, energy: 4, correlation: 3 };

/**
 * The measured value in the unit the assertion was written in ("37.2%"). It
 * never prints the same text as the bound unless the two are equal, so a
 * failure never reads "expected < 50.0%, found 50.0%".
 */
export function formatInUnit(value: number, a: Pick<Assertion, 'metric' | 'value' | 'bound'>): string {
  const { unit } = a.bound;
  const scaled = value / UNIT_SCALE[unit];
  const kind = metricByName(a.metric)?.kind ?? 'ratio';
  const base = unit === '' ? BARE_DECIMALS[kind] : UNIT_DECIMALS[unit];
  let decimals = Math.max(base, decimalsOf(a.bound.number));
  const boundScaled = a.bound.number;
  while (
    decimals < 12 &&
    value !== a.value &&
    scaled.toFixed(decimals) === boundScaled.toFixed(decimals)
  ) {
    decimals++;
  }
  return `${scaled.toFixed(decimals)}${unit}`;
}

/** Digits after the point in the plain decimal form of n (0.25 -> 2, 8 -> 0). */
function decimalsOf(n: number): number {
  const text = String(n);
  if (text.includes('e')) return Math.min(12, Math.max(0, -Math.floor(Math.log10(Math.abs(n))) + 1));
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}
