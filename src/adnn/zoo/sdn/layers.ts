import * as tf from '@tensorflow/tfjs-core';
import type { FlopsCounter } from '../../flops.js';
import { BatchNorm, Conv2d, Dense, type FeatureShape, type ParamStore } from '../../../nn/index.js';
import { DepthwiseConv2d } from '../../../nn/depthwise.js';
import type { ChannelNorm } from './config.js';
import type { Exit, Segment } from './early-exit.js';

/** A backbone layer has the segment interface; a segment is a run of layers. */
export type Layer = Segment;

/** (x - mean) / std per channel; the model's own input normalisation, free of FLOPs. */
export class Normalize implements Layer {
  constructor(private readonly norm: ChannelNorm | null) {}

  apply(x: tf.Tensor4D): tf.Tensor4D {
    if (!this.norm) return x;
    return tf.div(tf.sub(x, tf.tensor1d(this.norm.mean)), tf.tensor1d(this.norm.std));
  }

  outputShape(input: FeatureShape): FeatureShape {
    return input;
  }

  flops(): number {
    return 0;
  }
}

/** A convolution (full or depthwise) followed by batch norm and, optionally, ReLU. */
export class ConvBn implements Layer {
  private readonly bn: BatchNorm;

  constructor(
    store: ParamStore,
    name: string,
    private readonly conv: Conv2d | DepthwiseConv2d,
    private readonly relu: boolean,
  ) {
    const channels = conv instanceof Conv2d ? conv.spec.outChannels : conv.spec.channels;
    this.bn = new BatchNorm(store, `${name}.bn`, channels);
  }

  apply(x: tf.Tensor4D, counter?: FlopsCounter, training = false): tf.Tensor4D {
    const conv = this.conv instanceof DepthwiseConv2d ? this.conv.apply(x, counter, training) : this.conv.apply(x, counter);
    const y = this.bn.apply(conv, training);
    return this.relu ? tf.relu(y) : y;
  }

  outputShape(input: FeatureShape): FeatureShape {
    return this.conv.outputShape(input);
  }

  flops(input: FeatureShape): number {
    return this.conv.flops(input);
  }
}

/** Layers applied in order: the segment between two exits. */
export class Sequence implements Segment {
  constructor(readonly layers: Layer[]) {}

  apply(x: tf.Tensor4D, counter?: FlopsCounter, training = false): tf.Tensor4D {
    return this.layers.reduce((h, l) => l.apply(h, counter, training), x);
  }

  outputShape(input: FeatureShape): FeatureShape {
    return this.layers.reduce((s, l) => l.outputShape(s), input);
  }

  flops(input: FeatureShape): number {
    let shape = input;
    let total = 0;
    for (const l of this.layers) {
      total += l.flops(shape);
      shape = l.outputShape(shape);
    }
    return total;
  }
}

/**
 * Cuts a backbone into segments: one ends after each layer flagged in
 * `exitAfter` (its output feeds an internal classifier); the rest of the
 * layers form the last segment, which the final classifier reads.
 */
export function splitAtExits(layers: Layer[], exitAfter: boolean[]): Sequence[] {
  const segments: Sequence[] = [];
  let current: Layer[] = [];
  layers.forEach((l, i) => {
    current.push(l);
    if (exitAfter[i]) {
      segments.push(new Sequence(current));
      current = [];
    }
  });
  if (current.length > 0) segments.push(new Sequence(current));
  return segments;
}

/** Shapes of each segment's output, in order. */
export function segmentOutputs(segments: Segment[], input: FeatureShape): FeatureShape[] {
  let shape = input;
  return segments.map((s) => (shape = s.outputShape(shape)));
}

/**
 * Average pooling over the whole map, then a linear layer: the final
 * classifier of ResNet (AvgPool2d(8) on its 8x8 map) and MobileNet
 * (AvgPool2d(2) on its 2x2 map) at 32x32, for any input size.
 */
export class GlobalPoolLinear implements Exit {
  private readonly linear: Dense;

  constructor(
    store: ParamStore,
    name: string,
    channels: number,
    classes: number,
    /** ResNet's last block hands over its sum before the final ReLU. */
    private readonly reluFirst: boolean,
  ) {
    this.linear = new Dense(store, name, channels, classes);
  }

  apply(x: tf.Tensor4D, counter?: FlopsCounter): tf.Tensor2D {
    const h = this.reluFirst ? tf.relu(x) : x;
    return this.linear.apply(tf.mean(h, [1, 2]) as tf.Tensor2D, counter);
  }

  flops(): number {
    return this.linear.flops();
  }
}
