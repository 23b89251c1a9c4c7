import * as tf from '@tensorflow/tfjs-core';
import { denseFlops, type FlopsCounter } from './flops.js';
import type { ParamStore } from './params.js';
import { seededNormal } from './random.js';

/** Fully connected layer, kernel [in, out]. */
export class Dense {
  readonly kernel: tf.Variable;
  readonly bias: tf.Variable;

  constructor(store: ParamStore, name: string, readonly inFeatures: number, readonly outFeatures: number) {
    const std = Math.sqrt(1 / inFeatures);
    this.kernel = store.add(`${name}.weight`, (seed) => seededNormal([inFeatures, outFeatures], 0, std, seed));
    this.bias = store.add(`${name}.bias`, () => tf.zeros([outFeatures]));
  }

  apply(x: tf.Tensor2D, counter?: FlopsCounter): tf.Tensor2D {
    counter?.add(this.flops());
    return tf.add(tf.matMul(x, this.kernel as tf.Tensor2D), this.bias);
  }

  flops(): number {
    return denseFlops(this.inFeatures, this.outFeatures);
  }
}
