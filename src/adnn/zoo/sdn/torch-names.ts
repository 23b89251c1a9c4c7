import type { AdaptiveNetwork, InputSpec } from '../../contract.js';
import type { TorchLayout, TorchMapping } from '../../import/index.js';
import { convOutLength } from '../../../nn/index.js';
import { SdnConfigError } from './config.js';
import { MOBILENET_BLOCKS, MOBILENET_IC_POSITIONS } from './sdn-mobilenet.js';
import { RESNET56_IC_POSITIONS } from './sdn-resnet56.js';
import { VGG16_CONV_CHANNELS, VGG16_IC_POSITIONS, VGG16_MAX_POOL } from './sdn-vgg16.js';

/**
 * Our parameter names -> the state_dict keys of the SDN code
 * (yigitcankaya/Shallow-Deep-Networks, architectures/SDNs/*_SDN.py), whose
 * models are `init_conv` (an nn.Sequential: conv, BN, ReLU), `layers` (an
 * nn.ModuleList of blocks, each with its own `layers` and, where it has an
 * internal classifier, `output` = aux_funcs.InternalClassifier with `alpha`
 * of shape [1] and `linear`) and `end_layers` (an nn.Sequential ending in
 * the final linear layer). Sequential children are named by their index.
 * README.md ("Importing PyTorch weights") lists the names and layouts.
 */

/** One of our modules and the PyTorch module it comes from. */
type Pair =
  | { type: 'conv' | 'depthwise' | 'bn'; ours: string; torch: string }
  /** `map`: the [H, W] of the map the layer reads flattened (PyTorch's C,H,W order). */
  | { type: 'linear'; ours: string; torch: string; map?: [number, number] }
  | { type: 'ic'; ours: string; torch: string; map: [number, number] };

const BN_TENSORS = ['weight', 'bias', 'running_mean', 'running_var'];

/**
 * The mapping for one of the full SDN configurations, read off the built
 * network (its parameter names and shapes) and its input size, so it follows
 * `numClasses`, `widthMultiplier` and the input shape. Every parameter of
 * ours is covered; `importTorchWeights` reports what the file lacks.
 */
export function sdnTorchMapping(network: AdaptiveNetwork, arch: string = network.meta.arch): TorchMapping {
  const input = network.meta.input;
  const pairs = pairsFor(arch, input);
  const ours = network.namedWeights();
  const mapping: TorchMapping = new Map();
  const add = (name: string, torch: string, layout: TorchLayout) => mapping.set(name, { torch, layout });
  for (const p of pairs) {
    switch (p.type) {
      case 'conv':
      case 'depthwise':
        add(`${p.ours}.weight`, `${p.torch}.weight`, { kind: p.type });
        // VGG's convs have a bias (nn.Conv2d's default); ResNet's and MobileNet's do not.
        if (ours.has(`${p.ours}.bias`)) add(`${p.ours}.bias`, `${p.torch}.bias`, { kind: 'same' });
        break;
      case 'bn':
        for (const t of BN_TENSORS) add(`${p.ours}.bn.${t}`, `${p.torch}.${t}`, { kind: 'same' });
        break;
      case 'linear': {
        const from = p.map && flattened(arch, p.ours, ours.get(`${p.ours}.weight`)?.shape, p.map);
        add(`${p.ours}.weight`, `${p.torch}.weight`, from ? { kind: 'linear', flattenedFrom: from } : { kind: 'linear' });
        add(`${p.ours}.bias`, `${p.torch}.bias`, { kind: 'same' });
        break;
      }
      case 'ic':
        addInternalClassifier(arch, p, ours.get(`${p.ours}.linear.weight`)?.shape, ours.has(`${p.ours}.alpha`), add);
        break;
    }
  }
  return mapping;
}

/**
 * aux_funcs.InternalClassifier: for a map of side s >= 4 it pools with kernel
 * floor(s / 4) (alpha mixing max and average pooling), else reads the map as
 * it is; its linear layer sees the (pooled) map flattened in C,H,W order.
 * With kernel 1 (s = 4..7) the original still holds an alpha that cannot
 * change the output (max and average pooling of one value agree); ours has
 * none, so that tensor is marked unused.
 */
function addInternalClassifier(
  arch: string,
  p: Extract<Pair, { type: 'ic' }>,
  linearShape: number[] | undefined,
  hasAlpha: boolean,
  add: (name: string, torch: string, layout: TorchLayout) => void,
): void {
  const [h, w] = p.map;
  const side = Math.min(h, w);
  const kernel = side >= 4 ? Math.floor(side / 4) : 1;
  const pooled: [number, number] = [Math.floor(h / kernel), Math.floor(w / kernel)];
  const from = flattened(arch, `${p.ours}.linear`, linearShape, pooled);
  if (hasAlpha) add(`${p.ours}.alpha`, `${p.torch}.alpha`, { kind: 'same', shape: [] });
  else if (kernel === 1 && side >= 4) {
    add(`unused:${p.torch}.alpha`, `${p.torch}.alpha`, { kind: 'unused', why: 'pooling kernel 1: alpha has no effect' });
  }
  add(`${p.ours}.linear.weight`, `${p.torch}.linear.weight`, { kind: 'linear', flattenedFrom: from });
  add(`${p.ours}.linear.bias`, `${p.torch}.linear.bias`, { kind: 'same' });
}

/**
 * [C, H, W] of the map a linear layer reads; C follows from the layer's input
 * size (ours is [in, out]), so widthMultiplier needs no special case.
 */
function flattened(arch: string, layer: string, weightShape: number[] | undefined, [h, w]: [number, number]): [number, number, number] {
  const features = weightShape?.[0] ?? 0;
  const channels = features / (h * w);
  if (!Number.isInteger(channels) || channels < 1) {
    throw new SdnConfigError(arch, `${layer} reads ${features} features, which is not a whole number of ${h}x${w} maps`);
  }
  return [channels, h, w];
}

function pairsFor(arch: string, input: InputSpec): Pair[] {
  switch (arch) {
    case 'sdn-resnet56':
      return resnet56Pairs(input);
    case 'sdn-vgg16':
      return vgg16Pairs(input);
    case 'sdn-mobilenet':
      return mobilenetPairs(input);
    default:
      throw new SdnConfigError(arch, 'no PyTorch names known (sdn-resnet56, sdn-vgg16 and sdn-mobilenet have them)');
  }
}

/** 3x3 conv, padding 1, stride s: the output side. */
const strided = (side: number, stride: number) => convOutLength(side, 3, stride, 1);

/**
 * ResNet_SDN: `init_conv` = [conv, BN, ReLU]; `layers.i` (the 27 blocks of
 * the three stages, numbered through) = BasicBlockWOutput, whose `layers.0`
 * is [conv, BN, ReLU, conv, BN], `layers.1` the shortcut [1x1 conv, BN] where
 * the shape changes, and `output` the internal classifier; `end_layers` =
 * [AvgPool2d, Flatten, Linear].
 */
function resnet56Pairs(input: InputSpec): Pair[] {
  // Weights of the same shapes would load, but compute something else: refuse.
  if (input.height !== 32 || input.width !== 32) {
    throw new SdnConfigError(
      'sdn-resnet56',
      `PyTorch weights need a 32x32 input: the original ResNet_SDN uses a stride-2 first conv for other sizes (${input.height}x${input.width} here), ours a stride-1 one`,
    );
  }
  const pairs: Pair[] = [
    { type: 'conv', ours: 'stem.conv', torch: 'init_conv.0' },
    { type: 'bn', ours: 'stem.conv', torch: 'init_conv.1' },
  ];
  let [h, w] = [input.height, input.width];
  let layer = 0;
  let ic = 0;
  RESNET56_IC_POSITIONS.forEach((stage, s) => {
    stage.forEach((hasIc, b) => {
      const ours = `stage${s}.block${b}`;
      const torch = `layers.${layer}`;
      pairs.push(
        { type: 'conv', ours: `${ours}.conv1`, torch: `${torch}.layers.0.0` },
        { type: 'bn', ours: `${ours}.conv1`, torch: `${torch}.layers.0.1` },
        { type: 'conv', ours: `${ours}.conv2`, torch: `${torch}.layers.0.3` },
        { type: 'bn', ours: `${ours}.conv2`, torch: `${torch}.layers.0.4` },
      );
      if (s > 0 && b === 0) {
        [h, w] = [strided(h, 2), strided(w, 2)];
        pairs.push(
          { type: 'conv', ours: `${ours}.shortcut`, torch: `${torch}.layers.1.0` },
          { type: 'bn', ours: `${ours}.shortcut`, torch: `${torch}.layers.1.1` },
        );
      }
      if (hasIc) pairs.push({ type: 'ic', ours: `ic${ic++}`, torch: `${torch}.output`, map: [h, w] });
      layer++;
    });
  });
  // Global average pooling leaves one value per channel: no reordering.
  pairs.push({ type: 'linear', ours: 'fc', torch: 'end_layers.2' });
  return pairs;
}

/**
 * VGG_SDN (batch norm on): `init_conv` is empty; `layers.0..12` =
 * ConvBlockWOutput, whose `layers` = [conv, BN, ReLU(, MaxPool)] and
 * `output` the internal classifier (reading the pooled map); `layers.13` =
 * FcBlockWOutput with `layers` = [Flatten, Linear, ReLU, Dropout];
 * `end_layers` = [Linear, Dropout, Linear].
 */
function vgg16Pairs(input: InputSpec): Pair[] {
  const pairs: Pair[] = [];
  let [h, w] = [input.height, input.width];
  let ic = 0;
  VGG16_CONV_CHANNELS.forEach((_, i) => {
    pairs.push({ type: 'conv', ours: `conv${i}`, torch: `layers.${i}.layers.0` }, { type: 'bn', ours: `conv${i}`, torch: `layers.${i}.layers.1` });
    if (VGG16_MAX_POOL[i] === 2) [h, w] = [Math.floor(h / 2), Math.floor(w / 2)];
    if (VGG16_IC_POSITIONS[i] === 1) pairs.push({ type: 'ic', ours: `ic${ic++}`, torch: `layers.${i}.output`, map: [h, w] });
  });
  const fc = VGG16_CONV_CHANNELS.length;
  pairs.push(
    { type: 'linear', ours: 'fc0', torch: `layers.${fc}.layers.1`, map: [h, w] },
    { type: 'linear', ours: 'fc1', torch: 'end_layers.0' },
    { type: 'linear', ours: 'classifier', torch: 'end_layers.2' },
  );
  return pairs;
}

/**
 * MobileNet_SDN: `init_conv` = [conv, BN, ReLU]; `layers.i` = BlockWOutput,
 * whose `layers` = [depthwise conv, BN, ReLU, pointwise conv, BN, ReLU] and
 * `output` the internal classifier; `end_layers` = [AvgPool2d, Flatten, Linear].
 */
function mobilenetPairs(input: InputSpec): Pair[] {
  const pairs: Pair[] = [
    { type: 'conv', ours: 'stem.conv', torch: 'init_conv.0' },
    { type: 'bn', ours: 'stem.conv', torch: 'init_conv.1' },
  ];
  let [h, w] = [input.height, input.width];
  let ic = 0;
  MOBILENET_BLOCKS.forEach(([, stride], i) => {
    const [ours, torch] = [`block${i}`, `layers.${i}`];
    pairs.push(
      { type: 'depthwise', ours: `${ours}.depthwise`, torch: `${torch}.layers.0` },
      { type: 'bn', ours: `${ours}.depthwise`, torch: `${torch}.layers.1` },
      { type: 'conv', ours: `${ours}.pointwise`, torch: `${torch}.layers.3` },
      { type: 'bn', ours: `${ours}.pointwise`, torch: `${torch}.layers.4` },
    );
    [h, w] = [strided(h, stride), strided(w, stride)];
    if (MOBILENET_IC_POSITIONS[i] === 1) pairs.push({ type: 'ic', ours: `ic${ic++}`, torch: `${torch}.output`, map: [h, w] });
  });
  pairs.push({ type: 'linear', ours: 'fc', torch: 'end_layers.2' });
  return pairs;
}
