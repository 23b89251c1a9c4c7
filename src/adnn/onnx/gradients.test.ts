import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useCpu } from '../../../test/helpers/tf.js';
import { initBackend } from '../../engine/index.js';
import { InferenceEngine } from '../../engine/ort/index.js';
import { compileStagedOrt } from '../stages/index.js';
import { loadAdnn } from '../model-io.js';
import { loadOnnxAdnn } from './index.js';
import type { OnnxNetwork } from './network.js';

/**
 * Gradients through the interpreter: against finite differences of its own
 * forward pass, across backends (wasm differentiates depthwise convolutions
 * by taps), and against the zoo's sdn-tiny exported to ONNX by its PyTorch
 * twin (the zoo's own tfjs gradients).
 */

const root = fileURLToPath(new URL('../../../', import.meta.url));
const input = { layout: 'NCHW' as const, mean: [0.286], std: [0.353] };

/** Deterministic values in [lo, hi) (a linear congruential sequence). */
function sequence(n: number, seed: number, lo: number, hi: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return lo + ((hi - lo) * s) / 2 ** 31;
  });
}

const images = (n: number, seed: number) => tf.tensor4d(sequence(n * 784, seed, 0.1, 0.9), [n, 28, 28, 1]);

/** d/dh f(x + h v) at 0 by central differences against <grad f(x), v>. */
function directional(f: (x: tf.Tensor4D) => tf.Scalar, x: tf.Tensor4D, v: tf.Tensor4D, h: number): { numeric: number; analytic: number } {
  const grad = tf.grad(f)(x);
  const analytic = tf.sum(tf.mul(grad, v)).dataSync()[0];
  const at = (s: number) => tf.tidy(() => f(tf.add(x, tf.mul(v, s)) as tf.Tensor4D).dataSync()[0]);
  const numeric = (at(h) - at(-h)) / (2 * h);
  grad.dispose();
  return { numeric, analytic };
}

describe('gradients through the ONNX interpreter', () => {
  let early: OnnxNetwork;
  let gated: OnnxNetwork;
  beforeAll(async () => {
    await useCpu();
    early = loadOnnxAdnn({ file: `${root}fixtures/onnx/early-exit.onnx`, structure: { kind: 'early-exit', exits: ['exit0', 'exit1', 'final'] }, input });
    const blocks = [0, 1, 2].map((k) => ({ input: `in${k}`, output: `out${k}`, gate: `gate${k}` }));
    gated = loadOnnxAdnn({ file: `${root}fixtures/onnx/gated.onnx`, structure: { kind: 'skipping', blocks }, input });
  });
  afterAll(() => {
    early.dispose();
    gated.dispose();
  });

  it('match finite differences on every exit of the early-exit CNN', () => {
    const x = images(2, 1);
    const v = tf.tensor4d(sequence(2 * 784, 2, -1, 1), [2, 28, 28, 1]);
    const w = early.exitLogits(x).map((_, k) => tf.tensor2d(sequence(20, 10 + k, -1, 1), [2, 10]));
    const f = (y: tf.Tensor4D) => tf.addN(early.exitLogits(y).map((l, k) => tf.sum(tf.mul(l, w[k])))) as tf.Scalar;
    const { numeric, analytic } = directional(f, x, v, 1e-3);
    expect(Math.abs(analytic)).toBeGreaterThan(0.1);
    expect(Math.abs(numeric - analytic)).toBeLessThan(0.01 * Math.abs(analytic));
    tf.dispose([x, v, ...w]);
  });

  it('match finite differences on the gated CNN\'s first gate', () => {
    // Test images whose first gates are near 0.5, where the sigmoid is steep (noise saturates them).
    const ref = JSON.parse(readFileSync(`${root}fixtures/onnx/gated.reference.json`, 'utf8')) as { images: number[][] };
    const x = tf.tensor4d([...ref.images[3], ...ref.images[5]].map((v) => v / 255), [2, 28, 28, 1]);
    const v = tf.tensor4d(sequence(2 * 784, 4, -1, 1), [2, 28, 28, 1]);
    // Later gates and the logits read the straight-through decisions, whose
    // gradient (that of p) differences cannot see; the first gate reads the stem only.
    const f = (y: tf.Tensor4D) => tf.sum(tf.slice(gated.soft(y, 0.5).p, [0, 0], [-1, 1])) as tf.Scalar;
    // A small step: at 1e-3 some of the stem's ReLUs change sides (differences drift by ~5 %).
    const { numeric, analytic } = directional(f, x, v, 1e-4);
    expect(Math.abs(analytic)).toBeGreaterThan(0.01);
    expect(Math.abs(numeric - analytic)).toBeLessThan(0.02 * Math.abs(analytic));
    tf.dispose([x, v]);
  });

  it('are the same on wasm (depthwise by taps) as on cpu', async () => {
    const loss = () => {
      const x = images(2, 5);
      const g = tf.grad((y: tf.Tensor4D) => tf.sum(tf.mul(early.soft(y).p, tf.tensor2d([1, 2, 3, 4], [2, 2]))) as tf.Scalar)(x);
      const out = g.dataSync().slice();
      tf.dispose([x, g]);
      return out;
    };
    const onCpu = loss();
    await initBackend({ backend: 'wasm' });
    try {
      const onWasm = loss();
      const scale = Math.max(...onCpu.map(Math.abs));
      expect(scale).toBeGreaterThan(0);
      expect(Math.max(...onWasm.map((g, i) => Math.abs(g - onCpu[i])))).toBeLessThan(1e-4 * scale);
    } finally {
      await useCpu();
    }
  });
});

const hasTorch = spawnSync('/usr/bin/python3.11', ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;

// Needs python3-torch to export the zoo model; the fixtures above cover the rest where it is missing.
describe.skipIf(!hasTorch)('the zoo\'s sdn-tiny exported to ONNX by its PyTorch twin', () => {
  it('has the zoo\'s FLOPs, exit logits, input gradients and adaptive execution', async () => {
    await useCpu();
    const file = join(mkdtempSync(join(tmpdir(), 'onnx-sdn-')), 'sdn-tiny.onnx');
    const exported = spawnSync('/usr/bin/python3.11', [`${root}fixtures/onnx/export_sdn_tiny.py`, `${root}fixtures/models/sdn-tiny`, file], {
      encoding: 'utf8',
      env: { ...process.env, OPENBLAS_NUM_THREADS: '1' },
    });
    expect(exported.status, exported.stderr).toBe(0);
    const zoo = (await loadAdnn(`${root}fixtures/models/sdn-tiny`)).network;
    const onnx = loadOnnxAdnn({ file, structure: { kind: 'early-exit', exits: ['exit0', 'exit1', 'exit2', 'exit3'] }, input: { layout: 'NCHW' } });
    expect(onnx.meta.baseFlops).toBe(zoo.meta.baseFlops);
    expect(onnx.meta.blocks.map((b) => b.flops)).toEqual(zoo.meta.blocks.map((b) => b.flops));
    const x = images(3, 7);
    const a = zoo.exitLogits!(x).map((l) => l.dataSync());
    const b = onnx.exitLogits(x).map((l) => l.dataSync());
    a.forEach((l, k) => expect(Math.max(...l.map((v, i) => Math.abs(v - b[k][i])))).toBeLessThan(1e-4));
    const w = tf.tensor2d(sequence(9, 9, 0, 1), [3, 3]);
    const gradOf = (net: { soft(x: tf.Tensor4D): { p: tf.Tensor2D } }) => tf.grad((y: tf.Tensor4D) => tf.sum(tf.mul(net.soft(y).p, w)) as tf.Scalar)(x).dataSync();
    const gz = gradOf(zoo);
    const go = gradOf(onnx);
    const scale = Math.max(...gz.map(Math.abs));
    expect(scale).toBeGreaterThan(0);
    expect(Math.max(...go.map((g, i) => Math.abs(g - gz[i])))).toBeLessThan(1e-3 * scale);
    // The real execution cut from the graph (its pad arithmetic recomputed in every stage) on onnxruntime.
    const staged = compileStagedOrt(new InferenceEngine({ choice: 'ort', threads: 1 }), onnx)!;
    const fromOrt = staged.run(x.dataSync() as Float32Array, 3, 0.5);
    const fromZoo = zoo.run(x, 0.5);
    expect([...fromOrt.ran]).toEqual([...fromZoo.ran]);
    expect([...fromOrt.flops]).toEqual([...fromZoo.flops]);
    expect([...fromOrt.predictions]).toEqual([...fromZoo.predictions]);
    zoo.dispose();
    onnx.dispose();
  }, 120_000);
});
