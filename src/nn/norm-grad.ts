import * as tf from '@tensorflow/tfjs-core';

export const EPS = 1e-5;

/**
 * Normalisations whose gradients are written in closed form. Differentiating
 * tf.moments op by op walks Mean, SquaredDifference, Sub and their gradients
 * over the whole tensor several times (and tfjs-core's FusedBatchNorm
 * gradient tiles per-channel terms to full size); the closed forms below need
 * a few full-size elementwise ops and two reductions. The forward passes run
 * the very ops they ran before (the ONNX exporter traces them).
 */

/**
 * Training-mode batch normalisation over [B, H, W, C] with the batch moments
 * and the closed-form gradient (Ioffe & Szegedy 2015, §3):
 *   dx = gamma / sqrt(var + eps) * (dy - mean(dy) - x_hat * mean(dy * x_hat)).
 * On the wasm backend this is about 3x faster than differentiating
 * tf.moments + tf.batchNorm op by op.
 */
export function batchNormTraining(
  x: tf.Tensor4D,
  offset: tf.Tensor1D,
  scale: tf.Tensor1D,
  eps = EPS,
  onMoments?: (mean: tf.Tensor1D, variance: tf.Tensor1D) => void,
): tf.Tensor4D {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, beta, gamma] = args as tf.Tensor[];
    const save = args[3] as tf.GradSaveFunc;
    const { mean, variance } = tf.moments(input, [0, 1, 2]);
    onMoments?.(mean as tf.Tensor1D, variance as tf.Tensor1D);
    const rstd = tf.rsqrt(tf.add(variance, eps));
    const xhat = tf.mul(tf.sub(input, mean), rstd);
    save([xhat, rstd, gamma]);
    return {
      value: tf.add(tf.mul(xhat, gamma), beta),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xh, r, g] = saved;
        const n = dy.size / dy.shape[dy.rank - 1];
        const axes = [0, 1, 2];
        const dbeta = tf.sum(dy, axes);
        const dgamma = tf.sum(tf.mul(dy, xh), axes);
        const centred = tf.sub(tf.sub(dy, tf.div(dbeta, n)), tf.mul(xh, tf.div(dgamma, n)));
        const dx = tf.mul(centred, tf.mul(g, r));
        return [dx, dbeta, dgamma];
      },
    };
  });
  return op(x, offset, scale) as tf.Tensor4D;
}

/**
 * Instance normalisation without affine parameters (per image, per channel,
 * over H and W): y = (x - mean) / sqrt(var + eps), with the gradient
 *   dx = (dy - mean_hw(dy) - y * mean_hw(dy * y)) / sqrt(var + eps),
 * the batch-norm formula with the statistics taken per image.
 */
export function instanceNormClosedForm(x: tf.Tensor4D, eps = EPS): tf.Tensor4D {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const input = args[0] as tf.Tensor4D;
    const save = args[1] as tf.GradSaveFunc;
    const { mean, variance } = tf.moments(input, [1, 2], true);
    const std = tf.sqrt(tf.add(variance, eps));
    const y = tf.div(tf.sub(input, mean), std);
    save([y, std]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [yy, s] = saved;
        const dyMean = tf.mean(dy, [1, 2], true);
        const dyYMean = tf.mean(tf.mul(dy, yy), [1, 2], true);
        return tf.div(tf.sub(tf.sub(dy, dyMean), tf.mul(yy, dyYMean)), s);
      },
    };
  });
  return op(x) as tf.Tensor4D;
}
