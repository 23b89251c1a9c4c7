import type { InputSpec } from '../../contract.js';
import type { FeatureShape } from '../../../nn/index.js';
import type { Normalization } from './backbone.js';
import type { SkippingObjective } from './skipping.js';
import { UserError } from '../../../util/errors.js';

/** What SkipNet and BlockDrop configurations share (kept in model.json). */
export interface SkippingResNetConfig {
  input: InputSpec;
  numClasses: number;
  /** Basic blocks per stage of the backbone. */
  stages: number[];
  /** Channels per stage. */
  widths: number[];
  /** null: the raw [0, 1] input goes to the stem. */
  normalize: Normalization | null;
  objective: SkippingObjective;
}

export const CIFAR_INPUT: InputSpec = { height: 32, width: 32, channels: 3, range: [0, 1] };

/** SkipNet's CIFAR statistics (ucbdrive/skipnet cifar/data.py). */
export const CIFAR_NORMALIZATION: Normalization = { mean: [0.4914, 0.4822, 0.4465], std: [0.2023, 0.1994, 0.201] };

/** The embedded Fashion-MNIST slice's statistics (as sdn-tiny). */
export const FASHION_MNIST_NORMALIZATION: Normalization = { mean: [0.286], std: [0.353] };

export class ResNetConfigError extends UserError {
  constructor(arch: string, detail: string) {
    super(`${arch} configuration: ${detail}`);
    this.name = 'ResNetConfigError';
  }
}

export function inputShape(input: InputSpec): FeatureShape {
  return [input.height, input.width, input.channels];
}

/** Checks a configuration (possibly read from a file) before anything is built. */
export function checkSkippingConfig(arch: string, config: SkippingResNetConfig): void {
  const fail = (detail: string): never => {
    throw new ResNetConfigError(arch, detail);
  };
  const { input, numClasses, stages, widths, normalize, objective } = config;
  if (!input || ![input.height, input.width, input.channels].every((n) => Number.isInteger(n) && n > 0)) {
    fail('input needs positive integer height, width and channels');
  }
  if (!Number.isInteger(numClasses) || numClasses < 2) fail(`numClasses must be an integer >= 2, got ${numClasses}`);
  checkStages(arch, 'backbone', stages, widths);
  if (normalize) {
    const ok = (xs: number[]) => Array.isArray(xs) && (xs.length === 1 || xs.length === input.channels);
    if (!ok(normalize.mean) || !ok(normalize.std)) fail(`normalize needs 1 or ${input.channels} values for mean and std`);
    if (normalize.std.some((s) => !(s > 0))) fail('normalize.std must be positive');
  }
  if (!objective || !(objective.lambda >= 0)) fail('objective needs a non-negative lambda');
  if (!(objective.warmupFraction >= 0 && objective.warmupFraction < 1)) fail('objective.warmupFraction must be in [0, 1)');
  if (typeof objective.sampleGates !== 'boolean') fail('objective.sampleGates must be true or false');
  const d = objective.difficulty;
  if (d !== undefined && !(d && d.share > 0 && d.share < 1 && d.weight >= 0)) fail('objective.difficulty needs a share in (0, 1) and a non-negative weight');
  const a = objective.augment;
  if (a !== undefined && !(a && Number.isInteger(a.pad) && a.pad >= 0 && typeof a.flip === 'boolean')) {
    fail('objective.augment needs a non-negative integer pad and flip true or false');
  }
}

export function checkStages(arch: string, what: string, stages: number[], widths: number[]): void {
  if (!Array.isArray(stages) || !Array.isArray(widths) || stages.length === 0 || stages.length !== widths.length) {
    throw new ResNetConfigError(arch, `${what} stages and widths must be non-empty lists of equal length`);
  }
  if (![...stages, ...widths].every((n) => Number.isInteger(n) && n > 0)) {
    throw new ResNetConfigError(arch, `${what} stages and widths must be positive integers`);
  }
  if (widths.some((w, i) => i > 0 && w < widths[i - 1])) {
    throw new ResNetConfigError(arch, `${what} widths must not shrink from stage to stage (the shortcut pads channels)`);
  }
}

/** The default normalisation for an input: the dataset statistics the channel count suggests. */
export function defaultNormalization(channels: number, threeChannel: Normalization): Normalization | null {
  if (channels === 3) return threeChannel;
  if (channels === 1) return FASHION_MNIST_NORMALIZATION;
  return null;
}
