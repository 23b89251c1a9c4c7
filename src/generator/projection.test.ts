import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../engine/index.js';
import { boundDelta, perturb, perturbationNorm, projectToBall, resolveBound } from './projection.js';

// The cpu backend with the project's gradient functions registered (the tests differentiate).
beforeAll(() => initBackend({ backend: 'cpu', env: {} }));

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

  it("'scale' bound: Linf eps * G, L2 G * eps / sqrt(||G||^2 + eps^2), by hand", () => {
    const raw = tf.tensor4d([0.5, -1, 0.02, 0], [1, 2, 2, 1]);
    expect(Array.from(boundDelta(raw, 'linf', 0.1, 'scale').dataSync())).toEqual([0.05, -0.1, 0.002, 0].map(Math.fround));
    // ||(3, 4)|| = 5, eps 5: scale 5 / sqrt(25 + 25) = 1 / sqrt(2).
    const l2 = boundDelta(tf.tensor4d([3, 4], [1, 1, 2, 1]), 'l2', 5, 'scale').dataSync();
    expect(l2[0]).toBeCloseTo(3 / Math.SQRT2, 5);
    expect(l2[1]).toBeCloseTo(4 / Math.SQRT2, 5);
  });

  it("'auto' is scale under Linf and project under L2; unset is the paper's project", () => {
    expect(resolveBound('auto', 'linf')).toBe('scale');
    expect(resolveBound('auto', 'l2')).toBe('project');
    expect(resolveBound(undefined, 'linf')).toBe('project');
    expect(resolveBound('project', 'linf')).toBe('project');
    expect(resolveBound('scale', 'l2')).toBe('scale');
  });

  it("Linf: a pixel of G beyond eps gets no gradient under 'project', eps under 'scale'", () => {
    const raw = tf.tensor4d([0.5, 0.05], [1, 1, 2, 1]);
    const grad = (bound: 'project' | 'scale') => Array.from(tf.grad((r: tf.Tensor) => tf.sum(boundDelta(r as tf.Tensor4D, 'linf', 0.1, bound)))(raw).dataSync());
    expect(grad('project')).toEqual([0, 1]);
    expect(grad('scale').map((v) => Number(v.toFixed(6)))).toEqual([0.1, 0.1]);
  });

  it('keeps every perturbed input inside ball and range (random tensors, both norms)', () => {
    for (let trial = 0; trial < 20; trial++) {
      const x = tf.randomUniform([4, 6, 5, 2], 0, 1, 'float32', trial);
      const delta = tf.randomNormal([4, 6, 5, 2], 0, trial / 4, 'float32', 100 + trial);
      for (const norm of ['linf', 'l2'] as const) {
        const eps = 0.05 + trial * 0.1;
        for (const bound of ['project', 'scale'] as const) {
          const adv = perturb(x as tf.Tensor4D, delta as tf.Tensor4D, norm, eps, [0, 1], bound);
          const applied = perturbationNorm(tf.sub(adv, x) as tf.Tensor4D, norm).dataSync();
          for (const n of applied) expect(n).toBeLessThanOrEqual(eps * (1 + 1e-5));
          expect(tf.min(adv).dataSync()[0]).toBeGreaterThanOrEqual(0);
          expect(tf.max(adv).dataSync()[0]).toBeLessThanOrEqual(1);
        }
      }
    }
  });
});
