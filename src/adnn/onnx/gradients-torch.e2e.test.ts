import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { hasTorch, PYTHON } from '../../../test/helpers/python.mjs';
import { greyImages as images, sequence } from '../../../test/helpers/numeric.js';
import { useCpu } from '../../../test/helpers/tf.js';
import { InferenceEngine } from '../../engine/ort/index.js';
import { compileStagedOrt } from '../stages/index.js';
import { loadAdnn } from '../model-io.js';
import { loadOnnxAdnn } from './index.js';

/**
 * Gradients through the interpreter against the zoo's own tfjs gradients:
 * the zoo's sdn-tiny exported to ONNX by its PyTorch twin (python3-torch).
 */

const root = fileURLToPath(new URL('../../../', import.meta.url));


// Needs python3-torch to export the zoo model; gradients.test.ts covers the interpreter where it is missing.
describe.skipIf(!hasTorch())('the zoo\'s sdn-tiny exported to ONNX by its PyTorch twin', () => {
  it('has the zoo\'s FLOPs, exit logits, input gradients and adaptive execution', async () => {
    await useCpu();
    const file = join(mkdtempSync(join(tmpdir(), 'onnx-sdn-')), 'sdn-tiny.onnx');
    const exported = spawnSync(PYTHON, [`${root}fixtures/onnx/export_sdn_tiny.py`, `${root}fixtures/models/sdn-tiny`, file], {
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
