import { describe, expect, it } from 'vitest';
// The generator study (eval/study) is plain ESM run by node; these are its pure parts.
import { CONFIGS, configSettings, MODELS, runId, runList, trainSettings } from '../../eval/study/plan.mjs';
import { fullDepthRate, studyResult, totalFlops } from '../../eval/study/result.mjs';
import { fullDepthFromIflops, meanSd, renderTables, withTables } from '../../eval/study/render.mjs';
import { suiteText } from '../../eval/study/suite.mjs';
import { parseSuite } from '../../src/suite/index.js';

const MODEL = { baseFlops: 100, blocks: [{ flops: 50 }, { flops: 250 }] };

describe('study result arithmetic, by hand', () => {
  it('full depth: the share of inputs at the model total (base + every block)', () => {
    expect(totalFlops(MODEL)).toBe(400);
    expect(fullDepthRate([400, 150, 400, 100], 400)).toBe(0.5);
    expect(fullDepthRate([], 400)).toBeNaN();
  });

  it('full depth of a method from its I-FLOPs and the seed FLOPs: seed * (1 + I-FLOPs) at the total', () => {
    // 100 * (1 + 3) = 400 (full), 150 * (1 + 1) = 300, 400 * (1 + 0) = 400 (full).
    expect(fullDepthFromIflops([3, 1, 0], [100, 150, 400], 400)).toBeCloseTo(2 / 3, 12);
    expect(fullDepthFromIflops([3], [100, 150], 400)).toBeNaN();
  });

  it('mean ± sample standard deviation in points; one seed has none', () => {
    expect(meanSd([0.5])).toBe('50.0%');
    // mean 0.3, sd sqrt(((0.1)^2 + (0.1)^2) / 1) = 0.141421 -> 14.1 points.
    expect(meanSd([0.2, 0.4])).toBe('30.0% ± 14.1');
  });

  it('refuses a crashed run instead of writing numbers for it', () => {
    const run = { id: 'x', model: 'sdn-tiny', norm: 'linf', epsilon: 0.1, config: 'bce', trainingSeed: 0, budget: { steps: 1 } };
    expect(() => studyResult(run, { status: 'error', methods: [], error: { message: 'boom' } }, { curve: [] })).toThrow(/x failed: boom/);
  });
});

describe('study plan', () => {
  it('names each run by model, norm, configuration, seed and budget, and lists them in that order', () => {
    const budget = { steps: 1000 };
    expect(runId({ model: 'sdn-tiny', norm: 'l2', config: 'hinge', trainingSeed: 2, budget })).toBe('sdn-tiny_l2_hinge_seed2_steps1000_p2');
    const list = runList({ models: ['sdn-tiny'], norms: ['linf', 'l2'], configs: ['bce', 'hinge'], trainingSeeds: [0, 1], budget });
    expect(list).toHaveLength(8);
    expect(list[0].id).toBe('sdn-tiny_linf_bce_seed0_steps1000_p2');
    expect(list[7].id).toBe('sdn-tiny_l2_hinge_seed1_steps1000_p2');
    expect(list[7].epsilon).toBe(2);
  });

  it('modifiers apply left to right on a base configuration; unknown names are refused', () => {
    expect(configSettings('bce+scale+gan')).toEqual({ perfLoss: 'bce', gan: true, learningRate: 1e-3, perturbationBound: 'scale' });
    expect(configSettings('bce+gan')?.gan).toBe(true);
    expect(configSettings('nope')).toBeUndefined();
    expect(configSettings('bce+nope')).toBeUndefined();
  });

  it('every configuration writes a suite the product accepts, with its settings, budget and seed', () => {
    for (const config of [...Object.keys(CONFIGS), 'log-expected-cost+scale+curriculum+lr1e-4+gan']) {
      const run = { id: 'r', model: MODELS[0], norm: 'linf', epsilon: 0.1, config, trainingSeed: 3, budget: { steps: 40, minutes: 2 } };
      const suite = parseSuite(suiteText(run, { modelDir: 'fixtures/models/sdn-tiny', validateEvery: 20 }), 'study.perf.yaml');
      const expected = trainSettings(run, 20);
      expect(suite.generator.train).toMatchObject({ ...expected, width: 16 });
      expect(suite.generator.train.seed).toBe(3);
      expect(suite.seed).toBe(2022);
      expect(suite.data).toMatchObject({ split: 'test', seeds: 100, trainSplit: 'train' });
    }
  });
});

describe('study tables', () => {
  const result = (config: string, seed: number, mean: number, protocol?: number) => ({
    ...(protocol === undefined ? {} : { protocol }),
    format: 'deepperform-generator-study',
    model: 'sdn-tiny',
    norm: 'linf',
    epsilon: 0.1,
    threshold: 0.5,
    config,
    trainingSeed: seed,
    budget: { steps: 10 },
    evaluation: { meanIflops: mean, p50Iflops: 0, fullDepthRate: 0.25, seedMeanFlops: 125, seedFlops: [100, 150], totalFlops: 400 },
    training: { bestValidationIflops: 0.1, steps: 10, seconds: 30 },
  });

  it('pools training seeds into one row and sets the baselines on the same seeds beside them', () => {
    const latest = {
      sections: {
        baselines: {
          data: {
            suites: {
              'sdn-tiny, Linf, per-input baselines': {
                seeds: { flopsStats: { mean: 125 } },
                methods: [
                  { method: 'ilfo', iflops: [3, 0], iflopsStats: { mean: 1.5, p50: 1.5 } },
                  { method: 'deepperform-refine', iflops: [3, 3], iflopsStats: { mean: 3, p50: 3 } },
                  { method: 'worst-case', iflops: [3, 3], iflopsStats: { mean: 3, p50: 3 } },
                ],
              },
            },
          },
        },
      },
    };
    // The protocol-2 run of hinge is not pooled with the protocol-1 runs (no protocol field).
    const md = renderTables([result('hinge', 0, 0.2), result('hinge', 1, 0.4), result('bce', 0, 0.1), result('hinge', 0, 0.9, 2)], latest);
    expect(md).toContain('| bce | 10 steps, p1 | 1 | 10.0% |');
    expect(md).toContain('| hinge | 10 steps, p1 | 2 | 30.0% ± 14.1 |');
    expect(md).toContain('| hinge | 10 steps, p2 | 1 | 90.0% |');
    expect(md.indexOf('| hinge | 10 steps, p1')).toBeLessThan(md.indexOf('| hinge | 10 steps, p2'));
    // ILFO: seed 0 reaches 100 * 4 = 400 (full depth), seed 1 stays at 150: 50 %.
    expect(md).toContain('| **ilfo** (eval) | | | 150.0% | 150.0% | 50% |');
    // The generator's own methods there are one training seed's: the study's rows are not compared with them.
    expect(md).not.toContain('deepperform-refine');
    expect(md).not.toContain('worst-case');
    expect(md).not.toContain('Seed mismatch');
    expect(md.indexOf('| bce |')).toBeLessThan(md.indexOf('| hinge |'));
  });

  it('replaces only the text between the markers', () => {
    const doc = withTables('# T\n\nintro\n', 'A');
    expect(doc).toContain('intro');
    const again = withTables(`${doc}\nafter\n`, 'B');
    expect(again).toContain('B');
    expect(again).not.toContain('\nA\n');
    expect(again).toContain('after');
  });
});
