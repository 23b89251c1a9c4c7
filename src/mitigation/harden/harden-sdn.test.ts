import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURE_MODEL, ROOT, tempDir } from '../../../test/helpers/cli.js';
import { evaluateAdaptive, loadAdnn } from '../../adnn/index.js';
import { loadDataset } from '../../data/index.js';
import { GeneratorCache } from '../../generator/index.js';
import { retrainGenerators } from '../../runner/index.js';
import { loadSuite } from '../../suite/index.js';
import type { HardenedFileMetadata } from './section.js';
import { runRetrainSection } from './section.js';

/**
 * The default sdn-tiny suite: its generator ships in fixtures/generators, so
 * only the "after" one trains here, with the suite's budget (250 steps). A
 * smaller generator budget was tried and is not reliable: a 30-step
 * generator's I-FLOPs varies from 3 % to 10 % with the seed, more than
 * retraining changes it.
 *
 * Opt-in (`npm run test:slow`): it trains a 250-step generator and retrains
 * for two epochs, 2 to 10 minutes on 2 cores depending on load, and its long
 * synchronous stretches outlast vitest's 60 s worker RPC limit. `npm test`
 * runs harden-fast.test.ts (retraining lowers the I-FLOPs of the shipped
 * generator's inputs, ~20 s), the wiring test (src/runner/mitigation.test.ts)
 * and the hand-computed Eq. 12 tests.
 */
const SLOW = process.env.DEEPPERFORM_SLOW_TESTS === '1';

describe('adversarial retraining (Eq. 12) on sdn-tiny', () => {
  it.skipIf(!SLOW)('lowers the I-FLOPs of the same generated inputs and of a generator retrained against it; saves the hardened model', async () => {
    const suite = await loadSuite(join(ROOT, 'suites/sdn-tiny-linf.perf.yaml'));
    const out = join(tempDir(), 'hardened');
    const r = await runRetrainSection({
      suite,
      settings: { epochs: 2, trainSeeds: 1000 },
      out,
      generators: retrainGenerators(suite, {
        cache: new GeneratorCache(tempDir(), [join(ROOT, 'fixtures/generators')]),
        retrain: false,
        toolVersion: (await import('../../util/version.js')).toolVersion(),
        onProgress: () => {},
      }),
    });
    const numbers = JSON.stringify({ before: r.before, after: r.after, sameInputs: r.sameInputs });
    // Measured with the full defaults: before 28.2 %, after 14-15 %, the old inputs on the new model 13-14 %.
    expect(r.before.meanIFlops, numbers).toBeGreaterThan(0.1);
    expect(r.sameInputs.meanIFlops, numbers).toBeLessThan(r.before.meanIFlops);
    expect(r.after.meanIFlops, numbers).toBeLessThan(r.before.meanIFlops);
    // The fixture model's recorded test accuracy; retraining may cost some, not most of it.
    expect(r.before.accuracy).toBeCloseTo(0.837, 3);
    expect(r.after.accuracy, numbers).toBeGreaterThan(0.75);
    expect(r).toMatchObject({ epochs: 2, trainSeeds: 1000, weightsPath: out });
    expect(r.history).toHaveLength(2);

    // The saved model is the retrained one: its accuracy is the "after" accuracy.
    const loaded = await loadAdnn(out);
    const test = await loadDataset({ name: 'fashion-mnist-embedded', split: 'test' });
    expect(evaluateAdaptive(loaded.network, test, 0.5).accuracy).toBe(r.after.accuracy);
    loaded.network.dispose();
    const meta = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')).metadata as HardenedFileMetadata;
    expect(meta.hardenedFrom).toBe(FIXTURE_MODEL);
    expect(meta.hardening).toMatchObject({ objective: 'eq12', before: r.before, after: r.after, tau: 0.5, norm: 'linf', epsilon: 0.1 });
    // The original training record stays: it says how the base model was made.
    expect(meta.training?.epochs).toBe(30);
  }, 600_000);
});
