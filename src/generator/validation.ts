import { runBatched, type AdaptiveNetwork, type ImageBatch } from '../adnn/index.js';
import type { Generator } from './architecture.js';
import { generate, type Attack } from './generate.js';

/** Mean I-FLOPs of G's inputs on the validation set and its standard error. */
export interface ValidationScore {
  iflops: number;
  standardError: number;
}

/**
 * Scores a generator on the held-out inputs: Eq. 9 per input against the
 * seeds' own FLOPs (computed once), then the mean and its standard error.
 */
export function makeValidator(network: AdaptiveNetwork, validation: ImageBatch, attack: Attack & { tau: number }): (g: Generator) => ValidationScore {
  const base = runBatched(network, validation, attack.tau).flops;
  return (g) => {
    const adv = generate(g, validation, attack);
    const flops = runBatched(network, adv, attack.tau).flops;
    const iflops = Array.from(base, (b, i) => (flops[i] - b) / b); // Eq. 9
    return meanAndStandardError(iflops);
  };
}

/** Sample mean and s / sqrt(n) with the n - 1 sample deviation; the error is NaN below two values. */
export function meanAndStandardError(values: ArrayLike<number>): ValidationScore {
  const n = values.length;
  if (n === 0) return { iflops: NaN, standardError: NaN };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const mean = sum / n;
  if (n < 2) return { iflops: mean, standardError: NaN };
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (values[i] - mean) ** 2;
  return { iflops: mean, standardError: Math.sqrt(squares / (n - 1) / n) };
}
