import * as tf from '@tensorflow/tfjs-core';
import { median } from 'simple-statistics';
import { adaptiveRunner, type AdaptiveNetwork, type EngineOptions, type ImageBatch } from '../adnn/index.js';
import type { EngineName } from '../engine/ort/index.js';
import { MeasurementError } from './errors.js';
import { relativeIncrease, type IncreaseMeasurement } from './increase.js';

export interface LatencyOptions extends EngineOptions {
  /** Untimed rounds first (kernel compilation, JIT, caches). */
  warmup?: number;
  /** Timed rounds; each input's latency is the median of these. */
  repeats?: number;
  /**
   * onnxruntime intra-op threads for the stages (default 1): at batch 1 a
   * stage is too small for a thread pool to pay, and one thread measured
   * both faster and steadier on a shared machine (docs/engine.md).
   */
  ortThreads?: number;
}

export interface LatencyMeasurement {
  /** Median wall time of the real adaptive execution at batch size 1, one per input, in ms. */
  msPerInput: number[];
  /** Where it ran: onnxruntime stage by stage, or the network's run() on tfjs. */
  engine: EngineName;
}

/**
 * Wall time of the real adaptive execution per input (the latency of
 * docs/design.md §2 / the paper's Table 2), at batch size 1 as a deployed AdNN sees
 * inputs: on the product's inference engine (adaptiveRunner: onnxruntime stage
 * by stage, so skipped blocks and stages after the exit cost nothing, else
 * run() on tfjs). Both return plain typed arrays, so they have read their
 * results synchronously and the timing includes all of the work; the engine is
 * set up (exported, sessions loaded) and the inputs prepared before any timing.
 *
 * Rounds are interleaved (every input once per round) so a burst of machine
 * noise lands on all inputs alike instead of on whichever input was running.
 */
export function measureLatency(network: AdaptiveNetwork, images: ImageBatch, tau: number, options: LatencyOptions = {}): LatencyMeasurement {
  const { warmup = 2, repeats = 5 } = options;
  if (!Number.isInteger(repeats) || repeats < 1) throw new MeasurementError(`latency repeats must be a positive integer, got ${repeats}`);
  if (!Number.isInteger(warmup) || warmup < 0) throw new MeasurementError(`latency warmup must be a non-negative integer, got ${warmup}`);
  checkSize(network, images);
  const runner = adaptiveRunner(network, { engine: options.engine, threads: options.ortThreads ?? 1 });
  const inputs = runner.singles(images);
  const times: number[][] = inputs.map(() => []);
  try {
    for (let round = 0; round < warmup + repeats; round++) {
      inputs.forEach((input, i) => {
        const start = performance.now();
        input.run(tau);
        const ms = performance.now() - start;
        if (round >= warmup) times[i].push(ms);
      });
    }
  } finally {
    for (const input of inputs) input.dispose();
  }
  return { msPerInput: times.map((t) => median(t)), engine: runner.engine };
}

/** I-latency per input, (l' - l) / l, with mean/max/min/p50/p95. */
export function increasedLatency(seedMs: ArrayLike<number>, generatedMs: ArrayLike<number>): IncreaseMeasurement {
  return relativeIncrease(seedMs, generatedMs, 'I-latency');
}

/** One [1, H, W, C] tensor per input, made before any timing starts. */
export function singleInputs(network: AdaptiveNetwork, images: ImageBatch): tf.Tensor4D[] {
  const { height, width, channels } = network.meta.input;
  const size = height * width * channels;
  checkSize(network, images);
  return Array.from({ length: images.count }, (_, i) => tf.tensor4d(images.images.slice(i * size, (i + 1) * size), [1, height, width, channels]));
}

function checkSize(network: AdaptiveNetwork, images: ImageBatch): void {
  const { height, width, channels } = network.meta.input;
  const size = height * width * channels;
  if (images.images.length !== images.count * size) {
    throw new MeasurementError(`images hold ${images.images.length} values, expected ${images.count} x ${height}x${width}x${channels} = ${images.count * size} for ${network.meta.name}`);
  }
}
