/** The generator stage: G and D, the losses of Eq. 4-8, projection, training and online generation. */
export { Discriminator, Generator, GeneratorShapeError } from './architecture.js';
export { generate, type Attack, type GeneratedInputs } from './generate.js';
export { discriminatorLoss, generatorGanLoss, perfLoss, pertLoss, totalLoss, type PerfLoss } from './losses.js';
export { perturb, perturbationNorm, projectToBall, type Norm } from './projection.js';
export { trainGenerator, type GeneratorTrainConfig, type LossValues, type TrainedGenerator, type TrainProgress } from './train.js';
export { cacheKey, GeneratorCache, generatorHash, sha256, shippedGeneratorsDir, stableJson, type CacheKeyParts, type CacheLookup } from './cache.js';
export { loadGenerator, saveGenerator, type GeneratorFileMetadata } from './io.js';
