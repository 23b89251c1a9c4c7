import * as tf from '@tensorflow/tfjs-core';
import type { AdaptiveNetwork } from '../../contract.js';
import { blocksRun, costModel } from '../../flops.js';

export interface Eq5Mismatch {
  tau: number;
  input: number;
  counted: number;
  model: number;
  ran: boolean[];
  expectedRan: boolean[];
}

/**
 * Thresholds that make inputs leave at different exits: midpoints between
 * neighbouring distinct confidences seen in the soft pass (so no confidence
 * sits near a threshold), up to `count` of them spread over the range.
 */
export function spreadThresholds(confidences: number[], count: number): number[] {
  const distinct = [...new Set(confidences)].sort((a, b) => a - b);
  const mids = distinct.slice(1).map((c, i) => (c + distinct[i]) / 2);
  if (mids.length <= count) return mids;
  return Array.from({ length: count }, (_, i) => mids[Math.floor(((i + 0.5) * mids.length) / count)]);
}

export interface Eq5Check {
  /** Every input and tau where counted FLOPs or blocks differ from Eq. 5 (empty is a pass). */
  mismatches: Eq5Mismatch[];
  /** Distinct per-input FLOPs counts seen, i.e. how many different exits were taken. */
  distinctCosts: number;
  taus: number[];
}

/**
 * Runs the model adaptively at tau 0, above 1, and `spread` thresholds
 * between the confidences its exits show on x, and compares, for every input,
 * the FLOPs counted while executing (and the blocks that ran) with Eq. 5's
 * cost model evaluated on p from soft().
 */
export function checkEq5(net: AdaptiveNetwork, x: tf.Tensor4D, spread: number): Eq5Check {
  const soft = net.soft(x);
  const p = soft.p.arraySync();
  tf.dispose([soft.logits, soft.p]);
  const taus = [0, ...spreadThresholds(p.flat().map((v) => 1 - v), spread), 1.01];
  const k = net.meta.blocks.length;
  const bad: Eq5Mismatch[] = [];
  const costs = new Set<number>();
  for (const tau of taus) {
    const exec = net.run(x, tau);
    p.forEach((row, b) => {
      costs.add(exec.flops[b]);
      const expectedRan = blocksRun(net.meta.kind, row, tau);
      const model = costModel(net.meta, expectedRan);
      const ran = Array.from(exec.ran.subarray(b * k, (b + 1) * k)).map(Boolean);
      if (exec.flops[b] !== model || ran.some((r, i) => r !== expectedRan[i])) {
        bad.push({ tau, input: b, counted: exec.flops[b], model, ran, expectedRan });
      }
    });
  }
  return { mismatches: bad, distinctCosts: costs.size, taus };
}

/**
 * Multiplies internal classifier i's linear weights by factor^i, so deeper
 * exits grow more confident: with random weights the first exit is often the
 * most confident one, and then every input leaves either there or at the end.
 */
export function sharpenDeeperExits(net: AdaptiveNetwork, factor: number): void {
  for (const [name, v] of net.namedWeights()) {
    const m = /^ic(\d+)\.linear\.weight$/.exec(name);
    if (m) v.assign(tf.tidy(() => tf.mul(v, factor ** Number(m[1]))));
  }
}
