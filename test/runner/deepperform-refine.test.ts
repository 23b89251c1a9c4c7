import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GeneratorCache, shippedGeneratorsDir } from '../../src/generator/index.js';
import { runSuite } from '../../src/runner/index.js';
import { parseSuite } from '../../src/suite/index.js';
import { FIXTURE_MODEL, ROOT, tempDir } from '../helpers/cli.js';

/** The generator shipped for the default "sdn-tiny, Linf" suite (its metadata names the suite). */
function shippedSdnLinf(): string {
  const root = shippedGeneratorsDir();
  const dir = readdirSync(root).find((d) => {
    try {
      return JSON.parse(readFileSync(join(root, d, 'model.json'), 'utf8')).metadata?.info?.suite === 'sdn-tiny, Linf';
    } catch {
      return false;
    }
  });
  if (!dir) throw new Error('no shipped sdn-tiny, Linf generator');
  return join(root, dir);
}

const suiteText = `
name: refine
model: { arch: sdn-tiny, weights: ${FIXTURE_MODEL} }
data: { dataset: fashion-mnist-embedded, seeds: 40 }
norm: linf
epsilon: 0.1
seed: 333
generator: { load: ${shippedSdnLinf()}, refine: 8 }
baselines: [random]
measure: { latency: false, energy: false, sensitivity: [] }
assertions:
  - "mean I-FLOPs of deepperform-refine >= 1.5x deepperform"
  - "max perturbation Linf of deepperform-refine <= 0.1000001"
`;

describe('a suite with generator.refine', () => {
  it('reports deepperform-refine beside deepperform: costlier on every seed, in the ball, assertable, cached', async () => {
    const suite = parseSuite(suiteText, `${ROOT}/test/runner/inline-refine.perf.yaml`);
    const ctx = { cwd: ROOT, cache: new GeneratorCache(tempDir()), retrain: false, toolVersion: 'test' };
    const result = await runSuite(suite, {}, ctx);
    expect(result.methods.map((m) => m.method)).toEqual(['deepperform', 'deepperform-refine', 'random', 'worst-case']);
    const [dp, refined] = result.methods;
    // Started from G's inputs, keeping the costliest iterate: no seed ends cheaper than G made it.
    refined.flops.forEach((f, i) => expect(f).toBeGreaterThanOrEqual(dp.flops[i]));
    expect(refined.perturbationLinf.max).toBeLessThanOrEqual(0.1 * (1 + 1e-5));
    // Its time per input includes G's forward pass.
    expect(refined.generationMsPerInput).toBeGreaterThan(dp.generationMsPerInput);
    expect(result.assertions.map((a) => a.status)).toEqual(['passed', 'passed']);
    expect(result.status).toBe('passed');

    const again = await runSuite(suite, {}, ctx);
    expect(again.methods[1].generationCached).toBe(true);
    expect(again.methods[1].flops).toEqual(refined.flops);
  });
});
