import * as tf from '@tensorflow/tfjs-core';
import { defaultInferenceEngine, InferenceEngine, type EngineChoice } from '../engine/ort/index.js';
import type { AdaptiveNetwork, Execution } from './contract.js';

/** Images as flat NHWC float32, the way datasets and generators hand them over. */
export interface ImageBatch {
  images: Float32Array;
  count: number;
}

/** Real adaptive execution over many images, in batches, results concatenated. */
export function runBatched(network: AdaptiveNetwork, batch: ImageBatch, tau: number, batchSize = 128): Execution {
  const { height, width, channels } = network.meta.input;
  const size = height * width * channels;
  const k = network.meta.blocks.length;
  const out: Execution = {
    predictions: new Int32Array(batch.count),
    ran: new Uint8Array(batch.count * k),
    flops: new Float64Array(batch.count),
  };
  for (let start = 0; start < batch.count; start += batchSize) {
    const n = Math.min(batchSize, batch.count - start);
    const x = tf.tensor4d(batch.images.subarray(start * size, (start + n) * size), [n, height, width, channels]);
    const part = network.run(x, tau);
    x.dispose();
    out.predictions.set(part.predictions, start);
    out.ran.set(part.ran, start * k);
    out.flops.set(part.flops, start);
  }
  return out;
}

export interface SoftBatchedOptions {
  /** An engine, or a choice for a fresh one; default the process-wide engine (DEEPPERFORM_ENGINE). */
  engine?: InferenceEngine | EngineChoice;
}

/**
 * Activation probabilities of the soft pass over many images, [count * K]
 * row-major. Runs on onnxruntime when the network's soft pass exports to
 * ONNX (traced from its tfjs code), otherwise on tfjs.
 */
export function softBatched(network: AdaptiveNetwork, batch: ImageBatch, batchSize = 128, opts: SoftBatchedOptions = {}): Float32Array {
  const { height, width, channels } = network.meta.input;
  const size = height * width * channels;
  const engine = opts.engine instanceof InferenceEngine ? opts.engine : opts.engine ? new InferenceEngine({ choice: opts.engine }) : defaultInferenceEngine();
  const compiled = engine.compile(network, `soft pass of ${network.meta.name}`, network.namedWeights().values(), [height, width, channels], (x) => [
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
