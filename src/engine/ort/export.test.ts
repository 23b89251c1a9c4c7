import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpu } from '../../../test/helpers/tf.js';
import { exportOnnx, OnnxExportError, TraceError, loadOnnxruntimeNode, type OrtRuntime } from './index.js';

let ort: OrtRuntime;
beforeAll(async () => {
  await useCpu();
  ort = loadOnnxruntimeNode();
});

/** Exports `fn` for one input of shape `shape` and runs it on `data` (batch inferred) with ORT. */
function onOrt(shape: number[], data: number[], fn: (x: tf.Tensor) => tf.Tensor): { values: number[]; dims: readonly number[] } {
  const model = exportOnnx([shape], (x) => [fn(x)]);
  const session = ort.createSession(model.bytes);
  const batch = data.length / shape.reduce((a, b) => a * b, 1);
  const out = session.run({ [model.inputNames[0]]: { data: Float32Array.from(data), dims: [batch, ...shape] } });
  session.dispose();
  const y = out[model.outputNames[0]];
  return { values: Array.from(y.data), dims: y.dims };
}

/** The same function on tfjs, for the hand-computed answers to be checked on both engines. */
function onTfjs(shape: number[], data: number[], fn: (x: tf.Tensor) => tf.Tensor): number[] {
  return tf.tidy(() => Array.from(fn(tf.tensor(data, [data.length / shape.reduce((a, b) => a * b, 1), ...shape])).dataSync()));
}

function both(shape: number[], data: number[], fn: (x: tf.Tensor) => tf.Tensor, expected: number[]): void {
  expect(onTfjs(shape, data, fn)).toEqual(expected.map((v) => expect.closeTo(v, 5)));
  expect(onOrt(shape, data, fn).values).toEqual(expected.map((v) => expect.closeTo(v, 5)));
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const ones = (shape: number[]) => tf.ones(shape) as tf.Tensor4D;

describe('ONNX export, hand-computed answers', () => {
  it("conv 'same', stride 2, odd padding total: the extra row and column go at the end", () => {
    // 4x4 input 1..16, 3x3 ones: windows rows/cols {0..2} and {2..3}
    both([4, 4, 1], range(16), (x) => tf.conv2d(x as tf.Tensor4D, ones([3, 3, 1, 1]), 2, 'same'), [54, 45, 72, 54]);
  });

  it("conv 'same', stride 2, even total: one row each side", () => {
    both([3, 3, 1], range(9), (x) => tf.conv2d(x as tf.Tensor4D, ones([3, 3, 1, 1]), 2, 'same'), [12, 16, 24, 28]);
  });

  it("transposed conv 'valid', kernel 3, stride 2: overlaps add up", () => {
    const y = [1, 1, 3, 2, 2, 1, 1, 3, 2, 2, 4, 4, 10, 6, 6, 3, 3, 7, 4, 4, 3, 3, 7, 4, 4];
    both([2, 2, 1], [1, 2, 3, 4], (x) => tf.conv2dTranspose(x as tf.Tensor4D, ones([3, 3, 1, 1]), [x.shape[0], 5, 5, 1], 2, 'valid'), y);
  });

  it("transposed conv 'same' to 4x4 and to 3x3 crops like the forward convolution pads", () => {
    const to4 = [1, 1, 3, 2, 1, 1, 3, 2, 4, 4, 10, 6, 3, 3, 7, 4];
    both([2, 2, 1], [1, 2, 3, 4], (x) => tf.conv2dTranspose(x as tf.Tensor4D, ones([3, 3, 1, 1]), [x.shape[0], 4, 4, 1], 2, 'same'), to4);
    const to3 = [1, 3, 2, 4, 10, 6, 3, 7, 4];
    both([2, 2, 1], [1, 2, 3, 4], (x) => tf.conv2dTranspose(x as tf.Tensor4D, ones([3, 3, 1, 1]), [x.shape[0], 3, 3, 1], 2, 'same'), to3);
  });

  it("average pooling 'same' averages only the pixels inside the image", () => {
    both([2, 2, 1], [1, 2, 3, 4], (x) => tf.avgPool(x as tf.Tensor4D, 3, 1, 'same'), [2.5, 2.5, 2.5, 2.5]);
  });

  it('reflection padding mirrors without repeating the edge', () => {
    // row [1 2 3] padded by 2 each side: 3 2 | 1 2 3 | 2 1
    both([1, 3, 1], [1, 2, 3], (x) => tf.mirrorPad(x as tf.Tensor4D, [[0, 0], [0, 0], [2, 2], [0, 0]], 'reflect'), [3, 2, 1, 2, 3, 2, 1]);
  });

  it('flattening after a convolution keeps tfjs (NHWC) order', () => {
    // 1x1 conv with channel weights (1, 10), then flatten: pixel-major
    const filter = tf.tensor4d([1, 10], [1, 1, 1, 2]);
    both([2, 2, 1], [1, 2, 3, 4], (x) => tf.reshape(tf.conv2d(x as tf.Tensor4D, filter, 1, 'valid'), [-1, 8]), [1, 10, 2, 20, 3, 30, 4, 40]);
  });

  it('inference batch norm: (x - mean) / sqrt(var + eps) * gamma + beta', () => {
    const [mean, variance, gamma, beta] = [tf.tensor1d([1, -1]), tf.tensor1d([4, 0.25]), tf.tensor1d([2, 1]), tf.tensor1d([0.5, 0])];
    const eps = 1e-3;
    const expected = [((3 - 1) / Math.sqrt(4 + eps)) * 2 + 0.5, (0 + 1) / Math.sqrt(0.25 + eps)];
    both([1, 1, 2], [3, 0], (x) => tf.batchNorm(tf.conv2d(x as tf.Tensor4D, tf.tensor4d([1, 0, 0, 1], [1, 1, 2, 2]), 1, 'valid'), mean, variance, beta, gamma, eps), expected);
  });

  it('SDN-style p = 1 - max softmax of a dense exit', () => {
    // logits (0, ln 3) -> softmax (1/4, 3/4) -> p = 1/4
    const w = tf.tensor2d([0, Math.log(3)], [1, 2]);
    both([1], [1], (x) => tf.sub(1, tf.max(tf.softmax(tf.matMul(x as tf.Tensor2D, w)), 1)), [0.25]);
  });
});

describe('ONNX export, every lowering against tfjs', () => {
  it('agrees on random inputs for the kernels the zoo does not use', () => {
    const conv = tf.randomNormal([3, 3, 2, 4], 0, 0.5, 'float32', 1) as tf.Tensor4D;
    const dw = tf.randomNormal([3, 3, 2, 2], 0, 0.5, 'float32', 2) as tf.Tensor4D;
    const bias = tf.tensor1d([0.1, -0.2, 0.3, 0]);
    const dense = tf.randomNormal([8, 3], 0, 0.5, 'float32', 3) as tf.Tensor2D;
    const fn = (input: tf.Tensor): tf.Tensor[] => {
      const x = input as tf.Tensor4D;
      const a = tf.abs(x);
      const elementwise = tf.addN([
        tf.elu(x), tf.softplus(x), tf.erf(x), tf.exp(tf.neg(a)), tf.log(tf.add(a, 1)), tf.floor(x), tf.ceil(x),
        tf.clipByValue(x, -0.3, 0.4), tf.relu6(tf.mul(x, 8)), tf.pow(tf.add(a, 1), tf.scalar(1.5)), tf.maximum(x, 0.1),
        tf.minimum(x, -0.1), tf.squaredDifference(x, 0.5), tf.rsqrt(tf.add(a, 1)), tf.reciprocal(tf.add(a, 2)), tf.sigmoid(x),
      ]);
      const gate = tf.logicalAnd(tf.greaterEqual(x, -0.5), tf.lessEqual(x, 0.5));
      const selected = tf.where(gate, x, tf.mul(x, 3));
      const fused = tf.fused.conv2d({ x, filter: conv, bias, activation: 'relu', strides: 1, pad: 'same' });
      const depth = tf.fused.depthwiseConv2d({ x: elementwise, filter: dw, strides: 2, pad: 'same', activation: 'relu6' });
      const [left, right] = tf.split(fused, [1, 3], 3);
      const joined = tf.concat([right, left, selected], 3);
      const swapped = tf.transpose(joined, [0, 2, 1, 3]);
      const resizedHalf = tf.image.resizeBilinear(x, [7, 5], false, true);
      const resizedAsym = tf.image.resizeBilinear(x, [6, 6]);
      const pooled = tf.maxPool(tf.pad(depth, [[0, 0], [1, 0], [0, 1], [0, 0]], -1), 2, 1, 'valid');
      const flat = tf.slice(tf.reshape(swapped, [x.shape[0], -1]), [0, 3], [-1, 8]);
      const logits = tf.matMul(flat, dense);
      const heads = tf.stack([tf.sum(tf.relu(logits), 1), tf.min(logits, 1), tf.mean(tf.logSoftmax(logits), 1)], 1);
      const counted = tf.sum(tf.cast(tf.equal(tf.sign(tf.neg(x)), tf.scalar(1)), 'float32'), [1, 2, 3]);
      return [elementwise, swapped, resizedHalf, resizedAsym, pooled, heads, counted, tf.less(x, 0)];
    };
    const data = tf.randomNormal([3, 4, 4, 2], 0, 1, 'float32', 4);
    const values = data.dataSync() as Float32Array;
    const model = exportOnnx([[4, 4, 2]], fn);
    const session = ort.createSession(model.bytes);
    const got = session.run({ [model.inputNames[0]]: { data: values, dims: [3, 4, 4, 2] } });
    const expected = tf.tidy(() => fn(data).map((t) => t.dataSync()));
    model.outputNames.forEach((name, i) => {
      const e = expected[i];
      const g = got[name].data;
      expect(g.length, name).toBe(e.length);
      let scale = 1;
      for (const v of e) scale = Math.max(scale, Math.abs(v));
      for (let j = 0; j < e.length; j++) expect(Math.abs(g[j] - e[j]), `${name}[${j}]`).toBeLessThan(1e-4 * scale);
    });
    session.dispose();
  });
});

describe('ONNX export, graph properties', () => {
  it('leaves the batch free: traced at batch 2, runs at 1 and 5', () => {
    const fn = (x: tf.Tensor) => tf.relu(tf.conv2d(x as tf.Tensor4D, ones([2, 2, 1, 3]), 1, 'valid'));
    const one = onOrt([3, 3, 1], range(9), fn);
    expect(one.dims).toEqual([1, 2, 2, 3]);
    const five = onOrt([3, 3, 1], Array.from({ length: 45 }, (_, i) => i % 9 + 1), fn);
    expect(five.dims).toEqual([5, 2, 2, 3]);
    expect(five.values.slice(48)).toEqual(one.values);
  });

  it('keeps a constant built for the batch (tf.zeros([batch, n])) as one broadcast row', () => {
    const fn = (x: tf.Tensor) => tf.add(x, tf.add(tf.zeros([x.shape[0], 2]), tf.tensor1d([1, 2])));
    expect(onOrt([2], [0, 0, 5, 5, 7, 7], fn).values).toEqual([1, 2, 6, 7, 8, 9]);
  });

  it('refuses a constant that differs between the rows of the trace batch', () => {
    const fn = (x: tf.Tensor) => tf.add(x, tf.tensor2d(range(2 * x.shape[0]), [x.shape[0], 2]));
    expect(() => exportOnnx([[2]], (x) => [fn(x)])).toThrow(OnnxExportError);
  });

  it('names the tfjs kernel it cannot export', () => {
    expect(() => exportOnnx([[4]], (x) => [tf.cumsum(x, 1)])).toThrow(/Cumsum/);
  });

  it('refuses code that reads input-dependent values (data-dependent control flow)', () => {
    const branchy = (x: tf.Tensor) => (tf.sum(x).dataSync()[0] > 0 ? tf.relu(x) : tf.neg(x));
    expect(() => exportOnnx([[4]], (x) => [branchy(x)])).toThrow(TraceError);
    // The trace leaves tfjs as it found it.
    expect(tf.sum(tf.ones([2])).dataSync()[0]).toBe(2);
  });
});
