import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpu } from '../../../test/helpers/tf.js';
import type { AdaptiveNetwork } from '../../adnn/index.js';
import { blockWeights, eq12Loss, flopsGap } from './objective.js';

beforeAll(useCpu);

/** Blocks of 100 and 300 FLOPs: weights 0.25 and 0.75. */
const meta = {
  name: 'fake',
  arch: 'fake',
  kind: 'skipping' as const,
  input: { height: 1, width: 1, channels: 1, range: [0, 1] as [number, number] },
  numClasses: 2,
  baseFlops: 50,
  blocks: [
    { name: 'a', flops: 100 },
    { name: 'b', flops: 300 },
  ],
};

/** A network whose soft pass returns fixed logits and p, whatever the input. */
function fixedNetwork(logits: number[][], p: number[][], exits?: number[][][]): AdaptiveNetwork {
  return {
    meta,
    soft: () => ({ logits: tf.tensor2d(logits), p: tf.tensor2d(p) }),
    ...(exits ? { exitLogits: () => exits.map((e) => tf.tensor2d(e)) } : {}),
    run: () => {
      throw new Error('not used');
    },
    trainingLoss: () => tf.scalar(0),
    trainableVariables: () => [],
    namedWeights: () => new Map(),
    dispose: () => undefined,
  };
}

const x = tf.zeros([2, 1, 1, 1]) as tf.Tensor4D;
const labels = tf.tensor2d([
  [1, 0],
  [0, 1],
]);
const logits = [
  [2, 0],
  [0, 1],
];
// Row 0 costs more on both blocks (+0.4 each); row 1 trades block a (-0.4) for block b (+0.4).
const pAdv = [
  [0.9, 0.8],
  [0.2, 0.6],
];
const pSeed = tf.tensor2d([
  [0.5, 0.4],
  [0.6, 0.2],
]);
// CE: log(1 + e^-2) and log(1 + e^-1).
const ce = (Math.log(1 + Math.exp(-2)) + Math.log(1 + Math.exp(-1))) / 2;

describe('Eq. 12, by hand', () => {
  it('block weights are each block\'s share of the conditional FLOPs', () => {
    expect(blockWeights(meta)).toEqual([0.25, 0.75]);
  });

  it('the FLOPs term is |sum_i w_i (p_i(x\') - p_i(x))|, averaged over the batch', () => {
    // row 0: 0.25*0.4 + 0.75*0.4 = 0.4; row 1: |0.25*-0.4 + 0.75*0.4| = 0.2
    expect(flopsGap(tf.tensor2d(pAdv), pSeed, [0.25, 0.75]).dataSync()[0]).toBeCloseTo(0.3, 6);
    // A cheaper x' counts as much as a dearer one: |FLOPs(x') - FLOPs(x)| is symmetric.
    expect(flopsGap(pSeed, tf.tensor2d(pAdv), [0.25, 0.75]).dataSync()[0]).toBeCloseTo(0.3, 6);
  });

  it('total = cross-entropy of x\' against y + flopsWeight x FLOPs term', () => {
    const parts = eq12Loss(fixedNetwork(logits, pAdv), x, pSeed, labels, { flopsWeight: 2, tau: 0.5 });
    expect(parts.task.dataSync()[0]).toBeCloseTo(ce, 6);
    expect(parts.flops.dataSync()[0]).toBeCloseTo(0.3, 6);
    expect(parts.total.dataSync()[0]).toBeCloseTo(ce + 0.6, 6);
  });

  it('early-exit models: every exit learns y (mean of the exits\' cross-entropies)', () => {
    const exits = [logits, [[0, 0], [0, 0]]];
    const parts = eq12Loss(fixedNetwork(logits, pAdv, exits), x, pSeed, labels, { flopsWeight: 0, tau: 0.5 });
    // The second exit is uniform: log 2 per input.
    expect(parts.task.dataSync()[0]).toBeCloseTo((ce + Math.log(2)) / 2, 6);
    expect(parts.total.dataSync()[0]).toBeCloseTo((ce + Math.log(2)) / 2, 6);
  });
});
