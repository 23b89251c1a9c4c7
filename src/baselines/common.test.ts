import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { lossAndGradient } from './common.js';

/** Per input, the sum of its squared pixels: gradient 2v. */
const squares = (v: tf.Tensor4D) => tf.sum(tf.square(tf.reshape(v, [v.shape[0], -1])), 1) as tf.Tensor1D;
const values = (t: tf.Tensor) => Array.from(t.dataSync());

describe('the shared per-input gradient', () => {
  it('lossAndGradient: each input its own loss and gradient (hand-computed)', () => {
    // Input 0: pixels (1, 2): loss 1 + 4 = 5, gradient (2, 4). Input 1: (3, 0): loss 9, gradient (6, 0).
    const at = tf.tensor4d([1, 2, 3, 0], [2, 1, 2, 1]);
    const { loss, grad } = lossAndGradient(squares, at);
    expect(values(loss)).toEqual([5, 9]);
    expect(values(grad)).toEqual([2, 4, 6, 0]);
    tf.dispose([at, loss, grad]);
  });
});
