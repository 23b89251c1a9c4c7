import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useCpu } from '../../../test/helpers/tf.js';
import { CompiledProgram, lowerProgram, loadOnnxruntimeNode, type OrtRuntime } from './index.js';

/**
 * Each backward kernel's ONNX lowering against hand-computed gradients: the
 * program traces tfjs's own gradient of `loss` (so the rule is tfjs's) and
 * runs it on onnxruntime; tfjs's value is checked against the same numbers.
 */

let ort: OrtRuntime;
beforeAll(async () => {
  await useCpu();
  ort = loadOnnxruntimeNode();
});

const disposables: { dispose(): void }[] = [];
afterAll(() => disposables.forEach((d) => d.dispose()));

/** d sum(loss(x)) / dx at `x`, on tfjs and through a compiled program on onnxruntime. */
function gradBoth(x: tf.Tensor, loss: (x: tf.Tensor) => tf.Scalar, state: tf.Variable[] = []): { tfjs: number[]; ort: number[] } {
  const grad = (v: tf.Tensor) => tf.grad((u: tf.Tensor) => loss(u))(v);
  const program = lowerProgram({ inputs: [x], state, fn: (v) => [grad(v)] });
  const compiled = new CompiledProgram(ort.createSession(program.bytes, { threads: 1 }), program);
  disposables.push(compiled);
  const out = compiled.run([x.dataSync() as Float32Array], state.map((v) => v.dataSync() as Float32Array));
  return { tfjs: Array.from(tf.tidy(() => grad(x)).dataSync()), ort: Array.from(out.outputs[0]) };
}

function expectBoth(r: { tfjs: number[]; ort: number[] }, expected: number[]): void {
  expect(r.tfjs).toEqual(expected.map((v) => expect.closeTo(v, 5)));
  expect(r.ort).toEqual(expected.map((v) => expect.closeTo(v, 5)));
}

const weights = (shape: number[]) => tf.tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i + 1), shape);

describe('gradient lowerings, hand-computed', () => {
  const x6 = tf.tensor2d([[-1, 0, 2, -3, 4, 0.5]]);
  const c6 = tf.tensor2d([[1, 2, 3, 4, 5, 6]]);

  it('Relu: the mask x > 0 (0 at x = 0)', () => {
    expectBoth(gradBoth(x6, (x) => tf.sum(tf.mul(tf.relu(x), c6))), [0, 0, 3, 0, 5, 6]);
  });

  it('LeakyRelu 0.2: 1 above zero, alpha at and below', () => {
    expectBoth(gradBoth(x6, (x) => tf.sum(tf.mul(tf.leakyRelu(x, 0.2), c6))), [0.2, 0.4, 3, 0.8, 5, 6]);
  });

  it('a convolution with a trained filter: the input gradient (full correlation with the filter)', () => {
    // x 3x3 = 1..9, w 2x2 = 1..4, loss = sum(conv(x, w) * [1 2; 3 4])
    const w = tf.variable(weights([2, 2, 1, 1]));
    const c = weights([1, 2, 2, 1]);
    const loss = (x: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'valid'), c));
    expectBoth(gradBoth(weights([1, 3, 3, 1]), loss, [w]), [1, 4, 4, 6, 20, 16, 9, 24, 16]);
  });

  it('the filter gradient: sum over positions of c * the input window', () => {
    const x = weights([1, 3, 3, 1]);
    const c = weights([1, 2, 2, 1]);
    const w = tf.variable(weights([2, 2, 1, 1]));
    const grad = (v: tf.Tensor) => tf.variableGrads(() => tf.sum(tf.mul(tf.conv2d(v as tf.Tensor4D, w as tf.Tensor4D, 1, 'valid'), c)) as tf.Scalar, [w]).grads[w.name];
    const program = lowerProgram({ inputs: [x], state: [w], fn: (v) => [grad(v)] });
    const compiled = new CompiledProgram(ort.createSession(program.bytes, { threads: 1 }), program);
    disposables.push(compiled);
    const got = compiled.run([x.dataSync() as Float32Array], [w.dataSync() as Float32Array]).outputs[0];
    // dW[a,b] = sum_ij c_ij x[i+a, j+b]
    const expected = [37, 47, 67, 77];
    expect(Array.from(got)).toEqual(expected.map((v) => expect.closeTo(v, 5)));
    expect(Array.from(tf.tidy(() => grad(x)).dataSync())).toEqual(expected.map((v) => expect.closeTo(v, 5)));
  });

  it('MaxPool: each window sends its gradient to its first largest input (row-major)', () => {
    const x = tf.tensor4d([1, 3, 2, 2, 3, 0, 1, 0, 5, 6, 7, 7, 6, 0, 7, 1], [1, 4, 4, 1]);
    const c = weights([1, 2, 2, 1]);
    const loss = (v: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(v as tf.Tensor4D, 2, 2, 'valid'), c));
    expectBoth(gradBoth(x, loss), [0, 1, 2, 0, 0, 0, 0, 0, 0, 3, 4, 0, 0, 0, 0, 0]);
  });

  it('AvgPool: each window spreads its gradient evenly', () => {
    const c = weights([1, 2, 2, 1]);
    const loss = (v: tf.Tensor) => tf.sum(tf.mul(tf.avgPool(v as tf.Tensor4D, 2, 2, 'valid'), c));
    const q = [0.25, 0.25, 0.5, 0.5];
    const h = [0.75, 0.75, 1, 1];
    expectBoth(gradBoth(weights([1, 4, 4, 1]), loss), [...q, ...q, ...h, ...h]);
  });

  it('ResizeBilinear (align corners) 2x2 -> 3x3: the transpose of the interpolation', () => {
    // Rows and columns interpolate with [[1, 0], [.5, .5], [0, 1]]; dx = R^T C R with C = 1..9.
    const c = weights([1, 3, 3, 1]);
    const loss = (v: tf.Tensor) => tf.sum(tf.mul(tf.image.resizeBilinear(v as tf.Tensor4D, [3, 3], true), c));
    expectBoth(gradBoth(weights([1, 2, 2, 1]), loss), [5.25, 8.25, 14.25, 17.25]);
  });

  it('Unpack and Pack: each slice gets its own weight', () => {
    const loss = (v: tf.Tensor) => tf.addN(tf.unstack(v, 1).map((s, i) => tf.mul(tf.sum(s), i + 1))) as tf.Scalar;
    expectBoth(gradBoth(tf.tensor2d([[5, 6, 7], [8, 9, 10]]), loss), [1, 2, 3, 1, 2, 3]);
  });

  it('where: the unselected branch gets zeros (ZerosLike)', () => {
    const mask = tf.tensor2d([[false, true, false, true]], undefined, 'bool');
    const loss = (v: tf.Tensor) => tf.sum(tf.where(mask, tf.mul(v, 2), tf.mul(v, 3)));
    expectBoth(gradBoth(tf.tensor2d([[-1, 2, -0.5, 4]]), loss), [3, 2, 3, 2]);
  });

  // From 8 channels a pixel is one block: patches are one Gather, the input gradient one ScatterND.
  it('with 8 channels (gathered patches, scatter-added input gradient): each channel scales the 1-channel answers', () => {
    // x[..., ch] = (ch + 1) * (1..9), w[a, b, ch] = (ch + 1) * [1 2; 3 4], loss = sum(conv(x, w) * [1 2; 3 4])
    const scaled = (base: number[], channels: number) => base.flatMap((v) => Array.from({ length: channels }, (_, ch) => v * (ch + 1)));
    const w = tf.variable(tf.tensor4d(scaled([1, 2, 3, 4], 8), [2, 2, 8, 1]));
    const c = weights([1, 2, 2, 1]);
    const x = tf.tensor4d(scaled([1, 2, 3, 4, 5, 6, 7, 8, 9], 8), [1, 3, 3, 8]);
    const loss = (v: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(v as tf.Tensor4D, w as tf.Tensor4D, 1, 'valid'), c));
    expectBoth(gradBoth(x, loss, [w]), scaled([1, 4, 4, 6, 20, 16, 9, 24, 16], 8));
    const dw = (v: tf.Tensor) => tf.variableGrads(() => loss(v) as tf.Scalar, [w]).grads[w.name];
    const program = lowerProgram({ inputs: [x], state: [w], fn: (v) => [dw(v)] });
    const compiled = new CompiledProgram(ort.createSession(program.bytes, { threads: 1 }), program);
    disposables.push(compiled);
    const got = compiled.run([x.dataSync() as Float32Array], [w.dataSync() as Float32Array]).outputs[0];
    expect(Array.from(got)).toEqual(scaled([37, 47, 67, 77], 8).map((v) => expect.closeTo(v, 3)));
  });
});

describe('gradient lowerings against tfjs on random values', () => {
  it('strided and padded convolutions with trained filters, and their transposes', () => {
    const w1 = tf.variable(tf.randomNormal([3, 3, 2, 4], 0, 0.5, 'float32', 1));
    const w2 = tf.variable(tf.randomNormal([3, 3, 3, 4], 0, 0.5, 'float32', 2));
    const loss = (v: tf.Tensor) => {
      const h = tf.conv2d(v as tf.Tensor4D, w1 as tf.Tensor4D, 2, 'same'); // [2,3,3,4]
      const up = tf.conv2dTranspose(h, w2 as tf.Tensor4D, [2, 7, 7, 3], 2, 'valid');
      return tf.sum(tf.square(tf.tanh(up)));
    };
    const r = gradBoth(tf.randomNormal([2, 5, 5, 2], 0, 1, 'float32', 3), loss, [w1, w2]);
    const scale = Math.max(...r.tfjs.map(Math.abs));
    r.ort.forEach((g, i) => expect(Math.abs(g - r.tfjs[i])).toBeLessThan(1e-5 * scale));
  });

  it('transposed convolutions to one channel (ConvTranspose): a 6x6 stride-1 one as the generator ends with, and a strided padded one', () => {
    const w1 = tf.variable(tf.randomNormal([6, 6, 1, 4], 0, 0.3, 'float32', 8));
    const w2 = tf.variable(tf.randomNormal([3, 3, 1, 4], 0, 0.3, 'float32', 9));
    const loss = (v: tf.Tensor) => {
      const grey = tf.conv2dTranspose(v as tf.Tensor4D, w1 as tf.Tensor4D, [2, 10, 10, 1], 1, 'valid'); // [2,10,10,1]
      const h = tf.conv2d(grey, w2 as tf.Tensor4D, 2, 'same'); // [2,5,5,4]
      const up = tf.conv2dTranspose(h, w2 as tf.Tensor4D, [2, 9, 9, 1], 2, 'same');
      return tf.sum(tf.square(tf.tanh(up)));
    };
    const r = gradBoth(tf.randomNormal([2, 5, 5, 4], 0, 1, 'float32', 10), loss, [w1, w2]);
    const scale = Math.max(...r.tfjs.map(Math.abs));
    expect(scale).toBeGreaterThan(0);
    r.ort.forEach((g, i) => expect(Math.abs(g - r.tfjs[i])).toBeLessThan(1e-5 * scale));
  });

  it('with 8 and 16 channels, a batch of 3: gathered patches and scatter-added input gradients per image', () => {
    const w1 = tf.variable(tf.randomNormal([3, 3, 8, 16], 0, 0.3, 'float32', 4));
    const w2 = tf.variable(tf.randomNormal([4, 4, 8, 16], 0, 0.3, 'float32', 5));
    const w3 = tf.variable(tf.randomNormal([3, 3, 8, 8], 0, 0.3, 'float32', 6));
    const loss = (v: tf.Tensor) => {
      const h = tf.conv2d(v as tf.Tensor4D, w1 as tf.Tensor4D, 2, 'same'); // [3,4,4,16]
      const up = tf.conv2dTranspose(h, w2 as tf.Tensor4D, [3, 8, 8, 8], 2, 'same');
      const padded = tf.mirrorPad(tf.leakyRelu(up, 0.2), [[0, 0], [1, 1], [1, 1], [0, 0]], 'reflect');
      return tf.sum(tf.square(tf.tanh(tf.conv2d(padded, w3 as tf.Tensor4D, 1, 'valid'))));
    };
    const r = gradBoth(tf.randomNormal([3, 7, 7, 8], 0, 1, 'float32', 7), loss, [w1, w2, w3]);
    const scale = Math.max(...r.tfjs.map(Math.abs));
    expect(scale).toBeGreaterThan(0);
    r.ort.forEach((g, i) => expect(Math.abs(g - r.tfjs[i])).toBeLessThan(1e-5 * scale));
  });
});
