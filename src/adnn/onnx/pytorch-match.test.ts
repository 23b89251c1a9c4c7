import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useCpu } from '../../../test/helpers/tf.js';
import { InferenceEngine } from '../../engine/ort/index.js';
import { compileStagedOrt } from '../stages/index.js';
import { loadOnnxAdnn } from './index.js';
import type { OnnxNetwork } from './network.js';

/**
 * The fixtures' models against PyTorch's own run of them
 * (fixtures/onnx/make_fixtures.py wrote the references): logits, exit
 * confidences or gate probabilities, the exit taken or blocks run, FLOPs,
 * on both engines.
 */

const dir = fileURLToPath(new URL('../../../fixtures/onnx/', import.meta.url));
const reference = (name: string) => JSON.parse(readFileSync(`${dir}${name}.reference.json`, 'utf8'));
const input = { layout: 'NCHW' as const, normalize: { mean: [0.286], std: [0.353] } };
const transform = { layout: input.layout, mean: input.normalize.mean, std: input.normalize.std };

function images(ref: { images: number[][]; scale: number }): tf.Tensor4D {
  return tf.tensor4d(ref.images.flat().map((v) => v / ref.scale), [ref.images.length, 28, 28, 1]);
}

function expectClose(actual: ArrayLike<number>, expected: number[], tol: number): void {
  expect(actual.length).toBe(expected.length);
  const worst = Math.max(...expected.map((e, i) => Math.abs(actual[i] - e)));
  expect(worst).toBeLessThan(tol);
}

const ort = new InferenceEngine({ choice: 'ort', threads: 1 });

describe('early-exit CNN exported by PyTorch', () => {
  const ref = reference('early-exit');
  let net: OnnxNetwork;
  let x: tf.Tensor4D;
  beforeAll(async () => {
    await useCpu();
    net = loadOnnxAdnn({ file: `${dir}early-exit.onnx`, structure: { kind: 'early-exit', exits: ref.exits }, input: transform });
    x = images(ref);
  });
  afterAll(() => {
    net.dispose();
    x.dispose();
  });

  it('counts the FLOPs of each stage as PyTorch does (depthwise and grouped convolutions)', () => {
    expect(net.meta.baseFlops).toBe(ref.baseFlops);
    expect(net.meta.blocks.map((b) => b.flops)).toEqual(ref.blockFlops);
    expect(net.meta.exitFlops).toEqual(ref.exitFlops);
    expect(net.meta.numClasses).toBe(10);
  });

  it('gives every exit the logits PyTorch gives, and p = 1 - confidence', () => {
    const logits = net.exitLogits(x);
    ref.exits.forEach((e: string, i: number) => expectClose(logits[i].dataSync(), ref.logits[e].flat(), 2e-4));
    const { p } = net.soft(x);
    const conf: number[][] = [ref.confidence.exit0, ref.confidence.exit1];
    expectClose(p.dataSync(), ref.logits.exit0.flatMap((_: unknown, b: number) => conf.map((c) => 1 - c[b])), 1e-5);
    tf.dispose([...logits, p]);
  });

  for (const tau of ['0.5', '0.8']) {
    it(`exits where PyTorch exits at tau ${tau}, on tfjs and on onnxruntime stages`, () => {
      const want = ref.runs[tau];
      const ranOf = (exit: number) => [0, 1].map((k) => (k < exit ? 1 : 0));
      const tfjs = net.run(x, Number(tau));
      const staged = compileStagedOrt(ort, net)!;
      const onOrt = staged.run(x.dataSync() as Float32Array, x.shape[0], Number(tau));
      for (const r of [tfjs, onOrt]) {
        expect([...r.flops]).toEqual(want.flops);
        expect([...r.ran]).toEqual(want.exit.flatMap(ranOf));
        expect([...r.predictions]).toEqual(want.prediction);
      }
    });
  }
});

describe('gated CNN exported by PyTorch (skipping manifest)', () => {
  const ref = reference('gated');
  const blocks = [0, 1, 2].map((k) => ({ input: `in${k}`, output: `out${k}`, gate: `gate${k}` }));
  let net: OnnxNetwork;
  let x: tf.Tensor4D;
  beforeAll(async () => {
    await useCpu();
    net = loadOnnxAdnn({ file: `${dir}gated.onnx`, structure: { kind: 'skipping', blocks, logits: 'logits' }, input: transform });
    x = images(ref);
  });
  afterAll(() => {
    net.dispose();
    x.dispose();
  });

  it('counts base and block FLOPs as PyTorch does', () => {
    expect(net.meta.baseFlops).toBe(ref.baseFlops);
    expect(net.meta.blocks.map((b) => b.flops)).toEqual(ref.blockFlops);
  });

  for (const tau of ['0.5', '0.8']) {
    it(`runs the blocks PyTorch runs at tau ${tau}, with its gates and logits`, () => {
      const want = ref.runs[tau];
      const soft = net.soft(x, Number(tau));
      expectClose(soft.p.dataSync(), want.gates.flat(), 1e-5);
      expectClose(soft.logits.dataSync(), want.logits.flat(), 2e-4);
      tf.dispose([soft.p, soft.logits]);
      const tfjs = net.run(x, Number(tau));
      const onOrt = compileStagedOrt(ort, net)!.run(x.dataSync() as Float32Array, x.shape[0], Number(tau), { keepLogits: true });
      expectClose(onOrt.logits!, want.logits.flat(), 2e-4);
      const argmax = (row: number[]) => row.indexOf(Math.max(...row));
      for (const r of [tfjs, onOrt]) {
        expect([...r.ran]).toEqual(want.ran.flat());
        expect([...r.flops]).toEqual(want.flops);
        expect([...r.predictions]).toEqual(want.logits.map(argmax));
      }
    });
  }
});
