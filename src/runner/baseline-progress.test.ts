/**
 * A baseline's optimisation steps reach the reporter while it runs (the
 * attacks are synchronous, so this is the only way a live line can move),
 * and a cached rerun reports none.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PhaseProgressInfo, Reporter } from '../results/index.js';
import { GeneratorCache } from '../generator/index.js';
import { parseSuite } from '../suite/index.js';
import { FIXTURE_MODEL, tempDir } from '../../test/helpers/cli.js';
import { runSuite } from './run-suite.js';

const dir = tempDir();
afterAll(() => rm(dir, { recursive: true, force: true }));

const suite = parseSuite(
  `name: baseline progress
model: { arch: sdn-tiny, weights: ${FIXTURE_MODEL} }
data: { dataset: fashion-mnist-embedded, seeds: 12 }
norm: linf
epsilon: 0.1
generator: { preset: tiny, train: { steps: 1, batchSize: 4, width: 2, validateEvery: 1 } }
baselines: [{ ilfo: { iterations: 3, batchSize: 5 } }]
measure: { latency: false, energy: false, sensitivity: [] }
assertions: []
`,
  join(dir, 'p.perf.yaml'),
);

function recording(): { reporter: Reporter; events: string[] } {
  const events: string[] = [];
  const reporter: Reporter = {
    onPhase: (i) => events.push(`phase ${i.phase}${i.detail ? ` ${i.detail}` : ''}`),
    onPhaseProgress: (i: PhaseProgressInfo) => events.push(`${i.file} ${i.done}/${i.total} ${i.unit}`),
  };
  return { reporter, events };
}

describe('runSuite: baseline progress', () => {
  it('reports every ILFO step between the baseline phase and the next, then none from the cache', async () => {
    const ctx = { cwd: dir, cache: new GeneratorCache(join(dir, 'cache')), retrain: false, toolVersion: 'test' };
    const first = recording();
    expect((await runSuite(suite, first.reporter, ctx)).error).toBeUndefined();
    const from = first.events.indexOf('phase baseline ilfo');
    expect(from).toBeGreaterThan(0);
    // 12 seeds in batches of 5: 3 batches of 3 iterations.
    const steps = Array.from({ length: 9 }, (_, i) => `p.perf.yaml ${i + 1}/9 steps`);
    expect(first.events.slice(from + 1, from + 11)).toEqual([...steps, 'phase measuring']);

    const again = recording();
    await runSuite(suite, again.reporter, ctx);
    expect(again.events.filter((e) => e.includes(' steps'))).toEqual([]);
    expect(again.events.some((e) => /^phase baseline ilfo \(cache baseline-/.test(e))).toBe(true);
  }, 120_000);
});
