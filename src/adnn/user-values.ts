/**
 * The numbers a user module hands back, checked: an activation probability
 * outside [0, 1], NaN logits or NaN / negative / infinite FLOPs would
 * otherwise flow into the measurement and come out as finite-looking I-FLOPs
 * (a NaN gate reads as "closed"), or as a NaN that no assertion could judge.
 */
import { UserModelError } from './user-errors.js';
import { isFlops } from './user-meta.js';

/** soft()'s values on the load-time test batch: p in [0, 1], logits finite. */
export function checkSoftValues(p: ArrayLike<number>, logits: ArrayLike<number>, file: string): void {
  const badP = firstIndex(p, (v) => !(v >= 0 && v <= 1));
  if (badP >= 0) {
    throw new UserModelError(file, `soft() p[${badP}] is ${String(p[badP])}; activation probabilities must be numbers in [0, 1] (on a test batch of 2 inputs)`);
  }
  const badLogit = firstIndex(logits, (v) => !Number.isFinite(v));
  if (badLogit >= 0) {
    throw new UserModelError(file, `soft() logits[${badLogit}] is ${String(logits[badLogit])}; logits must be finite (on a test batch of 2 inputs)`);
  }
}

/** run()'s FLOPs, at every call: each input's count finite and >= 0. */
export function checkRunFlops(flops: ArrayLike<number>, file: string): void {
  const bad = firstIndex(flops, (v) => !isFlops(v));
  if (bad >= 0) {
    throw new UserModelError(file, `run() returned flops[${bad}] = ${String(flops[bad])} (input ${bad} of the batch); the FLOPs an input cost must be a finite number >= 0`);
  }
}

function firstIndex(xs: ArrayLike<number>, bad: (v: number) => boolean): number {
  for (let i = 0; i < xs.length; i++) if (bad(xs[i])) return i;
  return -1;
}
