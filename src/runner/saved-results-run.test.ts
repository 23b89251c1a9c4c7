/**
 * The saved result wired into a real (tiny) run: the first local run writes
 * it, the next compares with it, CI without it fails, --update-baseline
 * replaces it.
 */
import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { GeneratorCache } from '../generator/index.js';
import { parseSuite } from '../suite/index.js';
import { FIXTURE_MODEL, tempDir } from '../../test/helpers/cli.js';
import { runSuite } from './run-suite.js';

const savedCI = process.env.CI;
afterEach(() => {
  if (savedCI === undefined) delete process.env.CI;
  else process.env.CI = savedCI;
});

const dir = tempDir();
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
const cache = new GeneratorCache(join(dir, 'cache'));
const suite = parseSuite(
  `name: saved wiring
model: { arch: sdn-tiny, weights: ${FIXTURE_MODEL} }
data: { dataset: fashion-mnist-embedded, seeds: 8 }
norm: linf
epsilon: 0.1
seed: 1
generator: { preset: tiny, train: { steps: 2, batchSize: 8, width: 2, validateEvery: 2 } }
measure: { latency: false, energy: false, sensitivity: [] }
assertions:
  - "max I-FLOPs <= saved"
  - "mean FLOPs <= saved"
  - "block coverage >= 0"
`,
  join(dir, 'wiring.perf.yaml'),
);
const run = (updateBaseline = false) => runSuite(suite, {}, { cwd: dir, cache, retrain: false, toolVersion: 'test', updateBaseline });
const statuses = (r: Awaited<ReturnType<typeof run>>) => r.assertions.map((a) => a.status);

// The tests build on each other (vitest runs a file's tests in order): no file, written, replaced.
describe('runSuite with a saved result', () => {
  it('in CI without the file: fails the saved assertions and writes nothing', async () => {
    process.env.CI = '1';
    const r = await run();
    expect(statuses(r)).toEqual(['failed', 'failed', 'passed']);
    expect([r.status, r.saved]).toEqual(['failed', { file: 'wiring.perf.baseline.json', action: 'missing' }]);
    await expect(stat(suite.saved!)).rejects.toThrow(/ENOENT/);
  });

  it('locally: the first run writes the file, the next compares with it (FLOPs are deterministic)', async () => {
    delete process.env.CI;
    const first = await run();
    expect(statuses(first)).toEqual(['skipped', 'skipped', 'passed']);
    expect([first.status, first.saved?.action]).toEqual(['passed', 'written']);
    const saved = JSON.parse(await readFile(suite.saved!, 'utf8'));
    expect(saved.metrics['mean FLOPs']).toBe(first.methods[0].flopsStats.mean);

    process.env.CI = '1';
    const second = await run();
    expect(statuses(second)).toEqual(['passed', 'passed', 'passed']);
    expect(second.saved?.action).toBe('compared');
    expect(second.assertions[1].comparison).toMatchObject({ against: 'saved', reference: saved.metrics['mean FLOPs'], file: 'wiring.perf.baseline.json' });
  });

  it('--update-baseline replaces the file and skips the comparison', async () => {
    const before = JSON.parse(await readFile(suite.saved!, 'utf8')).savedAt;
    const r = await run(true);
    expect(statuses(r)).toEqual(['skipped', 'skipped', 'passed']);
    expect(r.saved?.action).toBe('written');
    expect(JSON.parse(await readFile(suite.saved!, 'utf8')).savedAt).not.toBe(before);
  });
});
