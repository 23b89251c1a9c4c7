/**
 * Convergence wired into real (tiny) runs of sdn-tiny: the budget warning
 * before training, the record in the result, requireConverged failing the
 * suite, and a generator shipped before records existed (old metadata).
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GeneratorCache, loadGenerator } from '../generator/index.js';
import { parseSuite } from '../suite/index.js';
import type { Reporter } from '../results/index.js';
import { FIXTURE_MODEL, ROOT, tempDir } from '../../test/helpers/cli.js';
import { CONVERGENCE_CHECK } from './convergence.js';
import { runSuite } from './run-suite.js';

const dir = tempDir();
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/**
 * A copy of a generator shipped with the default suites, with its training
 * record removed: the metadata a generator saved before records existed has.
 */
function legacyGenerator(suiteName: string): string {
  const root = join(ROOT, 'fixtures/generators');
  const found = readdirSync(root)
    .map((d) => join(root, d))
    .find((d) => {
      try {
        return JSON.parse(readFileSync(join(d, 'model.json'), 'utf8')).metadata.info.suite === suiteName;
      } catch {
        return false;
      }
    });
  if (!found) throw new Error(`no shipped generator for "${suiteName}"`);
  const legacy = join(dir, 'legacy-generator');
  mkdirSync(legacy, { recursive: true });
  copyFileSync(join(found, 'weights.bin'), join(legacy, 'weights.bin'));
  const model = JSON.parse(readFileSync(join(found, 'model.json'), 'utf8'));
  delete model.metadata.training;
  writeFileSync(join(legacy, 'model.json'), JSON.stringify(model));
  return legacy;
}

function suite(generator: string) {
  return parseSuite(
    `name: convergence wiring
model: { arch: sdn-tiny, weights: ${FIXTURE_MODEL} }
data: { dataset: fashion-mnist-embedded, seeds: 8 }
norm: linf
epsilon: 0.1
seed: 1
generator:
  preset: tiny
${generator}
baselines: []
measure: { latency: false, energy: false, sensitivity: [] }
assertions:
  - "block coverage >= 0"
`,
    join(dir, 'converge.perf.yaml'),
  );
}

/** Records the order of the reporter events the runner sends. */
function recorder(): { reporter: Reporter; events: string[] } {
  const events: string[] = [];
  return {
    events,
    reporter: {
      onSuiteWarning: (w) => events.push(`warning:${w.warning.kind}`),
      onTrainingProgress: () => events.push('progress'),
    },
  };
}

const run = (text: string, reporter: Reporter = {}) =>
  runSuite(suite(text), reporter, { cwd: dir, cache: new GeneratorCache(join(dir, 'cache')), retrain: true, toolVersion: 'test' });

describe('runSuite: convergence', () => {
  it('a 2-step budget: warned before training, recorded as stopped at the step budget; requireConverged fails the suite', async () => {
    const { reporter, events } = recorder();
    const train = '  train: { steps: 2, batchSize: 8, width: 2, validationInputs: 32, requireConverged: true }';
    const r = await run(train, reporter);
    // The budget warning comes before the first training step.
    expect(events[0]).toBe('warning:early-stopping-budget');
    expect(events.slice(1).every((e) => e === 'progress')).toBe(true);
    expect(r.warnings?.map((w) => w.kind)).toEqual(['early-stopping-budget']);
    expect(r.training?.record).toMatchObject({ stopReason: 'budget-steps', converged: false, steps: 2, validationInputs: 32 });
    const check = r.assertions.find((a) => a.source === CONVERGENCE_CHECK)!;
    expect(check).toMatchObject({ status: 'failed', level: 'error', actual: 'stopped at its step budget' });
    expect(check.message).toMatch(/^converge\.perf\.yaml: requireConverged is set and the generator did not converge: training stopped at its step budget at step 2/);
    expect(r.status).toBe('failed');
  });

  it('without requireConverged the same run passes, with the not-converged warning', async () => {
    const r = await run('  train: { steps: 2, batchSize: 8, width: 2, validationInputs: 32 }');
    expect(r.status).toBe('passed');
    expect(r.warnings?.map((w) => w.kind)).toEqual(['early-stopping-budget', 'not-converged']);
    expect(r.assertions.map((a) => a.source)).toEqual(['block coverage >= 0']);
  });

  it('early stopping that fires passes requireConverged', async () => {
    // minDelta 10 (1000 percentage points): no validation after the first is a gain; patience 1 stops at the second.
    const r = await run('  train: { steps: 20, batchSize: 8, width: 2, validationInputs: 32, validateEvery: 1, patience: 1, minDelta: 10, requireConverged: true }');
    expect(r.training?.record).toMatchObject({ stopReason: 'early-stopped', converged: true, steps: 2 });
    expect(r.assertions.find((a) => a.source === CONVERGENCE_CHECK)?.status).toBe('passed');
    expect(r.status).toBe('passed');
    expect(r.warnings).toBeUndefined();
  });

  it('a generator shipped before training records existed still loads, reports "training record not available", and fails requireConverged', async () => {
    const shipped = legacyGenerator('sdn-tiny, Linf');
    const loaded = await loadGenerator(shipped);
    expect(loaded.record).toBeUndefined();
    loaded.generator.store.dispose();
    const loose = await run(`  load: ${shipped}`);
    expect(loose.status).toBe('passed');
    expect(loose.training).toMatchObject({ loaded: true, source: 'file' });
    expect(loose.training?.record).toBeUndefined();
    expect(loose.warnings?.map((w) => w.kind)).toEqual(['no-training-record']);
    expect(loose.warnings?.[0].message).toMatch(/^training record not available/);
    const strict = await run(`  load: ${shipped}\n  train: { requireConverged: true }`);
    expect(strict.status).toBe('failed');
    expect(strict.assertions.find((a) => a.source === CONVERGENCE_CHECK)?.actual).toBe('no training record');
  });

  it('a cached generator carries the record it was trained with', async () => {
    const cache = new GeneratorCache(join(dir, 'cache2'));
    const text = '  train: { steps: 2, batchSize: 8, width: 2, validationInputs: 32 }';
    const ctx = { cwd: dir, cache, retrain: false, toolVersion: 'test' };
    const first = await runSuite(suite(text), {}, ctx);
    const second = await runSuite(suite(text), {}, ctx);
    expect(second.training?.source).toBe('cache');
    expect(second.training?.record).toEqual(first.training?.record);
    expect(second.training?.bestValidationIflops).toBe(first.training?.record?.best.iflops);
    expect(second.warnings?.map((w) => w.kind)).toEqual(['early-stopping-budget', 'not-converged']);
  });
});
