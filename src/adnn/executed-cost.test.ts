import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset, takeSeeded } from '../data/index.js';
import { initBackend } from '../engine/index.js';
import { InferenceEngine } from '../engine/ort/index.js';
import type { AdaptiveNetwork, AdnnKind, AdnnMeta } from './contract.js';
import { executedFlops } from './executed-cost.js';
import { runBatched } from './execute.js';
import { loadAdnn } from './model-io.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

/** Base 10 FLOPs, three blocks of 1, 2 and 4: every subset of blocks has its own cost. */
const meta = (kind: AdnnKind): AdnnMeta => ({
  name: 'hand',
  arch: 'hand',
  kind,
  input: { height: 1, width: 1, channels: 1, range: [0, 1] },
  numClasses: 2,
  baseFlops: 10,
  blocks: [
    { name: 'a', flops: 1 },
    { name: 'b', flops: 2 },
    { name: 'c', flops: 4 },
  ],
});

function costs(kind: AdnnKind, p: number[][], tau: number): number[] {
  const t = tf.tensor2d(p);
  const out = executedFlops(meta(kind), t, tau);
  const values = Array.from(out.dataSync());
  tf.dispose([t, out]);
  return values;
}

describe('executedFlops (Eq. 5 in tensor ops) on hand-built p', () => {
  it('skipping: block i runs iff p_i > tau, a tie at tau does not run', () => {
    const p = [
      [0.6, 0.5, 0.9], // a, c: 10 + 1 + 4
      [0.4, 0.51, 0.2], // b: 10 + 2
      [0.5, 0.5, 0.5], // none (all ties): 10
      [1, 1, 1], // all: 17
    ];
    expect(costs('skipping', p, 0.5)).toEqual([15, 12, 10, 17]);
    // At tau 0.25: 0.4 and 0.5 now run; 0.2 still does not.
    expect(costs('skipping', p, 0.25)).toEqual([17, 13, 17, 17]);
  });

  it('early exit: block i runs iff every confidence 1 - p_j, j <= i, is below tau (the first confident exit stops all later blocks)', () => {
    const p = [
      [0.6, 0.9, 0.7], // never confident: 17
      [0.6, 0.5, 0.9], // exit 2 confident at the tie 0.5: a only, c's high p does not count: 11
      [0.4, 0.9, 0.9], // exit 1 confident: none: 10
      [0.9, 0.9, 0.3], // a, b: 13
    ];
    expect(costs('early-exit', p, 0.5)).toEqual([17, 11, 10, 13]);
    // tau 0.25: running needs 1 - p < 0.25, i.e. p > 0.75; a tie at 0.75 stops.
    expect(costs('early-exit', [[0.875, 0.75, 0.9], [0.875, 0.875, 0.875], [0.5, 1, 1]], 0.25)).toEqual([11, 17, 10]);
  });

  it('a NaN p never runs its block, and an early exit stops there', () => {
    expect(costs('skipping', [[Number.NaN, 0.9, 0.9]], 0.5)).toEqual([16]);
    expect(costs('early-exit', [[0.9, Number.NaN, 0.9]], 0.5)).toEqual([11]);
  });
});

/**
 * On trained tiny models, the cost judged from soft(x, tau) equals the FLOPs
 * the real adaptive execution counts, input by input, on seeds and on noisy
 * copies of them (which take other paths), at two thresholds.
 */
describe('executedFlops against the real adaptive execution', () => {
  const nets = new Map<string, AdaptiveNetwork>();
  let images: Float32Array;
  let count: number;
  const ort = new InferenceEngine({ gradients: 'ort', threads: 1 });

  beforeAll(async () => {
    for (const name of ['sdn-tiny', 'ranet-tiny', 'skipnet-tiny', 'blockdrop-tiny']) nets.set(name, (await loadAdnn(`fixtures/models/${name}`)).network);
    const ds = takeSeeded(await loadDataset({ name: 'fashion-mnist-embedded', split: 'test' }), 16, 7);
    // The seeds, then copies with +-0.3 noise (deterministic), clamped to [0, 1].
    images = new Float32Array(ds.images.length * 2);
    images.set(ds.images);
    ds.images.forEach((v, i) => {
      images[ds.images.length + i] = Math.min(1, Math.max(0, v + 0.3 * Math.sin(7 * i)));
    });
    count = ds.count * 2;
  });
  afterAll(() => {
    for (const net of nets.values()) net.dispose();
  });

  for (const name of ['sdn-tiny', 'ranet-tiny', 'skipnet-tiny', 'blockdrop-tiny']) {
    it(name, () => {
      const net = nets.get(name)!;
      const { height, width, channels } = net.meta.input;
      const distinct = new Set<number>();
      for (const tau of [0.5, 0.8]) {
        const real = runBatched(net, { images, count }, tau).flops;
        const x = tf.tensor4d(images, [count, height, width, channels]);
        const judged = tf.tidy(() => executedFlops(net.meta, net.soft(x, tau).p, tau).dataSync());
        x.dispose();
        // The same, traced into an onnxruntime program as attack steps run it (an error if it cannot be lowered).
        const shape = tf.zeros([count, height, width, channels]);
        const program = ort.program(net, `executedFlops ${tau}`, net.namedWeights().values(), () => ({
          inputs: [shape],
          fn: (input) => [executedFlops(net.meta, net.soft(input as tf.Tensor4D, tau).p, tau)],
        }));
        shape.dispose();
        const traced = program!.run([images]).outputs[0];
        // float32 in the graph: equal to the counted FLOPs up to its rounding.
        for (const got of [judged, traced]) got.forEach((f, i) => expect(Math.abs(f - real[i])).toBeLessThanOrEqual(real[i] * 1e-6));
        for (const f of real) distinct.add(f);
      }
      // Not trivially equal: the inputs took several paths.
      expect(distinct.size).toBeGreaterThan(1);
    });
  }
});
