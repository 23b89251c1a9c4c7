import * as tf from '@tensorflow/tfjs-core';
import type { FlopsCounter } from '../../flops.js';
import { Dense, seededUniform, type FeatureShape, type ParamStore } from '../../../nn/index.js';
import type { Exit } from './early-exit.js';

/**
 * The internal classifier of the SDN code (Kaya et al., ICML 2019; its
 * aux_funcs.InternalClassifier): for a map of side s >= 4, pool with kernel
 * and stride r = floor(s / 4) as alpha * maxpool + (1 - alpha) * avgpool
 * (alpha learned, initialised uniformly in [0, 1) like torch.rand), giving
 * floor(s / r) per side (4 for s = 4..7 and powers of two); then one linear
 * layer. For s < 4 the linear layer reads the flattened map. Pooling is free,
 * so the cost is the linear layer's: 2 * features * classes.
 *
 * Non-square maps use the shorter side for r. With r = 1 the mix is the
 * identity, so no alpha is kept (the original keeps an idle one).
 */
export class InternalClassifier implements Exit {
  private readonly kernel: number;
  private readonly alpha?: tf.Variable;
  private readonly linear: Dense;

  constructor(store: ParamStore, name: string, input: FeatureShape, classes: number) {
    const [h, w, c] = input;
    const side = Math.min(h, w);
    this.kernel = side >= 4 ? Math.floor(side / 4) : 1;
    if (this.kernel > 1) this.alpha = store.add(`${name}.alpha`, (seed) => seededUniform([], 0, 1, seed));
    const features = Math.floor(h / this.kernel) * Math.floor(w / this.kernel) * c;
    this.linear = new Dense(store, `${name}.linear`, features, classes);
  }

  apply(x: tf.Tensor4D, counter?: FlopsCounter): tf.Tensor2D {
    let mixed = x;
    if (this.alpha) {
      const k = this.kernel;
      const max = tf.maxPool(x, k, k, 'valid');
      const avg = tf.avgPool(x, k, k, 'valid');
      mixed = tf.add(tf.mul(this.alpha, max), tf.mul(tf.sub(1, this.alpha), avg));
    }
    return this.linear.apply(tf.reshape(mixed, [x.shape[0], -1]) as tf.Tensor2D, counter);
  }

  /** The features the linear layer reads (pooled map, flattened). */
  get features(): number {
    return this.linear.inFeatures;
  }

  flops(): number {
    return this.linear.flops();
  }
}
