import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpu } from '../../../test/helpers/tf.js';
import { EngineChoiceError, InferenceEngine, loadOnnxruntimeNode, OnnxExportError, OrtFallbackWarning, parseEngineChoice } from './index.js';

beforeAll(useCpu);

describe('engine choice', () => {
  it('reads DEEPPERFORM_ENGINE, auto by default', () => {
    expect(new InferenceEngine({ env: {} }).choice).toBe('auto');
    expect(new InferenceEngine({ env: { DEEPPERFORM_ENGINE: 'TFJS' } }).choice).toBe('tfjs');
    expect(parseEngineChoice('onnxruntime', 'x')).toBe('ort');
    expect(() => new InferenceEngine({ env: { DEEPPERFORM_ENGINE: 'torch' } })).toThrow(EngineChoiceError);
    expect(() => parseEngineChoice('torch', '--engine')).toThrow(/Unknown inference engine 'torch' \(from --engine\)/);
  });

  it("'tfjs' never loads onnxruntime", () => {
    let loads = 0;
    const engine = new InferenceEngine({
      choice: 'tfjs',
      loader: () => {
        loads++;
        throw new Error('unreachable');
      },
    });
    expect(engine.runtime()).toBeUndefined();
    expect(loads).toBe(0);
  });
});

describe('onnxruntime-node here', () => {
  it('loads the bundled CPU binaries, version 1.30', () => {
    expect(loadOnnxruntimeNode().version).toMatch(/^1\.30\./);
  });
});

describe('networks the exporter cannot write', () => {
  const owner = {};
  const weights = [tf.variable(tf.ones([3]))];
  const fn = (x: tf.Tensor4D) => [tf.cumsum(tf.reshape(x, [x.shape[0], -1]), 1)];

  it('run on tfjs after one warning naming the kernel (auto)', () => {
    const warnings: OrtFallbackWarning[] = [];
    const engine = new InferenceEngine({ choice: 'auto', warn: (w) => warnings.push(w) });
    expect(engine.compile(owner, 'cumsum net', weights, [1, 1, 3], fn)).toBeUndefined();
    expect(engine.compile(owner, 'cumsum net', weights, [1, 1, 3], fn)).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toBeInstanceOf(OrtFallbackWarning);
    expect(warnings[0].message).toMatch(/cumsum net.*Cumsum.*tfjs/);
  });

  it('are an error when onnxruntime was asked for explicitly', () => {
    const engine = new InferenceEngine({ choice: 'ort' });
    expect(() => engine.compile(owner, 'cumsum net', weights, [1, 1, 3], fn)).toThrow(OnnxExportError);
  });
});

describe('compiled forward cache', () => {
  it('reuses the session while the weights are unchanged and re-exports after an assign', () => {
    const w = tf.variable(tf.tensor1d([1, 2, 3]));
    const owner = {};
    const engine = new InferenceEngine({ choice: 'ort' });
    const fn = (x: tf.Tensor4D) => [tf.mul(x, w)];
    const first = engine.compile(owner, 'scale', [w], [1, 1, 3], fn)!;
    expect(engine.compile(owner, 'scale', [w], [1, 1, 3], fn)).toBe(first);
    expect(Array.from(first.run(Float32Array.from([1, 1, 1]), 1)[0])).toEqual([1, 2, 3]);
    w.assign(tf.tensor1d([-1, 0, 5]));
    const second = engine.compile(owner, 'scale', [w], [1, 1, 3], fn)!;
    expect(second).not.toBe(first);
    expect(Array.from(second.run(Float32Array.from([1, 1, 1]), 1)[0])).toEqual([-1, 0, 5]);
  });
});

describe('build: several forwards compiled and cached together', () => {
  it('runs a two-input, two-output forward on whole batches, and reuses the set while the weights are unchanged', () => {
    const w = tf.variable(tf.tensor1d([10, 20]));
    const owner = {};
    const engine = new InferenceEngine({ choice: 'ort' });
    let makes = 0;
    const make = () =>
      engine.build(owner, 'pair', [w], (compile) => {
        makes++;
        return compile([[2], [2]], (a, b) => [tf.add(a, b), tf.mul(a, w)]);
      })!;
    const forward = make();
    expect(make()).toBe(forward);
    expect(makes).toBe(1);
    // Batch of 2: a = [[1, 2], [3, 4]], b = [[5, 6], [7, 8]] -> a + b and a * [10, 20].
    const [sum, scaled] = forward.runTensors([
      { data: Float32Array.from([1, 2, 3, 4]), dims: [2, 2] },
      { data: Float32Array.from([5, 6, 7, 8]), dims: [2, 2] },
    ]);
    expect(Array.from(sum.data)).toEqual([6, 8, 10, 12]);
    expect(Array.from(scaled.data)).toEqual([10, 40, 30, 80]);
    expect(scaled.dims).toEqual([2, 2]);
    expect(() => forward.run(new Float32Array(2), 1)).toThrow(/feeds one input/);
  });
});

describe('gradient programs', () => {
  const owner = {};
  const x = tf.zeros([2, 3]);
  const spec = () => ({ inputs: [x], fn: (v: tf.Tensor) => [tf.grad((u: tf.Tensor) => tf.sum(tf.square(u)))(v)] });
  const untraceable = () => ({ inputs: [x], fn: (v: tf.Tensor) => [tf.cumsum(v, 1)] });

  it('compile once per key and run on onnxruntime', () => {
    const engine = new InferenceEngine({ choice: 'auto', env: {} });
    expect(engine.gradients).toBe('auto');
    const p = engine.program(owner, 'square', [], spec)!;
    expect(engine.program(owner, 'square', [], spec)).toBe(p);
    expect(Array.from(p.run([Float32Array.of(1, 2, 3, -1, 0, 0.5)]).outputs[0])).toEqual([2, 4, 6, -2, 0, 1]);
  });

  it("stay on tfjs with DEEPPERFORM_GRAD_ENGINE=tfjs, or when everything is tfjs", () => {
    expect(new InferenceEngine({ env: { DEEPPERFORM_GRAD_ENGINE: 'tfjs' } }).program(owner, 'square', [], spec)).toBeUndefined();
    const tfjs = new InferenceEngine({ choice: 'tfjs', env: { DEEPPERFORM_GRAD_ENGINE: 'ort' } });
    expect(tfjs.gradients).toBe('tfjs');
    expect(tfjs.program(owner, 'square', [], spec)).toBeUndefined();
  });

  it('fall back to tfjs after one warning when the code cannot be traced, or throw when ort was asked for', () => {
    const warnings: OrtFallbackWarning[] = [];
    const engine = new InferenceEngine({ env: {}, warn: (w) => warnings.push(w) });
    expect(engine.program(owner, 'cumsum', [], untraceable)).toBeUndefined();
    expect(engine.program(owner, 'cumsum', [], untraceable)).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0].message).toMatch(/cumsum.*Cumsum.*tfjs/);
    expect(() => new InferenceEngine({ env: { DEEPPERFORM_GRAD_ENGINE: 'ort' } }).program(owner, 'cumsum', [], untraceable)).toThrow(OnnxExportError);
  });
});
