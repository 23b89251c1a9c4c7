import * as tf from '@tensorflow/tfjs-core';
import type { FlopsCounter } from '../../flops.js';
import { FastBatchNorm, Conv2d, type FeatureShape, type ParamStore } from '../../../nn/index.js';

/**
 * The residual branch F of a CIFAR ResNet basic block (He et al. 2016, as in
 * ucbdrive/skipnet and Tushar-N/blockdrop): conv3x3 (stride s) - BN - ReLU -
 * conv3x3 - BN, no biases, PyTorch's padding 1.
 */
export class BasicResidual {
  private readonly conv1: Conv2d;
  private readonly bn1: FastBatchNorm;
  private readonly conv2: Conv2d;
  private readonly bn2: FastBatchNorm;

  constructor(store: ParamStore, name: string, inChannels: number, outChannels: number, stride: number) {
    this.conv1 = new Conv2d(store, `${name}.conv1`, { inChannels, outChannels, kernel: 3, stride, pad: 1, bias: false });
    this.bn1 = new FastBatchNorm(store, `${name}.bn1`, outChannels);
    this.conv2 = new Conv2d(store, `${name}.conv2`, { inChannels: outChannels, outChannels, kernel: 3, pad: 1, bias: false });
    this.bn2 = new FastBatchNorm(store, `${name}.bn2`, outChannels);
  }

  apply(x: tf.Tensor4D, training: boolean, counter?: FlopsCounter): tf.Tensor4D {
    const h = tf.relu(this.bn1.apply(this.conv1.apply(x, counter), training));
    return this.bn2.apply(this.conv2.apply(h, counter), training);
  }

  outputShape(input: FeatureShape): FeatureShape {
    return this.conv2.outputShape(this.conv1.outputShape(input));
  }

  flops(input: FeatureShape): number {
    return this.conv1.flops(input) + this.conv2.flops(this.conv1.outputShape(input));
  }
}

/** The identity path of a residual unit, reshaped where the block changes size. */
export interface Shortcut {
  apply(x: tf.Tensor4D, training: boolean, counter?: FlopsCounter): tf.Tensor4D;
  flops(input: FeatureShape): number;
}

export type ShortcutKind = 'zero-pad' | 'conv';

export class IdentityShortcut implements Shortcut {
  apply(x: tf.Tensor4D): tf.Tensor4D {
    return x;
  }
  flops(): number {
    return 0;
  }
}

/**
 * BlockDrop's parameter-free "DownsampleB": average pooling with the block's
 * stride, then zero channels appended up to the new width. Costs no FLOPs.
 * The pooling pads like 'same' so odd sizes (7 -> 4) match the strided conv;
 * on even sizes it equals the original's AvgPool2d(stride).
 */
export class ZeroPadShortcut implements Shortcut {
  constructor(
    private readonly stride: number,
    private readonly extraChannels: number,
  ) {}

  apply(x: tf.Tensor4D): tf.Tensor4D {
    const s = this.stride;
    const pooled = s > 1 ? tf.avgPool(x, s, s, 'same') : x;
    if (this.extraChannels === 0) return pooled;
    return tf.pad(pooled, [[0, 0], [0, 0], [0, 0], [0, this.extraChannels]]);
  }

  flops(): number {
    return 0;
  }
}

/** SkipNet's projection shortcut (its CIFAR ResNet): conv1x1 with the block's stride, no bias, then BN. */
export class ConvShortcut implements Shortcut {
  private readonly conv: Conv2d;
  private readonly bn: FastBatchNorm;

  constructor(store: ParamStore, name: string, inChannels: number, outChannels: number, stride: number) {
    this.conv = new Conv2d(store, `${name}.conv`, { inChannels, outChannels, kernel: 1, stride, pad: 'valid', bias: false });
    this.bn = new FastBatchNorm(store, `${name}.bn`, outChannels);
  }

  apply(x: tf.Tensor4D, training: boolean, counter?: FlopsCounter): tf.Tensor4D {
    return this.bn.apply(this.conv.apply(x, counter), training);
  }

  flops(input: FeatureShape): number {
    return this.conv.flops(input);
  }
}

/** A residual unit: out = relu(F(x) + shortcut(x)). */
export class ResidualUnit {
  readonly residual: BasicResidual;
  readonly shortcut: Shortcut;

  constructor(
    store: ParamStore,
    readonly name: string,
    readonly inputShape: FeatureShape,
    outChannels: number,
    stride: number,
    shortcut: ShortcutKind,
  ) {
    const inChannels = inputShape[2];
    this.residual = new BasicResidual(store, name, inChannels, outChannels, stride);
    const reshapes = stride !== 1 || inChannels !== outChannels;
    if (!reshapes) this.shortcut = new IdentityShortcut();
    else if (shortcut === 'conv') this.shortcut = new ConvShortcut(store, `${name}.downsample`, inChannels, outChannels, stride);
    else this.shortcut = new ZeroPadShortcut(stride, outChannels - inChannels);
  }

  get outputShape(): FeatureShape {
    return this.residual.outputShape(this.inputShape);
  }

  /** FLOPs of F alone: what skipping the unit saves. */
  get residualFlops(): number {
    return this.residual.flops(this.inputShape);
  }

  /** FLOPs of the shortcut: paid whether or not the unit runs. */
  get shortcutFlops(): number {
    return this.shortcut.flops(this.inputShape);
  }

  /** relu(F(x) + s) where s is the shortcut of x, computed by the caller. */
  combine(x: tf.Tensor4D, shortcut: tf.Tensor4D, training: boolean, counter?: FlopsCounter): tf.Tensor4D {
    return tf.relu(tf.add(this.residual.apply(x, training, counter), shortcut)) as tf.Tensor4D;
  }

  apply(x: tf.Tensor4D, training: boolean, counter?: FlopsCounter): tf.Tensor4D {
    return this.combine(x, this.shortcut.apply(x, training, counter), training, counter);
  }
}
