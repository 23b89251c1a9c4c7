import { max, mean, min, quantileSorted } from 'simple-statistics';
import type { Aggregates } from '../results/index.js';

/** mean / max / min / p50 / p95 of a per-input sample; an empty sample gives NaN. */
export function aggregate(values: ArrayLike<number>): Aggregates {
  const xs = Array.from(values);
  if (xs.length === 0) return { mean: NaN, max: NaN, min: NaN, p50: NaN, p95: NaN };
  const sorted = [...xs].sort((a, b) => a - b);
  return { mean: mean(xs), max: max(xs), min: min(xs), p50: quantileSorted(sorted, 0.5), p95: quantileSorted(sorted, 0.95) };
}
