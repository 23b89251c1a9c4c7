import * as tf from '@tensorflow/tfjs-core';

/**
 * Adam (Kingma & Ba, 2015) written in tfjs ops, step for step as tfjs's
 * AdamOptimizer computes it, so that a training step that includes its
 * update can be traced into one graph (src/engine/ort/program.ts) and give
 * the same numbers as tf.train.adam:
 *   m' = beta1 m + (1 - beta1) g,  v' = beta2 v + (1 - beta2) g^2,
 *   w' = w - lr * (m' / (1 - beta1^t)) / (sqrt(v' / (1 - beta2^t)) + eps).
 */
export interface AdamConfig {
  beta1: number;
  beta2: number;
  /** tfjs's default is the backend's epsilon (1e-7 at float32). */
  epsilon: number;
}

/**
 * The per-step scalars of one update, as a [3] tensor so a compiled step can
 * take them as an input: the learning rate, 1 - beta1^t and 1 - beta2^t.
 */
export type AdamScalars = tf.Tensor1D;

export interface AdamMoments {
  m: tf.Tensor;
  v: tf.Tensor;
}

/** One Adam update of `value` by `grad`; returns the new value and moments. */
export function adamUpdate(value: tf.Tensor, grad: tf.Tensor, moments: AdamMoments, scalars: AdamScalars, c: AdamConfig): { value: tf.Tensor } & AdamMoments {
  const [lr, correction1, correction2] = tf.split(scalars, 3);
  const { direction, m, v } = adamDirection(grad, moments, correction1, correction2, c);
  return { value: tf.add(tf.mul(direction, tf.neg(tf.reshape(lr, []))), value), m, v };
}

/**
 * Adam's direction m_hat / (sqrt(v_hat) + eps) and the new moments, given the
 * bias corrections 1 - beta1^t and 1 - beta2^t (tensors of one element).
 */
export function adamDirection(grad: tf.Tensor, moments: AdamMoments, correction1: tf.Tensor, correction2: tf.Tensor, c: AdamConfig): { direction: tf.Tensor } & AdamMoments {
  const m = tf.add(tf.mul(moments.m, c.beta1), tf.mul(grad, 1 - c.beta1));
  const v = tf.add(tf.mul(moments.v, c.beta2), tf.mul(tf.square(grad), 1 - c.beta2));
  const mHat = tf.div(m, tf.reshape(correction1, []));
  const vHat = tf.div(v, tf.reshape(correction2, []));
  return { direction: tf.div(mHat, tf.add(tf.sqrt(vHat), c.epsilon)), m, v };
}

/**
 * The step counter of an Adam run: 1 - beta^t in float32 as tfjs accumulates
 * it (beta^t kept as a float32 product, updated after every step).
 */
export class AdamSchedule {
  private acc1: number;
  private acc2: number;

  constructor(private readonly c: AdamConfig) {
    this.acc1 = Math.fround(c.beta1);
    this.acc2 = Math.fround(c.beta2);
  }

  /** The scalars of the next update at `learningRate`; advances the counter. */
  next(learningRate: number): Float32Array {
    const out = Float32Array.of(learningRate, 1 - this.acc1, 1 - this.acc2);
    this.acc1 = Math.fround(this.acc1 * Math.fround(this.c.beta1));
    this.acc2 = Math.fround(this.acc2 * Math.fround(this.c.beta2));
    return out;
  }
}
