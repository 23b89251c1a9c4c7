import * as tf from '@tensorflow/tfjs-core';
import type { AdaptiveNetwork } from '../../contract.js';
import { blocksRun, costModel } from '../../flops.js';

/** One input at one threshold where the real execution and Eq. 5 disagree. */
export interface CostModelMismatch {
  tau: number;
  input: number;
  countedFlops: number;
  modelFlops: number;
  ran: boolean[];
  expectedRan: boolean[];
}

export interface CostModelCheck {
  mismatches: CostModelMismatch[];
  /** Per tau: how many (input, block) pairs ran and were skipped, and how many distinct FLOPs counts the inputs had. */
  mix: { tau: number; ran: number; skipped: number; distinctFlops: number }[];
}

/**
 * Runs `run(x, tau)` and compares, input by input, the FLOPs it counted and the
 * blocks it ran with Eq. 5's cost model on the p of `soft(x, tau)` (the soft
 * pass follows the decisions at tau, which SkipNet's later gates depend on).
 */
export function checkCostModel(network: AdaptiveNetwork, x: tf.Tensor4D, taus: number[]): CostModelCheck {
  const out: CostModelCheck = { mismatches: [], mix: [] };
  const k = network.meta.blocks.length;
  for (const tau of taus) {
    const soft = network.soft(x, tau);
    const p = soft.p.arraySync();
    tf.dispose([soft.logits, soft.p]);
    const exec = network.run(x, tau);
    let ran = 0;
    p.forEach((row, b) => {
      const expectedRan = blocksRun(network.meta.kind, row, tau);
      const modelFlops = costModel(network.meta, expectedRan);
      const actual = Array.from(exec.ran.subarray(b * k, (b + 1) * k)).map(Boolean);
      ran += actual.filter(Boolean).length;
      if (exec.flops[b] !== modelFlops || actual.some((r, i) => r !== expectedRan[i])) {
        out.mismatches.push({ tau, input: b, countedFlops: exec.flops[b], modelFlops, ran: actual, expectedRan });
      }
    });
    out.mix.push({ tau, ran, skipped: p.length * k - ran, distinctFlops: new Set(exec.flops).size });
  }
  return out;
}

/**
 * Thresholds between observed activation probabilities (midpoints of
 * neighbours at the given quantiles of all p of the soft pass at 0.5), so the
 * mix of run and skipped blocks differs from one threshold to the next.
 */
export function thresholdsBetween(network: AdaptiveNetwork, x: tf.Tensor4D, quantiles: number[]): number[] {
  const soft = network.soft(x);
  const values = [...new Set(soft.p.dataSync())].sort((a, b) => a - b);
  tf.dispose([soft.logits, soft.p]);
  return quantiles.map((q) => {
    const i = Math.min(values.length - 2, Math.max(0, Math.floor(q * (values.length - 1))));
    return (values[i] + values[i + 1]) / 2;
  });
}
