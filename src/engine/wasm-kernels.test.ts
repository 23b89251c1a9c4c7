import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';
import { KernelError } from './kernel-calls.js';
import { registerConvGradKernels, wasmConvKernelsRegistered } from './wasm-kernels.js';
import { values, relErr, on } from '../../test/helpers/numeric.js';

type Pad = 'same' | 'valid' | number | [[0, 0], [number, number], [number, number], [0, 0]];
type Shape4 = [number, number, number, number];

interface Case {
  b: number;
  h: number;
  w: number;
  cin: number;
  cout: number;
  k: number | [number, number];
  s: number | [number, number];
  pad: Pad;
  round?: 'floor' | 'ceil' | 'round';
}

const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);
const pair = (v: number | [number, number]): [number, number] => (typeof v === 'number' ? [v, v] : v);

/** Output shape of the forward convolution, from tfjs-core's own geometry. */
function outShape(c: Case): Shape4 {
  const [kh, kw] = pair(c.k);
  const info = tf.backend_util.computeConv2DInfo([c.b, c.h, c.w, c.cin], [kh, kw, c.cin, c.cout], c.s, 1, c.pad, c.round);
  return info.outShape;
}

interface Grads {
  dw: Float32Array;
  dx: Float32Array;
}

/** Both backprop kernels on the active backend, for dy = fixed random values. */
function backprop(c: Case): Grads {
  const [kh, kw] = pair(c.k);
  const xShape: Shape4 = [c.b, c.h, c.w, c.cin];
  const wShape: Shape4 = [kh, kw, c.cin, c.cout];
  const yShape = outShape(c);
  const common = { strides: c.s, pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: c.round };
  const x = tf.tensor4d(values(size(xShape), 1), xShape);
  const w = tf.tensor4d(values(size(wShape), 2), wShape);
  const dy = tf.tensor4d(values(size(yShape), 3), yShape);
  const dwT = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { ...common, filterShape: wShape } as never);
  const dxT = tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, { ...common, inputShape: xShape } as never);
  const out = { dw: (dwT as tf.Tensor).dataSync() as Float32Array, dx: (dxT as tf.Tensor).dataSync() as Float32Array };
  tf.dispose([x, w, dy, dwT as tf.Tensor, dxT as tf.Tensor]);
  return out;
}

beforeAll(async () => {
  await import('@tensorflow/tfjs-backend-cpu');
  // These cases test our tfjs kernels; onnxruntime's are tested in ort-conv.test.ts.
  await initBackend({ backend: 'wasm', env: {}, convEngine: 'tfjs' });
});

describe('wasm conv backprop kernels: hand-computed', () => {
  it('are the registered wasm kernels', () => {
    expect(wasmConvKernelsRegistered()).toBe(true);
  });

  it('stride 1, valid, 3x3 input, 2x2 kernel, dy = ones', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    const w = tf.tensor4d([1, 2, 3, 4], [2, 2, 1, 1]);
    const dy = tf.ones([1, 2, 2, 1]) as tf.Tensor4D;
    const attrs = { strides: 1, pad: 'valid', dataFormat: 'NHWC' };
    const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { ...attrs, filterShape: [2, 2, 1, 1] } as never);
    const dx = tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, { ...attrs, inputShape: [1, 3, 3, 1] } as never);
    // dW[p,q] = sum of the 2x2 window of x starting at (p,q).
    expect(Array.from((dw as tf.Tensor).dataSync())).toEqual([12, 16, 24, 28]);
    // dx[h,w] = sum of the kernel taps of every window covering (h,w).
    expect(Array.from((dx as tf.Tensor).dataSync())).toEqual([1, 3, 2, 4, 10, 6, 3, 7, 4]);
    tf.dispose([x, w, dy, dw as tf.Tensor, dx as tf.Tensor]);
  });

  it('stride 2, valid, 4x4 input, 2x2 kernel (non-overlapping windows)', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor4d(Array.from({ length: 16 }, (_, i) => i + 1), [1, 4, 4, 1]);
    const w = tf.tensor4d([1, 2, 3, 4], [2, 2, 1, 1]);
    const dy = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
    const attrs = { strides: 2, pad: 'valid', dataFormat: 'NHWC' };
    const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { ...attrs, filterShape: [2, 2, 1, 1] } as never);
    const dx = tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, { ...attrs, inputShape: [1, 4, 4, 1] } as never);
    // dW[p,q] = sum_ij dy[i,j] * x[2i+p, 2j+q], e.g. dW[0,0] = 1*1 + 2*3 + 3*9 + 4*11.
    expect(Array.from((dw as tf.Tensor).dataSync())).toEqual([78, 88, 118, 128]);
    // Each dy[i,j] scales a copy of the kernel into its own 2x2 block of dx.
    expect(Array.from((dx as tf.Tensor).dataSync())).toEqual([1, 2, 2, 4, 3, 4, 6, 8, 3, 6, 4, 8, 9, 12, 12, 16]);
    tf.dispose([x, w, dy, dw as tf.Tensor, dx as tf.Tensor]);
  });
});

const cases: Case[] = [
  { b: 2, h: 7, w: 7, cin: 3, cout: 4, k: 3, s: 1, pad: 'same' },
  { b: 2, h: 8, w: 8, cin: 3, cout: 5, k: 3, s: 2, pad: 'same' },
  { b: 3, h: 9, w: 7, cin: 2, cout: 3, k: 3, s: 2, pad: 'valid' },
  { b: 2, h: 8, w: 10, cin: 4, cout: 2, k: 3, s: 2, pad: 'valid' },
  { b: 2, h: 6, w: 6, cin: 4, cout: 2, k: 4, s: 2, pad: 'same' },
  { b: 2, h: 10, w: 9, cin: 1, cout: 8, k: 4, s: 1, pad: 'valid' },
  { b: 2, h: 9, w: 9, cin: 3, cout: 3, k: 4, s: 1, pad: 'same' },
  { b: 2, h: 7, w: 8, cin: 5, cout: 3, k: 1, s: 2, pad: 'same' },
  { b: 3, h: 5, w: 5, cin: 3, cout: 3, k: 1, s: 1, pad: 'valid' },
  { b: 2, h: 12, w: 11, cin: 3, cout: 4, k: 6, s: 2, pad: 'same' },
  { b: 2, h: 13, w: 13, cin: 2, cout: 6, k: 6, s: 1, pad: 'valid' },
  { b: 2, h: 11, w: 11, cin: 2, cout: 3, k: 6, s: 2, pad: 'valid' },
  { b: 2, h: 9, w: 8, cin: 3, cout: 4, k: [3, 1], s: [2, 1], pad: 'same' },
  { b: 2, h: 9, w: 9, cin: 2, cout: 3, k: 3, s: 2, pad: [[0, 0], [2, 1], [0, 3], [0, 0]] },
  { b: 2, h: 8, w: 8, cin: 2, cout: 3, k: 3, s: 1, pad: [[0, 0], [4, 0], [0, 4], [0, 0]] },
  { b: 2, h: 10, w: 10, cin: 2, cout: 3, k: 3, s: 2, pad: 1, round: 'ceil' },
  { b: 2, h: 10, w: 11, cin: 2, cout: 3, k: 2, s: 3, pad: 'valid' },
  { b: 2, h: 10, w: 10, cin: 2, cout: 3, k: 5, s: 3, pad: 'same' },
  { b: 2, h: 9, w: 10, cin: 3, cout: 2, k: 3, s: [2, 3], pad: 'same' },
  { b: 2, h: 9, w: 9, cin: 2, cout: 2, k: 2, s: 2, pad: [[0, 0], [5, 0], [0, 6], [0, 0]] },
  { b: 4, h: 28, w: 28, cin: 16, cout: 32, k: 3, s: 2, pad: 'same' },
  { b: 4, h: 14, w: 14, cin: 8, cout: 16, k: 3, s: 1, pad: 'same' },
];

/** The cpu answers, computed once per case and shared by both strategies. */
const cpuRefs = new Map<Case, Grads>();

for (const strategy of ['dilate', 'phases'] as const) {
  describe(`wasm conv backprop kernels match the cpu backend (input strategy ${strategy})`, () => {
    beforeAll(() => registerConvGradKernels('wasm', { inputStrategy: strategy }));
    for (const c of cases) {
      const name = `b${c.b} ${c.h}x${c.w}x${c.cin}->${c.cout} k${String(c.k)} s${String(c.s)} pad ${JSON.stringify(c.pad)}${c.round ? ` ${c.round}` : ''}`;
      it(name, async () => {
        const ref = cpuRefs.get(c) ?? (await on('cpu', () => backprop(c)));
        cpuRefs.set(c, ref);
        const got = await on('wasm', () => backprop(c));
        expect(relErr(got.dw, ref.dw)).toBeLessThan(1e-4);
        expect(relErr(got.dx, ref.dx)).toBeLessThan(1e-4);
      });
    }
  });
}

describe('the conv-based filter gradient registered for the cpu backend', () => {
  let stock: tf.KernelConfig;
  beforeAll(async () => {
    stock = tf.getKernel('Conv2DBackpropFilter', 'cpu');
    for (const c of cases) if (!cpuRefs.has(c)) cpuRefs.set(c, await on('cpu', () => backprop(c)));
    registerConvGradKernels('cpu', { kernels: ['Conv2DBackpropFilter'] });
  });
  afterAll(() => {
    tf.unregisterKernel('Conv2DBackpropFilter', 'cpu');
    tf.registerKernel(stock);
  });

  it('matches the stock cpu kernel on every case', async () => {
    expect(tf.getKernel('Conv2DBackpropFilter', 'cpu').kernelFunc).not.toBe(stock.kernelFunc);
    for (const c of cases) {
      const got = await on('cpu', () => backprop(c));
      expect(relErr(got.dw, cpuRefs.get(c)?.dw ?? new Float32Array(0)), JSON.stringify(c)).toBeLessThan(1e-4);
    }
  });
});

describe('gradients through the public ops', () => {
  /** Gradients of sum(op(x, w) * r) w.r.t. x and w. */
  function opGrads(op: (x: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor4D, xShape: Shape4, wShape: Shape4): Float32Array[] {
    return tf.tidy(() => {
      const x = tf.tensor4d(values(size(xShape), 4), xShape);
      const w = tf.tensor4d(values(size(wShape), 5), wShape);
      const yShape = op(x, w).shape;
      const r = tf.tensor(values(size(yShape), 6), yShape);
      const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(op(a as tf.Tensor4D, b as tf.Tensor4D), r)));
      return [...g([x, w]), op(x, w)].map((t) => t.dataSync() as Float32Array);
    });
  }

  it('tf.conv2d, stride 2, same', async () => {
    const op = (x: tf.Tensor4D, w: tf.Tensor4D) => tf.conv2d(x, w, 2, 'same');
    const ref = await on('cpu', () => opGrads(op, [3, 9, 10, 3], [3, 3, 3, 5]));
    const got = await on('wasm', () => opGrads(op, [3, 9, 10, 3], [3, 3, 3, 5]));
    ref.forEach((r, i) => expect(relErr(got[i], r)).toBeLessThan(1e-4));
  });

  it('tf.conv2dTranspose, stride 2, valid: forward and gradients w.r.t. input and filter', async () => {
    // The generator's decoder: [B,7,7,8] -> [B,15,15,4] with a 3x3 kernel ([kh,kw,out,in]).
    const op = (x: tf.Tensor4D, w: tf.Tensor4D) => tf.conv2dTranspose(x, w, [x.shape[0], 15, 15, 4], 2, 'valid');
    const ref = await on('cpu', () => opGrads(op, [2, 7, 7, 8], [3, 3, 4, 8]));
    const got = await on('wasm', () => opGrads(op, [2, 7, 7, 8], [3, 3, 4, 8]));
    expect(got).toHaveLength(3);
    ref.forEach((r, i) => expect(relErr(got[i], r)).toBeLessThan(1e-4));
  });
});

describe('resource handling and refusals', () => {
  it('frees every intermediate it allocates, with either strategy', async () => {
    await tf.setBackend('wasm');
    const leaky: Case[] = [
      { b: 2, h: 9, w: 9, cin: 3, cout: 4, k: 3, s: 2, pad: 'same' },
      { b: 2, h: 10, w: 11, cin: 2, cout: 3, k: 2, s: 3, pad: 'valid' }, // zero-tap phases, crops
      { b: 2, h: 9, w: 9, cin: 2, cout: 2, k: 2, s: 2, pad: [[0, 0], [5, 0], [0, 6], [0, 0]] },
    ];
    for (const inputStrategy of ['dilate', 'phases'] as const) {
      registerConvGradKernels('wasm', { inputStrategy });
      for (const c of leaky) {
        backprop(c); // warm-up, so lazily created state is not counted
        const before = tf.backend().numDataIds();
        backprop(c);
        expect(tf.backend().numDataIds()).toBe(before);
      }
    }
  });

  it('refuses NCHW and dilations with a KernelError', async () => {
    await tf.setBackend('wasm');
    const x = tf.zeros([1, 5, 5, 2]);
    const dy = tf.zeros([1, 5, 5, 3]);
    const base = { strides: 1, pad: 'same', filterShape: [3, 3, 2, 3] };
    const run = (attrs: object) => () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs as never);
    expect(run({ ...base, dataFormat: 'NCHW' })).toThrow(KernelError);
    expect(run({ ...base, dataFormat: 'NCHW' })).toThrow(/NHWC/);
    expect(run({ ...base, dataFormat: 'NHWC', dilations: 2 })).toThrow(/only dilations 1/);
    tf.dispose([x, dy]);
  });
});
