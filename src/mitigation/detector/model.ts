import type { AdnnKind, InputSpec } from '../../adnn/index.js';
import type { Standardization } from './standardize.js';
import type { SvmOptions } from './svm.js';

/** What a trained detector is: everything needed to score inputs in front of its model. */
export interface DetectorModel {
  /** The AdNN whose first convolution gives the features. */
  model: { name: string; arch: string; kind: AdnnKind; input: InputSpec };
  features: FeatureDefinition;
  /** Fitted on the training features; the weights apply to standardised features. */
  standardization: Standardization;
  weights: Float32Array;
  bias: number;
  /** Scores above it are flagged (generated-like); the SVM's own boundary, 0. */
  threshold: number;
  training: DetectorTraining;
}

export interface FeatureDefinition {
  source: 'first-conv';
  description: string;
  /** [H, W, C] of the first convolution's output; flattened in NHWC order. */
  shape: [number, number, number];
  dim: number;
  /** FLOPs of the first convolution per input (paid by the model itself when the features are shared). */
  convFlops: number;
  /**
   * Per-channel mean, then per-channel mean |value|, of the features of the
   * probe image (probe.ts): a fingerprint of the first convolution's weights,
   * so the detector refuses to run in front of a different model.
   */
  probe: number[];
}

export interface DetectorTraining {
  /** Seed inputs (label 0) and generated inputs (label 1) it was trained on. */
  seeds: number;
  generated: number;
  svm: Required<SvmOptions> & { epochs: number; converged: boolean; objective: number };
  /** Accuracy at the threshold on the training inputs. */
  accuracy: number;
  /** Where the inputs came from, as the caller describes them (suite, split, attack). */
  provenance?: Record<string, string | number>;
}
