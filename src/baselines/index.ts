/** Baselines reported beside DeepPerform on the same seeds, epsilon and tau. */
export { randomNoise } from './random.js';
export { ilfo, ilfoLoss, activationTarget, ILFO_DEFAULTS, type IlfoOptions } from './ilfo.js';
export { deepsloth, slothLoss, uniformCrossEntropy, DEEPSLOTH_DEFAULTS, type DeepSlothOptions } from './deepsloth.js';
export { BaselineError, UnsupportedModelError, type BaselineAttack, type BaselineProgress } from './common.js';
export { BASELINES, type Baseline, type BaselineName } from './registry.js';
