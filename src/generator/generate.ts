import * as tf from '@tensorflow/tfjs-core';
import type { ImageBatch, InputSpec } from '../adnn/index.js';
import { defaultInferenceEngine, InferenceEngine, type EngineChoice, type EngineName } from '../engine/ort/index.js';
import type { Generator } from './architecture.js';
import { perturb, type Norm } from './projection.js';

export interface Attack {
  norm: Norm;
  epsilon: number;
}

export interface GeneratedInputs extends ImageBatch {
  /** Wall time of the online generation (G forward + projection) per input. */
  msPerInput: number;
  /** Which engine ran G: onnxruntime, or tfjs (by choice or as the fallback). */
  engine?: EngineName;
  /** One-off cost of exporting G to ONNX and loading it (0 when reused), not in msPerInput. */
  compileMs?: number;
}

export interface GenerateOptions {
  /** An engine, or a choice for a fresh one; default the process-wide engine (DEEPPERFORM_ENGINE). */
  engine?: InferenceEngine | EngineChoice;
}

/**
 * Online generation: one forward pass of G per batch, then projection (the
 * method's speed advantage). On onnxruntime the exported graph holds both G
 * and the projection, traced from the same tfjs code as the fallback below.
 */
export function generate(g: Generator, seeds: ImageBatch, attack: Attack, batchSize = 64, opts: GenerateOptions = {}): GeneratedInputs {
  const input: InputSpec = g.input;
  const shape = [input.height, input.width, input.channels];
  const engine = opts.engine instanceof InferenceEngine ? opts.engine : opts.engine ? new InferenceEngine({ choice: opts.engine }) : defaultInferenceEngine();
  const compileStart = performance.now();
  const key = `generator(${attack.norm}, eps=${attack.epsilon}, range=${input.range.join('..')}, bound=${g.bound})`;
  const compiled = engine.compile(g, key, g.store.named().values(), shape, (x) => [
    perturb(x, g.apply(x, false), attack.norm, attack.epsilon, input.range, g.bound),
  ]);
  const compileMs = compiled ? performance.now() - compileStart : 0;
  const started = performance.now();
  const size = shape[0] * shape[1] * shape[2];
  const images = compiled
    ? compiled.run(seeds.images.subarray(0, seeds.count * size), seeds.count, batchSize)[0]
    : generateTfjs(g, seeds, attack, batchSize);
  const ms = performance.now() - started;
  return {
    images,
    count: seeds.count,
    msPerInput: seeds.count ? ms / seeds.count : 0,
    engine: compiled ? 'ort' : 'tfjs',
    ...(compiled ? { compileMs } : {}),
  };
}

function generateTfjs(g: Generator, seeds: ImageBatch, attack: Attack, batchSize: number): Float32Array {
  const input: InputSpec = g.input;
  const size = input.height * input.width * input.channels;
  const out = new Float32Array(seeds.count * size);
  for (let start = 0; start < seeds.count; start += batchSize) {
    const n = Math.min(batchSize, seeds.count - start);
    const adv = tf.tidy(() => {
      const x = tf.tensor4d(seeds.images.subarray(start * size, (start + n) * size), [n, input.height, input.width, input.channels]);
      return perturb(x, g.apply(x, false), attack.norm, attack.epsilon, input.range, g.bound);
    });
    // Read outside tidy: tidy walks a returned TypedArray element by element.
    out.set(adv.dataSync(), start * size);
    adv.dispose();
  }
  return out;
}
