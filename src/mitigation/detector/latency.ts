import * as tf from '@tensorflow/tfjs-core';
import type { RunnableDetector } from './runtime.js';

export interface DetectorLatency {
  /** Median time of the detector alone on one input's features (the features shared with the model). */
  linearMs: number;
  /** Median time of `score` on one image: its own first convolution, then the linear layer. */
  standaloneMs: number;
}

export interface LatencyOptions {
  /** Timed repetitions of each measurement (after as many warm-up ones, at most 20). Default 200. */
  runs?: number;
}

/**
 * Batch-1 latency of the detector, measured on `image` (one input, flat
 * NHWC): the median of repeated timings, which a stray GC pause or scheduler
 * hiccup does not move.
 */
export function measureDetectorLatency(detector: RunnableDetector, image: Float32Array, options: LatencyOptions = {}): DetectorLatency {
  const runs = options.runs ?? 200;
  const { height, width, channels } = detector.model.model.input;
  const x = tf.tensor4d(image, [1, height, width, channels]);
  try {
    const features = detector.features(x);
    return {
      linearMs: medianMs(() => detector.scoreFeatures(features, 1), runs),
      standaloneMs: medianMs(() => detector.score(x), runs),
    };
  } finally {
    x.dispose();
  }
}

/** Median wall time of `fn` in milliseconds over `runs` calls, after min(20, runs) warm-up calls. */
export function medianMs(fn: () => unknown, runs: number): number {
  if (!Number.isInteger(runs) || runs < 1) throw new RangeError(`runs must be a whole number >= 1, got ${runs}`);
  for (let i = 0; i < Math.min(20, runs); i++) fn();
  const times = new Float64Array(runs);
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    times[i] = performance.now() - t;
  }
  times.sort();
  return runs % 2 ? times[(runs - 1) / 2] : (times[runs / 2 - 1] + times[runs / 2]) / 2;
}
