import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpu } from '../../../test/helpers/tf.js';
import { DataType, encodeModel, type OnnxNode } from '../../engine/ort/onnx-model.js';
import { isUserError } from '../../util/errors.js';
import { loadOnnxAdnn, type OnnxModelError, type OnnxAdnnSpec } from './index.js';

/** Load-time errors: each names the file and the place (node, key, tensor) and is a configuration error (exit 2). */

const fixtures = fileURLToPath(new URL('../../../fixtures/onnx/', import.meta.url));
const nchw = { layout: 'NCHW' as const };
const tmp = mkdtempSync(join(tmpdir(), 'onnx-errors-'));

function graphFile(name: string, nodes: OnnxNode[], shape: (number | string)[] = ['batch', 1, 4, 4], opset?: number): string {
  const bytes = encodeModel({
    name,
    nodes,
    initializers: [],
    inputs: [{ name: 'input', type: DataType.FLOAT, shape }],
    outputs: [{ name: 'y', type: DataType.FLOAT, shape: ['batch', 10] }],
  });
  // Byte 3 onwards: opset_import's version is the model's last varint.
  if (opset !== undefined) bytes[bytes.length - 1] = opset;
  const file = join(tmp, `${name}.onnx`);
  writeFileSync(file, bytes);
  return file;
}

function failure(spec: OnnxAdnnSpec): OnnxModelError {
  try {
    loadOnnxAdnn(spec).dispose();
  } catch (e) {
    expect(isUserError(e)).toBe(true);
    return e as OnnxModelError;
  }
  throw new Error('the model loaded');
}

const earlyExit = (exits: string[], input: OnnxAdnnSpec['input'] = { layout: 'NCHW', mean: [0.286], std: [0.353] }): OnnxAdnnSpec => ({
  file: `${fixtures}early-exit.onnx`,
  structure: { kind: 'early-exit', exits },
  input,
});

describe('ONNX load errors', () => {
  beforeAll(useCpu);

  it('names an unsupported operator and its node', () => {
    const file = graphFile('erf', [{ op: 'Erf', inputs: ['input'], outputs: ['y'] }]);
    const e = failure({ file, structure: { kind: 'early-exit', exits: ['y', 'y'] }, input: nchw });
    expect(e.message).toContain(file);
    expect(e.place).toBe('node "Erf_0"');
    expect(e.detail).toMatch(/^operator Erf is not supported \(supported: .*Conv/);
  });

  it('refuses opsets outside 13-17', () => {
    const file = graphFile('old', [{ op: 'Relu', inputs: ['input'], outputs: ['y'] }], undefined, 11);
    expect(failure({ file, structure: { kind: 'early-exit', exits: ['y', 'y'] }, input: nchw }).detail).toContain('operator set 11 is not supported');
  });

  it('names an exit the graph does not have, listing its outputs', () => {
    const e = failure(earlyExit(['exit0', 'exit_1', 'final']));
    expect(e.place).toBe('exits[1]');
    expect(e.detail).toBe('the graph has no tensor named "exit_1" (its outputs: exit0, exit1, final)');
  });

  it('refuses exits listed out of order', () => {
    const e = failure(earlyExit(['exit1', 'exit0', 'final']));
    expect(e.place).toBe('exits[1]');
    expect(e.detail).toContain('list the exits in the order the graph computes them');
  });

  it('refuses a normalisation with the wrong number of channels', () => {
    const e = failure(earlyExit(['exit0', 'exit1', 'final'], { layout: 'NCHW', mean: [0.1, 0.2, 0.3], std: [1, 1, 1] }));
    expect(e.place).toBe('input.normalize.mean');
    expect(e.detail).toContain('the input has 1 channels in layout NCHW');
  });

  it('refuses an input whose sizes besides the batch are not fixed', () => {
    const file = graphFile('dynamic', [{ op: 'Relu', inputs: ['input'], outputs: ['y'] }], ['batch', 1, 'h', 'w']);
    const e = failure({ file, structure: { kind: 'early-exit', exits: ['y', 'y'] }, input: nchw });
    expect(e.place).toBe('input "input"');
    expect(e.detail).toContain('[batch, 1, h, w]');
  });

  it('refuses a manifest whose block output is not computed by the block', () => {
    const blocks = [{ input: 'in0', output: 'in0', gate: 'gate0' }];
    const e = failure({ file: `${fixtures}gated.onnx`, structure: { kind: 'skipping', blocks, logits: 'logits' }, input: nchw });
    expect(e.place).toBe('blocks[0].output');
  });

  it('refuses a gate with more than one value per input', () => {
    const blocks = [{ input: 'in0', output: 'out0', gate: 'in1' }];
    const e = failure({ file: `${fixtures}gated.onnx`, structure: { kind: 'skipping', blocks, logits: 'logits' }, input: nchw });
    expect(e.place).toBe('blocks[0].gate');
    expect(e.detail).toContain('it is [batch, 8, 14, 14]');
  });

  it('says when the file is not an ONNX model', () => {
    const file = join(tmp, 'text.onnx');
    writeFileSync(file, 'not a model at all');
    expect(failure({ file, structure: { kind: 'early-exit', exits: ['a', 'b'] }, input: nchw }).message).toContain('not a readable ONNX model');
  });
});
