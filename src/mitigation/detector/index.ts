/**
 * The input-validation detector of the paper's §6.2: a linear SVM on the
 * output of the AdNN's first convolution that tells seed inputs from
 * generated ones, its AUC and overhead, and a file to run it in front of the
 * model (docs/mitigation.md).
 */
export { rocAuc, accuracyAt, separation, type Separation } from './auc.js';
export { trainLinearSvm, SVM_DEFAULTS, type LinearSvm, type SvmOptions } from './svm.js';
export { fitStandardization, standardizeInPlace, type Standardization } from './standardize.js';
export { FEATURE_DESCRIPTION, featureGeometry, featuresOf, firstConvOf, type FirstConv } from './features.js';
export type { DetectorModel, DetectorTraining, FeatureDefinition } from './model.js';
export { trainDetector, evaluateDetector, type DetectorData, type DetectorEvaluation, type TrainDetectorOptions } from './train.js';
export { attachDetector, type RunnableDetector } from './runtime.js';
export { saveDetector, readDetector, loadDetector, parseDetector, DETECTOR_FORMAT, DETECTOR_FORMAT_VERSION } from './io.js';
export { measureDetectorLatency, medianMs, type DetectorLatency, type LatencyOptions } from './latency.js';
export {
  runDetectorSection,
  type DetectorAttack,
  type DetectorAttackResult,
  type DetectorSectionContext,
  type DetectorSectionOptions,
  type DetectorSectionResult,
} from './section.js';
export { DetectorFeatureError, DetectorFileError, DetectorMismatchError, DetectorOptionsError } from './errors.js';
