import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './index.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

/** d sum(w * mirrorPad(x)) / dx: each x gathers the weights of every position that copies it. */
function padGrad(x: tf.Tensor, w: tf.Tensor, paddings: Array<[number, number]>, mode: 'reflect' | 'symmetric'): number[] {
  const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.mirrorPad(t, paddings, mode), w)))(x);
  return Array.from(g.dataSync());
}

describe('MirrorPad gradient', () => {
  it('reflect, pad 1: [a b c] -> [b a b c b] gives b the weights of three positions', () => {
    // w = 1..5 over [b a b c b]: a gets 2, b gets 1 + 3 + 5, c gets 4.
    expect(padGrad(tf.tensor1d([7, 8, 9]), tf.tensor1d([1, 2, 3, 4, 5]), [[1, 1]], 'reflect')).toEqual([2, 9, 4]);
  });

  it('reflect, pad 2: [a b c] -> [c b a b c b a]', () => {
    // w = 1..7: a gets 3 + 7, b gets 2 + 4 + 6, c gets 1 + 5.
    expect(padGrad(tf.tensor1d([7, 8, 9]), tf.tensor1d([1, 2, 3, 4, 5, 6, 7]), [[2, 2]], 'reflect')).toEqual([10, 12, 6]);
  });

  it('symmetric, pad 1: [a b c] -> [a a b c c]', () => {
    expect(padGrad(tf.tensor1d([7, 8, 9]), tf.tensor1d([1, 2, 3, 4, 5]), [[1, 1]], 'symmetric')).toEqual([3, 3, 9]);
  });

  it('reflect on both spatial axes of an NHWC image, corners included', () => {
    // x 2x2 padded by 1 on H and W: padded rows and columns read x's indices [1 0 1 0].
    // With w[i][j] = 4i + j, x[r][c] gathers w over i, j whose source is (r, c):
    // x00: i,j in {1,3}: 5 + 7 + 13 + 15 = 40; x01: i {1,3}, j {0,2}: 36; x10: 24; x11: 20.
    const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
    const w = tf.reshape(tf.range(0, 16), [1, 4, 4, 1]);
    expect(padGrad(x, w, [[0, 0], [1, 1], [1, 1], [0, 0]], 'reflect')).toEqual([40, 36, 24, 20]);
  });
});
