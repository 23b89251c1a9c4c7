import { convOutLength, type FeatureShape } from '../../../nn/index.js';
import { validateConfig, type RaNetConfig } from './config.js';

/**
 * The static structure of a RaNet: every layer with its input shape, derived
 * from the configuration by the original's construction rules
 * (RANet-pytorch models/RANet.py: RAFirstLayer, RANet.__init__, _BlockNormal,
 * _BlockUpNormal). Modules are built from it and meta FLOPs are computed from
 * it, independently of the layers' own counting while executing.
 */

/** conv (no bias) + BN + ReLU; 3x3 convs pad 1, 1x1 pad 0 (the original's ConvBasic). */
export interface ConvBasicPlan {
  inChannels: number;
  outChannels: number;
  kernel: 1 | 3;
  stride: 1 | 2;
  input: FeatureShape;
  output: FeatureShape;
}

/** 1x1 squeeze to min(in, bnWidth * out) channels, then a 3x3 conv (the original's ConvBN, bnAfter). */
export interface BottleneckPlan {
  squeeze: ConvBasicPlan;
  conv: ConvBasicPlan;
}

export type LayerPlan =
  /** Dense layer (ConvNormal): output = [x, f(x)]. */
  | { kind: 'dense'; input: FeatureShape; main: BottleneckPlan; output: FeatureShape }
  /** Fusion layer (ConvUpNormal): output = [x, up(g(low)), f(x)] at f(x)'s size. */
  | { kind: 'fusion'; input: FeatureShape; low: FeatureShape; up: BottleneckPlan; main: BottleneckPlan; output: FeatureShape };

export interface BlockPlan {
  /** Sub-network (0 = coarsest) and 1-based block number within it, as in the original. */
  flow: number;
  index: number;
  kind: 'normal' | 'fusion';
  /** Fusion blocks: whether the last layer halves the resolution. */
  down: boolean;
  input: FeatureShape;
  layers: LayerPlan[];
  /** The block input and each layer's output: what the next sub-network's fusion block reads. */
  features: FeatureShape[];
  /** Fusion blocks: 1x1 conv on the coarser block's last feature, resized and concatenated. */
  last?: ConvBasicPlan;
  /** Transition (1x1 conv to floor(reduction * channels)). */
  trans?: ConvBasicPlan;
  output: FeatureShape;
  /** Index of the exit reading this block's output, if any. */
  exit?: number;
}

/** The CIFAR classifier: two stride-2 ConvBasic layers, average pooling, a linear layer. */
export interface ExitPlan {
  index: number;
  flow: number;
  convs: [ConvBasicPlan, ConvBasicPlan];
  features: number;
  classes: number;
}

/** What runs between two exits, in the original's forward order, ending with an exit. */
export interface SegmentPlan {
  blocks: BlockPlan[];
  exit: ExitPlan;
}

export interface RaNetPlan {
  /** The first layer: full resolution first; each scale step halves the resolution. */
  stem: ConvBasicPlan[];
  /** Input of each sub-network (index 0 = coarsest = the stem's last output). */
  flowInputs: FeatureShape[];
  flows: BlockPlan[][];
  exits: ExitPlan[];
  segments: SegmentPlan[];
}

export function convBasicPlan(input: FeatureShape, outChannels: number, kernel: 1 | 3, stride: 1 | 2): ConvBasicPlan {
  const pad = kernel === 3 ? 1 : 0;
  const output: FeatureShape = [
    convOutLength(input[0], kernel, stride, pad),
    convOutLength(input[1], kernel, stride, pad),
    outChannels,
  ];
  return { inChannels: input[2], outChannels, kernel, stride, input, output };
}

function bottleneckPlan(input: FeatureShape, out: number, bnWidth: number, down: boolean): BottleneckPlan {
  const squeeze = convBasicPlan(input, Math.min(input[2], bnWidth * out), 1, 1);
  return { squeeze, conv: convBasicPlan(squeeze.output, out, 3, down ? 2 : 1) };
}

function withChannels(s: FeatureShape, c: number): FeatureShape {
  return [s[0], s[1], c];
}

/** RAFirstLayer: one 3x3 conv per scale, finest first; stride 2 where the scale level drops. */
function stemPlan(c: RaNetConfig): ConvBasicPlan[] {
  const gr = [...c.grFactor].reverse();
  const scales = [...c.scaleList].reverse();
  const stem = [convBasicPlan([c.input.height, c.input.width, c.input.channels], c.nChannels * gr[0], 3, c.stemStride)];
  for (let i = 1; i < scales.length; i++) {
    const stride = scales[i] === scales[i - 1] ? 1 : 2;
    stem.push(convBasicPlan(stem[i - 1].output, c.nChannels * gr[i], 3, stride));
  }
  return stem;
}

/** RANet._trans_flag: a transition after block floor(k * blocks / scale) for k = 1 .. scale-1. */
function hasTransition(block: number, blocks: number, scale: number): boolean {
  for (let k = 1; k < scale; k++) if (block === Math.floor((k * blocks) / scale)) return true;
  return false;
}

/**
 * Fusion block `block` of sub-network `flow` downsamples when its number is one of
 * the last scale-1 entries of the block counts of the earlier sub-networks.
 * (Python's `[-0:]` is the whole list; `slice(-0)` is too, so scale 1 keeps the original's rule.)
 */
function isDown(block: number, flow: number, blockCounts: number[], scale: number): boolean {
  return blockCounts.slice(0, flow + 1).slice(-(scale - 1)).includes(block);
}

function normalBlock(c: RaNetConfig, flow: number, index: number, input: FeatureShape, trans: boolean): BlockPlan {
  const growth = c.growthRate * c.grFactor[flow];
  const layers: LayerPlan[] = [];
  const features: FeatureShape[] = [input];
  let shape = input;
  for (let i = 0; i < c.step; i++) {
    const main = bottleneckPlan(shape, growth, c.bnFactor[flow], false);
    const output = withChannels(shape, shape[2] + growth);
    layers.push({ kind: 'dense', input: shape, main, output });
    features.push(output);
    shape = output;
  }
  return finishBlock(c, { flow, index, kind: 'normal', down: false, input, layers, features, output: shape }, trans);
}

function fusionBlock(
  c: RaNetConfig,
  flow: number,
  index: number,
  input: FeatureShape,
  low: FeatureShape[],
  trans: boolean,
  down: boolean,
): BlockPlan {
  const growth = c.growthRate * c.grFactor[flow];
  const fromLow = Math.floor(growth * c.compressFactor);
  const layers: LayerPlan[] = [];
  const features: FeatureShape[] = [input];
  let shape = input;
  for (let i = 0; i < c.step; i++) {
    const up = bottleneckPlan(low[i], fromLow, c.bnFactor[flow - 1], false);
    const main = bottleneckPlan(shape, growth - fromLow, c.bnFactor[flow], down && i === c.step - 1);
    const output = withChannels(main.conv.output, shape[2] + growth);
    layers.push({ kind: 'fusion', input: shape, low: low[i], up, main, output });
    features.push(output);
    shape = output;
  }
  const last = convBasicPlan(low[c.step], Math.floor(shape[2] * c.compressFactor), 1, 1);
  const output = withChannels(shape, shape[2] + last.outChannels);
  return finishBlock(c, { flow, index, kind: 'fusion', down, input, layers, features, last, output }, trans);
}

function finishBlock(c: RaNetConfig, block: BlockPlan, trans: boolean): BlockPlan {
  if (!trans) return block;
  const t = convBasicPlan(block.output, Math.floor(c.reduction * block.output[2]), 1, 1);
  return { ...block, trans: t, output: t.output };
}

function exitPlan(c: RaNetConfig, index: number, flow: number, input: FeatureShape): ExitPlan {
  const first = convBasicPlan(input, c.classifierChannels, 3, 2);
  const second = convBasicPlan(first.output, c.classifierChannels, 3, 2);
  return { index, flow, convs: [first, second], features: c.classifierChannels, classes: c.numClasses };
}

export function planRanet(c: RaNetConfig): RaNetPlan {
  validateConfig(c);
  const nScales = c.scaleList.length;
  const stem = stemPlan(c);
  const flowInputs = stem.map((s) => s.output).reverse();
  // The original's nBlocks list: blocks of sub-network i are blockCounts[i + 1].
  const blockCounts = [0, ...Array.from({ length: nScales }, (_, i) => c.blockStep * i + c.nBlocks)];
  const flows: BlockPlan[][] = [];
  const exits: ExitPlan[] = [];
  for (let flow = 0; flow < nScales; flow++) {
    const blocks: BlockPlan[] = [];
    let shape = flowInputs[flow];
    const total = blockCounts[flow + 1];
    for (let index = 1; index <= total; index++) {
      const trans = hasTransition(index, total, c.scaleList[flow]);
      let block =
        index > blockCounts[flow]
          ? normalBlock(c, flow, index, shape, trans)
          : fusionBlock(c, flow, index, shape, flows[flow - 1][index - 1].features, trans, isDown(index, flow, blockCounts, c.scaleList[flow]));
      // Blocks past the ones fused with the coarser sub-network each get an exit.
      if (index > blockCounts[flow]) {
        block = { ...block, exit: exits.length };
        exits.push(exitPlan(c, exits.length, flow, block.output));
      }
      blocks.push(block);
      shape = block.output;
    }
    flows.push(blocks);
  }
  return { stem, flowInputs, flows, exits, segments: segmentsOf(flows, exits) };
}

/** Cuts the forward order (sub-network by sub-network, block by block) after every exit. */
function segmentsOf(flows: BlockPlan[][], exits: ExitPlan[]): SegmentPlan[] {
  const segments: SegmentPlan[] = [];
  let pending: BlockPlan[] = [];
  for (const block of flows.flat()) {
    pending.push(block);
    if (block.exit !== undefined) {
      segments.push({ blocks: pending, exit: exits[block.exit] });
      pending = [];
    }
  }
  return segments;
}
