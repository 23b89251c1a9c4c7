import * as tf from '@tensorflow/tfjs-core';
import type { FlopsCounter } from '../../flops.js';
import { Dense, type FeatureShape, type ParamStore } from '../../../nn/index.js';

/**
 * An SDN internal classifier (Kaya et al.): alpha * maxpool + (1 - alpha) * avgpool
 * down to about 4x4 (alpha learned), then one dense layer. Maps already smaller
 * than 8x8 go to the dense layer unpooled. Pooling costs no FLOPs by convention.
 */
export class ExitHead {
  private readonly pool: number;
  private readonly alpha?: tf.Variable;
  private readonly dense: Dense;

  constructor(store: ParamStore, name: string, input: FeatureShape, classes: number) {
    const [h, w, c] = input;
    this.pool = Math.min(h, w) >= 8 ? Math.floor(Math.min(h, w) / 4) : 1;
    if (this.pool > 1) this.alpha = store.add(`${name}.alpha`, () => tf.scalar(0.5));
    const oh = Math.floor(h / this.pool);
    const ow = Math.floor(w / this.pool);
    this.dense = new Dense(store, `${name}.linear`, oh * ow * c, classes);
  }

  apply(x: tf.Tensor4D, counter?: FlopsCounter): tf.Tensor2D {
    let pooled = x;
    if (this.alpha) {
      const k = this.pool;
      const max = tf.maxPool(x, k, k, 'valid');
      const avg = tf.avgPool(x, k, k, 'valid');
      pooled = tf.add(tf.mul(this.alpha, max), tf.mul(tf.sub(1, this.alpha), avg));
    }
    const flat = tf.reshape(pooled, [x.shape[0], -1]) as tf.Tensor2D;
    return this.dense.apply(flat, counter);
  }

  flops(): number {
    return this.dense.flops();
  }
}
