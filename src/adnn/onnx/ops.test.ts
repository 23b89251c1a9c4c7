import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpu } from '../../../test/helpers/tf.js';
import { DataType, encodeModel, type OnnxNode, type OnnxTensor as WrittenTensor } from '../../engine/ort/onnx-model.js';
import { loadOnnxruntimeNode } from '../../engine/ort/runtime.js';
import { evaluate } from './interpreter.js';
import { decodeModel } from './model.js';
import { valueOfTensor, type Value } from './value.js';

/**
 * Each supported operator, with the attributes PyTorch exports use, on the
 * interpreter and on onnxruntime (the reference implementation) from the
 * same ModelProto bytes; a few also against answers worked by hand.
 */

interface Feed {
  name: string;
  dims: number[];
  data?: number[];
}

/** Deterministic values in [-2, 2) (a linear congruential sequence). */
function values(n: number, seed: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return (4 * s) / 2 ** 31 - 2;
  });
}

const floats = (name: string, dims: number[], data: number[]): WrittenTensor => ({ name, dims, type: DataType.FLOAT, raw: new Uint8Array(Float32Array.from(data).buffer) });
const int64s = (name: string, data: number[]): WrittenTensor => ({ name, dims: [data.length], type: DataType.INT64, raw: new Uint8Array(BigInt64Array.from(data.map(BigInt)).buffer) });

/** Runs `nodes` (output "y") on both engines; returns the interpreter's and onnxruntime's y. */
function both(nodes: OnnxNode[], feeds: Feed[], initializers: WrittenTensor[] = [], outRank = feeds[0].dims.length): { ours: tf.Tensor; ort: { data: Float32Array; dims: readonly number[] } } {
  const data = feeds.map((f, i) => f.data ?? values(f.dims.reduce((a, b) => a * b, 1), 17 + i));
  const bytes = encodeModel({
    name: 'op',
    nodes,
    initializers,
    inputs: feeds.map((f) => ({ name: f.name, type: DataType.FLOAT, shape: f.dims })),
    outputs: [{ name: 'y', type: DataType.FLOAT, shape: Array.from({ length: outRank }, (_, i) => `d${i}`) }],
  });
  const session = loadOnnxruntimeNode().createSession(bytes);
  const ort = session.run(Object.fromEntries(feeds.map((f, i) => [f.name, { data: Float32Array.from(data[i]), dims: f.dims }]))).y;
  session.dispose();
  const model = decodeModel(bytes);
  const env = new Map<string, Value>([...model.graph.initializers].map(([n, t]) => [n, valueOfTensor(t)]));
  feeds.forEach((f, i) => env.set(f.name, tf.tensor(data[i], f.dims)));
  evaluate(model.graph.nodes, env);
  return { ours: env.get('y') as tf.Tensor, ort };
}

function expectSame(nodes: OnnxNode[], feeds: Feed[], initializers: WrittenTensor[] = [], outRank?: number): void {
  const { ours, ort } = both(nodes, feeds, initializers, outRank);
  expect(ours.shape).toEqual([...ort.dims]);
  const got = ours.dataSync();
  const worst = Math.max(0, ...ort.data.map((v, i) => Math.abs(v - got[i])));
  expect(worst).toBeLessThan(1e-4);
}

describe('ONNX operators: interpreter against onnxruntime', () => {
  beforeAll(useCpu);

  it('Conv: 2 groups, 3x2 kernel, strides [2, 1], asymmetric pads, bias', () => {
    expectSame(
      [{ op: 'Conv', inputs: ['x', 'w', 'b'], outputs: ['y'], attrs: { group: 2, kernel_shape: [3, 2], strides: [2, 1], pads: [1, 0, 0, 1], dilations: [1, 1] } }],
      [{ name: 'x', dims: [2, 4, 7, 6] }, { name: 'w', dims: [6, 2, 3, 2] }, { name: 'b', dims: [6] }],
    );
  });

  it('Conv: depthwise with channel multiplier 2 and dilation 2', () => {
    expectSame(
      [{ op: 'Conv', inputs: ['x', 'w'], outputs: ['y'], attrs: { group: 3, kernel_shape: [3, 3], pads: [2, 2, 2, 2], dilations: [2, 2] } }],
      [{ name: 'x', dims: [1, 3, 8, 8] }, { name: 'w', dims: [6, 1, 3, 3] }],
    );
  });

  it('ConvTranspose: stride 2, pads, output_padding, bias', () => {
    expectSame(
      [{ op: 'ConvTranspose', inputs: ['x', 'w', 'b'], outputs: ['y'], attrs: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], output_padding: [1, 1] } }],
      [{ name: 'x', dims: [2, 3, 4, 5] }, { name: 'w', dims: [3, 2, 3, 3] }, { name: 'b', dims: [2] }],
    );
  });

  it('ConvTranspose by hand: a 2x2 kernel of ones at stride 2 repeats each pixel in a 2x2 block', () => {
    const { ours } = both([{ op: 'ConvTranspose', inputs: ['x', 'w'], outputs: ['y'], attrs: { kernel_shape: [2, 2], strides: [2, 2] } }], [
      { name: 'x', dims: [1, 1, 2, 2], data: [1, 2, 3, 4] },
      { name: 'w', dims: [1, 1, 2, 2], data: [1, 1, 1, 1] },
    ]);
    expect([...ours.dataSync()]).toEqual([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
  });

  it('AveragePool with padding excluded and included, MaxPool with asymmetric pads', () => {
    for (const count of [0, 1]) {
      expectSame([{ op: 'AveragePool', inputs: ['x'], outputs: ['y'], attrs: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], count_include_pad: count } }], [{ name: 'x', dims: [2, 3, 7, 7] }]);
    }
    expectSame([{ op: 'MaxPool', inputs: ['x'], outputs: ['y'], attrs: { kernel_shape: [2, 2], strides: [1, 1], pads: [0, 0, 1, 1] } }], [{ name: 'x', dims: [1, 2, 5, 4] }]);
  });

  it('AveragePool by hand: a corner window of a 2x2 image of ones, padding excluded, is 1', () => {
    const { ours } = both([{ op: 'AveragePool', inputs: ['x'], outputs: ['y'], attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1] } }], [{ name: 'x', dims: [1, 1, 2, 2], data: [1, 1, 1, 1] }]);
    expect([...ours.dataSync()]).toEqual([1, 1, 1, 1]);
  });

  it('BatchNormalization, GlobalAveragePool, LeakyRelu, Tanh, Sigmoid', () => {
    const bn = [floats('s', [3], [1, 2, 0.5]), floats('bb', [3], [0, 1, -1]), floats('m', [3], [0.1, -0.2, 0.3]), floats('v', [3], [1, 0.5, 2])];
    expectSame([{ op: 'BatchNormalization', inputs: ['x', 's', 'bb', 'm', 'v'], outputs: ['y'], attrs: { epsilon: { float: 1e-3 } } }], [{ name: 'x', dims: [2, 3, 4, 4] }], bn);
    expectSame([{ op: 'GlobalAveragePool', inputs: ['x'], outputs: ['y'] }], [{ name: 'x', dims: [2, 3, 4, 5] }]);
    expectSame([{ op: 'LeakyRelu', inputs: ['x'], outputs: ['y'], attrs: { alpha: { float: 0.2 } } }], [{ name: 'x', dims: [10] }]);
    expectSame([{ op: 'Tanh', inputs: ['x'], outputs: ['t'] }, { op: 'Sigmoid', inputs: ['t'], outputs: ['y'] }], [{ name: 'x', dims: [10] }]);
  });

  it('Gemm with transA, alpha and beta; MatMul of a batch of matrices by one', () => {
    expectSame([{ op: 'Gemm', inputs: ['a', 'b', 'c'], outputs: ['y'], attrs: { transA: 1, alpha: { float: 0.5 }, beta: { float: 2 } } }], [
      { name: 'a', dims: [4, 3] },
      { name: 'b', dims: [4, 5] },
      { name: 'c', dims: [5] },
    ]);
    expectSame([{ op: 'MatMul', inputs: ['a', 'b'], outputs: ['y'] }], [{ name: 'a', dims: [2, 3, 4] }, { name: 'b', dims: [4, 5] }]);
  });

  it('Softmax on a middle axis, ReduceMean without keepdims, Clip with bounds as inputs', () => {
    expectSame([{ op: 'Softmax', inputs: ['x'], outputs: ['y'], attrs: { axis: 1 } }], [{ name: 'x', dims: [2, 3, 4] }]);
    expectSame([{ op: 'ReduceMean', inputs: ['x'], outputs: ['y'], attrs: { axes: [1, -1], keepdims: 0 } }], [{ name: 'x', dims: [2, 3, 4] }], [], 1);
    expectSame([{ op: 'Clip', inputs: ['x', 'lo', 'hi'], outputs: ['y'] }], [{ name: 'x', dims: [12] }], [floats('lo', [], [-0.5]), floats('hi', [], [1])]);
  });

  it('Slice with steps and a negative axis, Pad reflect, Transpose, Concat, Flatten', () => {
    const slice = [int64s('st', [1]), int64s('en', [100]), int64s('ax', [-1]), int64s('sp', [2])];
    expectSame([{ op: 'Slice', inputs: ['x', 'st', 'en', 'ax', 'sp'], outputs: ['y'] }], [{ name: 'x', dims: [2, 3, 7] }], slice);
    expectSame([{ op: 'Pad', inputs: ['x', 'p'], outputs: ['y'], attrs: { mode: 'reflect' } }], [{ name: 'x', dims: [1, 2, 4, 4] }], [int64s('p', [0, 0, 1, 2, 0, 0, 2, 1])]);
    expectSame([{ op: 'Transpose', inputs: ['x'], outputs: ['t'], attrs: { perm: [0, 2, 3, 1] } }, { op: 'Concat', inputs: ['t', 't'], outputs: ['c'], attrs: { axis: -1 } }, { op: 'Flatten', inputs: ['c'], outputs: ['y'], attrs: { axis: 2 } }], [
      { name: 'x', dims: [2, 3, 4, 5] },
    ], [], 2);
  });

  it('Squeeze and Unsqueeze with axes as inputs (opset 13)', () => {
    expectSame([{ op: 'Unsqueeze', inputs: ['x', 'a'], outputs: ['u'] }, { op: 'Squeeze', inputs: ['u', 'b'], outputs: ['y'] }], [{ name: 'x', dims: [2, 1, 3] }], [int64s('a', [0, 4]), int64s('b', [0, 2])], 3);
  });

  it('shape arithmetic folds: x.view(x.size(0), -1) and F.pad\'s pads (reversed [n, 2] pairs)', () => {
    const view: OnnxNode[] = [
      { op: 'Shape', inputs: ['x'], outputs: ['s'] },
      { op: 'Gather', inputs: ['s', 'zero'], outputs: ['n'], attrs: { axis: 0 } },
      { op: 'Unsqueeze', inputs: ['n', 'axis0'], outputs: ['n1'] },
      { op: 'Concat', inputs: ['n1', 'minus1'], outputs: ['shape'], attrs: { axis: 0 } },
      { op: 'Reshape', inputs: ['x', 'shape'], outputs: ['flat'] },
      // pads [1, 2] for the last axis, written as PyTorch writes F.pad's: [n, 2] reversed, transposed, flattened
      { op: 'Neg', inputs: ['negGiven'], outputs: ['given'] },
      { op: 'Mul', inputs: ['given', 'zero'], outputs: ['zeros'] },
      { op: 'Concat', inputs: ['given', 'zeros'], outputs: ['all'], attrs: { axis: 0 } },
      { op: 'Reshape', inputs: ['all', 'pairs'], outputs: ['p2'] },
      { op: 'Slice', inputs: ['p2', 'minus1', 'big', 'zero1', 'minus1'], outputs: ['rev'] },
      { op: 'Transpose', inputs: ['rev'], outputs: ['tr'], attrs: { perm: [1, 0] } },
      { op: 'Reshape', inputs: ['tr', 'minus1'], outputs: ['pads'] },
      { op: 'Pad', inputs: ['flat', 'pads'], outputs: ['y'] },
    ];
    const consts = [
      int64s('zero', [0]),
      int64s('axis0', [0]),
      int64s('minus1', [-1]),
      int64s('negGiven', [-1, -2]),
      int64s('pairs', [-1, 2]),
      int64s('big', [-(2 ** 62)]),
      int64s('zero1', [0]),
    ];
    // Gather with a 1-element index keeps a dimension; Unsqueeze then makes [1, 1]: use a scalar index as PyTorch does.
    consts[0] = { name: 'zero', dims: [], type: DataType.INT64, raw: new Uint8Array(BigInt64Array.from([0n]).buffer) };
    expectSame(view, [{ name: 'x', dims: [3, 2, 2] }], consts, 2);
  });
});
