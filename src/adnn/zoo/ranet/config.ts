import type { InputSpec } from '../../contract.js';
import { UserError } from '../../../util/errors.js';

/**
 * RaNet configuration, named after the original's command-line arguments
 * (yangle15/RANet-pytorch, args.py). Per-sub-network lists are ordered as
 * there: index 0 is the first, lowest-resolution sub-network.
 */
export interface RaNetConfig {
  input: InputSpec;
  numClasses: number;
  /** Blocks (each with an exit) of the first sub-network (`--nBlocks`). */
  nBlocks: number;
  /** Extra blocks each later sub-network has over the one before (`--block-step`). */
  blockStep: number;
  /** Dense layers per block; the original's 'even' step mode (`--step`). */
  step: number;
  /** Base width; sub-network i starts with nChannels * grFactor[i] channels (`--nChannels`). */
  nChannels: number;
  /** Sub-network i grows by growthRate * grFactor[i] channels per layer (`--growthRate`). */
  growthRate: number;
  grFactor: number[];
  /** Bottleneck width factor of each sub-network's layers (`--bnFactor`). */
  bnFactor: number[];
  /** Resolution level of each sub-network, 1 = coarsest; equal levels share a resolution (`--scale-list`). */
  scaleList: number[];
  /** Share of a fusion layer's output that comes from the coarser sub-network (`--compress-factor`). */
  compressFactor: number;
  /** Channel reduction of the transition layers (`--reduction`). */
  reduction: number;
  /**
   * Stride of the first 3x3 conv: 1 as in the original's CIFAR first layer; 2
   * halves every scale (the original's ImageNet first layer reduces by 4).
   */
  stemStride: 1 | 2;
  /** Width of the two convolutions in every exit (128 in the original's CIFAR classifier). */
  classifierChannels: number;
  /** Per-channel input normalisation (one entry broadcasts to every channel). */
  normalize: { mean: number[]; std: number[] };
}

export class RaNetConfigError extends UserError {
  constructor(message: string) {
    super(`invalid RaNet configuration: ${message}`);
    this.name = 'RaNetConfigError';
  }
}

/**
 * RANet-pytorch's data loaders (dataloader.py) normalise CIFAR images with
 * these statistics; ours fold them into the model (`config.normalize`).
 */
export const RANET_NORMALIZATION: Record<'cifar10' | 'cifar100', RaNetConfig['normalize']> = {
  cifar10: { mean: [0.4914, 0.4824, 0.4467], std: [0.2471, 0.2435, 0.2616] },
  cifar100: { mean: [0.5071, 0.4867, 0.4408], std: [0.2675, 0.2565, 0.2761] },
};

/**
 * DeepPerform's RaNet (utils.py `_loadRaNet`): nBlocks 2, nChannels 16,
 * growthRate 6, grFactor and bnFactor 4-2-1-1, scale list 1-2-3-3,
 * block step 2, step 4, compress factor 0.25, reduction 0.5; 8 exits.
 */
export const RANET_DEFAULT: RaNetConfig = {
  input: { height: 32, width: 32, channels: 3, range: [0, 1] },
  numClasses: 100,
  nBlocks: 2,
  blockStep: 2,
  step: 4,
  nChannels: 16,
  growthRate: 6,
  grFactor: [4, 2, 1, 1],
  bnFactor: [4, 2, 1, 1],
  scaleList: [1, 2, 3, 3],
  compressFactor: 0.25,
  reduction: 0.5,
  stemStride: 1,
  classifierChannels: 128,
  normalize: RANET_NORMALIZATION.cifar100,
};

/**
 * The same four sub-networks on scales 1-2-3-3, shrunk to train in minutes:
 * one block (and so one exit) per sub-network, two layers per block, a
 * stride-2 first conv (for 28x28: sub-networks at 4x4, 7x7, 14x14, 14x14),
 * narrower channels and exits. Fashion-MNIST normalisation.
 */
export const RANET_TINY_DEFAULT: RaNetConfig = {
  input: { height: 28, width: 28, channels: 1, range: [0, 1] },
  numClasses: 10,
  nBlocks: 1,
  blockStep: 1,
  step: 2,
  nChannels: 8,
  growthRate: 6,
  grFactor: [4, 2, 1, 1],
  bnFactor: [4, 2, 1, 1],
  scaleList: [1, 2, 3, 3],
  compressFactor: 0.25,
  reduction: 0.5,
  stemStride: 2,
  classifierChannels: 32,
  normalize: { mean: [0.286], std: [0.353] },
};

/** A default configuration moved to another input shape / class count. */
export function withInput(base: RaNetConfig, input?: InputSpec, numClasses?: number): RaNetConfig {
  const spec = input ?? base.input;
  const perChannel = base.normalize.mean.length;
  // Per-channel statistics only fit their own channel count; otherwise use their average.
  const fits = perChannel === 1 || perChannel === spec.channels;
  const avg = (xs: number[]) => [xs.reduce((a, b) => a + b, 0) / xs.length];
  return {
    ...base,
    input: spec,
    numClasses: numClasses ?? base.numClasses,
    normalize: fits ? base.normalize : { mean: avg(base.normalize.mean), std: avg(base.normalize.std) },
  };
}

/** Rejects configurations the original's construction rules cannot build. */
export function validateConfig(c: RaNetConfig): void {
  const n = c.scaleList.length;
  if (n < 1) throw new RaNetConfigError('scaleList needs at least one sub-network');
  if (c.grFactor.length !== n || c.bnFactor.length !== n) {
    throw new RaNetConfigError(`grFactor (${c.grFactor.length}) and bnFactor (${c.bnFactor.length}) need one entry per scale (${n})`);
  }
  if (c.scaleList[0] !== 1 || c.scaleList.some((s, i) => i > 0 && s - c.scaleList[i - 1] !== 0 && s - c.scaleList[i - 1] !== 1)) {
    throw new RaNetConfigError(`scaleList must start at 1 and rise by 0 or 1 per sub-network, got ${c.scaleList.join('-')}`);
  }
  for (const [name, v] of Object.entries({ nBlocks: c.nBlocks, step: c.step, nChannels: c.nChannels, growthRate: c.growthRate, classifierChannels: c.classifierChannels })) {
    if (!Number.isInteger(v) || v < 1) throw new RaNetConfigError(`${name} must be a positive integer, got ${v}`);
  }
  // With no extra blocks a later sub-network would have no exit of its own.
  if (n > 1 && (!Number.isInteger(c.blockStep) || c.blockStep < 1)) {
    throw new RaNetConfigError(`blockStep must be a positive integer when there are several scales, got ${c.blockStep}`);
  }
  if (c.stemStride !== 1 && c.stemStride !== 2) throw new RaNetConfigError(`stemStride must be 1 or 2, got ${String(c.stemStride)}`);
  const { mean, std } = c.normalize;
  if (mean.length !== std.length || (mean.length !== 1 && mean.length !== c.input.channels)) {
    throw new RaNetConfigError(`normalize needs 1 or ${c.input.channels} means and stds, got ${mean.length} and ${std.length}`);
  }
}
