import { describe, expect, it } from 'vitest';
import type { AdaptiveNetwork, Execution } from '../adnn/index.js';
import { measureMethod } from './metrics.js';
import { composeWorstCase, worstCaseChoice, type WorstCaseCandidate } from './worst-case.js';
import { MeasurementError } from './errors.js';

/** Execution rows by hand: predictions, ran (2 blocks per input), FLOPs. */
function exec(predictions: number[], ran: number[], flops: number[]): Execution {
  return { predictions: Int32Array.from(predictions), ran: Uint8Array.from(ran), flops: Float64Array.from(flops) };
}

/** Inputs of one value per pixel, two pixels each. */
function candidate(method: string, pixels: number[], execution: Execution, msPerInput: number): WorstCaseCandidate {
  return { method, generated: { images: Float32Array.from(pixels), count: execution.flops.length }, execution, msPerInput };
}

// Three seeds. ilfo ran on the first two only (a subset).
//   seed 0: deepperform 100, random 100, ilfo 150 -> ilfo
//   seed 1: deepperform 300, random 250, ilfo 300 -> tie: deepperform (first in the run)
//   seed 2: deepperform 200, random 400, ilfo none -> random
const deepperform = candidate('deepperform', [0.1, 0.1, 0.2, 0.2, 0.3, 0.3], exec([1, 2, 3], [0, 0, 1, 1, 1, 0], [100, 300, 200]), 1);
const random = candidate('random', [0.4, 0.4, 0.5, 0.5, 0.6, 0.6], exec([4, 5, 6], [0, 0, 1, 0, 1, 1], [100, 250, 400]), 0.1);
const ilfo = candidate('ilfo', [0.7, 0.7, 0.8, 0.8], exec([7, 8], [1, 0, 1, 1], [150, 300]), 10);

describe('worstCaseChoice', () => {
  it('picks the highest FLOPs per seed, ties to the earlier method, only among methods that cover the seed', () => {
    expect(worstCaseChoice([[100, 300, 200], [100, 250, 400], [150, 300]], 3)).toEqual([2, 0, 1]);
    // Order decides ties: listed the other way round, ilfo wins seed 1.
    expect(worstCaseChoice([[150, 300], [100, 300, 200]], 3)).toEqual([0, 0, 1]);
  });

  it('a seed no method covers is an error, not a silent gap', () => {
    expect(() => worstCaseChoice([[1], [2]], 2)).toThrow(MeasurementError);
    expect(() => worstCaseChoice([[1], [2]], 2)).toThrow('seed 1 has an input from no method');
  });
});

describe('composeWorstCase', () => {
  const worst = composeWorstCase([deepperform, random, ilfo], 3, 2);

  it("takes each chosen input's pixels and execution rows, and records who supplied it", () => {
    expect(Array.from(worst.generated.images)).toEqual([0.7, 0.7, 0.2, 0.2, 0.6, 0.6].map((v) => Math.fround(v)));
    expect(Array.from(worst.execution.flops)).toEqual([150, 300, 400]);
    expect(Array.from(worst.execution.predictions)).toEqual([7, 2, 6]);
    expect(Array.from(worst.execution.ran)).toEqual([1, 0, 1, 1, 1, 1]);
    expect(worst.sources.perSeed).toEqual(['ilfo', 'deepperform', 'random']);
    expect(worst.sources.counts).toEqual([
      { method: 'deepperform', seeds: 1 },
      { method: 'random', seeds: 1 },
      { method: 'ilfo', seeds: 1 },
    ]);
  });

  it('costs what making every method took, per seed', () => {
    // (1 ms x 3 + 0.1 ms x 3 + 10 ms x 2) / 3 seeds = 23.3 / 3
    expect(worst.generated.msPerInput).toBeCloseTo(23.3 / 3, 12);
  });

  it('every metric is then that of the chosen inputs', () => {
    const network = { meta: { kind: 'skipping', blocks: [{ name: 'a', flops: 50 }, { name: 'b', flops: 100 }] } } as unknown as AdaptiveNetwork;
    const seeds = { images: Float32Array.from([0.5, 0.5, 0.2, 0.2, 0.6, 0.6]), count: 3, labels: Int32Array.from([7, 0, 6]) };
    const r = measureMethod(network, {
      method: 'worst-case',
      seeds,
      seedExecution: exec([7, 0, 6], [0, 0, 0, 0, 1, 0], [100, 100, 200]),
      generated: worst.generated,
      generatedExecution: worst.execution,
      generationMsPerInput: worst.generated.msPerInput,
    });
    // I-FLOPs (150-100)/100, (300-100)/100, (400-200)/200
    expect(r.iflops).toEqual([0.5, 2, 1]);
    expect(r.iflopsStats.mean).toBeCloseTo(3.5 / 3, 12);
    expect(r.iflopsStats.p50).toBe(1);
    expect(r.successRate).toBe(1);
    // predictions 7, 2, 6 against labels 7, 0, 6
    expect(r.accuracy).toBeCloseTo(2 / 3, 12);
    // ran rows [1,0] [1,1] [1,1]: both blocks ran somewhere; two of three ran every block
    expect(r.coverage).toBe(1);
    expect(r.fullDepthRate).toBeCloseTo(2 / 3, 12);
    // |delta|: seed 0 0.2 (0.7 - 0.5), seed 1 0, seed 2 0
    expect(r.perturbationLinf.max).toBeCloseTo(0.2, 6);
    expect(r.perturbationLinf.min).toBe(0);
  });

  it('refuses candidates whose inputs and executions do not pair up', () => {
    const broken = { ...ilfo, generated: { images: new Float32Array(6), count: 3 } };
    expect(() => composeWorstCase([deepperform, broken], 3, 2)).toThrow(/ilfo has 3 inputs and 2 executions/);
  });
});
