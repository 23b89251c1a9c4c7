import * as tf from '@tensorflow/tfjs-core';

/**
 * Gradient of FusedBatchNorm, y = (x - mean) * rsqrt(variance + eps) * scale + offset,
 * to replace tfjs-core's. Its version tiles rsqrt(variance) from [C] up to
 * the whole of x before multiplying (on the wasm backend that Tile took half
 * of a ResNet-56 input gradient) and computes x - mean and dy * scale over
 * the whole tensor even when only dx is wanted (an input gradient through a
 * network in inference mode). Here every term is computed only when its
 * input asks for it, per-channel factors broadcast, and sums over the batch
 * and spatial axes are taken before multiplying by per-channel factors.
 * (Training with batch statistics uses batchNormTraining in src/nn, whose
 * closed-form gradient also covers the moments.)
 */
export const fusedBatchNormGradConfig: tf.GradConfig = {
  kernelName: tf.FusedBatchNorm,
  inputsToSave: ['x', 'mean', 'variance', 'scale'],
  gradFunc: (dys, saved, attrs) => {
    const dy = dys as tf.Tensor; // FusedBatchNorm has one output
    const [x, mean, variance, scale] = saved as (tf.Tensor | undefined)[];
    if (x === undefined || mean === undefined || variance === undefined) {
      throw new Error('FusedBatchNorm gradient: x, mean and variance must have been saved');
    }
    const eps = (attrs as unknown as tf.FusedBatchNormAttrs).varianceEpsilon;
    // Per-channel values, computed now: the tape runs each closure below in
    // its own tidy, so a value shared between closures must outlive them.
    const rstd = tf.rsqrt(tf.add(variance, eps));
    const gain = scale === undefined ? rstd : tf.mul(scale, rstd);
    // Only d/dvariance and d/dscale need x - mean; each computes its own (they are rarely both wanted).
    const dyCentred = () => tf.mul(dy, tf.sub(x, mean));
    return {
      x: () => tf.mul(dy, gain),
      // As in tfjs-core, the offset is taken to have the mean's shape.
      offset: () => reduceTo(dy, mean.shape),
      mean: () => tf.neg(sumTimes(dy, gain, mean.shape)),
      variance: () => {
        // d/dvar of rsqrt(var + eps) = -1/2 rstd^3
        const factor = tf.mul(tf.mul(gain, tf.square(rstd)), -0.5);
        return sumTimes(dyCentred(), factor, variance.shape);
      },
      scale: () => sumTimes(dyCentred(), rstd, scale?.shape ?? mean.shape),
    };
  },
};

/** Sums `t` down to `shape` (the axes along which a tensor of that shape was broadcast). */
function reduceTo(t: tf.Tensor, shape: number[]): tf.Tensor {
  const axes = tf.broadcast_util.getReductionAxes(shape, t.shape);
  return tf.reshape(axes.length ? tf.sum(t, axes) : t, shape);
}

/**
 * reduceTo(t * factor, shape). A per-channel factor (rank <= 1, or already
 * of `shape`) is constant along the summed axes, so summing first saves a
 * full-size multiply.
 */
function sumTimes(t: tf.Tensor, factor: tf.Tensor, shape: number[]): tf.Tensor {
  const perChannel = factor.rank <= 1 || sameShape(factor.shape, shape);
  if (perChannel) return tf.reshape(tf.mul(reduceTo(t, shape), factor), shape);
  return reduceTo(tf.mul(t, factor), shape);
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Replaces tfjs-core's FusedBatchNorm gradient (process-wide, every backend). Idempotent. */
export function registerBatchNormGradient(): void {
  tf.registerGradient(fusedBatchNormGradConfig);
}
