import { sampleCorrelation } from 'simple-statistics';
import { MeasurementError } from './errors.js';

export interface Correlation {
  /** Pearson's r, or NaN when it is undefined (then `reason` says why). */
  r: number;
  /** Number of pairs. */
  n: number;
  reason?: string;
}

/** Pearson's r of paired samples (simple-statistics' sampleCorrelation: cov / (sd_x sd_y)). */
export function pearson(xs: ArrayLike<number>, ys: ArrayLike<number>, names: [string, string] = ['xs', 'ys']): Correlation {
  if (xs.length !== ys.length) throw new MeasurementError(`correlation needs paired values: ${xs.length} ${names[0]} but ${ys.length} ${names[1]}`);
  const x = Array.from(xs);
  const y = Array.from(ys);
  const n = x.length;
  if (n < 3) return { r: NaN, n, reason: `needs at least 3 pairs, got ${n}` };
  const why = undefinedBecause(x, names[0]) ?? undefinedBecause(y, names[1]);
  if (why) return { r: NaN, n, reason: why };
  // Rounding can push |r| a hair past 1 for perfectly linear data.
  return { r: Math.max(-1, Math.min(1, sampleCorrelation(x, y))), n };
}

function undefinedBecause(values: number[], name: string): string | undefined {
  if (values.some((v) => !Number.isFinite(v))) return `${name} contain a value that is not a finite number`;
  if (values.every((v) => v === values[0])) return `${name} are constant (all ${values[0]}), so r is undefined`;
  return undefined;
}

/**
 * Does FLOPs predict latency on this machine? (paper Table 2). Pearson's r of
 * per-input FLOPs against per-input latency, usually over the seeds.
 */
export function flopsLatencyCorrelation(flops: ArrayLike<number>, latencyMs: ArrayLike<number>): Correlation {
  return pearson(flops, latencyMs, ['FLOPs', 'latencies']);
}
