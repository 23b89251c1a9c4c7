import * as tf from '@tensorflow/tfjs-core';

export type Norm = 'linf' | 'l2';

/** Per-input p-norm of a batch of perturbations, [B]. */
export function perturbationNorm(delta: tf.Tensor4D, norm: Norm): tf.Tensor1D {
  return tf.tidy(() => {
    const flat = tf.reshape(delta, [delta.shape[0], -1]);
    return (norm === 'linf' ? tf.max(tf.abs(flat), 1) : tf.sqrt(tf.sum(tf.square(flat), 1))) as tf.Tensor1D;
  });
}

/**
 * Projects delta into the epsilon ball: Linf clamps every pixel to
 * [-eps, eps]; L2 scales an input's delta down to norm eps when it is larger.
 */
export function projectToBall(delta: tf.Tensor4D, norm: Norm, epsilon: number): tf.Tensor4D {
  return tf.tidy(() => {
    if (norm === 'linf') return tf.clipByValue(delta, -epsilon, epsilon);
    const n = perturbationNorm(delta, 'l2');
    // min(1, eps / ||delta||); the 1e-12 keeps a zero delta at zero.
    const scale = tf.minimum(1, tf.div(epsilon, tf.add(n, 1e-12)));
    return tf.mul(delta, tf.reshape(scale, [-1, 1, 1, 1]));
  });
}

/**
 * The test input: x + delta with delta in the ball, clamped to the input range.
 * Clamping only moves pixels towards x, so the result stays in the ball.
 */
export function perturb(x: tf.Tensor4D, delta: tf.Tensor4D, norm: Norm, epsilon: number, range: [number, number]): tf.Tensor4D {
  return tf.tidy(() => tf.clipByValue(tf.add(x, projectToBall(delta, norm, epsilon)), range[0], range[1]) as tf.Tensor4D);
}
