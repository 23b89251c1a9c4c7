import * as tf from '@tensorflow/tfjs-core';
import type { AdaptiveNetwork, ImageBatch } from '../../adnn/index.js';
import { DetectorMismatchError } from './errors.js';
import { extractFeatures, featureGeometry, firstConvOf } from './features.js';
import type { DetectorModel } from './model.js';
import { probeFingerprint, sameFingerprint } from './probe.js';
import { linearScores } from './svm.js';

/** A detector attached to its model, ready to screen inputs before the model spends computation on them. */
export interface RunnableDetector {
  readonly model: DetectorModel;
  /**
   * Decision score per input: w . standardise(features) + b; above
   * `model.threshold` (0) the input looks generated. `images` are NHWC in the
   * model's input range: a [B, H, W, C] tensor or a flat batch.
   */
  score(images: tf.Tensor4D | ImageBatch): Float32Array;
  /** score > threshold per input: the inputs to stop before inference. */
  isSuspicious(images: tf.Tensor4D | ImageBatch): boolean[];
  /** The features the detector reads: the model's first convolution output, row-major [count, dim]. */
  features(images: tf.Tensor4D | ImageBatch): Float32Array;
  /** Scores of features already computed by the model's first convolution, row-major [count, dim]. */
  scoreFeatures(features: Float32Array, count: number): Float32Array;
}

/**
 * Checks that `network` is the model the detector was trained for (arch,
 * input shape, feature shape, first-convolution fingerprint) and returns the
 * scorer. The standardisation is folded into the weights once here, so a
 * score costs one dot product: w'_j = w_j / std_j, b' = b - sum_j w'_j mean_j.
 */
export function attachDetector(model: DetectorModel, network: AdaptiveNetwork): RunnableDetector {
  checkCompatible(model, network);
  const { dim } = model.features;
  const folded = new Float64Array(dim);
  let bias = model.bias;
  for (let j = 0; j < dim; j++) {
    folded[j] = model.weights[j] / model.standardization.std[j];
    bias -= folded[j] * model.standardization.mean[j];
  }
  const scoreFeatures = (features: Float32Array, count: number): Float32Array => {
    if (features.length !== count * dim) throw new RangeError(`scoreFeatures: ${count} inputs of ${dim} features need ${count * dim} values, got ${features.length}`);
    return linearScores(features, dim, folded, bias, new Float32Array(count));
  };
  const features = (images: tf.Tensor4D | ImageBatch): Float32Array => {
    const batch = images instanceof tf.Tensor ? { images: images.dataSync() as Float32Array, count: images.shape[0] } : images;
    const out = new Float32Array(batch.count * dim);
    extractFeatures(network, batch, dim, out);
    return out;
  };
  const score = (images: tf.Tensor4D | ImageBatch): Float32Array => {
    const f = features(images);
    return scoreFeatures(f, f.length / dim);
  };
  return {
    model,
    score,
    features,
    scoreFeatures,
    isSuspicious: (images) => Array.from(score(images), (s) => s > model.threshold),
  };
}

function checkCompatible(model: DetectorModel, network: AdaptiveNetwork): void {
  const want = model.model;
  const meta = network.meta;
  const fail = (what: string) => {
    throw new DetectorMismatchError(`the detector was trained for ${want.name} (${want.arch}) but is used with ${meta.name} (${meta.arch}): ${what}`);
  };
  if (want.arch !== meta.arch) fail(`different architecture`);
  const [a, b] = [want.input, meta.input];
  if (a.height !== b.height || a.width !== b.width || a.channels !== b.channels) {
    fail(`input ${a.height}x${a.width}x${a.channels} vs ${b.height}x${b.width}x${b.channels}`);
  }
  const geometry = featureGeometry(network);
  if (geometry.shape.join('x') !== model.features.shape.join('x')) {
    fail(`first convolution gives ${geometry.shape.join('x')} features, the detector reads ${model.features.shape.join('x')}`);
  }
  if (!sameFingerprint(model.features.probe, probeFingerprint(firstConvOf(network), meta.input))) {
    fail('the first convolution has different weights (another training run?); train a detector for these weights');
  }
}
