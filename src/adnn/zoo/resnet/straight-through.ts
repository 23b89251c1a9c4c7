import * as tf from '@tensorflow/tfjs-core';

/**
 * Straight-through gate (SkipNet's supervised pre-training gates, Wang et al.
 * 2018 §3.3): the forward value is the hard decision 1[p > tau], exactly 0 or 1,
 * the backward pass treats it as p itself (gradient passed through unchanged).
 */
export function straightThrough(p: tf.Tensor1D, tau: number): tf.Tensor1D {
  const gate = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => ({
    value: tf.cast(tf.greater(args[0] as tf.Tensor, tau), 'float32'),
    gradFunc: (dy: tf.Tensor) => dy,
  }));
  return gate(p) as tf.Tensor1D;
}

/**
 * Straight-through Bernoulli gate: the forward value is a sample 1[u < p]
 * (u uniform in [0, 1)), the gradient that of p. The originals sample their
 * decisions while training (SkipNet's hybrid RL stage, BlockDrop's policy
 * gradient); this is the differentiable stand-in for that sampling.
 */
export function straightThroughSample(p: tf.Tensor1D, u: tf.Tensor1D): tf.Tensor1D {
  const gate = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => ({
    value: tf.cast(tf.less(u, args[0] as tf.Tensor), 'float32'),
    gradFunc: (dy: tf.Tensor) => dy,
  }));
  return gate(p) as tf.Tensor1D;
}
