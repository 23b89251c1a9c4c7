import * as tf from '@tensorflow/tfjs-core';
import type { ImageBatch, InputSpec } from '../adnn/index.js';
import { perturb, type Attack, type GeneratedInputs } from '../generator/index.js';
import { seededNormal, seededUniform } from '../nn/index.js';

/**
 * Uniform random noise in the epsilon ball: what any perturbation of that size
 * does by chance. Linf: every pixel from U(-eps, eps). L2: a uniform point of the
 * ball (Gaussian direction, radius eps * u^(1/d)).
 */
export function randomNoise(seeds: ImageBatch, input: InputSpec, attack: Attack, seed: number): GeneratedInputs {
  const shape: [number, number, number, number] = [seeds.count, input.height, input.width, input.channels];
  const started = performance.now();
  const adv = tf.tidy(() => {
    const x = tf.tensor4d(seeds.images, shape);
    const delta = attack.norm === 'linf' ? seededUniform(shape, -attack.epsilon, attack.epsilon, seed) : l2Ball(shape, attack.epsilon, seed);
    return perturb(x, delta as tf.Tensor4D, attack.norm, attack.epsilon, input.range);
  });
  const images = adv.dataSync() as Float32Array;
  adv.dispose();
  const ms = performance.now() - started;
  return { images, count: seeds.count, msPerInput: seeds.count ? ms / seeds.count : 0 };
}

function l2Ball(shape: [number, number, number, number], epsilon: number, seed: number): tf.Tensor {
  const d = shape[1] * shape[2] * shape[3];
  const g = seededNormal(shape, 0, 1, seed);
  const norm = tf.sqrt(tf.sum(tf.square(g), [1, 2, 3], true));
  const radius = tf.mul(epsilon, tf.pow(seededUniform([shape[0], 1, 1, 1], 0, 1, seed + 1), 1 / d));
  return tf.mul(tf.div(g, norm), radius);
}
