import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../../../../test/helpers/tf.js';
import { initBackend } from '../../../engine/index.js';
import { ParamStore } from '../../../nn/index.js';
import { BatchNormRelu, resizeTo } from './layers.js';

// The cpu backend with gradients registered (what initBackend adds to a bare tfjs-core).
beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

/** relu(gamma * (x - mean) / sqrt(var + 1e-5) + beta) with batch statistics, left to autodiff. */
function reference(x: tf.Tensor4D, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor {
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  return tf.relu(tf.add(tf.mul(gamma, tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5)))), beta));
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

describe('BatchNormRelu', () => {
  const x = tf.randomNormal([4, 3, 3, 5], 0.3, 2, 'float32', 11) as tf.Tensor4D;
  // A loss that weighs every output differently, so no gradient term cancels by symmetry.
  const w = tf.randomNormal([4, 3, 3, 5], 0, 1, 'float32', 12);

  it('training pass: values and the hand-written gradient match autodiff of the formula', () => {
    const gamma = tf.tensor1d([1.5, 0.5, -1, 2, 1]);
    const beta = tf.tensor1d([0.1, -0.2, 0.3, 0, 0.5]);
    const store = new ParamStore(2);
    const layer = new BatchNormRelu(store, 'bn', 5);
    const [g, b] = [store.named().get('bn.weight')!, store.named().get('bn.bias')!];
    g.assign(gamma);
    b.assign(beta);
    const loss = (y: tf.Tensor) => tf.sum(tf.mul(y, w)) as tf.Scalar;
    const [dxRef, dgRef, dbRef] = tf.grads((xx: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) => loss(reference(xx as tf.Tensor4D, gg, bb)))([x, gamma, beta]);
    const dx = tf.grad((xx: tf.Tensor) => loss(layer.apply(xx as tf.Tensor4D, true)))(x);
    const { grads } = tf.variableGrads(() => loss(layer.apply(x, true)), [g, b]);
    expect(maxAbsDiff(layer.apply(x, true), reference(x, gamma, beta))).toBeLessThan(1e-5);
    expect(maxAbsDiff(dx, dxRef)).toBeLessThan(1e-4);
    expect(maxAbsDiff(grads[g.name], dgRef)).toBeLessThan(1e-4);
    expect(maxAbsDiff(grads[b.name], dbRef)).toBeLessThan(1e-4);
    // Not vacuous: the gradients are far from zero.
    expect(tf.max(tf.abs(dxRef)).dataSync()[0]).toBeGreaterThan(0.1);
  });

  it('training updates the running statistics with momentum 0.1; inference uses them', () => {
    const store = new ParamStore(3);
    const bn = new BatchNormRelu(store, 'bn', 5);
    bn.apply(x, true);
    const { mean, variance } = tf.moments(x, [0, 1, 2]);
    // running_mean = 0.9 * 0 + 0.1 * mean; running_var = 0.9 * 1 + 0.1 * var
    expect(maxAbsDiff(store.named().get('bn.running_mean')!, tf.mul(mean, 0.1))).toBeLessThan(1e-6);
    expect(maxAbsDiff(store.named().get('bn.running_var')!, tf.add(0.9, tf.mul(variance, 0.1)))).toBeLessThan(1e-6);
    const inferred = bn.apply(x, false);
    const expected = tf.relu(tf.div(tf.sub(x, tf.mul(mean, 0.1)), tf.sqrt(tf.add(tf.add(0.9, tf.mul(variance, 0.1)), 1e-5))));
    expect(maxAbsDiff(inferred, expected)).toBeLessThan(1e-5);
  });
});

describe('resizeTo (bilinear, aligned corners)', () => {
  it('2x2 -> 3x3 puts the corners on the corners and averages between them', () => {
    const x = tf.tensor4d([0, 2, 4, 6], [1, 2, 2, 1]);
    // Centre = mean of the four corners = 3; edge midpoints 1, 2, 4, 5.
    expect(Array.from(resizeTo(x, 3, 3).dataSync())).toEqual([0, 1, 2, 2, 3, 4, 4, 5, 6]);
  });

  it('is the identity at the same size', () => {
    const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
    expect(resizeTo(x, 2, 2)).toBe(x);
  });
});
