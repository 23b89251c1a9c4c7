import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../engine/index.js';
import { instanceNormClosedForm } from './norm-grad.js';

const list = (t: tf.Tensor) => Array.from(t.dataSync());

function close(a: number[], b: number[], tol: number): void {
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => expect(Math.abs(v - b[i]), `element ${i}: ${v} vs ${b[i]}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b[i]))));
}

/** The instance norm as written before, differentiated op by op by tfjs. */
function instanceNormOps(x: tf.Tensor4D, eps: number): tf.Tensor4D {
  const { mean, variance } = tf.moments(x, [1, 2], true);
  return tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps))) as tf.Tensor4D;
}

beforeAll(async () => {
  await initBackend({ backend: 'cpu', env: {} });
});

describe('instance norm with the closed-form gradient', () => {
  it('normalises each image and channel over its pixels (hand-checked)', () => {
    // Image 1: pixels 1, 5, 1, 5 (mean 3, variance 4, std 2); image 2: 0, 0, 0, 8 (mean 2, variance 12).
    const y = instanceNormClosedForm(tf.tensor4d([1, 5, 1, 5, 0, 0, 0, 8], [2, 2, 2, 1]), 0);
    const r = Math.sqrt(12);
    close(list(y), [-1, 1, -1, 1, -2 / r, -2 / r, -2 / r, 6 / r], 1e-6);
  });

  it('has a zero gradient for a loss that only sees the mean or the scale of a channel', () => {
    // y has zero mean and fixed variance per channel, so sum(y) and sum(y^2) do not depend on x (up to eps).
    const x = tf.randomNormal([2, 3, 3, 2], 1, 2, 'float32', 1);
    close(list(tf.grad((a: tf.Tensor) => tf.sum(instanceNormClosedForm(a as tf.Tensor4D, 1e-5)))(x)), new Array(36).fill(0), 1e-5);
    close(list(tf.grad((a: tf.Tensor) => tf.sum(tf.square(instanceNormClosedForm(a as tf.Tensor4D, 0))))(x)), new Array(36).fill(0), 1e-3);
  });

  it('equals the op-by-op gradient of the plain formula, forward and backward', () => {
    const x = tf.randomNormal([3, 4, 5, 6], 0.5, 2, 'float32', 2) as tf.Tensor4D;
    const w = tf.randomNormal([3, 4, 5, 6], 0, 1, 'float32', 3);
    close(list(instanceNormClosedForm(x, 1e-5)), list(instanceNormOps(x, 1e-5)), 1e-5);
    const g = (f: (a: tf.Tensor4D) => tf.Tensor) => tf.grad((a: tf.Tensor) => tf.sum(tf.mul(f(a as tf.Tensor4D), w)))(x);
    close(list(g((a) => instanceNormClosedForm(a, 1e-5))), list(g((a) => instanceNormOps(a, 1e-5))), 1e-4);
  });
});
