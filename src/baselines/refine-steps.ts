import * as tf from '@tensorflow/tfjs-core';
import { runBatched, type AdaptiveNetwork } from '../adnn/index.js';
import { adamDirection, type AdamConfig } from '../nn/index.js';

/**
 * The step size at step t (0-based) of k: constant, or cosine-annealed,
 * size * (1 + cos(pi t / k)): twice `size` at t = 0 down towards 0 at the last
 * step ((k + 1) * size in all). Early steps cross the ball; late ones settle
 * without overshooting.
 */
export function scheduledStep(size: number, t: number, k: number, schedule: 'constant' | 'cosine'): number {
  return schedule === 'constant' ? size : size * (1 + Math.cos((Math.PI * t) / k));
}

/**
 * The unit step of steepest descent under the norm: Linf sign(g) (a step of
 * size s moves every pixel by s); L2 g / ||g|| per input (moves the input by s).
 */
export function steepest(g: tf.Tensor4D, norm: 'linf' | 'l2'): tf.Tensor4D {
  return tf.tidy(() => {
    if (norm === 'linf') return tf.sign(g);
    const n = tf.sqrt(tf.sum(tf.square(g), [1, 2, 3], true));
    return tf.div(g, tf.add(n, 1e-12));
  });
}

/** Adam as Kingma & Ba give it: beta1 0.9, beta2 0.999, eps 1e-8. */
const ADAM: AdamConfig = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

/** The bias corrections 1 - beta1^t and 1 - beta2^t of Adam's step t (1-based). */
export function adamCorrections(t: number): [number, number] {
  return [1 - ADAM.beta1 ** t, 1 - ADAM.beta2 ** t];
}

/**
 * Adam's step per pixel of each input, m_hat / (sqrt(v_hat) + eps), entries of
 * size <= ~1, +-1 at the first step (the sign of g), so a step size means what
 * it means for sign steps; under L2 rescaled to unit length per input. Updates
 * the moments in place (they may be state of a traced iteration); the
 * corrections are adamCorrections(t) as one-element tensors.
 */
export function adamStep(g: tf.Tensor4D, moments: { m: tf.Variable; v: tf.Variable }, correction1: tf.Tensor, correction2: tf.Tensor, norm: 'linf' | 'l2'): tf.Tensor4D {
  const { direction, m, v } = adamDirection(g, moments, correction1, correction2, ADAM);
  moments.m.assign(m);
  moments.v.assign(v);
  return norm === 'l2' ? steepest(direction as tf.Tensor4D, 'l2') : (direction as tf.Tensor4D);
}

/**
 * Per input, the iterate the real adaptive execution found most expensive
 * (its FLOPs at tau), the earliest on ties. The gradient follows a surrogate
 * of the cost; this keeps what the measurement will count, so offering the
 * start first means no input ends cheaper than it started.
 */
export class CostliestIterate {
  private readonly images: Float32Array;
  private readonly flops: Float64Array;

  constructor(
    private readonly network: AdaptiveNetwork,
    private readonly tau: number,
    private readonly shape: [number, number, number, number],
  ) {
    this.images = new Float32Array(shape[0] * shape[1] * shape[2] * shape[3]);
    this.flops = new Float64Array(shape[0]).fill(-Infinity);
  }

  offer(adv: tf.Tensor4D): void {
    const images = adv.dataSync() as Float32Array;
    const n = this.shape[0];
    const size = images.length / n;
    const { flops } = runBatched(this.network, { images, count: n }, this.tau);
    for (let i = 0; i < n; i++) {
      if (flops[i] > this.flops[i]) {
        this.flops[i] = flops[i];
        this.images.set(images.subarray(i * size, (i + 1) * size), i * size);
      }
    }
  }

  /** The kept iterates as a new tensor (the caller owns it). */
  take(): tf.Tensor4D {
    return tf.tensor4d(this.images, this.shape);
  }
}
