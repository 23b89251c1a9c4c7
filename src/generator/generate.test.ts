import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpu } from '../../test/helpers/tf.js';
import { InferenceEngine, OrtFallbackWarning, OrtUnavailableError } from '../engine/ort/index.js';
import { Generator } from './architecture.js';
import { generate } from './generate.js';

beforeAll(useCpu);

/** Random weights, and batch-norm statistics far from their initial 0 / 1, so inference-mode BN matters. */
function trainedLooking(g: Generator, seed: number): void {
  let s = seed;
  for (const [name, v] of g.store.named()) {
    const next = s++;
    const value = name.endsWith('running_var')
      ? tf.randomUniform(v.shape, 0.3, 2.5, 'float32', next)
      : name.endsWith('running_mean') || name.endsWith('.bias')
        ? tf.randomNormal(v.shape, 0, 0.5, 'float32', next)
        : name.endsWith('.weight') && v.shape.length === 1
          ? tf.randomUniform(v.shape, 0.5, 1.5, 'float32', next)
          : tf.randomNormal(v.shape, 0, 0.1, 'float32', next);
    v.assign(value);
    value.dispose();
  }
}

function maxAbsDiff(a: Float32Array | Int32Array | Uint8Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function seedImages(count: number, h: number, c: number, seed: number): { images: Float32Array; count: number } {
  const t = tf.randomUniform([count, h, h, c], 0, 1, 'float32', seed);
  const images = t.dataSync() as Float32Array;
  t.dispose();
  return { images, count };
}

const ort = () => new InferenceEngine({ choice: 'ort' });

describe('generator on onnxruntime', () => {
  for (const [h, c] of [
    [28, 1],
    [32, 3],
  ] as const) {
    for (const width of [8, 16]) {
      it(`G(x) agrees with tfjs at ${h}x${h}x${c}, width ${width}`, () => {
        const g = new Generator({ height: h, width: h, channels: c, range: [0, 1] }, width, 7);
        trainedLooking(g, 100);
        const seeds = seedImages(5, h, c, 3);
        const compiled = ort().compile(g, 'G', g.store.named().values(), [h, h, c], (x) => [g.apply(x, false)]);
        const [onOrt] = compiled!.run(seeds.images, seeds.count, 64);
        const x = tf.tensor4d(seeds.images, [5, h, h, c]);
        const ref = g.apply(x, false);
        const expected = ref.dataSync();
        const range = Math.max(...expected) - Math.min(...expected);
        // BN with these statistics moves activations a lot; the output is not flat.
        expect(range).toBeGreaterThan(0.5);
        expect(maxAbsDiff(expected, onOrt)).toBeLessThan(1e-4 * range);
        tf.dispose([x, ref]);
        g.store.dispose();
      });
    }
  }

  it('runs a batch of any size and in chunks (the graph batch is symbolic)', () => {
    const g = new Generator({ height: 28, width: 28, channels: 1, range: [0, 1] }, 8, 2);
    trainedLooking(g, 5);
    const seeds = seedImages(7, 28, 1, 9);
    const compiled = ort().compile(g, 'G', g.store.named().values(), [28, 28, 1], (x) => [g.apply(x, false)])!;
    const whole = compiled.run(seeds.images, 7, 64)[0];
    const chunked = compiled.run(seeds.images, 7, 3)[0];
    expect(maxAbsDiff(whole, chunked)).toBeLessThan(1e-6);
    const one = compiled.run(seeds.images.subarray(6 * 784), 1, 1)[0];
    expect(maxAbsDiff(whole.subarray(6 * 784), one)).toBeLessThan(1e-6);
    g.store.dispose();
  });
});

describe('generate()', () => {
  for (const [norm, bound] of [['linf', 'project'], ['l2', 'project'], ['linf', 'scale'], ['l2', 'scale']] as const) {
    it(`gives the same ${norm} inputs on both engines, inside the ball and the range (bound ${bound})`, () => {
      const g = new Generator({ height: 28, width: 28, channels: 1, range: [0, 1] }, 8, 3, bound);
      trainedLooking(g, 40);
      const seeds = seedImages(20, 28, 1, 4);
      const attack = { norm, epsilon: norm === 'linf' ? 0.1 : 1.5 };
      // Batches of 8: two full ones and a remainder of 4.
      const a = generate(g, seeds, attack, 8, { engine: ort() });
      const b = generate(g, seeds, attack, 8, { engine: 'tfjs' });
      expect(a.engine).toBe('ort');
      expect(b.engine).toBe('tfjs');
      expect(a.count).toBe(20);
      // Relative to the perturbation's range, [-eps, eps].
      expect(maxAbsDiff(b.images, a.images)).toBeLessThan(1e-4 * 2 * attack.epsilon);
      // Hand check of the projection on one input: ||x' - x|| <= eps (+ float slack), values in [0, 1].
      const size = 784;
      for (let i = 0; i < 20; i += 7) {
        let l2 = 0;
        let linf = 0;
        for (let j = 0; j < size; j++) {
          const v = a.images[i * size + j];
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(1);
          const d = v - seeds.images[i * size + j];
          l2 += d * d;
          linf = Math.max(linf, Math.abs(d));
        }
        expect(norm === 'linf' ? linf : Math.sqrt(l2)).toBeLessThanOrEqual(attack.epsilon + 1e-5);
      }
      g.store.dispose();
    });
  }

  it('re-exports G when its weights change (e.g. between training validations)', () => {
    const g = new Generator({ height: 28, width: 28, channels: 1, range: [0, 1] }, 8, 4);
    trainedLooking(g, 1);
    const seeds = seedImages(4, 28, 1, 5);
    const attack = { norm: 'linf' as const, epsilon: 0.3 };
    const engine = ort();
    const before = generate(g, seeds, attack, 64, { engine });
    trainedLooking(g, 77);
    const after = generate(g, seeds, attack, 64, { engine });
    const reference = generate(g, seeds, attack, 64, { engine: 'tfjs' });
    expect(maxAbsDiff(before.images, after.images)).toBeGreaterThan(1e-3);
    expect(maxAbsDiff(reference.images, after.images)).toBeLessThan(1e-5);
    expect(after.compileMs).toBeGreaterThan(0);
    g.store.dispose();
  });

  it('falls back to tfjs with one warning when onnxruntime cannot load', () => {
    const warnings: OrtFallbackWarning[] = [];
    const engine = new InferenceEngine({
      choice: 'auto',
      loader: () => {
        throw new Error('libonnxruntime.so.1: cannot open shared object file');
      },
      warn: (w) => warnings.push(w),
    });
    const g = new Generator({ height: 28, width: 28, channels: 1, range: [0, 1] }, 8, 5);
    const seeds = seedImages(3, 28, 1, 6);
    const attack = { norm: 'linf' as const, epsilon: 0.1 };
    const first = generate(g, seeds, attack, 64, { engine });
    const second = generate(g, seeds, attack, 64, { engine });
    const tfjs = generate(g, seeds, attack, 64, { engine: 'tfjs' });
    expect([first.engine, second.engine]).toEqual(['tfjs', 'tfjs']);
    expect(first.images).toEqual(tfjs.images);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toBeInstanceOf(OrtFallbackWarning);
    expect(warnings[0].message).toContain('cannot open shared object file');
    expect(warnings[0].message).toContain('tfjs');
    g.store.dispose();
  });

  it('refuses to fall back when onnxruntime was asked for explicitly', () => {
    const engine = new InferenceEngine({
      choice: 'ort',
      loader: () => {
        throw new Error('no binary for this platform');
      },
    });
    const g = new Generator({ height: 28, width: 28, channels: 1, range: [0, 1] }, 8, 6);
    expect(() => generate(g, seedImages(1, 28, 1, 1), { norm: 'linf', epsilon: 0.1 }, 64, { engine })).toThrow(OrtUnavailableError);
    g.store.dispose();
  });
});
