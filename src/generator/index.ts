/** The generator stage: G and D, the losses of Eq. 4-8, projection, training and online generation. */
export { Discriminator, Generator, GeneratorShapeError } from './architecture.js';
export { generate, type Attack, type GeneratedInputs } from './generate.js';
export {
  discriminatorLoss,
  generatorGanLoss,
  perfLoss,
  perfLossPerInput,
  pertLoss,
  totalLoss,
  uniformCrossEntropy,
  type PerfInputs,
  type PerfLoss,
  type PerfLossOptions,
} from './losses.js';
export { boundDelta, perturb, perturbationNorm, projectToBall, resolveBound, type BoundSetting, type Norm, type PerturbationBound } from './projection.js';
export {
  curriculumTau,
  trainGenerator,
  TrainingBudgetError,
  type GeneratorTrainConfig,
  type LossValues,
  type TauCurriculum,
  type TrainedGenerator,
  type TrainProgress,
} from './train.js';
export { MIN_COMPILED_STEPS } from './train-compiled.js';
export { Plateau, type LearningRateSchedule, type PlateauSchedule, type Verdict } from './plateau.js';
export {
  earlyStoppingReach,
  readTrainingRecord,
  stepBudget,
  stepsPerEpoch,
  STOP_REASONS,
  type CurvePosition,
  type EarlyStoppingReach,
  type StopReason,
  type TrainingRecord,
  type ValidationPoint,
} from './record.js';
export { meanAndStandardError, type ValidationScore } from './validation.js';
export { cacheKey, GeneratorCache, generatorHash, sha256, shippedGeneratorsDir, stableJson, type CacheKeyParts, type CacheLookup } from './cache.js';
export { loadGenerator, saveGenerator, type GeneratorFileMetadata, type LoadedGenerator } from './io.js';
