import type { InputSpec } from '../../contract.js';
import { UserError } from '../../../util/errors.js';

/** Per-channel input normalisation, folded into the model: (x - mean) / std. */
export interface ChannelNorm {
  mean: number[];
  std: number[];
}

/**
 * The SDN code's per-dataset normalisation (its data.py). SVHN is used raw.
 * The full configs default to CIFAR-100's, as their default is 100 classes.
 */
export const SDN_NORMALIZATION: Record<'cifar10' | 'cifar100' | 'svhn', ChannelNorm | null> = {
  cifar10: { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
  cifar100: { mean: [0.507, 0.487, 0.441], std: [0.267, 0.256, 0.276] },
  svhn: null,
};

/** What every full SDN configuration holds. */
export interface SdnFullConfig {
  input: InputSpec;
  numClasses: number;
  /** null: the input is used as it is (SVHN). */
  normalize: ChannelNorm | null;
  /** Scales every channel / hidden width (1 = the original); for quick tests. */
  widthMultiplier: number;
}

export const SDN_FULL_INPUT: InputSpec = { height: 32, width: 32, channels: 3, range: [0, 1] };

/** The default configuration of a full SDN for an input shape and class count. */
export function fullDefaults(input?: InputSpec, numClasses?: number): SdnFullConfig {
  const spec = input ?? SDN_FULL_INPUT;
  return {
    input: spec,
    numClasses: numClasses ?? 100,
    // The CIFAR statistics only mean something for three-channel images.
    normalize: spec.channels === 3 ? SDN_NORMALIZATION.cifar100 : null,
    widthMultiplier: 1,
  };
}

export class SdnConfigError extends UserError {
  constructor(arch: string, detail: string) {
    super(`${arch} configuration: ${detail}`);
    this.name = 'SdnConfigError';
  }
}

/** Checks a configuration read from a file before anything is built. */
export function checkFullConfig(arch: string, config: SdnFullConfig): void {
  const fail = (detail: string): never => {
    throw new SdnConfigError(arch, detail);
  };
  const { input, numClasses, normalize, widthMultiplier } = config;
  if (!input || ![input.height, input.width, input.channels].every((n) => Number.isInteger(n) && n > 0)) {
    fail('input needs positive integer height, width and channels');
  }
  if (!Number.isInteger(numClasses) || numClasses < 2) fail(`numClasses must be an integer >= 2, got ${numClasses}`);
  if (!(widthMultiplier > 0)) fail(`widthMultiplier must be positive, got ${widthMultiplier}`);
  if (normalize) {
    const { mean, std } = normalize;
    if (mean?.length !== input.channels || std?.length !== input.channels) {
      fail(`normalize needs ${input.channels} means and stds (one per input channel)`);
    }
    if (std.some((s) => !(s > 0))) fail('normalize.std values must be positive');
  }
}

/** A width of the original scaled by the multiplier, at least 1. */
export function scaled(width: number, multiplier: number): number {
  return Math.max(1, Math.round(width * multiplier));
}

/** Kaya et al.'s final IC weights (sdn_train's max_coeffs), one per internal classifier. */
export const SDN_IC_MAX_WEIGHTS = [0.15, 0.3, 0.45, 0.6, 0.75, 0.9];

/**
 * Loss weights of the SDN joint training: internal classifier i weighs
 * min(max_i, 0.01 + epoch * max_i / epochs), the final classifier 1, and the
 * losses are summed. Without an epoch, the end-of-schedule weights max_i.
 */
export function sdnLossWeights(internal: number, epoch?: number, epochs?: number): number[] {
  const max = Array.from({ length: internal }, (_, i) => SDN_IC_MAX_WEIGHTS[i] ?? 0.9);
  const ic = epoch === undefined || !epochs ? max : max.map((m) => Math.min(m, 0.01 + (epoch * m) / epochs));
  return [...ic, 1];
}
