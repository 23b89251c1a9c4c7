import { describe, expect, it } from 'vitest';
import { runSuite } from '../../src/runner/index.js';
import { parseSuite } from '../../src/suite/index.js';
import { FIXTURE_MODEL, ROOT, tempDir } from '../helpers/cli.js';
import { GeneratorCache } from '../../src/generator/index.js';

const suiteText = (norm: string, epsilon: number) => `
name: small budget ${norm}
model: { arch: sdn-tiny, weights: ${FIXTURE_MODEL} }
data: { dataset: fashion-mnist-embedded, seeds: 100 }
norm: ${norm}
epsilon: ${epsilon}
seed: 333
generator:
  preset: tiny
  train: { steps: 60, batchSize: 16, learningRate: 0.001, perfLoss: bce, validateEvery: 20 }
`;

describe('DeepPerform on a small budget beats random noise of the same epsilon', () => {
  for (const [norm, eps] of [
    ['linf', 0.1],
    ['l2', 2],
  ] as const) {
    it(`${norm}: mean I-FLOPs above zero and above random on the same seeds`, async () => {
      const suite = parseSuite(suiteText(norm, eps), `${ROOT}/test/runner/inline-${norm}.perf.yaml`);
      const ctx = { cwd: ROOT, cache: new GeneratorCache(tempDir()), retrain: false, toolVersion: 'test' };
      const result = await runSuite(suite, {}, ctx);
      const dp = result.methods.find((m) => m.method === 'deepperform')!;
      const random = result.methods.find((m) => m.method === 'random')!;
      expect(dp.iflopsStats.mean).toBeGreaterThan(0);
      expect(dp.iflopsStats.mean).toBeGreaterThan(random.iflopsStats.mean);
      // Every generated input stays inside its ball (and the [0, 1] range is checked by projection tests).
      const bound = norm === 'linf' ? dp.perturbationLinf.max : dp.perturbationL2.max;
      expect(bound).toBeLessThanOrEqual(eps * (1 + 1e-5));
    });
  }
});
