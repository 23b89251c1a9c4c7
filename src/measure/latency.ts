import * as tf from '@tensorflow/tfjs-core';
import { median } from 'simple-statistics';
import type { AdaptiveNetwork, ImageBatch } from '../adnn/index.js';
import { MeasurementError } from './errors.js';
import { relativeIncrease, type IncreaseMeasurement } from './increase.js';

export interface LatencyOptions {
  /** Untimed rounds first (kernel compilation, JIT, caches). */
  warmup?: number;
  /** Timed rounds; each input's latency is the median of these. */
  repeats?: number;
}

export interface LatencyMeasurement {
  /** Median wall time of `run(x, tau)` at batch size 1, one per input, in ms. */
  msPerInput: number[];
}

/**
 * Wall time of the real adaptive execution per input (the latency of
 * DESIGN.md §2 / the paper's Table 2), at batch size 1 as a deployed AdNN sees
 * inputs. The contract's run() returns plain typed arrays, so it has read its
 * results synchronously and the timing includes all of the work.
 *
 * Rounds are interleaved (every input once per round) so a burst of machine
 * noise lands on all inputs alike instead of on whichever input was running.
 */
export function measureLatency(network: AdaptiveNetwork, images: ImageBatch, tau: number, options: LatencyOptions = {}): LatencyMeasurement {
  const { warmup = 2, repeats = 5 } = options;
  if (!Number.isInteger(repeats) || repeats < 1) throw new MeasurementError(`latency repeats must be a positive integer, got ${repeats}`);
  if (!Number.isInteger(warmup) || warmup < 0) throw new MeasurementError(`latency warmup must be a non-negative integer, got ${warmup}`);
  const inputs = singleInputs(network, images);
  const times: number[][] = inputs.map(() => []);
  try {
    for (let round = 0; round < warmup + repeats; round++) {
      inputs.forEach((x, i) => {
        const start = performance.now();
        network.run(x, tau);
        const ms = performance.now() - start;
        if (round >= warmup) times[i].push(ms);
      });
    }
  } finally {
    tf.dispose(inputs);
  }
  return { msPerInput: times.map((t) => median(t)) };
}

/** I-latency per input, (l' - l) / l, with mean/max/min/p50/p95. */
export function increasedLatency(seedMs: ArrayLike<number>, generatedMs: ArrayLike<number>): IncreaseMeasurement {
  return relativeIncrease(seedMs, generatedMs, 'I-latency');
}

/** One [1, H, W, C] tensor per input, made before any timing starts. */
export function singleInputs(network: AdaptiveNetwork, images: ImageBatch): tf.Tensor4D[] {
  const { height, width, channels } = network.meta.input;
  const size = height * width * channels;
  if (images.images.length !== images.count * size) {
    throw new MeasurementError(`images hold ${images.images.length} values, expected ${images.count} x ${height}x${width}x${channels} = ${images.count * size} for ${network.meta.name}`);
  }
  return Array.from({ length: images.count }, (_, i) => tf.tensor4d(images.images.slice(i * size, (i + 1) * size), [1, height, width, channels]));
}
