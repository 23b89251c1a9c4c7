/**
 * A suite's mitigation sections, run for real on the tiny SDN with small
 * budgets: the results land in the suite result, assertions read them, and
 * the detector file and retrained model are written where the suite says.
 */
import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GeneratorCache } from '../generator/index.js';
import { parseSuite } from '../suite/index.js';
import { FIXTURE_MODEL, tempDir } from '../../test/helpers/cli.js';
import { runSuite } from './run-suite.js';

const dir = tempDir();
afterAll(() => rm(dir, { recursive: true, force: true }));

const suite = parseSuite(
  `name: mitigation wiring
model: { arch: sdn-tiny, weights: ${FIXTURE_MODEL} }
data: { dataset: fashion-mnist-embedded, seeds: 16 }
norm: linf
epsilon: 0.1
seed: 3
generator: { preset: tiny, train: { steps: 2, batchSize: 8, width: 2, validateEvery: 2 } }
baselines: []
measure: { latency: false, energy: false, sensitivity: [] }
mitigation:
  detector: { trainSeeds: 40, testSeeds: 30, out: out/detector.json }
  retrain: { epochs: 1, trainSeeds: 32, batchSize: 16, out: out/hardened }
assertions:
  - "detector AUC >= 0"
  - "detector overhead < 100%"
  - "retrained accuracy > 0"
  - "mean retrained I-FLOPs < 1000%"
`,
  join(dir, 'm.perf.yaml'),
);

describe('runSuite with mitigation sections', () => {
  it('reports the detector and the retraining, and writes their files', async () => {
    const r = await runSuite(suite, {}, { cwd: dir, cache: new GeneratorCache(join(dir, 'cache')), retrain: false, toolVersion: 'test' });
    expect(r.error).toBeUndefined();
    const d = r.mitigation!.detector!;
    expect([d.trainSeeds, d.testSeeds]).toEqual([40, 30]);
    expect(d.auc).toBeGreaterThanOrEqual(0);
    expect(d.auc).toBeLessThanOrEqual(1);
    // sdn-tiny's first conv: 28x28x8 outputs, so the linear layer is 2 x 6272 FLOPs.
    expect(d.overheadFlops).toBe(2 * 28 * 28 * 8);
    expect(r.mitigation!.retrain!.trainSeeds).toBe(32);
    expect(r.assertions.map((a) => a.status)).toEqual(['passed', 'passed', 'passed', 'passed']);
    expect(r.assertions[0].value).toBe(d.auc);
    expect(JSON.parse(await readFile(join(dir, 'out/detector.json'), 'utf8'))).toMatchObject({ format: expect.any(String) });
    await expect(stat(join(dir, 'out/hardened/weights.bin'))).resolves.toBeTruthy();
  }, 300_000);
});
