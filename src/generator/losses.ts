import * as tf from '@tensorflow/tfjs-core';
import { perturbationNorm, type Norm } from './projection.js';

export type PerfLoss = 'mse' | 'bce' | 'flops-mse';

/**
 * Eq. 6: L_perf pushes every activation probability of x + delta towards 1.
 * 'mse' is the paper's MSE(p, 1); 'bce' is BCE(p, 1) as in the authors'
 * release; 'flops-mse' weights block i by FLOPs_i / sum FLOPs (Eq. 5's weights).
 */
export function perfLoss(p: tf.Tensor2D, kind: PerfLoss, blockFlops?: number[]): tf.Scalar {
  return tf.tidy(() => {
    if (kind === 'bce') return tf.neg(tf.mean(tf.log(tf.clipByValue(p, 1e-7, 1)))) as tf.Scalar;
    const sq = tf.square(tf.sub(1, p));
    if (kind === 'mse') return tf.mean(sq) as tf.Scalar;
    if (!blockFlops) throw new Error('flops-mse needs the block FLOPs');
    const total = blockFlops.reduce((a, b) => a + b, 0);
    const w = tf.tensor1d(blockFlops.map((f) => f / total));
    return tf.mean(tf.sum(tf.mul(sq, w), 1)) as tf.Scalar;
  });
}

/** Eq. 7: L_pert = mean(max(0, ||delta||_p - epsilon)), on the raw generator output. */
export function pertLoss(delta: tf.Tensor4D, norm: Norm, epsilon: number): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.relu(tf.sub(perturbationNorm(delta, norm), epsilon))) as tf.Scalar);
}

/** Least-squares GAN, discriminator side: real -> 1, generated -> 0. */
export function discriminatorLoss(real: tf.Tensor, fake: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mul(0.5, tf.add(tf.mean(tf.square(tf.sub(real, 1))), tf.mean(tf.square(fake)))) as tf.Scalar);
}

/** Least-squares GAN, generator side (Eq. 4's L_GAN): generated inputs should look real. */
export function generatorGanLoss(fake: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.square(tf.sub(fake, 1))) as tf.Scalar);
}

export interface ObjectiveWeights {
  alpha: number;
  beta: number;
  gan: boolean;
}

/** Eq. 8: L = L_GAN + alpha * L_perf + beta * L_pert (L_GAN optional). */
export function totalLoss(parts: { gan: tf.Scalar; perf: tf.Scalar; pert: tf.Scalar }, w: ObjectiveWeights): tf.Scalar {
  return tf.tidy(() => {
    const core = tf.add(tf.mul(w.alpha, parts.perf), tf.mul(w.beta, parts.pert));
    return (w.gan ? tf.add(parts.gan, core) : core) as tf.Scalar;
  });
}
