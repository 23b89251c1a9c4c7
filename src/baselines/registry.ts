import type { AdaptiveNetwork, ImageBatch } from '../adnn/index.js';
import type { GeneratedInputs } from '../generator/index.js';
import { BaselineError, type BaselineAttack, type BaselineProgress } from './common.js';
import { deepsloth } from './deepsloth.js';
import { ilfo } from './ilfo.js';
import { ilfoPaperCode } from './ilfo-paper-code.js';
import { randomNoise } from './random.js';

/**
 * One signature for every baseline, so the runner can pick them by name.
 * `options` are the baseline's own (checked: an unknown key or a bad value
 * throws a BaselineError naming it); `seed` seeds every random choice;
 * `onProgress` hears of each optimisation step (random has none).
 */
export type Baseline = (
  network: AdaptiveNetwork,
  seeds: ImageBatch,
  attack: BaselineAttack,
  seed: number,
  options?: Readonly<Record<string, unknown>>,
  onProgress?: BaselineProgress,
) => Promise<GeneratedInputs> | GeneratedInputs;

function random(network: AdaptiveNetwork, seeds: ImageBatch, attack: BaselineAttack, seed: number, options?: Readonly<Record<string, unknown>>) {
  const keys = Object.keys(options ?? {});
  if (keys.length > 0) throw new BaselineError(`random: takes no options, got ${keys.map((k) => `"${k}"`).join(', ')}`);
  return randomNoise(seeds, network.meta.input, attack, seed);
}

export const BASELINES = Object.freeze({ random, ilfo, 'ilfo-paper-code': ilfoPaperCode, deepsloth }) satisfies Readonly<Record<string, Baseline>>;

export type BaselineName = keyof typeof BASELINES;
