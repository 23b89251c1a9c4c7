import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';
import { forwardGraph } from './conv-onnx.js';
import { BackendError } from './select.js';
import { ConvAccelerator, convAccelerator, parseConvEngine, worthOrt } from './ort-conv.js';
import { values, relErr, on } from '../../test/helpers/numeric.js';

type Pad = 'same' | 'valid' | number | [[0, 0], [number, number], [number, number], [0, 0]];

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

interface Case {
  b: number;
  h: number;
  w: number;
  cin: number;
  cout: number;
  k: [number, number];
  s: [number, number];
  pad: Pad;
}

/** Forward, input gradient and filter gradient of one layer on the active backend. */
function allThree(c: Case): Float32Array[] {
  const x = tf.tensor4d(values(c.b * c.h * c.w * c.cin, 1), [c.b, c.h, c.w, c.cin]);
  const f = tf.tensor4d(values(size([...c.k, c.cin, c.cout]), 2), [c.k[0], c.k[1], c.cin, c.cout]);
  const y = tf.conv2d(x, f, c.s, c.pad);
  const dy = tf.tensor4d(values(y.size, 3), y.shape);
  const attrs = { strides: c.s, pad: c.pad, dataFormat: 'NHWC' };
  const dx = tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: f }, { ...attrs, inputShape: x.shape } as never) as tf.Tensor;
  const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { ...attrs, filterShape: f.shape } as never) as tf.Tensor;
  const out = [y, dx, dw].map((t) => t.dataSync() as Float32Array);
  tf.dispose([x, f, y, dy, dx, dw]);
  return out;
}

beforeAll(async () => {
  await import('@tensorflow/tfjs-backend-cpu');
  await initBackend({ backend: 'wasm', env: {}, convEngine: 'ort' });
});

afterAll(() => convAccelerator.configure({ engine: 'auto' }));

describe('convolutions on onnxruntime (engine ort), hand-computed', () => {
  it('stride 1, valid, 3x3 input, 2x2 kernel', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    const w = tf.tensor4d([1, 2, 3, 4], [2, 2, 1, 1]);
    const dy = tf.ones([1, 2, 2, 1]) as tf.Tensor4D;
    const attrs = { strides: 1, pad: 'valid', dataFormat: 'NHWC' };
    // y[i,j] = x[i,j] + 2 x[i,j+1] + 3 x[i+1,j] + 4 x[i+1,j+1]
    expect(Array.from(tf.conv2d(x, w, 1, 'valid').dataSync())).toEqual([37, 47, 67, 77]);
    const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { ...attrs, filterShape: [2, 2, 1, 1] } as never) as tf.Tensor;
    const dx = tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, { ...attrs, inputShape: [1, 3, 3, 1] } as never) as tf.Tensor;
    expect(Array.from(dw.dataSync())).toEqual([12, 16, 24, 28]);
    expect(Array.from(dx.dataSync())).toEqual([1, 3, 2, 4, 10, 6, 3, 7, 4]);
  });

  it('stride 2, valid, 4x4 input, 2x2 kernel (non-overlapping windows)', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor4d(Array.from({ length: 16 }, (_, i) => i + 1), [1, 4, 4, 1]);
    const w = tf.tensor4d([1, 2, 3, 4], [2, 2, 1, 1]);
    const dy = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
    const attrs = { strides: 2, pad: 'valid', dataFormat: 'NHWC' };
    const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { ...attrs, filterShape: [2, 2, 1, 1] } as never) as tf.Tensor;
    const dx = tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, { ...attrs, inputShape: [1, 4, 4, 1] } as never) as tf.Tensor;
    expect(Array.from(dw.dataSync())).toEqual([78, 88, 118, 128]);
    expect(Array.from(dx.dataSync())).toEqual([1, 2, 2, 4, 3, 4, 6, 8, 3, 6, 4, 8, 9, 12, 12, 16]);
  });
});

const cases: Case[] = [
  { b: 2, h: 7, w: 7, cin: 3, cout: 4, k: [3, 3], s: [1, 1], pad: 'same' },
  { b: 2, h: 8, w: 8, cin: 3, cout: 5, k: [3, 3], s: [2, 2], pad: 'same' },
  { b: 3, h: 9, w: 7, cin: 2, cout: 3, k: [3, 3], s: [2, 2], pad: 'valid' },
  { b: 2, h: 8, w: 8, cin: 5, cout: 7, k: [1, 1], s: [1, 1], pad: 'valid' },
  { b: 2, h: 7, w: 8, cin: 5, cout: 3, k: [1, 1], s: [2, 2], pad: 'same' }, // phases no tap reaches
  { b: 2, h: 11, w: 7, cin: 3, cout: 4, k: [4, 4], s: [2, 2], pad: 1 },
  { b: 2, h: 6, w: 6, cin: 4, cout: 3, k: [6, 5], s: [1, 1], pad: 'valid' }, // the decoder's last kernel
  { b: 2, h: 10, w: 11, cin: 2, cout: 3, k: [2, 2], s: [3, 3], pad: 'valid' }, // stride wider than the kernel
  { b: 2, h: 9, w: 10, cin: 3, cout: 2, k: [3, 3], s: [2, 3], pad: 'same' },
  { b: 2, h: 9, w: 9, cin: 2, cout: 3, k: [3, 3], s: [2, 2], pad: [[0, 0], [2, 1], [0, 3], [0, 0]] },
  { b: 3, h: 30, w: 30, cin: 8, cout: 16, k: [3, 3], s: [2, 2], pad: 'valid' }, // rows no window reaches
];

describe('convolutions on onnxruntime match the cpu backend', () => {
  for (const c of cases) {
    it(`b${c.b} ${c.h}x${c.w}x${c.cin}->${c.cout} k${c.k} s${c.s} pad ${JSON.stringify(c.pad)}`, async () => {
      const ref = await on('cpu', () => allThree(c));
      const before = { ...convAccelerator.runs };
      const got = await on('wasm', () => allThree(c));
      // All three really ran on onnxruntime (a failure there would fall back to tfjs silently).
      expect(convAccelerator.runs).toEqual({ forward: before.forward + 1, inputGrad: before.inputGrad + 1, filterGrad: before.filterGrad + 1 });
      ['forward', 'input gradient', 'filter gradient'].forEach((kind, i) => expect(relErr(got[i], ref[i]), kind).toBeLessThan(1e-5));
    });
  }

  it('serves every batch size of a layer from one session (the batch is symbolic)', async () => {
    for (const b of [1, 5]) {
      const c: Case = { b, h: 6, w: 6, cin: 3, cout: 4, k: [3, 3], s: [1, 1], pad: 'same' };
      const ref = await on('cpu', () => allThree(c));
      const got = await on('wasm', () => allThree(c));
      ref.forEach((r, i) => expect(relErr(got[i], r)).toBeLessThan(1e-5));
    }
  });

  it('gives tf.conv2dTranspose and its gradients (the decoder) as the cpu backend does', async () => {
    const grads = () =>
      tf.tidy(() => {
        const x = tf.tensor4d(values(2 * 7 * 7 * 8, 4), [2, 7, 7, 8]);
        const w = tf.tensor4d(values(3 * 3 * 4 * 8, 5), [3, 3, 4, 8]);
        const r = tf.tensor4d(values(2 * 15 * 15 * 4, 6), [2, 15, 15, 4]);
        const op = (a: tf.Tensor, b: tf.Tensor) => tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, [2, 15, 15, 4], 2, 'valid');
        const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(op(a, b), r)))([x, w]);
        return [...g, op(x, w)].map((t) => t.dataSync() as Float32Array);
      });
    const ref = await on('cpu', grads);
    const got = await on('wasm', grads);
    ref.forEach((r, i) => expect(relErr(got[i], r)).toBeLessThan(1e-5));
  });
});

describe('batches run in chunks', () => {
  it('give the same three results one image at a time (the filter gradient summed over chunks)', async () => {
    const c: Case = { b: 3, h: 7, w: 6, cin: 3, cout: 4, k: [3, 3], s: [2, 2], pad: 'same' };
    const ref = await on('cpu', () => allThree(c));
    await tf.setBackend('wasm');
    const accel = new ConvAccelerator({ engine: 'ort', chunkBytes: 1 });
    const info = tf.backend_util.computeConv2DInfo([c.b, c.h, c.w, c.cin], [...c.k, c.cin, c.cout], c.s, 1, c.pad, undefined, false, 'channelsLast');
    const x = tf.tensor4d(values(c.b * c.h * c.w * c.cin, 1), [c.b, c.h, c.w, c.cin]);
    const f = tf.tensor4d(values(size([...c.k, c.cin, c.cout]), 2), [...c.k, c.cin, c.cout]);
    const dy = tf.tensor4d(values(size(info.outShape), 3), info.outShape);
    const read = (t: tf.TensorInfo | undefined) => {
      expect(t).toBeDefined();
      return tf.engine().makeTensorFromTensorInfo(t!).dataSync() as Float32Array;
    };
    const got = [
      read(accel.tryRun('forward', info, x, f, tf.backend())),
      read(accel.tryRun('inputGrad', info, dy, f, tf.backend())),
      read(accel.tryRun('filterGrad', info, x, dy, tf.backend())),
    ];
    ref.forEach((r, i) => expect(relErr(got[i], r)).toBeLessThan(1e-5));
    accel.dispose();
  });
});

describe("the 'auto' policy", () => {
  const info = (h: number, cin: number, cout: number, k: number, s: number) =>
    tf.backend_util.computeConv2DInfo([64, h, h, cin], [k, k, cin, cout], s, 1, 'same', undefined, false, 'channelsLast');

  it('sends the wide generator layers to onnxruntime in every kind', () => {
    for (const kind of ['forward', 'inputGrad', 'filterGrad'] as const) expect(worthOrt(kind, info(8, 512, 512, 3, 1))).toBe(true);
  });

  it("keeps ResNet-56's 16-channel stride-1 layers on tfjs except the filter gradient", () => {
    const i16 = info(32, 16, 16, 3, 1);
    expect([worthOrt('forward', i16), worthOrt('inputGrad', i16), worthOrt('filterGrad', i16)]).toEqual([false, false, true]);
  });

  it('keeps layers of under 2M multiply-adds on tfjs', () => {
    // 64 * 4 * 4 * 9 * 8 * 16 = 1.18M multiply-adds
    expect(worthOrt('filterGrad', info(4, 8, 16, 3, 1))).toBe(false);
  });
});

describe('falling back to tfjs', () => {
  it('reports an onnxruntime that cannot load once, and declines every layer', () => {
    const reasons: string[] = [];
    let loads = 0;
    const accel = new ConvAccelerator({
      engine: 'ort',
      loader: () => {
        loads++;
        throw new Error('no binary for this platform');
      },
      onFallback: (r) => reasons.push(r),
    });
    const i = tf.backend_util.computeConv2DInfo([1, 4, 4, 1], [3, 3, 1, 1], 1, 1, 'same', undefined, false, 'channelsLast');
    const t = { dataId: {}, shape: [1, 4, 4, 1], dtype: 'float32' as const };
    const backend = tf.backend();
    expect(accel.tryRun('forward', i, t, t, backend)).toBeUndefined();
    expect(accel.tryRun('inputGrad', i, t, t, backend)).toBeUndefined();
    expect(loads).toBe(1);
    expect(reasons).toEqual(['no binary for this platform']);
    expect(accel.unavailable).toBe('no binary for this platform');
  });

  it("engine 'tfjs' never loads onnxruntime", () => {
    let loads = 0;
    const accel = new ConvAccelerator({ engine: 'tfjs', loader: () => {
        loads++;
        return { version: 'x', createSession: () => { throw new Error('unused'); } };
      } });
    const i = tf.backend_util.computeConv2DInfo([64, 8, 8, 512], [3, 3, 512, 512], 1, 1, 'same', undefined, false, 'channelsLast');
    const t = { dataId: {}, shape: [64, 8, 8, 512], dtype: 'float32' as const };
    expect(accel.tryRun('forward', i, t, t, tf.backend())).toBeUndefined();
    expect(loads).toBe(0);
  });

  it('parses DEEPPERFORM_CONV_ENGINE', () => {
    expect(parseConvEngine(' ORT ')).toBe('ort');
    expect(parseConvEngine('')).toBeUndefined();
    expect(parseConvEngine(undefined)).toBeUndefined();
    expect(() => parseConvEngine('gpu')).toThrow(BackendError);
    expect(() => parseConvEngine('gpu')).toThrow(/auto, ort, tfjs/);
  });
});

describe('the graphs', () => {
  it('read an unpadded stride-1 1x1 convolution as one matrix product, with no patch copies', () => {
    const i = tf.backend_util.computeConv2DInfo([2, 6, 6, 8], [1, 1, 8, 4], 1, 1, 'valid', undefined, false, 'channelsLast');
    expect(forwardGraph(i).nodes.map((n) => n.op)).toEqual(['Reshape', 'Reshape', 'MatMul', 'Reshape']);
  });
});
