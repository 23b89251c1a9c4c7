/**
 * Baselines reported beside DeepPerform on the same seeds, epsilon and tau,
 * and deepperform-refine (per-input gradient steps started from G's inputs).
 */
export { randomNoise } from './random.js';
export { ilfo, ilfoLoss, activationTarget, ILFO_DEFAULTS, type IlfoOptions } from './ilfo.js';
export { ilfoPaperCode, ilfoPaperCodeLoss, ILFO_PAPER_CODE_DEFAULTS, type IlfoPaperCodeOptions } from './ilfo-paper-code.js';
export { deepsloth, slothLoss, activationLogLoss, uniformCrossEntropy, DEEPSLOTH_DEFAULTS, type DeepSlothOptions } from './deepsloth.js';
export { refine, refineObjective, refineSettings, REFINE_DEFAULTS, type RefineOptions, type RefineLoss } from './refine.js';
export { BaselineError, UnsupportedModelError, type BaselineAttack, type BaselineProgress } from './common.js';
export { BASELINES, type Baseline, type BaselineName } from './registry.js';
