import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';

const list = (t: tf.Tensor) => Array.from(t.dataSync());

function close(a: number[], b: number[], tol = 1e-5): void {
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => expect(Math.abs(v - b[i]), `element ${i}: ${v} vs ${b[i]}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b[i]))));
}

beforeAll(async () => {
  await initBackend({ backend: 'cpu', env: {} });
});

describe('the FusedBatchNorm gradient registered by the engine', () => {
  // Two pixels, two channels; mean [1, -1], variance [3, 15] and eps 1 give std [2, 4].
  const x = tf.tensor4d([3, 1, 5, -3], [2, 1, 1, 2]);
  const mean = tf.tensor1d([1, -1]);
  const variance = tf.tensor1d([3, 15]);
  const offset = tf.tensor1d([0.5, 0.5]);
  const scale = tf.tensor1d([4, 2]);
  const loss = (a: tf.Tensor, m: tf.Tensor, v: tf.Tensor, o: tf.Tensor, s: tf.Tensor) =>
    tf.sum(tf.batchNorm(a as tf.Tensor4D, m as tf.Tensor1D, v as tf.Tensor1D, o as tf.Tensor1D, s as tf.Tensor1D, 1));

  it('gives every input its hand-computed gradient', () => {
    const [dx, dmean, dvar, doffset, dscale] = tf.grads(loss)([x, mean, variance, offset, scale]).map(list);
    close(dx, [2, 0.5, 2, 0.5]); // scale / std
    close(doffset, [2, 2]); // one per pixel
    close(dscale, [3, 0]); // sum (x - mean) / std: (2 + 4) / 2 and (2 - 2) / 4
    close(dmean, [-4, -1]); // -2 * scale / std
    close(dvar, [-1.5, 0]); // sum (x - mean) * scale * (-1/2) std^-3: 6 * 4 * -0.5 / 8
  });

  it('equals the gradient of the same formula written with elementary ops', () => {
    const xs = tf.randomNormal([3, 4, 5, 6], 0.3, 2, 'float32', 1);
    const m = tf.randomNormal([6], 0, 1, 'float32', 2);
    const v = tf.randomUniform([6], 0.5, 2, 'float32', 3);
    const o = tf.randomNormal([6], 0, 1, 'float32', 4);
    const s = tf.randomNormal([6], 1, 0.5, 'float32', 5);
    const w = tf.randomNormal([3, 4, 5, 6], 0, 1, 'float32', 6);
    const fused = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, d: tf.Tensor, e: tf.Tensor) =>
      tf.sum(tf.mul(tf.batchNorm(a as tf.Tensor4D, b as tf.Tensor1D, c as tf.Tensor1D, d as tf.Tensor1D, e as tf.Tensor1D, 1e-3), w)),
    )([xs, m, v, o, s]);
    const plain = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, d: tf.Tensor, e: tf.Tensor) =>
      tf.sum(tf.mul(tf.add(tf.mul(tf.mul(tf.sub(a, b), tf.rsqrt(tf.add(c, 1e-3))), e), d), w)),
    )([xs, m, v, o, s]);
    fused.forEach((g, i) => close(list(g), list(plain[i]), 1e-4));
  });

  it('for an input gradient alone (inference mode) runs no Tile and no full-size work for the parameters', async () => {
    const xs = tf.randomNormal([2, 8, 8, 4], 0, 1, 'float32', 7);
    const [m, v, o, s] = [[1, -1, 0, 2], [3, 15, 1, 1], [0.5, 0.5, 0, 0], [4, 2, 1, 1]].map((p) => tf.tensor1d(p));
    const prof = await tf.profile(() => tf.grad((a: tf.Tensor) => tf.sum(tf.batchNorm(a as tf.Tensor4D, m, v, o, s)))(xs));
    const names = prof.kernels.map((k) => k.name);
    expect(names).not.toContain('Tile');
    expect(names).not.toContain('Sub'); // x - mean is only needed for the variance and scale gradients
  });
});
