import * as tf from '@tensorflow/tfjs-core';
import type { AdaptiveNetwork } from '../../src/adnn/index.js';

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
