import * as tf from '@tensorflow/tfjs-core';
import type { ImageBatch, InputSpec } from '../adnn/index.js';
import type { Generator } from './architecture.js';
import { perturb, type Norm } from './projection.js';

export interface Attack {
  norm: Norm;
  epsilon: number;
}

export interface GeneratedInputs extends ImageBatch {
  /** Wall time of the online generation (G forward + projection) per input. */
  msPerInput: number;
}

/** Online generation: one forward pass of G per batch, then projection (the method's speed advantage). */
export function generate(g: Generator, seeds: ImageBatch, attack: Attack, batchSize = 64): GeneratedInputs {
  const input: InputSpec = g.input;
  const size = input.height * input.width * input.channels;
  const out = new Float32Array(seeds.count * size);
  const started = performance.now();
  for (let start = 0; start < seeds.count; start += batchSize) {
    const n = Math.min(batchSize, seeds.count - start);
    const adv = tf.tidy(() => {
      const x = tf.tensor4d(seeds.images.subarray(start * size, (start + n) * size), [n, input.height, input.width, input.channels]);
      return perturb(x, g.apply(x, false), attack.norm, attack.epsilon, input.range);
    });
    // Read outside tidy: tidy walks a returned TypedArray element by element.
    out.set(adv.dataSync(), start * size);
    adv.dispose();
  }
  const ms = performance.now() - started;
  return { images: out, count: seeds.count, msPerInput: seeds.count ? ms / seeds.count : 0 };
}
