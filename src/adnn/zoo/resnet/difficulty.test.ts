import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { difficultyLoss, hardLabels } from './difficulty.js';

// Two classes, every label class 0: CE = ln(1 + e^-(z0 - z1)).
// z0 - z1 = 0, 2, -2, 1 give CE 0.693, 0.127, 2.127, 0.313.
const LOGITS = [
  [0, 0],
  [2, 0],
  [0, 2],
  [1, 0],
];
const LABELS = [
  [1, 0],
  [1, 0],
  [1, 0],
  [1, 0],
];

describe('hardLabels', () => {
  it('marks the round(share x B) inputs with the highest cross-entropy', () => {
    const logits = tf.tensor2d(LOGITS);
    const labels = tf.tensor2d(LABELS);
    expect(Array.from(hardLabels(logits, labels, 0.5).dataSync())).toEqual([1, 0, 1, 0]);
    expect(Array.from(hardLabels(logits, labels, 0.25).dataSync())).toEqual([0, 0, 1, 0]);
    expect(Array.from(hardLabels(logits, labels, 0.75).dataSync())).toEqual([1, 0, 1, 1]);
    // At least one input is hard, however small the share.
    expect(Array.from(hardLabels(logits, labels, 0.01).dataSync())).toEqual([0, 0, 1, 0]);
    tf.dispose([logits, labels]);
  });

  it('counts every input tied at the cut as hard', () => {
    const logits = tf.tensor2d([
      [0, 1],
      [0, 1],
      [3, 0],
    ]);
    const labels = tf.tensor2d([
      [1, 0],
      [1, 0],
      [1, 0],
    ]);
    expect(Array.from(hardLabels(logits, labels, 1 / 3).dataSync())).toEqual([1, 1, 0]);
    tf.dispose([logits, labels]);
  });
});

describe('difficultyLoss', () => {
  it('is the mean BCE of every gate towards its input label', () => {
    // Labels of LOGITS at share 0.5 are [1, 0, 1, 0]; inputs 1 and 3 are easy (target 0).
    const p = tf.tensor2d([
      [0.5, 0.8],
      [0.2, 0.5],
      [0.9, 0.9],
      [0.5, 0.5],
    ]);
    // -[ln .5 + ln .8 + ln .8 + ln .5 + ln .9 + ln .9 + ln .5 + ln .5] / 8
    const expected = -(4 * Math.log(0.5) + 2 * Math.log(0.8) + 2 * Math.log(0.9)) / 8;
    expect(expected).toBeCloseTo(0.4287, 4); // (4 x 0.6931 + 2 x 0.2231 + 2 x 0.1054) / 8
    const loss = difficultyLoss(p, tf.tensor2d(LOGITS), tf.tensor2d(LABELS), { share: 0.5, weight: 1 });
    expect(loss.dataSync()[0]).toBeCloseTo(expected, 5);
  });

  it('trains p only: d/dp = (p - y) / (p (1 - p)) / (B K), nothing reaches the logits', () => {
    const p = tf.variable(tf.tensor2d([[0.5], [0.2], [0.8], [0.5]]));
    const logits = tf.variable(tf.tensor2d(LOGITS));
    const { grads } = tf.variableGrads(() => difficultyLoss(p, logits, tf.tensor2d(LABELS), { share: 0.5, weight: 1 }), [p, logits]);
    // y = [1, 0, 1, 0], B K = 4: (0.5-1)/0.25/4 = -0.5; 0.2/0.16/4 = 0.3125; -0.2/0.16/4 = -0.3125; 0.5/0.25/4 = 0.5
    const dp = Array.from(grads[p.name].dataSync());
    [-0.5, 0.3125, -0.3125, 0.5].forEach((g, i) => expect(dp[i]).toBeCloseTo(g, 5));
    expect(Array.from(grads[logits.name].dataSync())).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    tf.dispose([p, logits, ...Object.values(grads)]);
  });
});
