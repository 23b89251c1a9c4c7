import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpu } from '../../../test/helpers/tf.js';
import { DataType, encodeModel, type OnnxTensor } from '../../engine/ort/onnx-model.js';
import { InferenceEngine } from '../../engine/ort/index.js';
import { compileStagedOrt } from '../stages/index.js';
import { loadOnnxAdnn } from './index.js';

/**
 * A skipping graph whose second gate is computed before the first block (a
 * BlockDrop-style policy read up front), so block 1 has no gates stage of its
 * own; decisions, FLOPs and stages worked by hand.
 */

const floats = (name: string, dims: number[], data: number[]): OnnxTensor => ({ name, dims, type: DataType.FLOAT, raw: new Uint8Array(Float32Array.from(data).buffer) });

function policyGraph(): string {
  const conv = { kernel_shape: [3, 3], pads: [1, 1, 1, 1] };
  const bytes = encodeModel({
    name: 'policy',
    nodes: [
      // gate1 = mean brightness; gate0 = a copy of it
      { op: 'GlobalAveragePool', inputs: ['input'], outputs: ['m'] },
      { op: 'Flatten', inputs: ['m'], outputs: ['gate1'] },
      { op: 'Identity', inputs: ['gate1'], outputs: ['gate0'] },
      { op: 'Conv', inputs: ['input', 'w'], outputs: ['c0'], attrs: conv },
      { op: 'Relu', inputs: ['c0'], outputs: ['out0'] },
      { op: 'Conv', inputs: ['out0', 'w'], outputs: ['c1'], attrs: conv },
      { op: 'Relu', inputs: ['c1'], outputs: ['out1'] },
      { op: 'GlobalAveragePool', inputs: ['out1'], outputs: ['h'] },
      { op: 'Flatten', inputs: ['h'], outputs: ['hf'] },
      { op: 'Gemm', inputs: ['hf', 'wh'], outputs: ['logits'] },
    ],
    initializers: [floats('w', [1, 1, 3, 3], Array(9).fill(1 / 9)), floats('wh', [1, 2], [1, -1])],
    inputs: [{ name: 'input', type: DataType.FLOAT, shape: ['batch', 1, 4, 4] }],
    outputs: [{ name: 'logits', type: DataType.FLOAT, shape: ['batch', 2] }],
  });
  const file = join(mkdtempSync(join(tmpdir(), 'onnx-plan-')), 'policy.onnx');
  writeFileSync(file, bytes);
  return file;
}

describe('a skipping graph with its gates computed up front', () => {
  beforeAll(useCpu);

  it('runs block k only where gate k > tau, with the FLOPs counted by hand, on tfjs and onnxruntime', () => {
    const blocks = [
      { input: 'input', output: 'out0', gate: 'gate0' },
      { input: 'out0', output: 'out1', gate: 'gate1' },
    ];
    const net = loadOnnxAdnn({ file: policyGraph(), structure: { kind: 'skipping', blocks, logits: 'logits' }, input: { layout: 'NCHW' } });
    // Each block: one 3x3 conv 1->1 at 4x4 = 2 * 9 * 16; the head's Gemm 1->2 = 2 * 2.
    expect(net.meta.blocks.map((b) => b.flops)).toEqual([288, 288]);
    expect(net.meta.baseFlops).toBe(4);
    expect(net.stageSummary().map((s) => s.name)).toEqual(['gates0', 'block0', 'gates1', 'block1', 'head']);
    expect(net.stageSummary()[2].nodes).toBe(0);
    // Mean brightness 0.3 and 0.7: gates 0.3 and 0.7 for both blocks.
    const x = tf.concat([tf.fill([1, 4, 4, 1], 0.3), tf.fill([1, 4, 4, 1], 0.7)]) as tf.Tensor4D;
    const tfjs = net.run(x, 0.5);
    const onOrt = compileStagedOrt(new InferenceEngine({ choice: 'ort', threads: 1 }), net)!.run(x.dataSync() as Float32Array, 2, 0.5);
    for (const r of [tfjs, onOrt]) {
      expect([...r.ran]).toEqual([0, 0, 1, 1]);
      expect([...r.flops]).toEqual([4, 4 + 2 * 288]);
    }
    const { p } = net.soft(x, 0.5);
    expect([...p.dataSync()].map((v) => Math.round(v * 1000) / 1000)).toEqual([0.3, 0.3, 0.7, 0.7]);
    net.dispose();
  });
});
