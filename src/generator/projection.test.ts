import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpu } from '../../test/helpers/tf.js';
import { perturb, perturbationNorm, projectToBall } from './projection.js';

beforeAll(useCpu);

describe('projection into the epsilon ball', () => {
  it('Linf clamps each pixel; L2 scales down only deltas above eps', () => {
    const delta = tf.tensor4d([0.5, -0.5, 0.01, 0, 3, 4, 0, 0], [2, 2, 2, 1]);
    expect(Array.from(projectToBall(delta, 'linf', 0.1).dataSync())).toEqual(
      [0.1, -0.1, 0.01, 0, 0.1, 0.1, 0, 0].map(Math.fround),
    );
    // First delta has norm sqrt(0.5) ~ 0.707 < 1: unchanged. Second has norm 5: scaled by 1/5.
    const l2 = projectToBall(delta, 'l2', 1).dataSync();
    expect(Array.from(l2.slice(0, 4))).toEqual([0.5, -0.5, 0.01, 0].map(Math.fround));
    expect(l2[4]).toBeCloseTo(0.6, 6);
    expect(l2[5]).toBeCloseTo(0.8, 6);
  });

  it('keeps every perturbed input inside ball and range (random tensors, both norms)', () => {
    for (let trial = 0; trial < 20; trial++) {
      const x = tf.randomUniform([4, 6, 5, 2], 0, 1, 'float32', trial);
      const delta = tf.randomNormal([4, 6, 5, 2], 0, trial / 4, 'float32', 100 + trial);
      for (const norm of ['linf', 'l2'] as const) {
        const eps = 0.05 + trial * 0.1;
        const adv = perturb(x as tf.Tensor4D, delta as tf.Tensor4D, norm, eps, [0, 1]);
        const applied = perturbationNorm(tf.sub(adv, x) as tf.Tensor4D, norm).dataSync();
        for (const n of applied) expect(n).toBeLessThanOrEqual(eps * (1 + 1e-5));
        expect(tf.min(adv).dataSync()[0]).toBeGreaterThanOrEqual(0);
        expect(tf.max(adv).dataSync()[0]).toBeLessThanOrEqual(1);
      }
    }
  });
});
