import * as tf from '@tensorflow/tfjs-core';
import { convFlops, type FlopsCounter } from './flops.js';
import type { ParamStore } from './params.js';
import { convOutLength, convTransposeOutLength, type FeatureShape, type Padding } from './shape.js';
import { seededNormal } from './random.js';

export type Init = 'he' | { std: number };

export interface ConvSpec {
  inChannels: number;
  outChannels: number;
  kernel: number;
  stride?: number;
  pad?: Padding;
  bias?: boolean;
  init?: Init;
}

function initStd(init: Init, fanIn: number): number {
  return init === 'he' ? Math.sqrt(2 / fanIn) : init.std;
}

/** 2-D convolution, NHWC, filter [k, k, in, out]. */
export class Conv2d {
  readonly filter: tf.Variable;
  readonly bias?: tf.Variable;
  private readonly stride: number;
  private readonly pad: Padding;

  constructor(store: ParamStore, name: string, readonly spec: ConvSpec) {
    const { inChannels: ci, outChannels: co, kernel: k } = spec;
    const std = initStd(spec.init ?? 'he', ci * k * k);
    this.filter = store.add(`${name}.weight`, (seed) => seededNormal([k, k, ci, co], 0, std, seed));
    if (spec.bias ?? true) this.bias = store.add(`${name}.bias`, () => tf.zeros([co]));
    this.stride = spec.stride ?? 1;
    this.pad = spec.pad ?? 'same';
  }

  apply(x: tf.Tensor4D, counter?: FlopsCounter): tf.Tensor4D {
    counter?.add(this.flops([x.shape[1], x.shape[2], x.shape[3]]));
    const y = tf.conv2d(x, this.filter as tf.Tensor4D, this.stride, this.pad);
    return this.bias ? tf.add(y, this.bias) : y;
  }

  outputShape([h, w]: FeatureShape): FeatureShape {
    const { kernel: k, outChannels } = this.spec;
    return [convOutLength(h, k, this.stride, this.pad), convOutLength(w, k, this.stride, this.pad), outChannels];
  }

  flops(input: FeatureShape): number {
    const [oh, ow] = this.outputShape(input);
    const k = this.spec.kernel;
    return convFlops({
      inChannels: this.spec.inChannels,
      outChannels: this.spec.outChannels,
      kernelHeight: k,
      kernelWidth: k,
      outHeight: oh,
      outWidth: ow,
    });
  }
}

/** Transposed convolution with 'valid' padding: out = (in - 1) * stride + kernel. */
export class ConvTranspose2d {
  readonly filter: tf.Variable;
  private readonly stride: number;
  private readonly kh: number;
  private readonly kw: number;

  constructor(
    store: ParamStore,
    name: string,
    readonly spec: { inChannels: number; outChannels: number; kernel: number | [number, number]; stride?: number; init?: Init },
  ) {
    const { inChannels: ci, outChannels: co } = spec;
    [this.kh, this.kw] = typeof spec.kernel === 'number' ? [spec.kernel, spec.kernel] : spec.kernel;
    const std = initStd(spec.init ?? 'he', ci * this.kh * this.kw);
    // tfjs keeps transposed filters as [kh, kw, out, in].
    this.filter = store.add(`${name}.weight`, (seed) => seededNormal([this.kh, this.kw, co, ci], 0, std, seed));
    this.stride = spec.stride ?? 1;
  }

  apply(x: tf.Tensor4D, counter?: FlopsCounter): tf.Tensor4D {
    const shape: FeatureShape = [x.shape[1], x.shape[2], x.shape[3]];
    counter?.add(this.flops(shape));
    const [oh, ow, oc] = this.outputShape(shape);
    return tf.conv2dTranspose(x, this.filter as tf.Tensor4D, [x.shape[0], oh, ow, oc], this.stride, 'valid');
  }

  outputShape([h, w]: FeatureShape): FeatureShape {
    return [convTransposeOutLength(h, this.kh, this.stride), convTransposeOutLength(w, this.kw, this.stride), this.spec.outChannels];
  }

  /** Same multiply-accumulates as the convolution it transposes: every input pixel meets the whole kernel. */
  flops([h, w]: FeatureShape): number {
    return convFlops({
      inChannels: this.spec.inChannels,
      outChannels: this.spec.outChannels,
      kernelHeight: this.kh,
      kernelWidth: this.kw,
      outHeight: h,
      outWidth: w,
    });
  }
}
