import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpu } from '../../test/helpers/tf.js';
import '../engine/gradients.js';
import { adamUpdate, AdamSchedule } from './adam.js';

beforeAll(useCpu);

const config = { beta1: 0.5, beta2: 0.999, epsilon: 1e-7 };

describe('AdamSchedule', () => {
  it('gives lr, 1 - beta1^t and 1 - beta2^t for t = 1, 2, 3', () => {
    const s = new AdamSchedule(config);
    const steps = [s.next(0.01), s.next(0.02), s.next(0.03)].map((a) => Array.from(a));
    expect(steps.map((a) => a[0])).toEqual([0.01, 0.02, 0.03].map((v) => expect.closeTo(v, 8)));
    expect(steps.map((a) => a[1])).toEqual([0.5, 0.75, 0.875]);
    expect(steps.map((a) => a[2])).toEqual([0.001, 1 - 0.999 ** 2, 1 - 0.999 ** 3].map((v) => expect.closeTo(v, 6)));
  });
});

describe('adamUpdate', () => {
  it('takes the hand-computed first step: w - lr * g / (|g| + eps) (bias correction cancels)', () => {
    const w = tf.tensor1d([1, -2]);
    const g = tf.tensor1d([4, -0.5]);
    const zeros = tf.zeros([2]);
    const r = adamUpdate(w, g, { m: zeros, v: zeros }, tf.tensor1d(new AdamSchedule(config).next(0.1)), config);
    // m = 0.5 g, v = 0.001 g^2; m / 0.5 = g, v / 0.001 = g^2: step = g / (|g| + eps)
    expect(Array.from(r.value.dataSync())).toEqual([0.9, -1.9].map((v) => expect.closeTo(v, 5)));
    expect(Array.from(r.m.dataSync())).toEqual([2, -0.25]);
    expect(Array.from(r.v.dataSync())).toEqual([0.016, 0.00025].map((v) => expect.closeTo(v, 7)));
  });

  it('matches tf.train.adam over five steps of a quadratic', () => {
    const target = tf.tensor1d([3, -1, 0.5]);
    const loss = (w: tf.Tensor) => tf.sum(tf.square(tf.sub(w, target))) as tf.Scalar;
    const a = tf.variable(tf.tensor1d([0, 0, 0]));
    const optimizer = tf.train.adam(0.05, config.beta1, config.beta2, config.epsilon);
    let w: tf.Tensor = tf.tensor1d([0, 0, 0]);
    let moments = { m: tf.zeros([3]), v: tf.zeros([3]) };
    const schedule = new AdamSchedule(config);
    for (let t = 0; t < 5; t++) {
      optimizer.minimize(() => loss(a));
      const g = tf.grad(loss)(w);
      const r = adamUpdate(w, g, moments, tf.tensor1d(schedule.next(0.05)), config);
      w = r.value;
      moments = { m: r.m, v: r.v };
    }
    expect(Array.from(w.dataSync())).toEqual(Array.from(a.dataSync()).map((v) => expect.closeTo(v, 6)));
  });
});
