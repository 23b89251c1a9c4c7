import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../engine/index.js';
import { descend, lossAndGradient } from './common.js';

/** Per input, the sum of its squared pixels: gradient 2v. */
const squares = (v: tf.Tensor4D) => tf.sum(tf.square(tf.reshape(v, [v.shape[0], -1])), 1) as tf.Tensor1D;
const values = (t: tf.Tensor) => Array.from(t.dataSync());

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('the shared gradient loop', () => {
  it('lossAndGradient: each input its own loss and gradient (hand-computed)', () => {
    // Input 0: pixels (1, 2): loss 1 + 4 = 5, gradient (2, 4). Input 1: (3, 0): loss 9, gradient (6, 0).
    const at = tf.tensor4d([1, 2, 3, 0], [2, 1, 2, 1]);
    const { loss, grad } = lossAndGradient(squares, at);
    expect(values(loss)).toEqual([5, 9]);
    expect(values(grad)).toEqual([2, 4, 6, 0]);
    tf.dispose([at, loss, grad]);
  });

  it('descend: k updates, each iterate observed with its loss, nothing left behind', () => {
    // v - 0.25 * 2v = v / 2 per step: (1, -2) -> (0.5, -1) -> (0.25, -0.5) -> (0.125, -0.25);
    // the losses observed before each move are v^2: (1, 4), (0.25, 1), (0.0625, 0.25).
    const before = tf.memory().numTensors;
    const seen: number[][] = [];
    let ticks = 0;
    const start = tf.tensor4d([1, -2], [2, 1, 1, 1]);
    const half = (v: tf.Tensor4D, g: tf.Tensor4D) => tf.tidy(() => tf.sub(v, tf.mul(0.25, g)) as tf.Tensor4D);
    const last = descend(start, 3, squares, half, () => ticks++, (_, l) => seen.push(values(l)));
    expect(values(last)).toEqual([0.125, -0.25]);
    expect(seen).toEqual([
      [1, 4],
      [0.25, 1],
      [0.0625, 0.25],
    ]);
    expect(ticks).toBe(3);
    last.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('descend with 0 steps returns its start untouched', () => {
    const start = tf.tensor4d([0.5], [1, 1, 1, 1]);
    const out = descend(start, 0, squares, () => {
      throw new Error('no step');
    }, () => undefined);
    expect(out).toBe(start);
    out.dispose();
  });
});
