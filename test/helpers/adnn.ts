import * as tf from '@tensorflow/tfjs-core';
import type { AdaptiveNetwork, LabelledImages } from '../../src/adnn/index.js';

/** `count` 28x28x1 images of a fixed pixel pattern, labels cycling through 10 classes: training input for tests. */
export function patternImages(count: number): LabelledImages {
  const images = new Float32Array(count * 784).map((_, i) => ((i * 7919) % 256) / 255);
  const labels = Int32Array.from({ length: count }, (_, i) => i % 10);
  return { images, labels, count, numClasses: 10 };
}

/** Batch-norm statistics away from 0 / 1, as after training, so inference-mode BN is exercised. */
export function shiftStatistics(net: AdaptiveNetwork, seed: number): void {
  let s = seed;
  for (const [name, v] of net.namedWeights()) {
    const value = name.endsWith('running_mean')
      ? tf.randomNormal(v.shape, 0, 0.2, 'float32', s++)
      : name.endsWith('running_var')
        ? tf.randomUniform(v.shape, 0.5, 1.5, 'float32', s++)
        : undefined;
    if (!value) continue;
    v.assign(value);
    value.dispose();
  }
}
