import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { oneGateModel } from './one-gate.fixture.js';
import { adamCorrections, adamStep, costliestOf, keepCostlier, scheduledStep, steepest } from './refine-steps.js';

const values = (t: tf.Tensor) => Array.from(t.dataSync());

describe('step rules of deepperform-refine', () => {
  it('cosine schedule: 2s, s(1 + cos(pi/4)), s, s(1 + cos(3pi/4)) over 4 steps, (k + 1)s in all', () => {
    const s = [0, 1, 2, 3].map((t) => scheduledStep(0.1, t, 4, 'cosine'));
    [0.2, 0.1707107, 0.1, 0.0292893].forEach((want, i) => expect(s[i]).toBeCloseTo(want, 6));
    // sum_t cos(pi t / k) = 1 for k = 4 (1 + 0.7071 + 0 - 0.7071): 5 * 0.1.
    expect(s.reduce((a, b) => a + b, 0)).toBeCloseTo(0.5, 12);
    expect(scheduledStep(0.1, 3, 4, 'constant')).toBe(0.1);
  });

  it('steepest: the sign under Linf, the unit gradient per input under L2', () => {
    const g = tf.tensor4d([-2, 0, 3, 4, 0, -2], [3, 1, 2, 1]);
    expect(values(steepest(g, 'linf'))).toEqual([-1, 0, 1, 1, 0, -1]);
    // (-2, 0) / 2, (3, 4) / 5, (0, -2) / 2.
    values(steepest(g, 'l2')).forEach((v, i) => expect(v).toBeCloseTo([-1, 0, 0.6, 0.8, 0, -1][i], 6));
    g.dispose();
  });

  it('Adam: the sign of g at the first step, then m_hat / sqrt(v_hat) (hand-computed)', () => {
    // Step 1, g = (2, -0.5): m_hat = g, v_hat = g^2, so g / |g| = (1, -1).
    // Step 2, g = (0, -0.5): m = 0.9 * 0.1 * (2, -0.5) + 0.1 * (0, -0.5) = (0.18, -0.095), m_hat = m / 0.19 = (0.947368, -0.5);
    // v = 0.999 * 0.001 * (4, 0.25) + 0.001 * (0, 0.25) = (0.003996, 0.00049975), v_hat = v / 0.001999 = (1.998999, 0.25);
    // direction = (0.947368 / 1.413860, -0.5 / 0.5) = (0.670058, -1).
    const [g1, g2] = [tf.tensor4d([2, -0.5], [1, 1, 2, 1]), tf.tensor4d([0, -0.5], [1, 1, 2, 1])];
    const moments = { m: tf.variable(tf.zeros([1, 1, 2, 1])), v: tf.variable(tf.zeros([1, 1, 2, 1])) };
    const step = (g: tf.Tensor4D, t: number) => {
      const [c1, c2] = adamCorrections(t).map((c) => tf.tensor1d([c]));
      const out = values(adamStep(g, moments, c1, c2, 'linf'));
      tf.dispose([c1, c2]);
      return out;
    };
    expect(adamCorrections(2).map((c) => +c.toFixed(6))).toEqual([0.19, 0.001999]);
    step(g1, 1).forEach((v, i) => expect(v).toBeCloseTo([1, -1][i], 6));
    step(g2, 2).forEach((v, i) => expect(v).toBeCloseTo([0.670058, -1][i], 5));
    values(moments.m).forEach((v, i) => expect(v).toBeCloseTo([0.18, -0.095][i], 6));
    // Under L2 the first step, (1, -1) for g = (3, -4), is rescaled per input to unit length: (1, -1) / sqrt(2).
    const [c1, c2] = adamCorrections(1).map((c) => tf.tensor1d([c]));
    const fresh = { m: tf.variable(tf.zeros([1, 1, 2, 1])), v: tf.variable(tf.zeros([1, 1, 2, 1])) };
    values(adamStep(tf.tensor4d([3, -4], [1, 1, 2, 1]), fresh, c1, c2, 'l2')).forEach((v, i) => expect(v).toBeCloseTo([0.707107, -0.707107][i], 5));
    tf.dispose([c1, c2, moments.m, moments.v, fresh.m, fresh.v]);
    tf.dispose([g1, g2]);
  });

  it('keepCostlier keeps per input the iterate Eq. 5 finds costliest, the earliest on ties', () => {
    // One-gate model: the block runs (2 FLOPs instead of 1) iff the pixel > 0.5.
    // Input 0: 0.3 (1), 0.6 (2), 0.7 (2): 0.6. Input 1: 0.6 (2), 0.3 (1), 0.7 (2): 0.6.
    const kept = { best: tf.variable(tf.zeros([2, 1, 1, 1])), bestCost: tf.variable(tf.fill([2], -1)) };
    for (const xs of [
      [0.3, 0.6],
      [0.6, 0.3],
      [0.7, 0.7],
    ]) {
      const t = tf.tensor4d(xs, [2, 1, 1, 1]);
      tf.tidy(() => keepCostlier(oneGateModel(), 0.5, t, kept));
      t.dispose();
    }
    values(kept.best).forEach((v, i) => expect(v).toBeCloseTo([0.6, 0.6][i], 6));
    expect(values(kept.bestCost)).toEqual([2, 2]);
    tf.dispose([kept.best, kept.bestCost]);
  });

  it('costliestOf picks per input the candidate the real execution finds costliest, the earliest on ties', () => {
    // Input 0: 0.3 (1), 0.6 (2), 0.7 (2): 0.6. Input 1: 0.4 (1), 0.2 (1), 0.1 (1): 0.4. Input 2: 0.9, 0.3, 0.8: 0.9.
    const out = costliestOf(oneGateModel(), 0.5, [Float32Array.of(0.3, 0.4, 0.9), Float32Array.of(0.6, 0.2, 0.3), Float32Array.of(0.7, 0.1, 0.8)], 3);
    Array.from(out).forEach((v, i) => expect(v).toBeCloseTo([0.6, 0.4, 0.9][i], 6));
  });
});
