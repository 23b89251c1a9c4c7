import * as tf from '@tensorflow/tfjs-core';

export type Norm = 'linf' | 'l2';

/**
 * How G's raw output (tanh, in [-1, 1]) becomes a perturbation in the ball.
 * 'project' (the paper): projected, so Linf clips every pixel to [-eps, eps]
 * and a pixel whose |G(x)| > eps gets no gradient. 'scale': a smooth map into
 * the ball that keeps every pixel's gradient: Linf eps * G(x); L2
 * G(x) * eps / sqrt(||G(x)||^2 + eps^2), whose norm stays below eps.
 */
export type PerturbationBound = 'project' | 'scale';

/**
 * A bound as a suite may set it: 'auto' is 'scale' under Linf (where the
 * projection's clip leaves every pixel beyond eps without a gradient; the
 * generator study measured the gain) and 'project' under L2 (whose rescale
 * keeps the gradients). Unset (the API without a suite) is 'project', the paper.
 */
export type BoundSetting = PerturbationBound | 'auto';

export function resolveBound(setting: BoundSetting | undefined, norm: Norm): PerturbationBound {
  if (setting === 'auto') return norm === 'linf' ? 'scale' : 'project';
  return setting ?? 'project';
}

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

/** G's raw output as a perturbation inside the epsilon ball, by `bound` (see PerturbationBound). */
export function boundDelta(raw: tf.Tensor4D, norm: Norm, epsilon: number, bound: PerturbationBound): tf.Tensor4D {
  return tf.tidy(() => {
    if (bound === 'project') return projectToBall(raw, norm, epsilon);
    // G's tanh keeps |raw| <= 1, where the clip is the identity; it only guards other callers.
    if (norm === 'linf') return tf.clipByValue(tf.mul(raw, epsilon), -epsilon, epsilon) as tf.Tensor4D;
    const n2 = tf.sum(tf.square(tf.reshape(raw, [raw.shape[0], -1])), 1);
    const scale = tf.div(epsilon, tf.sqrt(tf.add(n2, epsilon * epsilon)));
    return tf.mul(raw, tf.reshape(scale, [-1, 1, 1, 1])) as tf.Tensor4D;
  });
}

/**
 * The test input: x + delta with G's raw output bounded into the ball (by
 * `bound`, default the paper's projection), clamped to the input range.
 * Clamping only moves pixels towards x, so the result stays in the ball.
 */
export function perturb(x: tf.Tensor4D, delta: tf.Tensor4D, norm: Norm, epsilon: number, range: [number, number], bound: PerturbationBound = 'project'): tf.Tensor4D {
  return tf.tidy(() => addInRange(x, boundDelta(delta, norm, epsilon, bound), range));
}

/** x + a delta already in the ball, clamped to the input range (perturb's last step). */
export function addInRange(x: tf.Tensor4D, bounded: tf.Tensor4D, range: [number, number]): tf.Tensor4D {
  return tf.clipByValue(tf.add(x, bounded), range[0], range[1]) as tf.Tensor4D;
}
