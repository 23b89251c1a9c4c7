import * as tf from '@tensorflow/tfjs-core';
import type { InputSpec } from '../../adnn/index.js';
import type { FirstConv } from './features.js';

/**
 * A fixed, varied image in the input range (a pseudo-random pattern from a
 * multiplicative hash of the pixel index): unlike a constant image it
 * exercises every kernel tap, so different weights give different features.
 */
export function probeImage(input: InputSpec): tf.Tensor4D {
  const { height, width, channels, range } = input;
  const n = height * width * channels;
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = range[0] + ((range[1] - range[0]) * (Math.imul(i + 1, 2654435761) >>> 22)) / 1023;
  return tf.tensor4d(values, [1, height, width, channels]);
}

/** Per-channel mean, then per-channel mean |value|, of the first convolution's output on the probe image. */
export function probeFingerprint(conv: FirstConv, input: InputSpec): number[] {
  const out = tf.tidy(() => {
    const f = conv(probeImage(input));
    return tf.concat([tf.mean(f, [0, 1, 2]), tf.mean(tf.abs(f), [0, 1, 2])]);
  });
  const values = Array.from(out.dataSync());
  out.dispose();
  return values;
}

/** Whether two fingerprints agree up to backend rounding (relative to the largest value). */
export function sameFingerprint(a: number[], b: number[]): boolean {
  if (a.length !== b.length) return false;
  const scale = Math.max(1e-6, ...a.map(Math.abs));
  return a.every((v, i) => Math.abs(v - b[i]) <= 1e-3 * scale);
}
