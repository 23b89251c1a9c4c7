import * as tf from '@tensorflow/tfjs-core';
import type { AdaptiveNetwork } from '../../src/adnn/index.js';

/** Thresholds at which a model of each kind runs the fewest / the most blocks. */
export function extremeThresholds(network: AdaptiveNetwork): { fewest: number; most: number } {
  // Skipping: block runs iff p > tau. Early exit: leave at the first exit with confidence >= tau.
  return network.meta.kind === 'skipping' ? { fewest: 1.01, most: -0.01 } : { fewest: 0, most: 1.01 };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * Median wall time of the real adaptive execution of the same batch at the
 * two extreme thresholds, interleaved so machine noise hits both alike.
 */
export function adaptiveTimes(network: AdaptiveNetwork, batch: number, repeats = 7, seed = 1): { fewestMs: number; mostMs: number; fewestFlops: number; mostFlops: number } {
  const { height, width, channels, range } = network.meta.input;
  const x = tf.randomUniform([batch, height, width, channels], range[0], range[1], 'float32', seed) as tf.Tensor4D;
  const { fewest, most } = extremeThresholds(network);
  const mean = (a: Float64Array) => a.reduce((s, v) => s + v, 0) / a.length;
  const fewestFlops = mean(network.run(x, fewest).flops); // also the warm-up
  const mostFlops = mean(network.run(x, most).flops);
  const tf1: number[] = [];
  const tf2: number[] = [];
  for (let i = 0; i < repeats; i++) {
    let t = performance.now();
    network.run(x, fewest);
    tf1.push(performance.now() - t);
    t = performance.now();
    network.run(x, most);
    tf2.push(performance.now() - t);
  }
  x.dispose();
  return { fewestMs: median(tf1), mostMs: median(tf2), fewestFlops, mostFlops };
}
