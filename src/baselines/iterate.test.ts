import * as tf from '@tensorflow/tfjs-core';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAdnn, zooEntry, type AdaptiveNetwork } from '../adnn/index.js';
import { loadDataset, takeSeeded } from '../data/index.js';
import { initBackend } from '../engine/index.js';
import { defaultInferenceEngine, InferenceEngine, setDefaultInferenceEngine, type SplitProgram } from '../engine/ort/index.js';
import { packageRoot } from '../util/package-root.js';
import { deepsloth } from './deepsloth.js';
import { ilfo } from './ilfo.js';
import { padRows, runAttackLoop } from './iterate.js';
import { oneGateModel } from './one-gate.fixture.js';
import { refine } from './refine.js';

/**
 * The attack loops compiled into one onnxruntime program per iteration give
 * what the same loops give on tfjs's kernels (the path before programs),
 * on the shipped sdn-tiny and on random-weight tiny zoo models.
 */

let network: AdaptiveNetwork;
let seeds: { images: Float32Array; count: number };
const before = defaultInferenceEngine();

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  network = (await loadAdnn(join(packageRoot(), 'fixtures', 'models', 'sdn-tiny'))).network;
  const ds = takeSeeded(await loadDataset({ name: 'fashion-mnist-embedded', split: 'test' }), 4, 5);
  seeds = { images: ds.images, count: ds.count };
});
afterAll(() => setDefaultInferenceEngine(before));

/** Runs `attack` with gradients on onnxruntime (an error if it cannot) and on tfjs. */
function onBoth(attack: () => Float32Array): { ort: Float32Array; tfjs: Float32Array } {
  setDefaultInferenceEngine(new InferenceEngine({ gradients: 'ort', threads: 1 }));
  const ort = attack();
  setDefaultInferenceEngine(new InferenceEngine({ gradients: 'tfjs' }));
  return { ort, tfjs: attack() };
}

const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe('attack loops on onnxruntime and on tfjs', () => {
  it('ILFO (Adam, 20 iterations) on the shipped sdn-tiny', () => {
    const attack = { norm: 'linf' as const, epsilon: 0.1, tau: 0.5 };
    const r = onBoth(() => ilfo(network, seeds, attack, 0, { iterations: 20 }).images);
    // Adam divides by sqrt(v): its first step (t = 1) is lr * sign(g), so a
    // pixel whose gradient is float noise moves by up to lr on either engine,
    // and later steps carry that on. All others agree; none differs by a step.
    const d = Array.from(r.ort, (v, i) => Math.abs(v - r.tfjs[i])).sort((a, b) => a - b);
    expect(d[Math.floor(d.length * 0.99)]).toBeLessThan(5e-5);
    expect(d[d.length - 1]).toBeLessThan(5e-4);
  });

  it('DeepSloth L2 (10 iterations) on the shipped sdn-tiny', () => {
    const attack = { norm: 'l2' as const, epsilon: 1, tau: 0.5 };
    const r = onBoth(() => deepsloth(network, seeds, attack, 3, { l2Iterations: 10 }).images);
    expect(maxDiff(r.ort, r.tfjs)).toBeLessThan(1e-4);
  });

  it('deepperform-refine (Adam under Linf, 5 steps, DeepSloth loss) on the shipped sdn-tiny', () => {
    const attack = { norm: 'linf' as const, epsilon: 0.1, tau: 0.5 };
    const start = { images: seeds.images.slice(), count: seeds.count, msPerInput: 0 };
    const r = onBoth(() => refine(network, seeds, start, attack, { steps: 5, keep: 'last' }).images);
    // As for ILFO: Adam's first step is the sign of g, so a pixel whose gradient is float noise may step either way.
    const d = Array.from(r.ort, (v, i) => Math.abs(v - r.tfjs[i])).sort((a, b) => a - b);
    expect(d[Math.floor(d.length * 0.99)]).toBeLessThan(1e-5);
    expect(d[d.length - 1]).toBeLessThan(0.1);
  });

  it('deepperform-refine (PGD under L2, 5 steps, ILFO loss, costliest kept) on the shipped sdn-tiny', () => {
    const attack = { norm: 'l2' as const, epsilon: 1, tau: 0.5 };
    const start = { images: seeds.images.slice(), count: seeds.count, msPerInput: 0 };
    const r = onBoth(() => refine(network, seeds, start, attack, { steps: 5, loss: 'ilfo' }).images);
    expect(maxDiff(r.ort, r.tfjs)).toBeLessThan(1e-4);
  });

  for (const name of ['ranet-tiny', 'skipnet-tiny', 'blockdrop-tiny']) {
    it(`ILFO (SGD, 5 iterations) on a random-weight ${name}`, () => {
      const entry = zooEntry(name);
      const net = entry.build(entry.defaultConfig({ height: 28, width: 28, channels: 1, range: [0, 1] }, 10), 1);
      const attack = { norm: 'linf' as const, epsilon: 0.1, tau: 0.5 };
      const r = onBoth(() => ilfo(net, seeds, attack, 0, { iterations: 5, optimizer: 'sgd', learningRate: 0.01, lambda: 1 }).images);
      expect(maxDiff(r.ort, r.tfjs)).toBeLessThan(1e-4);
      net.dispose();
    });
  }
});

/** Counts the loops that ran split over threads. */
class CountingEngine extends InferenceEngine {
  splits = 0;
  /** The key of each program split (it names the part's shape). */
  keys: string[] = [];
  override splitProgram(...args: Parameters<InferenceEngine['splitProgram']>): SplitProgram | undefined {
    const program = super.splitProgram(...args);
    if (program) this.splits++;
    if (program) this.keys.push(args[1]);
    return program;
  }
}

/**
 * The batch split into one part per thread (two threads) gives what one
 * session over the whole batch gives (one thread), on the same seeds: 7 of
 * them, so the second part is padded.
 */
describe('attack loops split over threads', () => {
  let seven: { images: Float32Array; count: number };
  beforeAll(async () => {
    const ds = takeSeeded(await loadDataset({ name: 'fashion-mnist-embedded', split: 'test' }), 7, 9);
    seven = { images: ds.images, count: ds.count };
  });

  function splitAndWhole(attack: () => Float32Array): { split: Float32Array; whole: Float32Array; splits: number; keys: string[] } {
    const engine = setDefaultInferenceEngine(new CountingEngine({ gradients: 'ort', threads: 2 })) as CountingEngine;
    const split = attack();
    setDefaultInferenceEngine(new InferenceEngine({ gradients: 'ort', threads: 1 }));
    return { split, whole: attack(), splits: engine.splits, keys: engine.keys };
  }

  it('ILFO (Adam, 20 iterations): the same inputs', () => {
    const attack = { norm: 'linf' as const, epsilon: 0.1, tau: 0.5 };
    const r = splitAndWhole(() => ilfo(network, seven, attack, 0, { iterations: 20 }).images);
    expect(r.splits).toBe(1);
    expect(maxDiff(r.split, r.whole)).toBeLessThan(1e-6);
    // Not trivially equal: the attack moved the inputs.
    expect(maxDiff(r.split, seven.images)).toBeGreaterThan(1e-3);
  });

  it('ILFO in batches of 4 (4 + 3 seeds, each batch split)', () => {
    const attack = { norm: 'linf' as const, epsilon: 0.1, tau: 0.5 };
    const r = splitAndWhole(() => ilfo(network, seven, attack, 0, { iterations: 10, batchSize: 4 }).images);
    expect(r.splits).toBe(2);
    expect(maxDiff(r.split, r.whole)).toBeLessThan(1e-6);
  });

  it('DeepSloth Linf and L2', () => {
    for (const norm of ['linf', 'l2'] as const) {
      const attack = { norm, epsilon: norm === 'linf' ? 0.1 : 1, tau: 0.5 };
      const r = splitAndWhole(() => deepsloth(network, seven, attack, 3, { linfSteps: 5, l2Iterations: 5 }).images);
      expect(r.splits).toBe(1);
      expect(maxDiff(r.split, r.whole)).toBeLessThan(1e-5);
    }
  });

  it('parts smaller than the batch over the threads run in rounds: the same state, one tick per iteration', () => {
    // In parts of at most 2 on 2 threads: 7 inputs make 4 parts of 2 (the last padded) in 2 full
    // rounds; 5 inputs make 3 parts, the second round one part with a thread idle.
    // Each iteration adds x * s to the state: after s = 1, 2, 3 it is x * 6.
    for (const n of [7, 5]) {
      const engine = setDefaultInferenceEngine(new CountingEngine({ gradients: 'ort', threads: 2 })) as CountingEngine;
      const x = tf.tensor4d(Float32Array.from({ length: n }, (_, i) => i + 1), [n, 1, 1, 1]);
      const acc = tf.variable(tf.zerosLike(x), false);
      let ticks = 0;
      const ran = runAttackLoop({
        network: oneGateModel(),
        x,
        state: [acc],
        iterations: 3,
        key: 'add x * s',
        partSize: 2,
        tick: () => ticks++,
        scalars: (i) => Float32Array.of(i + 1),
        step: (seeds, scalars, [a]) => a.assign(tf.add(a, tf.mul(seeds, tf.reshape(scalars, [])))),
      });
      expect(ran).toBe('ort');
      expect(engine.keys).toEqual(['add x * s [2,1,1,1] state [2,1,1,1]']);
      expect(Array.from(acc.dataSync())).toEqual([6, 12, 18, 24, 30, 36, 42].slice(0, n));
      expect(ticks).toBe(3);
      tf.dispose([x, acc]);
    }
  });

  /**
   * Five inputs 1..5 in parts of 3 over 2 threads, asking for a symbolic
   * batch; the step adds x * s to the state for s = 1, 2, 3, so the state
   * ends at 6x whichever program ran. Returns the programs the engine built.
   */
  function freeBatchLoop(key: string, extra: (seeds: tf.Tensor4D) => tf.Tensor4D): string[] {
    const engine = setDefaultInferenceEngine(new CountingEngine({ gradients: 'ort', threads: 2 })) as CountingEngine;
    const x = tf.tensor4d(Float32Array.from({ length: 5 }, (_, i) => i + 1), [5, 1, 1, 1]);
    const acc = tf.variable(tf.zerosLike(x), false);
    const ran = runAttackLoop({
      network: oneGateModel(),
      x,
      state: [acc],
      iterations: 3,
      key,
      partSize: 3,
      freeBatch: true,
      tick: () => undefined,
      scalars: (i) => Float32Array.of(i + 1),
      step: (seeds, scalars, [a]) => a.assign(tf.add(a, tf.mul(extra(seeds), tf.reshape(scalars, [])))),
    });
    expect(ran).toBe('ort');
    // x * (1 + 2 + 3), by hand.
    expect(Array.from(acc.dataSync())).toEqual([6, 12, 18, 24, 30]);
    tf.dispose([x, acc]);
    return engine.keys;
  }

  it('a step the lowering refuses with a symbolic batch (a reduction over it) runs the part-size program', () => {
    const key = 'add x * s, minus a zero batch sum';
    const keys = freeBatchLoop(key, (seeds) => tf.add(seeds, tf.sub(tf.sum(seeds, 0, true), tf.sum(seeds, 0, true))));
    expect(keys).toEqual([`${key} [3,1,1,1] state [3,1,1,1]`]);
  });

  it('a step that lowers with a symbolic batch but fails at a part\'s size runs the part-size program', () => {
    const key = 'add x * s, through an identity made at the trace batch';
    // An identity matrix made at the trace's batch (2), fed to MatMul: the same values at 2 rows, a failed run at 3.
    const keys = freeBatchLoop(key, (seeds) => {
      const b = seeds.shape[0];
      return tf.reshape(tf.matMul(tf.eye(b), tf.reshape(seeds, [b, 1])), seeds.shape);
    });
    // The symbolic-batch program was built first, then the part-size one ran.
    expect(keys.some((k) => k.includes('[b,1,1,1]'))).toBe(true);
    expect(keys).toContain(`${key} [3,1,1,1] state [3,1,1,1]`);
  });

  it('refine splits whether it keeps the last iterate or the costliest (judged inside the step)', () => {
    const attack = { norm: 'linf' as const, epsilon: 0.1, tau: 0.5 };
    const start = { images: seven.images.slice(), count: seven.count, msPerInput: 0 };
    for (const keep of ['last', 'costliest'] as const) {
      const r = splitAndWhole(() => refine(network, seven, start, attack, { steps: 5, keep }).images);
      // One program with a symbolic batch runs both parts (4 and 3 inputs); the whole batch runs a fixed-shape one.
      expect(r.splits).toBe(1);
      expect(r.keys[0]).toMatch(/ \[b,28,28,1\] state (\[b(,28,28,1)?\])+$/);
      expect(maxDiff(r.split, r.whole)).toBeLessThan(1e-5);
      expect(maxDiff(r.split, seven.images)).toBeGreaterThan(1e-3);
    }
  });

  // Each model's backward pass lowered with a symbolic batch (max-pool and resize gradients among them); one norm each to stay fast.
  for (const [name, norm] of [['ranet-tiny', 'linf'], ['skipnet-tiny', 'l2'], ['blockdrop-tiny', 'linf']] as const) {
    it(`refine (5 steps, ${norm}) on a random-weight ${name}: one program with a symbolic batch over 2 threads, as the fixed one over the batch`, () => {
      const entry = zooEntry(name);
      const net = entry.build(entry.defaultConfig({ height: 28, width: 28, channels: 1, range: [0, 1] }, 10), 1);
      const start = { images: seven.images.slice(), count: seven.count, msPerInput: 0 };
      const attack = { norm, epsilon: norm === 'linf' ? 0.1 : 1, tau: 0.5 };
      const r = splitAndWhole(() => refine(net, seven, start, attack, { steps: 5 }).images);
      expect(r.keys[0]).toContain('[b,28,28,1]');
      expect(maxDiff(r.split, r.whole)).toBeLessThan(1e-5);
      net.dispose();
    });
  }
});

describe('padRows', () => {
  // 3 rows of 2 values.
  const data = Float32Array.of(1, 2, 3, 4, 5, 6);
  it('takes whole rows from inside the batch', () => {
    expect(Array.from(padRows(data, 3, 1, 2))).toEqual([3, 4, 5, 6]);
  });
  it('pads past the batch with copies of the part\'s first row', () => {
    expect(Array.from(padRows(data, 3, 2, 3))).toEqual([5, 6, 5, 6, 5, 6]);
  });
});
