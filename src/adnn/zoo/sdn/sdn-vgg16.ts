import * as tf from '@tensorflow/tfjs-core';
import type { FlopsCounter } from '../../flops.js';
import { Conv2d, Dense, ParamStore, seededDropout, type FeatureShape } from '../../../nn/index.js';
import { checkFullConfig, fullDefaults, scaled, SdnConfigError, sdnLossWeights, type SdnFullConfig } from './config.js';
import { EarlyExitNetwork, type Exit } from './early-exit.js';
import { InternalClassifier } from './internal-classifier.js';
import { ConvBn, Normalize, segmentOutputs, splitAtExits, type Layer } from './layers.js';

/** VGG-16-BN of the SDN code (create_vgg16bn, 32x32 inputs): conv widths, max-pool after a layer, FC widths. */
export const VGG16_CONV_CHANNELS = [64, 64, 128, 128, 256, 256, 256, 512, 512, 512, 512, 512, 512];
export const VGG16_MAX_POOL = [1, 2, 1, 2, 1, 1, 2, 1, 1, 2, 1, 1, 2];
export const VGG16_FC_LAYERS = [512, 512];
/** Internal classifiers: 13 conv layers, then the hidden FC layer (never an exit here). */
export const VGG16_IC_POSITIONS = [0, 1, 0, 1, 0, 1, 1, 0, 1, 1, 0, 0, 0, 0];

export type SdnVgg16Config = SdnFullConfig;

export const SDN_VGG16_DEFAULT: SdnVgg16Config = fullDefaults();

/** 3x3 conv (with bias, as nn.Conv2d's default), BN, ReLU, then a 2x2 max-pool where the original has one. */
class VggConv implements Layer {
  private readonly conv: ConvBn;

  constructor(store: ParamStore, name: string, inChannels: number, outChannels: number, private readonly pool: boolean) {
    const conv = new Conv2d(store, name, { inChannels, outChannels, kernel: 3, pad: 1 });
    this.conv = new ConvBn(store, name, conv, true);
  }

  /** Conv, BN and ReLU in inference mode, before any pooling (conv0's is the network's firstConv). */
  activation(x: tf.Tensor4D, counter?: FlopsCounter): tf.Tensor4D {
    return this.conv.apply(x, counter);
  }

  apply(x: tf.Tensor4D, counter?: FlopsCounter, training = false): tf.Tensor4D {
    const y = this.conv.apply(x, counter, training);
    return this.pool ? tf.maxPool(y, 2, 2, 'valid') : y;
  }

  outputShape(input: FeatureShape): FeatureShape {
    const [h, w, c] = this.conv.outputShape(input);
    return this.pool ? [Math.floor(h / 2), Math.floor(w / 2), c] : [h, w, c];
  }

  flops(input: FeatureShape): number {
    return this.conv.flops(input);
  }
}

/**
 * The VGG classifier of the SDN code: flatten, Linear + ReLU + Dropout(0.5)
 * (its FcBlockWOutput), then Linear, Dropout(0.5), Linear to the classes (its
 * end_layers, with no ReLU between the last two).
 */
class VggClassifier implements Exit {
  private readonly fc0: Dense;
  private readonly fc1: Dense;
  private readonly out: Dense;
  private dropSeed: number;

  constructor(store: ParamStore, features: number, hidden: [number, number], classes: number, seed: number) {
    this.fc0 = new Dense(store, 'fc0', features, hidden[0]);
    this.fc1 = new Dense(store, 'fc1', hidden[0], hidden[1]);
    this.out = new Dense(store, 'classifier', hidden[1], classes);
    this.dropSeed = seed;
  }

  apply(x: tf.Tensor4D, counter?: FlopsCounter, training = false): tf.Tensor2D {
    // Dropout only while training, with its own seeded stream so runs repeat.
    const drop = (t: tf.Tensor2D): tf.Tensor2D => (training ? seededDropout(t, 0.5, this.dropSeed++) : t);
    const flat = tf.reshape(x, [x.shape[0], -1]) as tf.Tensor2D;
    const h = drop(tf.relu(this.fc0.apply(flat, counter)));
    return this.out.apply(drop(this.fc1.apply(h, counter)), counter);
  }

  flops(): number {
    return this.fc0.flops() + this.fc1.flops() + this.out.flops();
  }
}

/**
 * SDN VGG-16 (Kaya et al., ICML 2019; the SDN code's VGG_SDN with batch norm):
 * 13 conv layers with five 2x2 max-pools, six internal classifiers reading the
 * (pooled) outputs of conv layers 2, 4, 6, 7, 9 and 10, and the FC classifier.
 * Five poolings need an input of at least 32x32.
 */
export function buildSdnVgg16(config: SdnVgg16Config, seed = 0): EarlyExitNetwork {
  checkFullConfig('sdn-vgg16', config);
  const { input, numClasses: classes, widthMultiplier: m } = config;
  if (input.height < 32 || input.width < 32) {
    throw new SdnConfigError('sdn-vgg16', `input ${input.height}x${input.width} is too small: five 2x2 max-pools need at least 32x32`);
  }
  const store = new ParamStore(seed);
  const normalize = new Normalize(config.normalize);
  const layers: Layer[] = [normalize];
  let inChannels = input.channels;
  VGG16_CONV_CHANNELS.forEach((c, i) => {
    const out = scaled(c, m);
    layers.push(new VggConv(store, `conv${i}`, inChannels, out, VGG16_MAX_POOL[i] === 2));
    inChannels = out;
  });
  const conv0 = layers[1] as VggConv;
  const exitAfter = [false, ...VGG16_IC_POSITIONS.slice(0, VGG16_CONV_CHANNELS.length).map((v) => v === 1)];
  const inputShape: FeatureShape = [input.height, input.width, input.channels];
  const segments = splitAtExits(layers, exitAfter);
  const shapes = segmentOutputs(segments, inputShape);
  const [h, w, c] = shapes[shapes.length - 1];
  const hidden = VGG16_FC_LAYERS.map((f) => scaled(f, m)) as [number, number];
  const exits: Exit[] = shapes.map((shape, i) =>
    i < shapes.length - 1
      ? new InternalClassifier(store, `ic${i}`, shape, classes)
      : new VggClassifier(store, h * w * c, hidden, classes, seed + 7919),
  );
  return new EarlyExitNetwork(
    {
      store,
      segments,
      exits,
      inputShape,
      lossWeights: sdnLossWeights(exits.length - 1),
      firstConv: (x, counter) => conv0.activation(normalize.apply(x), counter),
    },
    { name: 'sdn-vgg16', arch: 'sdn-vgg16', input, numClasses: classes },
  );
}
