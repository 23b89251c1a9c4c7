import * as tf from '@tensorflow/tfjs-core';
import type { FlopsCounter } from '../../flops.js';
import { FastBatchNorm, Conv2d, type FeatureShape, type ParamStore } from '../../../nn/index.js';
import { ResidualUnit, type ShortcutKind } from './residual.js';

/** Per-channel input normalisation folded into the model (inputs stay raw [0, 1]). */
export interface Normalization {
  /** One value per input channel, or one for all. */
  mean: number[];
  std: number[];
}

export interface ResNetSpec {
  /** Basic blocks per stage, e.g. [18, 18, 18] for ResNet-110. */
  stages: number[];
  /** Channels per stage; the stem outputs widths[0]; stages after the first halve the resolution. */
  widths: number[];
  shortcut: ShortcutKind;
  normalize?: Normalization;
}

/**
 * The CIFAR ResNet (6n+2) both SkipNet and BlockDrop build on: conv3x3 stem
 * with BN and ReLU, stages of basic blocks (the first block of every stage but
 * the first has stride 2), global average pooling. The classifier or policy
 * head on the pooled features belongs to the caller.
 */
export class CifarResNet {
  private readonly stemConv: Conv2d;
  private readonly stemBn: FastBatchNorm;
  readonly units: ResidualUnit[] = [];

  constructor(
    store: ParamStore,
    prefix: string,
    readonly inputShape: FeatureShape,
    private readonly spec: ResNetSpec,
  ) {
    const [, , channels] = inputShape;
    if (spec.stages.length !== spec.widths.length) throw new Error('ResNetSpec: stages and widths differ in length');
    this.stemConv = new Conv2d(store, `${prefix}conv1`, { inChannels: channels, outChannels: spec.widths[0], kernel: 3, pad: 1, bias: false });
    this.stemBn = new FastBatchNorm(store, `${prefix}bn1`, spec.widths[0]);
    let shape = this.stemConv.outputShape(inputShape);
    spec.stages.forEach((blocks, s) => {
      for (let b = 0; b < blocks; b++) {
        const stride = s > 0 && b === 0 ? 2 : 1;
        const unit = new ResidualUnit(store, `${prefix}stage${s + 1}.block${b}`, shape, spec.widths[s], stride, spec.shortcut);
        this.units.push(unit);
        shape = unit.outputShape;
      }
    });
  }

  get featureShape(): FeatureShape {
    return this.units.length ? this.units[this.units.length - 1].outputShape : this.stemConv.outputShape(this.inputShape);
  }

  get stemFlops(): number {
    return this.stemConv.flops(this.inputShape);
  }

  /** Normalisation (if any), conv, BN, ReLU. */
  stem(x: tf.Tensor4D, training: boolean, counter?: FlopsCounter): tf.Tensor4D {
    return tf.tidy(() => {
      const n = this.spec.normalize;
      const input = n ? (tf.div(tf.sub(x, tf.tensor1d(n.mean)), tf.tensor1d(n.std)) as tf.Tensor4D) : x;
      return tf.relu(this.stemBn.apply(this.stemConv.apply(input, counter), training));
    });
  }

  /** Every block runs: the plain ResNet, pooled features [B, C]. */
  features(x: tf.Tensor4D, training: boolean, counter?: FlopsCounter): tf.Tensor2D {
    return tf.tidy(() => {
      let h = this.stem(x, training, counter);
      for (const unit of this.units) h = unit.apply(h, training, counter);
      return globalAvgPool(h);
    });
  }
}

/** Average over height and width: the original's AvgPool2d(8) on the last 8x8 map. Costs no FLOPs. */
export function globalAvgPool(x: tf.Tensor4D): tf.Tensor2D {
  return tf.mean(x, [1, 2]) as tf.Tensor2D;
}
