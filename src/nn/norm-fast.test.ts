import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../engine/index.js';
import { batchNormTraining, FastBatchNorm } from './norm-fast.js';
import { ParamStore } from './params.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
}

describe('batchNormTraining (closed-form gradient)', () => {
  const x = tf.randomNormal([3, 4, 5, 2], 1, 2, 'float32', 1) as tf.Tensor4D;
  const w = tf.randomNormal([3, 4, 5, 2], 0, 1, 'float32', 2);
  const beta = tf.tensor1d([0.1, -0.2]);
  const gamma = tf.tensor1d([1.5, 0.7]);

  it('normalises every channel to zero mean and unit variance before scale and offset', () => {
    // With gamma 1 and beta 0 the output of each channel has mean 0 and variance var / (var + eps) ~ 1.
    const y = batchNormTraining(x, tf.zeros([2]), tf.ones([2]));
    const { mean, variance } = tf.moments(y, [0, 1, 2]);
    mean.dataSync().forEach((m) => expect(Math.abs(m)).toBeLessThan(1e-5));
    variance.dataSync().forEach((v) => expect(v).toBeCloseTo(1, 4));
  });

  it('has the gradients of tf.moments + tf.batchNorm differentiated op by op', () => {
    const loss = (bn: (a: tf.Tensor4D, b: tf.Tensor1D, g: tf.Tensor1D) => tf.Tensor) => (a: tf.Tensor, b: tf.Tensor, g: tf.Tensor) =>
      tf.sum(tf.mul(bn(a as tf.Tensor4D, b as tf.Tensor1D, g as tf.Tensor1D), w));
    const reference = tf.grads(loss((a, b, g) => {
      const { mean, variance } = tf.moments(a, [0, 1, 2]);
      return tf.batchNorm(a, mean, variance, b, g, 1e-5);
    }))([x, beta, gamma]);
    const fast = tf.grads(loss(batchNormTraining))([x, beta, gamma]);
    reference.forEach((r, i) => expect(maxAbsDiff(r, fast[i])).toBeLessThan(1e-4));
  });

  it('FastBatchNorm keeps BatchNorm\'s parameter names and updates the running statistics', () => {
    const store = new ParamStore(0);
    const bn = new FastBatchNorm(store, 'bn', 2);
    expect([...store.named().keys()]).toEqual(['bn.weight', 'bn.bias', 'bn.running_mean', 'bn.running_var']);
    bn.apply(x, true);
    // running = 0.9 * initial + 0.1 * batch moments (mean starts at 0, variance at 1)
    const { mean, variance } = tf.moments(x, [0, 1, 2]);
    const rm = store.named().get('bn.running_mean')!;
    const rv = store.named().get('bn.running_var')!;
    expect(maxAbsDiff(rm, tf.mul(mean, 0.1))).toBeLessThan(1e-6);
    expect(maxAbsDiff(rv, tf.add(0.9, tf.mul(variance, 0.1)))).toBeLessThan(1e-5);
  });
});
