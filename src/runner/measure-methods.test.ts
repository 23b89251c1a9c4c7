/**
 * The runner's measurement of every method and of the worst case over them,
 * on hand-built executions: a baseline that covers only the first seeds is
 * measured on those seeds, and the worst case takes the rest from the others.
 */
import { describe, expect, it } from 'vitest';
import type { AdaptiveNetwork, Execution } from '../adnn/index.js';
import { evaluateAssertion, parseAssertion } from '../assert/index.js';
import { metricValue } from '../results/index.js';
import { measureMethods, type ProducedSet } from './measure-methods.js';

// An early-exit model with 2 blocks: ran rows are prefixes, [1, 1] = last exit reached.
const network = { meta: { kind: 'early-exit', blocks: [{ name: 'b1', flops: 100 }, { name: 'b2', flops: 200 }] } } as unknown as AdaptiveNetwork;

function exec(flops: number[], ran: number[], predictions: number[]): Execution {
  return { predictions: Int32Array.from(predictions), ran: Uint8Array.from(ran), flops: Float64Array.from(flops) };
}

/** One pixel per input. */
function set(method: string, pixels: number[], msPerInput: number, cached = false): ProducedSet {
  return { method, inputs: { images: Float32Array.from(pixels), count: pixels.length, msPerInput }, cached };
}

// Four seeds, labels 0..3; seed FLOPs 100 (no block) or 200 (block 1).
const seeds = { images: Float32Array.from([0.5, 0.5, 0.5, 0.5]), count: 4, labels: Int32Array.from([0, 1, 2, 3]) };
const seedExec = exec([100, 100, 200, 100], [0, 0, 0, 0, 1, 0, 0, 0], [0, 1, 2, 0]);

const produced = [set('deepperform', [0.6, 0.6, 0.6, 0.6], 0.5), set('random', [0.4, 0.4, 0.4, 0.4], 0.1), set('ilfo', [0.7, 0.3], 20, true)];
const executions = [
  // deepperform: seed 1 at the last exit (400), seed 2 to block 1 (200)
  exec([100, 400, 200, 100], [0, 0, 1, 1, 1, 0, 0, 0], [0, 1, 2, 0]),
  // random: seed 3 to block 1 (200)
  exec([100, 100, 200, 200], [0, 0, 0, 0, 1, 0, 1, 0], [0, 1, 2, 3]),
  // ilfo, first two seeds only: seed 0 at the last exit (400), seed 1 at 400 too (tie with deepperform)
  exec([400, 400], [1, 1, 1, 1], [9, 9]),
];

describe('measureMethods', () => {
  const { methods, produced: out } = measureMethods(network, seeds, seedExec, produced, executions);
  const by = (name: string) => methods.find((m) => m.method === name)!;

  it('appends worst-case after the run\'s methods, with its inputs for the later stages', () => {
    expect(methods.map((m) => m.method)).toEqual(['deepperform', 'random', 'ilfo', 'worst-case']);
    expect(out.map((p) => p.method)).toEqual(['deepperform', 'random', 'ilfo', 'worst-case']);
    expect(Array.from(out[3].inputs.images)).toEqual([0.7, 0.6, 0.6, 0.4].map(Math.fround));
  });

  it('a baseline on a subset is measured over its seeds only, and says how many', () => {
    const ilfo = by('ilfo');
    expect(ilfo.seedCount).toBe(2);
    expect(ilfo.iflops).toEqual([3, 3]); // (400 - 100) / 100 twice
    expect(ilfo.successRate).toBe(1); // 2 of its 2 seeds
    expect(ilfo.fullDepthRate).toBe(1);
    expect(ilfo.accuracy).toBe(0); // predicted 9, 9 for labels 0, 1
    expect(by('deepperform').seedCount).toBe(4);
  });

  it('worst-case: per seed the costliest input, ties to the earlier method, seeds beyond the subset from the others', () => {
    const w = by('worst-case');
    // seed 0: ilfo 400; seed 1: deepperform 400 = ilfo 400 -> deepperform; seed 2: deepperform 200 = random 200 -> deepperform; seed 3: random 200
    expect(w.sources?.perSeed).toEqual(['ilfo', 'deepperform', 'deepperform', 'random']);
    expect(w.sources?.counts).toEqual([
      { method: 'deepperform', seeds: 2 },
      { method: 'random', seeds: 1 },
      { method: 'ilfo', seeds: 1 },
    ]);
    expect(w.flops).toEqual([400, 400, 200, 200]);
    // I-FLOPs 3, 3, 0, 1 -> mean 1.75, p50 2 (sorted 0, 1, 3, 3), max 3
    expect(w.iflops).toEqual([3, 3, 0, 1]);
    expect([w.iflopsStats.mean, w.iflopsStats.p50, w.iflopsStats.max]).toEqual([1.75, 2, 3]);
    expect(w.successRate).toBe(0.75);
    expect(w.fullDepthRate).toBe(0.5); // seeds 0 and 1 reached the last exit
    expect(w.coverage).toBe(1);
    // predictions 9, 1, 2, 3 against labels 0, 1, 2, 3
    expect(w.accuracy).toBe(0.75);
    expect(w.seedCount).toBe(4);
    // (0.5 x 4 + 0.1 x 4 + 20 x 2) / 4 seeds; ilfo's time came from the cache
    expect(w.generationMsPerInput).toBeCloseTo(42.4 / 4, 12);
    expect(w.generationCached).toBe(true);
  });

  it('assertions read worst-case and the full-depth rate like any method and metric', () => {
    const result = { methods, seeds: { flops: [100, 100, 200, 100], flopsStats: { mean: 125, max: 200, min: 100, p50: 100, p95: 200 }, coverage: 0.5, blockActivation: [0.25, 0], accuracy: 0.75, fullDepthRate: 0 }, durationMs: 1 };
    const check = (text: string) => evaluateAssertion(parseAssertion(text), { value: (m, a, method) => metricValue(result, m, a, method) });
    expect(check('mean I-FLOPs of worst-case < 200%')).toMatchObject({ status: 'passed', value: 1.75 });
    expect(check('p50 I-FLOPs of worst-case < 150%')).toMatchObject({ status: 'failed', value: 2, actual: '200.0%' });
    expect(check('full-depth rate of worst-case < 10%')).toMatchObject({ status: 'failed', value: 0.5 });
    expect(check('full-depth rate of ilfo >= 100%')).toMatchObject({ status: 'passed', value: 1 });
    expect(check('seed full-depth rate < 1%')).toMatchObject({ status: 'passed', value: 0 });
    // deepperform: I-FLOPs 0, 3, 0, 0 -> mean 0.75 against worst-case's 1.75
    const loose = check('mean I-FLOPs of deepperform >= 0.4x worst-case');
    expect(loose).toMatchObject({ status: 'passed', value: 0.75 });
    expect(loose.comparison?.bound).toBeCloseTo(0.7, 12);
    const tight = check('mean I-FLOPs of deepperform >= 0.5x worst-case');
    expect(tight).toMatchObject({ status: 'failed', value: 0.75 });
    expect(tight.comparison?.bound).toBeCloseTo(0.875, 12);
  });

  it('worst-case cannot be trusted when a method made NaN pixels, even where its input was not chosen', () => {
    // random's seed-3 input is NaN; its counted FLOPs (100) lose to deepperform's, so worst-case takes none of it.
    const nanRandom = set('random', [0.4, 0.4, 0.4, Number.NaN], 0.1);
    const cheap = exec([100, 100, 200, 100], [0, 0, 0, 0, 1, 0, 0, 0], [0, 1, 2, 3]);
    const r = measureMethods(network, seeds, seedExec, [produced[0], nanRandom], [executions[0], cheap]);
    const w = r.methods.find((m) => m.method === 'worst-case')!;
    expect(Array.from(r.produced[2].inputs.images).some(Number.isNaN)).toBe(false);
    expect(w.unusable).toBe('the costliest input per seed is unknown: 1 of 4 inputs random made hold NaN or infinite pixels');
    const result = { methods: r.methods, seeds: { flops: [100, 100, 200, 100], flopsStats: { mean: 125, max: 200, min: 100, p50: 100, p95: 200 }, coverage: 0.5, blockActivation: [0.25, 0], accuracy: 0.75, fullDepthRate: 0 }, durationMs: 1 };
    // Without the mark it would pass (deepperform's inputs alone: mean 75 %).
    const verdict = evaluateAssertion(parseAssertion('mean I-FLOPs of worst-case < 1000%'), { value: (m, a, method) => metricValue(result, m, a, method) });
    expect(verdict.status).toBe('failed');
  });
});
