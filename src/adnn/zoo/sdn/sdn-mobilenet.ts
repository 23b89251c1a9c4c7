import type * as tf from '@tensorflow/tfjs-core';
import type { FlopsCounter } from '../../flops.js';
import { Conv2d, ParamStore, type FeatureShape } from '../../../nn/index.js';
import { DepthwiseConv2d } from '../../../nn/depthwise.js';
import { checkFullConfig, fullDefaults, scaled, sdnLossWeights, type SdnFullConfig } from './config.js';
import { EarlyExitNetwork, type Exit } from './early-exit.js';
import { InternalClassifier } from './internal-classifier.js';
import { ConvBn, GlobalPoolLinear, Normalize, segmentOutputs, splitAtExits, type Layer } from './layers.js';

/** The SDN code's MobileNet (create_mobilenet): [out channels, stride] of each depthwise-separable block. */
export const MOBILENET_BLOCKS: [number, number][] = [
  [64, 1], [128, 2], [128, 1], [256, 2], [256, 1], [512, 2],
  [512, 1], [512, 1], [512, 1], [512, 1], [512, 1], [1024, 2], [1024, 1],
];
/** Internal classifiers after blocks 3, 5, 7, 9 and 12 (five, plus the final classifier). */
export const MOBILENET_IC_POSITIONS = [0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 1, 0];
export const MOBILENET_STEM_CHANNELS = 32;

export type SdnMobilenetConfig = SdnFullConfig;

export const SDN_MOBILENET_DEFAULT: SdnMobilenetConfig = fullDefaults();

/** Depthwise 3x3 conv (stride s) + BN + ReLU, then pointwise 1x1 conv + BN + ReLU. */
class SeparableBlock implements Layer {
  private readonly depthwise: ConvBn;
  private readonly pointwise: ConvBn;

  constructor(store: ParamStore, name: string, inChannels: number, outChannels: number, stride: number) {
    const dw = new DepthwiseConv2d(store, `${name}.depthwise`, { channels: inChannels, kernel: 3, stride, pad: 1 });
    const pw = new Conv2d(store, `${name}.pointwise`, { inChannels, outChannels, kernel: 1, pad: 'valid', bias: false });
    this.depthwise = new ConvBn(store, `${name}.depthwise`, dw, true);
    this.pointwise = new ConvBn(store, `${name}.pointwise`, pw, true);
  }

  apply(x: tf.Tensor4D, counter?: FlopsCounter, training = false): tf.Tensor4D {
    return this.pointwise.apply(this.depthwise.apply(x, counter, training), counter, training);
  }

  outputShape(input: FeatureShape): FeatureShape {
    return this.pointwise.outputShape(this.depthwise.outputShape(input));
  }

  flops(input: FeatureShape): number {
    return this.depthwise.flops(input) + this.pointwise.flops(this.depthwise.outputShape(input));
  }
}

/**
 * SDN MobileNet (Kaya et al., ICML 2019; the SDN code's MobileNet_SDN): stem
 * 3x3 conv (3 -> 32) + BN + ReLU, 13 depthwise-separable blocks, five internal
 * classifiers at MOBILENET_IC_POSITIONS, and average pooling + linear layer.
 */
export function buildSdnMobilenet(config: SdnMobilenetConfig, seed = 0): EarlyExitNetwork {
  checkFullConfig('sdn-mobilenet', config);
  const store = new ParamStore(seed);
  const { input, numClasses: classes, widthMultiplier: m } = config;
  const stemOut = scaled(MOBILENET_STEM_CHANNELS, m);
  const stem = new Conv2d(store, 'stem.conv', { inChannels: input.channels, outChannels: stemOut, kernel: 3, pad: 1, bias: false });
  const normalize = new Normalize(config.normalize);
  const stemLayer = new ConvBn(store, 'stem.conv', stem, true);
  const layers: Layer[] = [normalize, stemLayer];
  let inChannels = stemOut;
  MOBILENET_BLOCKS.forEach(([c, stride], i) => {
    const out = scaled(c, m);
    layers.push(new SeparableBlock(store, `block${i}`, inChannels, out, stride));
    inChannels = out;
  });
  const exitAfter = [false, false, ...MOBILENET_IC_POSITIONS.map((v) => v === 1)];
  const inputShape: FeatureShape = [input.height, input.width, input.channels];
  const segments = splitAtExits(layers, exitAfter);
  const shapes = segmentOutputs(segments, inputShape);
  const exits: Exit[] = shapes.map((shape, i) =>
    i < shapes.length - 1
      ? new InternalClassifier(store, `ic${i}`, shape, classes)
      : new GlobalPoolLinear(store, 'fc', inChannels, classes, false),
  );
  return new EarlyExitNetwork(
    {
      store,
      segments,
      exits,
      inputShape,
      lossWeights: sdnLossWeights(exits.length - 1),
      firstConv: (x, counter) => stemLayer.apply(normalize.apply(x), counter),
    },
    { name: 'sdn-mobilenet', arch: 'sdn-mobilenet', input, numClasses: classes },
  );
}
