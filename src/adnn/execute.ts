import * as tf from '@tensorflow/tfjs-core';
import { defaultInferenceEngine, InferenceEngine, type EngineChoice, type EngineName } from '../engine/ort/index.js';
import type { AdaptiveNetwork, Execution } from './contract.js';
import { compileStagedOrt } from './stages/index.js';

/** Images as flat NHWC float32, the way datasets and generators hand them over. */
export interface ImageBatch {
  images: Float32Array;
  count: number;
}

export interface EngineOptions {
  /** An engine, or a choice for a fresh one; default the process-wide engine (DEEPPERFORM_ENGINE). */
  engine?: InferenceEngine | EngineChoice;
}

export interface AdaptiveRunnerOptions extends EngineOptions {
  /** onnxruntime intra-op threads of the stage sessions (default the engine's; latency uses 1). */
  threads?: number;
}

function engineOf(opts: EngineOptions): InferenceEngine {
  return opts.engine instanceof InferenceEngine ? opts.engine : opts.engine ? new InferenceEngine({ choice: opts.engine }) : defaultInferenceEngine();
}

/** One input made ready for timing: the tensor or array is built before, so a run times run() alone. */
export interface PreparedInput {
  run(tau: number): Execution;
  dispose(): void;
}

/** The real adaptive execution of a network on whichever engine runs it here. */
export interface AdaptiveRunner {
  /** 'ort': the network's stages, one onnxruntime session each; 'tfjs': its run(). */
  readonly engine: EngineName;
  /** Runs `count` images laid out back to back (NHWC float32) as one batch. */
  run(images: Float32Array, count: number, tau: number): Execution;
  /** Each image of `batch` as its own batch of one, prepared up front. */
  singles(batch: ImageBatch): PreparedInput[];
}

/**
 * The real adaptive execution for the forward-only paths: on onnxruntime,
 * stage by stage (the network's stages(), the same decisions and FLOPs as
 * its run()), when the network has stages and ORT loads; otherwise its
 * run() on tfjs (after the engine's one warning when ORT was wanted).
 */
export function adaptiveRunner(network: AdaptiveNetwork, opts: AdaptiveRunnerOptions = {}): AdaptiveRunner {
  const { height, width, channels } = network.meta.input;
  const size = height * width * channels;
  const staged = compileStagedOrt(engineOf(opts), network, { threads: opts.threads });
  if (staged) {
    return {
      engine: 'ort',
      run: (images, count, tau) => staged.run(images.subarray(0, count * size), count, tau),
      singles: (batch) =>
        Array.from({ length: batch.count }, (_, i) => {
          const image = batch.images.slice(i * size, (i + 1) * size);
          return { run: (tau: number) => staged.run(image, 1, tau), dispose: () => undefined };
        }),
    };
  }
  return {
    engine: 'tfjs',
    run: (images, count, tau) => {
      const x = tf.tensor4d(images.subarray(0, count * size), [count, height, width, channels]);
      try {
        return network.run(x, tau);
      } finally {
        x.dispose();
      }
    },
    singles: (batch) =>
      Array.from({ length: batch.count }, (_, i) => {
        const x = tf.tensor4d(batch.images.slice(i * size, (i + 1) * size), [1, height, width, channels]);
        return { run: (tau: number) => network.run(x, tau), dispose: () => x.dispose() };
      }),
  };
}

/**
 * Real adaptive execution over many images, in batches, results
 * concatenated: on onnxruntime stage by stage when it can (adaptiveRunner).
 */
export function runBatched(network: AdaptiveNetwork, batch: ImageBatch, tau: number, batchSize = 128, opts: EngineOptions = {}): Execution {
  const { height, width, channels } = network.meta.input;
  const size = height * width * channels;
  const k = network.meta.blocks.length;
  const runner = adaptiveRunner(network, opts);
  const out: Execution = {
    predictions: new Int32Array(batch.count),
    ran: new Uint8Array(batch.count * k),
    flops: new Float64Array(batch.count),
  };
  for (let start = 0; start < batch.count; start += batchSize) {
    const n = Math.min(batchSize, batch.count - start);
    const part = runner.run(batch.images.subarray(start * size, (start + n) * size), n, tau);
    out.predictions.set(part.predictions, start);
    out.ran.set(part.ran, start * k);
    out.flops.set(part.flops, start);
  }
  return out;
}

export type SoftBatchedOptions = EngineOptions;

/**
 * Activation probabilities of the soft pass over many images, [count * K]
 * row-major. Runs on onnxruntime when the network's soft pass exports to
 * ONNX (traced from its tfjs code), otherwise on tfjs.
 */
export function softBatched(network: AdaptiveNetwork, batch: ImageBatch, batchSize = 128, opts: SoftBatchedOptions = {}): Float32Array {
  const { height, width, channels } = network.meta.input;
  const size = height * width * channels;
  const compiled = engineOf(opts).compile(network, `soft pass of ${network.meta.name}`, network.namedWeights().values(), [height, width, channels], (x) => [
    network.soft(x).p,
  ]);
  if (compiled) return compiled.run(batch.images.subarray(0, batch.count * size), batch.count, batchSize)[0];
  const k = network.meta.blocks.length;
  const p = new Float32Array(batch.count * k);
  for (let start = 0; start < batch.count; start += batchSize) {
    const n = Math.min(batchSize, batch.count - start);
    const x = tf.tensor4d(batch.images.subarray(start * size, (start + n) * size), [n, height, width, channels]);
    const out = network.soft(x);
    p.set(out.p.dataSync(), start * k);
    tf.dispose([x, out.logits, out.p]);
  }
  return p;
}
