
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { greyImages as images, sequence } from '../../../test/helpers/numeric.js';
import { useCpu } from '../../../test/helpers/tf.js';
import { initBackend } from '../../engine/index.js';
import { loadOnnxAdnn } from './index.js';
import type { OnnxNetwork } from './network.js';

/**
 * Gradients through the interpreter: against finite differences of its own
 * forward pass, across backends (wasm differentiates depthwise convolutions
 * by taps). Against the zoo's sdn-tiny exported to ONNX by its PyTorch twin:
 * gradients-torch.e2e.test.ts (the e2e tier).
 */

const root = fileURLToPath(new URL('../../../', import.meta.url));
const input = { layout: 'NCHW' as const, mean: [0.286], std: [0.353] };


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
