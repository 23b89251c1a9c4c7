import type { AdaptiveNetwork } from '../../contract.js';
import type { TorchLayout, TorchMapping } from '../../import/index.js';
import { RaNetConfigError } from './config.js';
import { RaNetNetwork } from './network.js';
import type { BlockPlan, RaNetPlan } from './plan.js';

/**
 * Our parameter names -> the state_dict keys of RANet-pytorch's CIFAR model
 * (yangle15/RANet-pytorch, models/RANet.py). Its modules:
 * - `FirstLayer.layers.{i}`: one ConvBasic per sub-network, finest first (our `stem{i}`);
 * - `scale_flows.{f}.{b}`: block b (0-based) of sub-network f, coarsest first
 *   (our `scale{f}.block{b+1}`), holding `layers.{j}` (ConvNormal / ConvUpNormal
 *   with `conv_normal` and, in fusion blocks, `conv_up`), `conv_last` (fusion
 *   blocks) and `trans` (where a transition is);
 * - `classifier.{k}`: exit k, `m.0` and `m.1` the two ConvBasic layers, `linear`.
 * A ConvBasic is `net` = [conv, BN, ReLU]; a bottleneck ConvBN (bnAfter) is
 * `net` = [1x1 conv, BN, ReLU, 3x3 conv, BN, ReLU]: children are named by index.
 * README.md ("Importing PyTorch weights") lists the names.
 */

/** The CIFAR PyTorch modules DeepPerform's RaNet (RANet-pytorch, the CIFAR classifier) fixes. */
const ORIGINAL = { inputChannels: 3, stemStride: 1, classifierChannels: 128, exitMap: 2 } as const;

const BN_TENSORS = ['weight', 'bias', 'running_mean', 'running_var'];

type Add = (ours: string, torch: string, layout: TorchLayout) => void;

/** conv (no bias) + BN: ours `${ours}.conv` / `${ours}.bn`, PyTorch's `${torchConv}` / `${torchBn}`. */
function convBasic(add: Add, ours: string, torchConv: string, torchBn: string): void {
  add(`${ours}.conv.weight`, `${torchConv}.weight`, { kind: 'conv' });
  for (const t of BN_TENSORS) add(`${ours}.bn.${t}`, `${torchBn}.${t}`, { kind: 'same' });
}

/** ConvBN with bnAfter: the 1x1 squeeze is net.0 / net.1, the 3x3 conv net.3 / net.4. */
function bottleneck(add: Add, ours: string, torch: string): void {
  convBasic(add, `${ours}.squeeze`, `${torch}.net.0`, `${torch}.net.1`);
  convBasic(add, `${ours}.conv`, `${torch}.net.3`, `${torch}.net.4`);
}

function block(add: Add, b: BlockPlan): void {
  const ours = `scale${b.flow}.block${b.index}`;
  const torch = `scale_flows.${b.flow}.${b.index - 1}`;
  b.layers.forEach((layer, j) => {
    bottleneck(add, `${ours}.layer${j}.main`, `${torch}.layers.${j}.conv_normal`);
    if (layer.kind === 'fusion') bottleneck(add, `${ours}.layer${j}.up`, `${torch}.layers.${j}.conv_up`);
  });
  if (b.last) convBasic(add, `${ours}.last`, `${torch}.conv_last.net.0`, `${torch}.conv_last.net.1`);
  if (b.trans) convBasic(add, `${ours}.trans`, `${torch}.trans.net.0`, `${torch}.trans.net.1`);
}

/**
 * The mapping for a RaNet built from `plan`, read off its structure, so it
 * follows the configuration (blocks, steps, widths, classes). Configurations
 * the original's CIFAR model cannot express are refused: weights of the same
 * shapes would load but compute something else, or nothing would fit.
 */
function ranetTorchMappingFor(plan: RaNetPlan, arch: string): TorchMapping {
  checkOriginal(plan, arch);
  const mapping: TorchMapping = new Map();
  const add: Add = (ours, torch, layout) => mapping.set(ours, { torch, layout });
  plan.stem.forEach((_, i) => convBasic(add, `stem${i}`, `FirstLayer.layers.${i}.net.0`, `FirstLayer.layers.${i}.net.1`));
  plan.flows.flat().forEach((b) => block(add, b));
  for (const e of plan.exits) {
    const torch = `classifier.${e.index}`;
    convBasic(add, `exit${e.index}.conv0`, `${torch}.m.0.net.0`, `${torch}.m.0.net.1`);
    convBasic(add, `exit${e.index}.conv1`, `${torch}.m.1.net.0`, `${torch}.m.1.net.1`);
    // The linear layer reads the pooled 1x1 map: no C,H,W reordering.
    add(`exit${e.index}.linear.weight`, `${torch}.linear.weight`, { kind: 'linear' });
    add(`exit${e.index}.linear.bias`, `${torch}.linear.bias`, { kind: 'same' });
  }
  return mapping;
}

/** The zoo entry's mapping: the network must be a RaNet. */
export function ranetTorchMapping(network: AdaptiveNetwork): TorchMapping {
  if (!(network instanceof RaNetNetwork)) throw new TypeError(`${network.meta.arch} is not a RaNet`);
  return ranetTorchMappingFor(network.plan, network.meta.arch);
}

function checkOriginal(plan: RaNetPlan, arch: string): void {
  const refuse = (detail: string): never => {
    throw new RaNetConfigError(`${arch}: PyTorch weights ${detail}`);
  };
  const first = plan.stem[0];
  if (first.inChannels !== ORIGINAL.inputChannels) {
    refuse(`need a ${ORIGINAL.inputChannels}-channel input: the original's first layer reads RGB (${first.inChannels} channel${first.inChannels === 1 ? '' : 's'} here)`);
  }
  if (first.stride !== ORIGINAL.stemStride) refuse(`need the original's stride-1 CIFAR first layer (stemStride ${first.stride} here)`);
  for (const e of plan.exits) {
    if (e.features !== ORIGINAL.classifierChannels) {
      refuse(`need exits of ${ORIGINAL.classifierChannels} channels, the original's CIFAR classifier (${e.features} here)`);
    }
    const [h, w] = e.convs[1].output;
    // The original pools with AvgPool2d(2) into a 128-feature linear layer: only a 2x2 map fits,
    // where that pooling is our global average.
    if (h !== ORIGINAL.exitMap || w !== ORIGINAL.exitMap) {
      const [ih, iw] = [first.input[0], first.input[1]];
      refuse(`need a 32x32 input: the original's exits pool a 2x2 map with AvgPool2d(2) (exit ${e.index} ends on ${h}x${w} for ${ih}x${iw} here)`);
    }
  }
}
