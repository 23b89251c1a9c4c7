import type { AdaptiveNetwork } from '../../contract.js';
import type { TorchLayout, TorchMapping, TorchSource } from '../../import/index.js';
import { ResNetConfigError } from './config.js';

/**
 * Building blocks of the PyTorch name mappings of the CIFAR ResNet families
 * (SkipNet, BlockDrop): our parameter names are `<ours>.weight` etc., the
 * original's `<torch>.weight` etc.; `alias` is another module name the same
 * tensors may be saved under (TorchSource.aliases).
 */

const BN_TENSORS = ['weight', 'bias', 'running_mean', 'running_var'];

function source(torch: string, layout: TorchLayout, alias?: string, tensor?: string): TorchSource {
  const key = (m: string) => (tensor ? `${m}.${tensor}` : m);
  return alias ? { torch: key(torch), aliases: [key(alias)], layout } : { torch: key(torch), layout };
}

export function addConv(m: TorchMapping, ours: string, torch: string, alias?: string): void {
  m.set(`${ours}.weight`, source(torch, { kind: 'conv' }, alias, 'weight'));
}

/** Weight, bias and the running statistics; num_batches_tracked is ignored by the importer. */
export function addBatchNorm(m: TorchMapping, ours: string, torch: string, alias?: string): void {
  for (const t of BN_TENSORS) m.set(`${ours}.${t}`, source(torch, { kind: 'same' }, alias, t));
}

/** A dense layer of ours from an nn.Linear, or from a 1x1 conv on a 1x1 map. */
export function addDense(m: TorchMapping, ours: string, torch: string, from: 'linear' | 'conv1x1' = 'linear'): void {
  m.set(`${ours}.weight`, { torch: `${torch}.weight`, layout: from === 'linear' ? { kind: 'linear' } : { kind: 'dense-from-conv1x1' } });
  m.set(`${ours}.bias`, { torch: `${torch}.bias`, layout: { kind: 'same' } });
}

/** conv1, bn1, conv2, bn2 of a basic block (the same names in both originals and here). */
export function addBasicBlock(m: TorchMapping, ours: string, torch: string, alias?: string): void {
  for (const i of [1, 2]) {
    addConv(m, `${ours}.conv${i}`, `${torch}.conv${i}`, alias && `${alias}.conv${i}`);
    addBatchNorm(m, `${ours}.bn${i}`, `${torch}.bn${i}`, alias && `${alias}.bn${i}`);
  }
}

/** State_dict keys with no counterpart by design: accepted, never read. */
export function addUnused(m: TorchMapping, torchKeys: string[], why: string): void {
  for (const k of torchKeys) m.set(`unused:${k}`, { torch: k, layout: { kind: 'unused', why } });
}

/**
 * The residual units of a built CIFAR ResNet in order, as [stage (1-based),
 * block], read off its parameter names (`<prefix>stage2.block0.conv1.weight`),
 * so a mapping follows the configuration's stages.
 */
export function residualUnits(names: Iterable<string>, prefix = ''): [number, number][] {
  const units: [number, number][] = [];
  const pattern = new RegExp(`^${prefix.replace(/\./g, '\\.')}stage(\\d+)\\.block(\\d+)\\.conv1\\.weight$`);
  for (const name of names) {
    const match = pattern.exec(name);
    if (match) units.push([Number(match[1]), Number(match[2])]);
  }
  return units.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

/**
 * Both originals pool with fixed windows sized for 32x32 (AvgPool2d(8) before
 * the classifier, SkipNet's gates 32/16/8): at any other size they fail or
 * compute something else, while the same weights would load here. Refused.
 */
export function requireCifarInput(network: AdaptiveNetwork, original: string): void {
  const { height, width } = network.meta.input;
  if (height !== 32 || width !== 32) {
    throw new ResNetConfigError(
      network.meta.arch,
      `PyTorch weights need a 32x32 input: ${original} pools with fixed window sizes for 32x32 maps (${height}x${width} here)`,
    );
  }
}
