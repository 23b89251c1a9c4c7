import * as tf from '@tensorflow/tfjs-core';
import type { FlopsCounter } from '../../flops.js';
import { Conv2d, type FeatureShape, type ParamStore } from '../../../nn/index.js';
import type { Segment } from './early-exit.js';

export interface ConvStep {
  out: number;
  stride?: number;
}

/** Plain conv + ReLU layers; optionally normalises the raw [0,1] input first. */
export class ConvStack implements Segment {
  private readonly convs: Conv2d[] = [];

  constructor(
    store: ParamStore,
    name: string,
    inChannels: number,
    steps: ConvStep[],
    private readonly normalize?: { mean: number; std: number },
  ) {
    let c = inChannels;
    steps.forEach((s, i) => {
      this.convs.push(new Conv2d(store, `${name}.conv${i}`, { inChannels: c, outChannels: s.out, kernel: 3, stride: s.stride ?? 1 }));
      c = s.out;
    });
  }

  apply(x: tf.Tensor4D, counter?: FlopsCounter): tf.Tensor4D {
    let h: tf.Tensor4D = this.normalize ? tf.div(tf.sub(x, this.normalize.mean), this.normalize.std) : x;
    for (const conv of this.convs) h = tf.relu(conv.apply(h, counter));
    return h;
  }

  /** Normalisation (if any), the first conv and its ReLU. */
  firstConv(x: tf.Tensor4D, counter?: FlopsCounter): tf.Tensor4D {
    const h: tf.Tensor4D = this.normalize ? tf.div(tf.sub(x, this.normalize.mean), this.normalize.std) : x;
    return tf.relu(this.convs[0].apply(h, counter));
  }

  outputShape(input: FeatureShape): FeatureShape {
    return this.convs.reduce((s, c) => c.outputShape(s), input);
  }

  flops(input: FeatureShape): number {
    let shape = input;
    let total = 0;
    for (const c of this.convs) {
      total += c.flops(shape);
      shape = c.outputShape(shape);
    }
    return total;
  }
}
