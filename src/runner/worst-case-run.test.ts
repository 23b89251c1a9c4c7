/**
 * A whole suite on the tiny SDN with ILFO on a subset of the seeds: the
 * subset's row, the worst case over every method, and the later stages
 * (latency, threshold sensitivity, the image grid, assertions) agree on who
 * covers which seeds.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GeneratorCache } from '../generator/index.js';
import { parseSuite } from '../suite/index.js';
import { FIXTURE_MODEL, tempDir } from '../../test/helpers/cli.js';
import { runSuite } from './run-suite.js';

const dir = tempDir();
afterAll(() => rm(dir, { recursive: true, force: true }));

const suite = parseSuite(
  `name: worst case
model: { arch: sdn-tiny, weights: ${FIXTURE_MODEL} }
data: { dataset: fashion-mnist-embedded, seeds: 8 }
norm: linf
epsilon: 0.1
generator: { preset: tiny, train: { steps: 1, batchSize: 4, width: 2, validateEvery: 1 } }
baselines: [random, { ilfo: { iterations: 3, seeds: 3 } }]
measure: { latency: true, latencyInputs: 5, repeats: 1, energy: false, sensitivity: [0.4, 0.6] }
assertions:
  - "full-depth rate of worst-case <= 100%"
  - "mean I-FLOPs of worst-case >= 1x deepperform"
`,
  join(dir, 'w.perf.yaml'),
);

describe('runSuite: worst case over methods, a baseline on a subset', () => {
  it('measures the subset on its seeds and the worst case on all, in every stage', async () => {
    const ctx = { cwd: dir, cache: new GeneratorCache(join(dir, 'cache')), retrain: false, toolVersion: 'test' };
    const r = await runSuite(suite, {}, ctx);
    expect(r.error).toBeUndefined();
    expect(r.methods.map((m) => [m.method, m.seedCount])).toEqual([
      ['deepperform', 8],
      ['random', 8],
      ['ilfo', 3],
      ['worst-case', 8],
    ]);
    const [dp, random, ilfo, worst] = r.methods;
    expect(ilfo.iflops).toHaveLength(3);
    // Per seed the costliest of the methods that covered it, by the same FLOPs the rows report.
    const expected = worst.flops.map((_, i) => Math.max(dp.flops[i], random.flops[i], ...(i < 3 ? [ilfo.flops[i]] : [])));
    expect(worst.flops).toEqual(expected);
    expect(worst.sources?.perSeed.slice(3).every((m) => m !== 'ilfo')).toBe(true);
    expect(worst.sources?.counts.reduce((n, c) => n + c.seeds, 0)).toBe(8);
    // Latency on the first 5 inputs, but ilfo has only 3; sensitivity over its 3 seeds.
    expect([dp.latencyMs?.length, ilfo.latencyMs?.length, ilfo.ilatency?.length, worst.latencyMs?.length]).toEqual([5, 3, 3, 5]);
    expect(r.sensitivity?.map((s) => s.method)).toEqual(['deepperform', 'random', 'ilfo', 'worst-case']);
    // The grid: ilfo has no input for seeds past its 3.
    const grid = r.samples!;
    const ilfoImages = grid.generated.find((g) => g.method === 'ilfo')!.images;
    grid.indices.forEach((seed, k) => expect(ilfoImages[k].length > 0).toBe(seed < 3));
    expect(grid.generated.map((g) => g.method)).toEqual(['deepperform', 'random', 'ilfo', 'worst-case']);
    expect(r.assertions.map((a) => a.status)).toEqual(['passed', 'passed']);
  }, 120_000);
});
