import * as tf from '@tensorflow/tfjs-core';
import { runBatched, type AdaptiveNetwork } from '../adnn/index.js';

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

const BETA1 = 0.9;
const BETA2 = 0.999;
const EPS = 1e-8;

/**
 * Adam's moments per pixel of each input (Kingma & Ba: beta1 0.9, beta2
 * 0.999, eps 1e-8). `direction(g)` is m_hat / (sqrt(v_hat) + eps): entries
 * of size <= ~1, +-1 at the first step (the sign of g), so a step size means
 * what it means for sign steps.
 */
export class AdamMoments {
  private m?: tf.Tensor4D;
  private v?: tf.Tensor4D;
  private t = 0;

  direction(g: tf.Tensor4D): tf.Tensor4D {
    this.t++;
    const [m, v] = tf.tidy(() => [
      tf.add(tf.mul(BETA1, this.m ?? tf.zerosLike(g)), tf.mul(1 - BETA1, g)),
      tf.add(tf.mul(BETA2, this.v ?? tf.zerosLike(g)), tf.mul(1 - BETA2, tf.square(g))),
    ]) as [tf.Tensor4D, tf.Tensor4D];
    this.dispose();
    [this.m, this.v] = [tf.keep(m), tf.keep(v)];
    return tf.tidy(() => {
      const mHat = tf.div(m, 1 - BETA1 ** this.t);
      const vHat = tf.div(v, 1 - BETA2 ** this.t);
      return tf.div(mHat, tf.add(tf.sqrt(vHat), EPS)) as tf.Tensor4D;
    });
  }

  dispose(): void {
    tf.dispose([this.m, this.v].filter((t): t is tf.Tensor4D => t !== undefined));
    this.m = this.v = undefined;
  }
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
