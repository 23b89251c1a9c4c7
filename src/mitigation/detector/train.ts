import type { AdaptiveNetwork, ImageBatch } from '../../adnn/index.js';
import { accuracyAt, rocAuc } from './auc.js';
import { DetectorOptionsError } from './errors.js';
import { extractFeatures, FEATURE_DESCRIPTION, featureGeometry, firstConvOf } from './features.js';
import type { DetectorModel } from './model.js';
import { probeFingerprint } from './probe.js';
import { attachDetector } from './runtime.js';
import { fitStandardization, standardizeInPlace } from './standardize.js';
import { linearScores, SVM_DEFAULTS, trainLinearSvm, type SvmOptions } from './svm.js';

/** Seed inputs (label 0) and the inputs generated from them (label 1). */
export interface DetectorData {
  seeds: ImageBatch;
  generated: ImageBatch;
}

export interface TrainDetectorOptions {
  svm?: SvmOptions;
  /** Recorded in the detector's file: where the inputs came from (suite, split, attack ...). */
  provenance?: Record<string, string | number>;
}

/** The training matrix is held in memory whole: refuse sizes that would not fit comfortably. */
const MAX_MATRIX_BYTES = 1.5 * 2 ** 30;

/**
 * Trains the input-validation detector of §6.2: features of the seeds and of
 * the generated inputs from the model's first convolution, standardised per
 * feature, then a linear SVM telling them apart (generated = positive).
 */
export function trainDetector(network: AdaptiveNetwork, data: DetectorData, options: TrainDetectorOptions = {}): DetectorModel {
  const conv = firstConvOf(network);
  checkData(data, 'training');
  const geometry = featureGeometry(network);
  const { dim } = geometry;
  const n = data.seeds.count + data.generated.count;
  if (n * dim * 4 > MAX_MATRIX_BYTES) {
    throw new DetectorOptionsError(
      `${n} training inputs x ${dim} features need ${((n * dim * 4) / 2 ** 30).toFixed(1)} GiB in memory; use fewer training seeds`,
    );
  }
  const x = new Float32Array(n * dim);
  extractFeatures(network, data.seeds, dim, x, 0);
  extractFeatures(network, data.generated, dim, x, data.seeds.count);
  const labels = labelsOf(data);
  const standardization = fitStandardization(x, n, dim);
  standardizeInPlace(x, n, dim, standardization);
  const svmOptions = { ...SVM_DEFAULTS, ...options.svm };
  const svm = trainLinearSvm(x, labels, dim, svmOptions);
  const weights = Float32Array.from(svm.weights);
  const meta = network.meta;
  const model: DetectorModel = {
    model: { name: meta.name, arch: meta.arch, kind: meta.kind, input: meta.input },
    features: {
      source: 'first-conv',
      description: FEATURE_DESCRIPTION,
      shape: geometry.shape,
      dim,
      convFlops: geometry.flops,
      probe: probeFingerprint(conv, meta.input),
    },
    standardization,
    weights,
    bias: svm.bias,
    threshold: 0,
    training: {
      seeds: data.seeds.count,
      generated: data.generated.count,
      svm: { ...svmOptions, epochs: svm.epochs, converged: svm.converged, objective: svm.objective },
      accuracy: accuracyAt(linearScores(x, dim, weights, svm.bias, new Float64Array(n)), labels),
      ...(options.provenance ? { provenance: options.provenance } : {}),
    },
  };
  return model;
}

export interface DetectorEvaluation {
  /** Area under the ROC curve of the scores, generated inputs positive (Mann-Whitney, ties half). */
  auc: number;
  /** Share of inputs on the right side of the threshold. */
  accuracy: number;
  seeds: number;
  generated: number;
  /** Scores of the seeds, then of the generated inputs. */
  scores: Float32Array;
}

/** Scores held-out seeds and their generated inputs with the detector in front of `network`. */
export function evaluateDetector(detector: DetectorModel, network: AdaptiveNetwork, data: DetectorData): DetectorEvaluation {
  checkData(data, 'evaluation');
  const runnable = attachDetector(detector, network);
  const scores = new Float32Array(data.seeds.count + data.generated.count);
  scores.set(runnable.score(data.seeds), 0);
  scores.set(runnable.score(data.generated), data.seeds.count);
  const labels = labelsOf(data);
  return {
    auc: rocAuc(scores, labels),
    accuracy: accuracyAt(scores, labels, detector.threshold),
    seeds: data.seeds.count,
    generated: data.generated.count,
    scores,
  };
}

function labelsOf(data: DetectorData): Uint8Array {
  const labels = new Uint8Array(data.seeds.count + data.generated.count);
  labels.fill(1, data.seeds.count);
  return labels;
}

function checkData(data: DetectorData, what: string): void {
  if (data.seeds.count < 1 || data.generated.count < 1) {
    throw new DetectorOptionsError(`detector ${what} needs at least one seed and one generated input; got ${data.seeds.count} and ${data.generated.count}`);
  }
}
