import type { Aggregates } from '../results/index.js';
import { aggregate } from './aggregate.js';
import { MeasurementError } from './errors.js';

/** A per-input relative increase and its summary. */
export interface IncreaseMeasurement {
  perInput: number[];
  stats: Aggregates;
}

/**
 * (g - s) / s per input, the form of Eq. 9 applied to any cost (FLOPs,
 * latency, energy): docs/design.md §2 defines I-latency and I-energy the same way.
 */
export function relativeIncrease(seed: ArrayLike<number>, generated: ArrayLike<number>, what: string): IncreaseMeasurement {
  if (seed.length !== generated.length) {
    throw new MeasurementError(`${what}: ${seed.length} seed values but ${generated.length} generated values; they must pair up one to one`);
  }
  const perInput = Array.from(seed, (s, i) => (generated[i] - s) / s);
  return { perInput, stats: aggregate(perInput) };
}
