import * as tf from '@tensorflow/tfjs-core';
import type { InputSpec } from '../adnn/index.js';
import {
  BatchNorm,
  Conv2d,
  ConvTranspose2d,
  convOutLength,
  convTransposeOutLength,
  instanceNorm,
  ParamStore,
  type FeatureShape,
} from '../nn/index.js';
import type { PerturbationBound } from './projection.js';
import { UserError } from '../util/errors.js';

/** Weights drawn from N(0, 0.02), as the authors initialise G and D. */
const INIT = { std: 0.02 } as const;
const LEAK = 0.2;

export class GeneratorShapeError extends UserError {
  constructor(input: InputSpec) {
    super(`input ${input.height}x${input.width} is too small for the generator (needs at least 15x15)`);
    this.name = 'GeneratorShapeError';
  }
}

/**
 * Residual block (docs/design.md §2): reflection pad, 3x3 conv, BN, LeakyReLU,
 * reflection pad, 3x3 conv, BN; a 1x1 conv + BN shortcut where channels change.
 */
class ResidualBlock {
  private readonly conv1: Conv2d;
  private readonly bn1: BatchNorm;
  private readonly conv2: Conv2d;
  private readonly bn2: BatchNorm;
  private readonly shortcut?: { conv: Conv2d; bn: BatchNorm };

  constructor(store: ParamStore, name: string, cin: number, readonly outChannels: number) {
    const cout = outChannels;
    const conv = (n: string, ci: number, co: number, k: number) =>
      new Conv2d(store, `${name}.${n}`, { inChannels: ci, outChannels: co, kernel: k, pad: 'valid', bias: false, init: INIT });
    this.conv1 = conv('conv1', cin, cout, 3);
    this.bn1 = new BatchNorm(store, `${name}.bn1`, cout);
    this.conv2 = conv('conv2', cout, cout, 3);
    this.bn2 = new BatchNorm(store, `${name}.bn2`, cout);
    if (cin !== cout) this.shortcut = { conv: conv('shortcut', cin, cout, 1), bn: new BatchNorm(store, `${name}.shortcut_bn`, cout) };
  }

  apply(x: tf.Tensor4D, training: boolean): tf.Tensor4D {
    const pad = (t: tf.Tensor4D) => tf.mirrorPad(t, [[0, 0], [1, 1], [1, 1], [0, 0]], 'reflect');
    let h = tf.leakyRelu(this.bn1.apply(this.conv1.apply(pad(x)), training), LEAK);
    h = this.bn2.apply(this.conv2.apply(pad(h)), training);
    const skip = this.shortcut ? this.shortcut.bn.apply(this.shortcut.conv.apply(x), training) : x;
    return tf.add(h, skip);
  }

  flops([h, w, c]: FeatureShape): number {
    const cout = this.outChannels;
    const padded: FeatureShape = [h + 2, w + 2, c];
    const mid: FeatureShape = [h + 2, w + 2, cout];
    return this.conv1.flops(padded) + this.conv2.flops(mid) + (this.shortcut ? this.shortcut.conv.flops([h, w, c]) : 0);
  }
}

/**
 * The DeepPerform generator G (docs/design.md §2): encoder of three convolutions
 * (s1, s2, s2) with InstanceNorm + LeakyReLU, four residual blocks, decoder of
 * two stride-2 transposed convolutions and a last one sized to give back the
 * input shape, tanh. `width` is the first encoder width (64 in the paper).
 * `bound` says how its output becomes a perturbation in the ball (training
 * chose it; generation must use the same).
 */
export class Generator {
  readonly store: ParamStore;
  private readonly encoder: Conv2d[];
  private readonly blocks: ResidualBlock[];
  private readonly decoder: ConvTranspose2d[];

  constructor(
    readonly input: InputSpec,
    readonly width: number,
    seed: number,
    readonly bound: PerturbationBound = 'project',
  ) {
    this.store = new ParamStore(seed);
    const s = this.store;
    const { height: h, width: w, channels: c } = input;
    const w1 = width;
    const [w2, w4, w8] = [2 * width, 4 * width, 8 * width];
    this.encoder = [
      new Conv2d(s, 'enc0', { inChannels: c, outChannels: w1, kernel: 3, stride: 1, pad: 'valid', init: INIT }),
      new Conv2d(s, 'enc1', { inChannels: w1, outChannels: w2, kernel: 3, stride: 2, pad: 'valid', init: INIT }),
      new Conv2d(s, 'enc2', { inChannels: w2, outChannels: w4, kernel: 3, stride: 2, pad: 'valid', init: INIT }),
    ];
    this.blocks = [
      new ResidualBlock(s, 'res0', w4, w8),
      new ResidualBlock(s, 'res1', w8, w8),
      new ResidualBlock(s, 'res2', w8, w8),
      new ResidualBlock(s, 'res3', w8, w4),
    ];
    const eh = encodedLength(h);
    const ew = encodedLength(w);
    const dh = convTransposeOutLength(convTransposeOutLength(eh, 3, 2), 3, 2);
    const dw = convTransposeOutLength(convTransposeOutLength(ew, 3, 2), 3, 2);
    if (eh < 1 || ew < 1 || h - dh + 1 < 1 || w - dw + 1 < 1) throw new GeneratorShapeError(input);
    this.decoder = [
      new ConvTranspose2d(s, 'dec0', { inChannels: w4, outChannels: w2, kernel: 3, stride: 2, init: INIT }),
      new ConvTranspose2d(s, 'dec1', { inChannels: w2, outChannels: w1, kernel: 3, stride: 2, init: INIT }),
      new ConvTranspose2d(s, 'dec2', { inChannels: w1, outChannels: c, kernel: [h - dh + 1, w - dw + 1], stride: 1, init: INIT }),
    ];
  }

  /** The raw perturbation G(x) in [-1, 1], before projection into the epsilon ball. */
  apply(x: tf.Tensor4D, training: boolean): tf.Tensor4D {
    let h = x;
    for (const conv of this.encoder) h = tf.leakyRelu(instanceNorm(conv.apply(h)), LEAK);
    for (const block of this.blocks) h = block.apply(h, training);
    this.decoder.slice(0, -1).forEach((d) => {
      h = tf.leakyRelu(instanceNorm(d.apply(h)), LEAK);
    });
    return tf.tanh(this.decoder[this.decoder.length - 1].apply(h));
  }

  /** FLOPs of one forward pass for one input (2 x MAC). */
  flops(): number {
    let shape: FeatureShape = [this.input.height, this.input.width, this.input.channels];
    let total = 0;
    for (const conv of this.encoder) {
      total += conv.flops(shape);
      shape = conv.outputShape(shape);
    }
    for (const block of this.blocks) {
      total += block.flops(shape);
      shape = [shape[0], shape[1], block.outChannels];
    }
    for (const d of this.decoder) {
      total += d.flops(shape);
      shape = d.outputShape(shape);
    }
    return total;
  }
}

function encodedLength(n: number): number {
  return convOutLength(convOutLength(convOutLength(n, 3, 1, 'valid'), 3, 2, 'valid'), 3, 2, 'valid');
}

/**
 * The discriminator D (docs/design.md §2): 4x4 stride-2 convolutions 8 -> 16 -> 32
 * channels (BN on the last two), LeakyReLU 0.2, a 1x1 conv to one map, sigmoid.
 */
export class Discriminator {
  readonly store: ParamStore;
  private readonly convs: Conv2d[];
  private readonly norms: BatchNorm[];
  private readonly head: Conv2d;

  constructor(input: InputSpec, seed: number) {
    this.store = new ParamStore(seed);
    const s = this.store;
    const conv = (n: string, ci: number, co: number) =>
      new Conv2d(s, n, { inChannels: ci, outChannels: co, kernel: 4, stride: 2, pad: 1, init: INIT });
    this.convs = [conv('conv0', input.channels, 8), conv('conv1', 8, 16), conv('conv2', 16, 32)];
    this.norms = [new BatchNorm(s, 'bn1', 16), new BatchNorm(s, 'bn2', 32)];
    this.head = new Conv2d(s, 'head', { inChannels: 32, outChannels: 1, kernel: 1, init: INIT });
  }

  /** Probability map that each patch is an unperturbed input. */
  apply(x: tf.Tensor4D, training: boolean): tf.Tensor4D {
    let h = tf.leakyRelu(this.convs[0].apply(x), LEAK);
    h = tf.leakyRelu(this.norms[0].apply(this.convs[1].apply(h), training), LEAK);
    h = tf.leakyRelu(this.norms[1].apply(this.convs[2].apply(h), training), LEAK);
    return tf.sigmoid(this.head.apply(h));
  }
}
