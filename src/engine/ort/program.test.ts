import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useCpu } from '../../../test/helpers/tf.js';
import { CompiledProgram, lowerProgram, loadOnnxruntimeNode, OnnxExportError, TraceError, type OrtRuntime, type ProgramSpec } from './index.js';

let ort: OrtRuntime;
beforeAll(async () => {
  await useCpu();
  ort = loadOnnxruntimeNode();
});
const compiled: CompiledProgram[] = [];
afterAll(() => compiled.forEach((c) => c.dispose()));

function compile(spec: ProgramSpec): CompiledProgram {
  const program = lowerProgram(spec);
  const c = new CompiledProgram(ort.createSession(program.bytes, { threads: 1 }), program);
  compiled.push(c);
  return c;
}

const data = (t: tf.Tensor) => t.dataSync() as Float32Array;

describe('programs: fixed shapes, state, outputs', () => {
  it('reduces over the batch (a loss mean) and reshapes across it', () => {
    const x = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
    const c = compile({ inputs: [x], fn: (v) => [tf.mean(v, 0), tf.reshape(v, [6]), tf.sum(tf.square(v))] });
    const out = c.run([Float32Array.of(1, 2, 3, 4, 5, 6)]).outputs;
    expect(Array.from(out[0])).toEqual([3, 4]);
    expect(Array.from(out[1])).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(out[2])).toEqual([91]);
    expect(c.model.outputShapes).toEqual([[2], [6], []]);
  });

  it('feeds state variables as inputs and returns what the code assigned, leaving the variables alone', () => {
    // A running mean: m <- 0.9 m + 0.1 mean(x over the batch); w is read, never assigned.
    const m = tf.variable(tf.tensor1d([10, 20]));
    const w = tf.variable(tf.tensor1d([2, 3]));
    const x = tf.zeros([2, 2]);
    const c = compile({
      inputs: [x],
      state: [m, w],
      fn: (v) => {
        m.assign(tf.add(tf.mul(m, 0.9), tf.mul(tf.mean(v, 0), 0.1)));
        return [tf.mul(v, w), tf.mul(m, 1)]; // the second reads m after the assignment
      },
    });
    const r = c.run([Float32Array.of(1, 2, 3, 4)], [Float32Array.of(0, 100), Float32Array.of(5, 7)]);
    expect(Array.from(r.outputs[0])).toEqual([5, 14, 15, 28]);
    expect(Array.from(r.state[0]!)).toEqual([0.2, 90.3].map((v) => expect.closeTo(v, 5)));
    expect(Array.from(r.outputs[1])).toEqual(Array.from(r.state[0]!));
    expect(r.state[1]).toBeUndefined();
    expect(Array.from(m.dataSync())).toEqual([10, 20]);
  });

  it('refuses assigning a variable that is not state, and restores Variable.assign', () => {
    const free = tf.variable(tf.tensor1d([1]));
    expect(() => lowerProgram({ inputs: [tf.zeros([1, 1])], fn: (v) => {
      free.assign(tf.reshape(v, [1]));
      return [v];
    } })).toThrow(TraceError);
    free.assign(tf.tensor1d([4]));
    expect(free.dataSync()[0]).toBe(4);
  });

  it('sees the copies tfjs saves for the backward pass as the values they copy (Sigmoid saves its output)', () => {
    const x = tf.tensor2d([[0, 1, -2]]);
    const c = compile({ inputs: [x], fn: (v) => [tf.grad((u: tf.Tensor) => tf.sum(tf.sigmoid(u)))(v)] });
    const s = (z: number) => 1 / (1 + Math.exp(-z));
    expect(Array.from(c.run([Float32Array.of(0, 1, -2)]).outputs[0])).toEqual([0, 1, -2].map((z) => expect.closeTo(s(z) * (1 - s(z)), 6)));
  });

  it('runs a custom gradient as tfjs defines it (straight-through: forward 1[x > 0.5], backward identity)', () => {
    const gate = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => ({
      value: tf.cast(tf.greater(args[0] as tf.Tensor, 0.5), 'float32'),
      gradFunc: (dy: tf.Tensor) => dy,
    }));
    const x = tf.tensor2d([[0.2, 0.7]]);
    const w = tf.tensor2d([[3, 5]]);
    const c = compile({ inputs: [x], fn: (v) => [gate(v), tf.grad((u: tf.Tensor) => tf.sum(tf.mul(gate(u), w)))(v)] });
    const out = c.run([Float32Array.of(0.2, 0.7)]).outputs;
    expect(Array.from(out[0])).toEqual([0, 1]);
    expect(Array.from(out[1])).toEqual([3, 5]);
  });

  it('leaves out inputs the outputs do not need', () => {
    const c = compile({ inputs: [tf.zeros([1, 2]), tf.zeros([1, 3])], fn: (a) => [tf.mul(a, 2)] });
    expect(Array.from(c.run([Float32Array.of(1, 2), Float32Array.of(9, 9, 9)]).outputs[0])).toEqual([2, 4]);
  });

  it('refuses code that reads input-dependent values', () => {
    expect(() => lowerProgram({ inputs: [tf.zeros([1, 2])], fn: (v) => [tf.sum(v).dataSync()[0] > 0 ? v : tf.neg(v)] })).toThrow(TraceError);
  });

  it('checks the number of inputs and state values of a run', () => {
    const c = compile({ inputs: [tf.zeros([1, 2])], fn: (v) => [v] });
    expect(() => c.run([])).toThrow(RangeError);
    expect(Array.from(c.run([data(tf.tensor2d([[7, 8]]))]).outputs[0])).toEqual([7, 8]);
  });
});

describe('programs with a symbolic batch (freeBatch)', () => {
  // One gradient step on L = sum over the batch of (s - x)^2 with a per-run step size lr:
  // s <- s - lr * 2 (s - x). Traced at 2 rows; lr has no batch axis.
  const descent = (update: (s: tf.Variable, x: tf.Tensor, lr: tf.Tensor) => tf.Tensor): ProgramSpec => {
    const s = tf.variable(tf.zeros([2, 2]), false);
    return {
      inputs: [tf.zeros([2, 2]), tf.zeros([1])],
      state: [s],
      fn: (x, lr) => {
        s.assign(update(s, x, lr));
        return [];
      },
      freeBatch: { unbatched: [1] },
    };
  };
  const step = (s: tf.Variable, x: tf.Tensor, lr: tf.Tensor) => {
    const g = tf.grad((u: tf.Tensor) => tf.sum(tf.square(tf.sub(u, x))))(s);
    return tf.sub(s, tf.mul(tf.reshape(lr, []), g));
  };

  it('traced at 2 rows, runs at 3 and 5: the summed loss is left out, its gradient kept', () => {
    const c = compile(descent(step));
    expect(c.model.batchedInputs).toEqual([true, false]);
    // lr 0.25: s1 = s0 - 0.5 (s0 - x) = (s0 + x) / 2.
    const three = c.run([Float32Array.of(3, 4, 5, 6, 7, 8), Float32Array.of(0.25)], [Float32Array.of(1, 2, 3, 4, 5, 6)]);
    expect(Array.from(three.state[0]!)).toEqual([2, 3, 4, 5, 6, 7]);
    const five = c.run([new Float32Array(10).fill(10), Float32Array.of(0.25)], [Float32Array.from({ length: 10 }, (_, i) => i * 2)]);
    expect(Array.from(five.state[0]!)).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    // A loop job gives each run its own lr and carries the state: lr 0.5 jumps to x, lr 0 stays.
    const job = c.loopJob([Float32Array.of(1, 1, 1, 1, 1, 1), new Float32Array(1)], [new Float32Array(6)], { index: 1, values: [Float32Array.of(0.5), Float32Array.of(0)] }, 2);
    expect(Array.from(c.loop(job)[0])).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('lowers a max-pool gradient whose sizes follow the batch (traced at 2 rows, run at 3)', () => {
    // d/dx sum(maxPool(x)^2) over a 2x2 image is 2 max at its largest pixel, 0 elsewhere.
    const c = compile({
      inputs: [tf.zeros([2, 2, 2, 1])],
      fn: (x) => [tf.grad((u: tf.Tensor) => tf.sum(tf.square(tf.maxPool(u as tf.Tensor4D, 2, 2, 'valid'))))(x)],
      freeBatch: { unbatched: [] },
    });
    const out = c.run([Float32Array.of(1, 5, 3, 2, 4, 0, 0, 1, 0, 0, 0, 7)]).outputs[0];
    expect(Array.from(out)).toEqual([0, 10, 0, 0, 8, 0, 0, 0, 0, 0, 0, 14]);
  });

  it('refuses a reduction over the batch that the new state needs', () => {
    expect(() => lowerProgram(descent((s, x) => tf.sub(s, tf.mean(x, 0))))).toThrow(OnnxExportError);
  });
});
