import * as tf from '@tensorflow/tfjs-core';
import type { FlopsCounter } from '../../flops.js';
import { Conv2d, ParamStore, type FeatureShape } from '../../../nn/index.js';
import { checkFullConfig, fullDefaults, scaled, sdnLossWeights, type SdnFullConfig } from './config.js';
import { EarlyExitNetwork, type Exit } from './early-exit.js';
import { InternalClassifier } from './internal-classifier.js';
import { ConvBn, GlobalPoolLinear, Normalize, segmentOutputs, splitAtExits, type Layer } from './layers.js';

/** Internal classifiers of the SDN code's ResNet-56 (network_architectures.create_resnet56): 1 = after that block. */
export const RESNET56_IC_POSITIONS = [
  [0, 0, 0, 1, 0, 0, 0, 1, 0],
  [0, 0, 1, 0, 0, 0, 1, 0, 0],
  [0, 1, 0, 0, 0, 1, 0, 0, 0],
];

export type SdnResnet56Config = SdnFullConfig;

export const SDN_RESNET56_DEFAULT: SdnResnet56Config = fullDefaults();

/**
 * ResNet basic block (3x3 conv, BN, ReLU, 3x3 conv, BN, plus the identity or a
 * 1x1 conv + BN shortcut when the shape changes). It returns the sum before
 * the final ReLU, because the SDN code's internal classifier reads it there;
 * the ReLU is applied by whatever reads the block next.
 */
class BasicBlock implements Layer {
  private readonly conv1: ConvBn;
  private readonly conv2: ConvBn;
  private readonly shortcut?: ConvBn;

  constructor(store: ParamStore, name: string, inChannels: number, channels: number, stride: number) {
    const conv = (n: string, ci: number, k: number, s: number) =>
      new Conv2d(store, `${name}.${n}`, { inChannels: ci, outChannels: channels, kernel: k, stride: s, pad: k === 3 ? 1 : 'valid', bias: false });
    this.conv1 = new ConvBn(store, `${name}.conv1`, conv('conv1', inChannels, 3, stride), true);
    this.conv2 = new ConvBn(store, `${name}.conv2`, conv('conv2', channels, 3, 1), false);
    if (stride !== 1 || inChannels !== channels) {
      this.shortcut = new ConvBn(store, `${name}.shortcut`, conv('shortcut', inChannels, 1, stride), false);
    }
  }

  /** `x` is the previous unit's output before its ReLU. */
  apply(x: tf.Tensor4D, counter?: FlopsCounter, training = false): tf.Tensor4D {
    const a = tf.relu(x);
    const body = this.conv2.apply(this.conv1.apply(a, counter, training), counter, training);
    return tf.add(body, this.shortcut ? this.shortcut.apply(a, counter, training) : a);
  }

  outputShape(input: FeatureShape): FeatureShape {
    return this.conv2.outputShape(this.conv1.outputShape(input));
  }

  flops(input: FeatureShape): number {
    const mid = this.conv1.outputShape(input);
    return this.conv1.flops(input) + this.conv2.flops(mid) + (this.shortcut?.flops(input) ?? 0);
  }
}

/**
 * SDN ResNet-56 (Kaya et al., ICML 2019; the SDN code's ResNet_SDN): stem
 * 3x3 conv (3 -> 16) + BN, three stages of nine basic blocks (16, 32, 64
 * channels; stride 2 at the start of stages 2 and 3), six internal classifiers
 * at RESNET56_IC_POSITIONS, and the final average pool + linear layer.
 */
export function buildSdnResnet56(config: SdnResnet56Config, seed = 0): EarlyExitNetwork {
  checkFullConfig('sdn-resnet56', config);
  const store = new ParamStore(seed);
  const { input, numClasses: classes, widthMultiplier: m } = config;
  const widths = [16, 32, 64].map((w) => scaled(w, m));
  const stem = new Conv2d(store, 'stem.conv', { inChannels: input.channels, outChannels: widths[0], kernel: 3, pad: 1, bias: false });
  // The stem's ReLU is taken by the first block, like every block's own.
  const normalize = new Normalize(config.normalize);
  const stemLayer = new ConvBn(store, 'stem.conv', stem, false);
  const layers: Layer[] = [normalize, stemLayer];
  const exitAfter: boolean[] = [false, false];
  let inChannels = widths[0];
  RESNET56_IC_POSITIONS.forEach((stage, s) => {
    stage.forEach((ic, b) => {
      layers.push(new BasicBlock(store, `stage${s}.block${b}`, inChannels, widths[s], s > 0 && b === 0 ? 2 : 1));
      exitAfter.push(ic === 1);
      inChannels = widths[s];
    });
  });
  const inputShape: FeatureShape = [input.height, input.width, input.channels];
  const segments = splitAtExits(layers, exitAfter);
  const shapes = segmentOutputs(segments, inputShape);
  const exits: Exit[] = shapes.map((shape, i) =>
    i < shapes.length - 1
      ? new InternalClassifier(store, `ic${i}`, shape, classes)
      : new GlobalPoolLinear(store, 'fc', widths[2], classes, true),
  );
  return new EarlyExitNetwork(
    {
      store,
      segments,
      exits,
      inputShape,
      lossWeights: sdnLossWeights(exits.length - 1),
      // The stem's output as the first block reads it: conv, BN, then that block's ReLU.
      firstConv: (x, counter) => tf.relu(stemLayer.apply(normalize.apply(x), counter)),
    },
    { name: 'sdn-resnet56', arch: 'sdn-resnet56', input, numClasses: classes },
  );
}
