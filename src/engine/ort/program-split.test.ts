import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useCpu } from '../../../test/helpers/tf.js';
import { InferenceEngine, type OrtTensorData } from './index.js';
import { runLoop, type LoopJob } from './program-loop.js';
import { ProgramWorkerError, stopProgramWorkers } from './program-worker.js';

beforeAll(async () => {
  await useCpu();
});
afterAll(() => stopProgramWorkers());

describe('runLoop', () => {
  it('feeds each run the last state, the fixed inputs and that run\'s varying value', () => {
    // A fake session: s <- s * x + a, where a is the varying input; t is never assigned.
    const seen: Record<string, number[]>[] = [];
    const run = (feeds: Record<string, OrtTensorData>) => {
      seen.push(Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, Array.from(v.data)])));
      const s = feeds.s.data.map((v, i) => v * feeds.x.data[i] + feeds.a.data[0]);
      return { s_next: { data: s, dims: [2] } };
    };
    const job: LoopJob = {
      fixed: { x: { data: Float32Array.of(2, 3), dims: [2] } },
      varying: { name: 'a', dims: [1], values: [Float32Array.of(1), Float32Array.of(10)] },
      state: [
        { input: 's', output: 's_next', dims: [2], data: Float32Array.of(1, 1) },
        { dims: [1], data: Float32Array.of(7) },
      ],
      iterations: 2,
    };
    const after: number[] = [];
    const out = runLoop(run, job, (i) => after.push(i));
    // Run 0: s = [1*2+1, 1*3+1] = [3, 4]; run 1: [3*2+10, 4*3+10] = [16, 22].
    expect(Array.from(out[0])).toEqual([16, 22]);
    // The pruned, never-assigned state value comes back as it went in.
    expect(Array.from(out[1])).toEqual([7]);
    expect(seen).toEqual([
      { x: [2, 3], a: [1], s: [1, 1] },
      { x: [2, 3], a: [10], s: [3, 4] },
    ]);
    expect(after).toEqual([0, 1]);
  });
});

describe('SplitProgram: one part of a batch per thread', () => {
  // x: [2, 2] per part; state s: [2, 2]; scalars [2] = (a, b). Step: s <- s * a + x * b (per element: no batch reduction).
  const make = (engine: InferenceEngine, owner: object, parts: number) =>
    engine.splitProgram(
      owner,
      'affine [2,2]',
      [],
      () => {
        const s = tf.variable(tf.zeros([2, 2]), false);
        return {
          inputs: [tf.zeros([2, 2]), tf.zeros([2])],
          state: [s],
          fn: (x, ab) => {
            const [a, b] = tf.split(ab, 2);
            s.assign(tf.add(tf.mul(s, tf.reshape(a, [])), tf.mul(x, tf.reshape(b, []))));
            return [];
          },
        };
      },
      parts,
    );

  it('runs each part on its own thread and returns each part\'s state, as computed by hand', () => {
    const engine = new InferenceEngine({ gradients: 'ort', threads: 3 });
    expect(engine.programParts(10)).toBe(3);
    expect(engine.programParts(2)).toBe(2);
    const program = make(engine, {}, 3)!;
    expect(program.parts).toBe(3);
    const values = [Float32Array.of(1, 1), Float32Array.of(2, 0.5)];
    const jobs = [0, 1, 2].map((p) => program.local.loopJob([Float32Array.of(p, p, p, p + 1), new Float32Array(2)], [Float32Array.of(1, 2, 3, 4)], { index: 1, values }, 2));
    const out = program.loop(jobs);
    // Part p, element (s, x): run 0: s + x; run 1: 2 (s + x) + 0.5 x.
    for (let p = 0; p < 3; p++) {
      const x = [p, p, p, p + 1];
      expect(Array.from(out[p][0])).toEqual([1, 2, 3, 4].map((s, i) => 2 * (s + x[i]) + 0.5 * x[i]));
    }
    // The same workers take the next job.
    expect(Array.from(program.loop(jobs)[2][0])).toEqual(Array.from(out[2][0]));
    program.dispose();
  });

  it('reports a worker\'s failure as a ProgramWorkerError and stays usable', () => {
    const engine = new InferenceEngine({ gradients: 'ort', threads: 2 });
    const program = make(engine, {}, 2)!;
    const good = program.local.loopJob([Float32Array.of(1, 1, 1, 1), new Float32Array(2)], [Float32Array.of(0, 0, 0, 0)], { index: 1, values: [Float32Array.of(0, 1)] }, 1);
    // Three values for a [2, 2] input: onnxruntime refuses the worker's part.
    const bad = { ...good, fixed: { x0: { data: Float32Array.of(1, 2, 3), dims: [2, 2] } } };
    expect(() => program.loop([good, bad])).toThrow(ProgramWorkerError);
    expect(Array.from(program.loop([good, good])[1][0])).toEqual([1, 1, 1, 1]);
    program.dispose();
  });

  it('is not offered when gradients stay on tfjs or the runtime has no worker threads', () => {
    expect(make(new InferenceEngine({ gradients: 'tfjs', threads: 2 }), {}, 2)).toBeUndefined();
    expect(new InferenceEngine({ gradients: 'tfjs', threads: 2 }).programParts(8)).toBe(1);
    const real = new InferenceEngine({ threads: 2 }).runtime()!;
    const noWorkers = new InferenceEngine({ threads: 2, loader: () => ({ version: real.version, createSession: real.createSession }) });
    expect(noWorkers.programParts(8)).toBe(1);
    expect(make(noWorkers, {}, 2)).toBeUndefined();
  });
});
