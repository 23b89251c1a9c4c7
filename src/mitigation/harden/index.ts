/** Adversarial retraining (§6.1 of the paper, Eq. 12, Table 10): harden an AdNN against DeepPerform's inputs. */
export { HardenError } from './errors.js';
export { blockWeights, eq12Loss, flopsGap, taskLoss, type Eq12Parts, type Eq12Settings } from './objective.js';
export { hardenAdnn, type FlopsTarget, type GenerateInputs, type HardenLosses, type HardenOptions, type HardenReport, type HardenStep } from './retrain.js';
export { iflopsOf, type IflopsSummary } from './measure.js';
export { checkOutDir, writeModelAtomic } from './weights.js';
export {
  RETRAIN_DEFAULTS,
  runRetrainSection,
  type HardenedFileMetadata,
  type HardeningRecord,
  type RetrainGenerators,
  type RetrainMeasurement,
  type RetrainSectionContext,
  type RetrainSectionResult,
  type RetrainSettings,
} from './section.js';
