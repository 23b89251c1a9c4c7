import * as tf from '@tensorflow/tfjs-core';
import { convFlops, type FlopsCounter } from './flops.js';
import type { Init } from './conv.js';
import type { ParamStore } from './params.js';
import { convOutLength, type FeatureShape, type Padding } from './shape.js';
import { seededNormal } from './random.js';

export interface DepthwiseSpec {
  channels: number;
  kernel: number;
  stride?: number;
  pad?: Padding;
  bias?: boolean;
  init?: Init;
}

/**
 * Depthwise 2-D convolution (groups = channels, one k x k filter per channel),
 * NHWC, filter [k, k, C, 1]. It costs 2 * C * k * k * Ho * Wo FLOPs, not the
 * 2 * C * C * k * k * Ho * Wo of a full convolution (docs/design.md §3).
 */
export class DepthwiseConv2d {
  readonly filter: tf.Variable;
  readonly bias?: tf.Variable;
  private readonly stride: number;
  private readonly pad: Padding;

  constructor(store: ParamStore, name: string, readonly spec: DepthwiseSpec) {
    const { channels: c, kernel: k } = spec;
    const init = spec.init ?? 'he';
    // Each output sees k * k inputs of one channel: that is the fan-in.
    const std = init === 'he' ? Math.sqrt(2 / (k * k)) : init.std;
    this.filter = store.add(`${name}.weight`, (seed) => seededNormal([k, k, c, 1], 0, std, seed));
    if (spec.bias ?? false) this.bias = store.add(`${name}.bias`, () => tf.zeros([c]));
    this.stride = spec.stride ?? 1;
    this.pad = spec.pad ?? 'same';
  }

  /**
   * `training` asks for a pass that can be differentiated on this backend: the
   * wasm backend has no depthwise backward kernels, so there the convolution
   * is computed as a sum of k * k shifted, per-channel scaled slices instead.
   */
  apply(x: tf.Tensor4D, counter?: FlopsCounter, training = false): tf.Tensor4D {
    counter?.add(this.flops([x.shape[1], x.shape[2], x.shape[3]]));
    const y =
      training && !hasDepthwiseGradients()
        ? depthwiseByTaps(x, this.filter as tf.Tensor4D, this.stride, this.pad)
        : tf.depthwiseConv2d(x, this.filter as tf.Tensor4D, this.stride, this.pad);
    return this.bias ? tf.add(y, this.bias) : y;
  }

  outputShape([h, w]: FeatureShape): FeatureShape {
    const k = this.spec.kernel;
    return [convOutLength(h, k, this.stride, this.pad), convOutLength(w, k, this.stride, this.pad), this.spec.channels];
  }

  flops(input: FeatureShape): number {
    const [oh, ow] = this.outputShape(input);
    const { channels: c, kernel: k } = this.spec;
    return convFlops({ inChannels: c, outChannels: c, kernelHeight: k, kernelWidth: k, outHeight: oh, outWidth: ow, groups: c });
  }
}

function hasDepthwiseGradients(): boolean {
  const backend = tf.getBackend();
  return (
    tf.getKernel('DepthwiseConv2dNativeBackpropFilter', backend) != null &&
    tf.getKernel('DepthwiseConv2dNativeBackpropInput', backend) != null
  );
}

/** Padding before / after along one axis, as TensorFlow places it. */
function padsFor(length: number, kernel: number, stride: number, pad: Padding): [number, number, number] {
  const out = convOutLength(length, kernel, stride, pad);
  if (typeof pad === 'number') return [pad, pad, out];
  if (pad === 'valid') return [0, 0, out];
  const total = Math.max((out - 1) * stride + kernel - length, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2), out];
}

/**
 * The depthwise convolution from ops that all have gradients on every backend
 * (pad, slice, reshape, mul, add). Stride s is taken by reshaping a window of
 * out * s rows to [out, s] and keeping phase 0, as stridedSlice has no gradient.
 */
export function depthwiseByTaps(x: tf.Tensor4D, filter: tf.Tensor4D, stride: number, pad: Padding): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  const k = filter.shape[0];
  const [top, bottom, oh] = padsFor(h, k, stride, pad);
  const [left, right, ow] = padsFor(w, k, stride, pad);
  // Extra zero rows / columns so every window of out * stride fits; they are never selected.
  const extraH = Math.max(0, k - 1 + oh * stride - (h + top + bottom));
  const extraW = Math.max(0, k - 1 + ow * stride - (w + left + right));
  const xp = tf.pad(x, [
    [0, 0],
    [top, bottom + extraH],
    [left, right + extraW],
    [0, 0],
  ]);
  const terms: tf.Tensor4D[] = [];
  for (let dy = 0; dy < k; dy++) {
    for (let dx = 0; dx < k; dx++) {
      let win = tf.slice(xp, [0, dy, dx, 0], [b, oh * stride, ow * stride, c]);
      if (stride > 1) {
        const phased = tf.reshape(win, [b, oh, stride, ow, stride * c]);
        win = tf.reshape(tf.slice(phased, [0, 0, 0, 0, 0], [b, oh, 1, ow, c]), [b, oh, ow, c]);
      }
      const tap = tf.reshape(tf.slice(filter, [dy, dx, 0, 0], [1, 1, c, 1]), [c]);
      terms.push(tf.mul(win, tap));
    }
  }
  return tf.addN(terms);
}
