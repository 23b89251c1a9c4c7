import * as tf from '@tensorflow/tfjs-core';
import type { AdaptiveNetwork, Execution, ImageBatch } from '../adnn/index.js';

/**
 * Test fixture for src/measure (only tests import it): a hand-made skipping
 * AdNN whose gates are a known function of the input, so every measurement
 * can be worked out by hand. Input 2x4x1 = 8 values, read as 4 quarters of 2;
 * gate i (i = 0, 1, 2) is p_i = mean of quarter i, block i runs iff p_i > tau.
 * FLOPs = 100 (always) + [10, 20, 30] for the blocks that run.
 */
export const BASE = 100;
export const BLOCK_FLOPS = [10, 20, 30];
const H = 2;
const W = 4;

export interface QuarterGatedOptions {
  /** Busy-wait this long per input in run(), given its FLOPs, so latency follows FLOPs. */
  spinMs?: (flops: number) => number;
  /** Energy meter that run() charges `joulesPerFlop` per FLOP of each input. */
  meter?: { joules: number };
  joulesPerFlop?: number;
}

export interface QuarterGated extends AdaptiveNetwork {
  /** Batch size of every run() call, in order. */
  readonly calls: number[];
}

/** Images whose quarter means are the given gate values (each quarter p - 0.1, p + 0.1; quarter 3 zero). */
export function imagesWithGates(gates: number[][]): ImageBatch {
  const images = new Float32Array(gates.length * H * W);
  gates.forEach((p, b) => p.forEach((v, i) => images.set([v - 0.1, v + 0.1], b * 8 + 2 * i)));
  return { images, count: gates.length };
}

function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // busy wait: a stand-in for computation that takes wall time
  }
}

export function quarterGated(options: QuarterGatedOptions = {}): QuarterGated {
  const calls: number[] = [];
  const k = BLOCK_FLOPS.length;
  return {
    calls,
    meta: {
      name: 'quarter-gated',
      arch: 'test/quarter-gated',
      kind: 'skipping',
      input: { height: H, width: W, channels: 1, range: [0, 1] },
      numClasses: 2,
      baseFlops: BASE,
      blocks: BLOCK_FLOPS.map((flops, i) => ({ name: `block${i}`, flops })),
    },
    soft(x) {
      return tf.tidy(() => {
        const quarters = tf.mean(tf.reshape(x, [-1, 4, 2]), 2);
        const p = tf.slice(quarters, [0, 0], [-1, k]) as tf.Tensor2D;
        return { logits: tf.zeros([x.shape[0], 2]) as tf.Tensor2D, p };
      });
    },
    run(x, tau): Execution {
      const batch = x.shape[0];
      calls.push(batch);
      const v = x.dataSync();
      const out: Execution = { predictions: new Int32Array(batch), ran: new Uint8Array(batch * k), flops: new Float64Array(batch) };
      for (let b = 0; b < batch; b++) {
        let flops = BASE;
        for (let i = 0; i < k; i++) {
          const p = (v[b * 8 + 2 * i] + v[b * 8 + 2 * i + 1]) / 2;
          if (p > tau) {
            out.ran[b * k + i] = 1;
            flops += BLOCK_FLOPS[i];
          }
        }
        out.flops[b] = flops;
        if (options.spinMs) spin(options.spinMs(flops));
        if (options.meter) options.meter.joules += flops * (options.joulesPerFlop ?? 0);
      }
      return out;
    },
    trainingLoss: () => tf.scalar(0),
    trainableVariables: () => [],
    namedWeights: () => new Map(),
    dispose: () => undefined,
  };
}
