import { describe, expect, it } from 'vitest';
import { energyStatement, pctMeanSd, sampleSd, table4, table5, table6, table7 } from '../../eval/lib/render-attacks.mjs';
import { planFor } from '../../eval/lib/plan.mjs';

/** Aggregates as the product writes them (fractions). */
const agg = (mean: number, p50: number, max: number) => ({ mean, p50, max, min: 0, p95: max });

function method(name: string, extra: Record<string, unknown> = {}) {
  return { method: name, iflopsStats: agg(0.1, 0, 3), fullDepthRate: 0.05, successCount: 10, successRate: 0.1, coverage: 0.5, generationMsPerInput: 1, ...extra };
}

const section = (suites: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  startedAt: '2026-12-06T00:00:00.000Z',
  machine: { cpu: 'Test CPU', cores: 2 },
  backend: 'tfjs-wasm',
  data: { suites, ...extra },
});

/**
 * sdn-tiny under Linf, three training seeds. DeepPerform's mean I-FLOPs 0.4, 0.5, 0.6 (mean 0.5,
 * sample sd sqrt((0.01 + 0 + 0.01) / 2) = 0.1); p50 0, 0.1, 0.2 (0.1 ± 0.1); full-depth rate
 * 0.1, 0.1, 0.4 (0.2, sd sqrt((0.01 + 0.01 + 0.04) / 2) = 0.1732).
 */
function results() {
  const dp = [
    [0.4, 0, 0.1],
    [0.5, 0.1, 0.1],
    [0.6, 0.2, 0.4],
  ];
  const base = (k: number) => ({
    config: { seeds: 100 },
    seeds: { coverage: 0.25 },
    methods: [
      method('deepperform', { iflopsStats: agg(dp[k][0], dp[k][1], 3.5), fullDepthRate: dp[k][2], coverage: 0.5 + 0.25 * k }),
      method('deepperform-refine', { iflopsStats: agg(1 + k, 1, 3.5), fullDepthRate: 0.3 }),
      method('ilfo', { iflopsStats: agg(2.5, 2.25, 3.5), fullDepthRate: 0.6, generationMsPerInput: 2000, iflops: Array.from({ length: 100 }, (_, i) => (i % 2 ? 1 : 0)) }),
      method('ilfo-paper-code', { iflopsStats: agg(0.3, 0, 3.5), fullDepthRate: 0.02, generationMsPerInput: 1000, iflops: Array.from({ length: 100 }, (_, i) => (i < 5 ? 1 : 0)) }),
      method('deepsloth', { iflopsStats: agg(2.8, 3, 3.5), fullDepthRate: 0.7 }),
      method('random', { iflopsStats: agg(0.01, 0, 3.5), fullDepthRate: 0.01 }),
    ],
  });
  const light = (k: number) => ({
    config: { seeds: 1000 },
    seeds: { latencyStats: agg(2, 1.5, 9) },
    methods: [
      method('deepperform', { successCount: 300 + 100 * k, generationMsPerInput: 0.5, ilatencyStats: agg(0.2 + 0.1 * k, 0.1, 1) }),
      method('random', { successCount: 40, ilatencyStats: agg(0.01, 0, 0.5) }),
    ],
    sensitivity: [
      { method: 'deepperform', points: [0.3, 0.5].map((tau) => ({ tau, iflops: agg(0.1 * (k + 1), 0, tau + k) })) },
      { method: 'random', points: [0.5].map((tau) => ({ tau, iflops: agg(0.02, 0, 3) })) },
    ],
  });
  return {
    mode: 'full',
    plan: planFor(false),
    sections: {
      baselines: section({
        'sdn-tiny, Linf, per-input baselines': base(0),
        'sdn-tiny, Linf, per-input baselines, training seed 1': base(1),
        'sdn-tiny, Linf, per-input baselines, training seed 2': base(2),
      }),
      light: section(
        {
          'sdn-tiny, Linf, light generator': light(0),
          'sdn-tiny, Linf, light generator, training seed 1': light(1),
          'sdn-tiny, Linf, light generator, training seed 2': light(2),
        },
        {
          // Budgets 49.5 + 1000 x 0.5 ms = 50 s, 59.5 + 0.5 = 60 s, 69.5 + 0.5 = 70 s: mean 60 s.
          generators: {
            'sdn-tiny, Linf, light generator': { seconds: 49.5 },
            'sdn-tiny, Linf, light generator, training seed 1': { seconds: 59.5 },
            'sdn-tiny, Linf, light generator, training seed 2': { seconds: 69.5 },
          },
        },
      ),
    },
  };
}

describe('mean ± sample standard deviation', () => {
  it('divides by n - 1: [0.4, 0.5, 0.6] has sd 0.1; one value has none', () => {
    expect(sampleSd([0.4, 0.5, 0.6])).toBeCloseTo(0.1, 12);
    expect(sampleSd([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(sampleSd([0.3])).toBeUndefined();
    expect(pctMeanSd([0.4, 0.5, 0.6])).toBe('50.0% ± 10.0');
    expect(pctMeanSd([0.3])).toBe('30.0%');
    // A method that was not measured is a dash, never a NaN.
    expect(pctMeanSd([undefined, Number.NaN])).toBe('—');
  });
});

describe('Table 4', () => {
  const md = table4(results());

  it('gives the generator methods as mean ± sd over the training seeds: mean, p50, full-depth rate', () => {
    expect(md).toContain('| Linf | sdn-tiny | DeepPerform (one pass) (3 training seeds) | 50.0% ± 10.0 | 10.0% ± 10.0 | 20.0% ± 17.3 | 350.0% ± 0.0 |');
    // refine: 1, 2, 3 -> mean 2, sd 1.
    expect(md).toContain('| Linf | sdn-tiny | deepperform-refine (3 training seeds) | 200.0% ± 100.0 | 100.0% ± 0.0 | 30.0% ± 0.0 |');
  });

  it('gives both ILFOs, DeepSloth and random once (they do not depend on the generator)', () => {
    expect(md).toContain('| Linf | sdn-tiny | ILFO (published: Adam) | 250.0% | 225.0% | 60.0% | 350.0% |');
    expect(md).toContain("| Linf | sdn-tiny | ILFO as the paper's code ran it | 30.0% | 0.0% | 2.0% | 350.0% |");
    expect(md).toContain('| Linf | sdn-tiny | DeepSloth | 280.0% | 300.0% | 70.0% | 350.0% |');
    expect(md).toContain('| Linf | sdn-tiny | random | 1.0% | 0.0% | 1.0% | 350.0% |');
  });

  it("labels the max as the model's ceiling and leaves DeepSloth out on skipping models", () => {
    expect(md).toContain("max I-FLOPs (the model's ceiling)");
    expect(md).not.toMatch(/skipnet-tiny \| DeepSloth/);
    expect(md).toMatch(/\| L2 \| skipnet-tiny \| random \| — \|/);
  });
});

describe('Table 5 (I-latency)', () => {
  it('from the measured latency: DeepPerform 0.2, 0.3, 0.4 -> 30.0% ± 10.0; random once', () => {
    expect(table5(results())).toContain('| sdn-tiny | 1.50 | 30.0% ± 10.0 | 10.0% ± 0.0 | 100.0% ± 0.0 | 1.0% | 0.0% | 50.0% |');
  });
});

describe('Table 6', () => {
  const md = table6(results());
  it("counts each method within the mean budget (60 s), random's success number beside them", () => {
    // DeepPerform 300, 400, 500 of 1000: 400.0 ± 100.0. ILFO 2 s per input: 30 inputs, of which
    // the odd ones (15) are slower. ILFO as the paper's code ran it, 1 s: 60 inputs, 5 slower.
    // random: 40 of the light suite's 1000 seeds.
    expect(md).toContain('| Linf | sdn-tiny | 60 s | 400.0 ± 100.0 of 1000 | 15 of 30 | 5 of 60 | ≈');
    expect(md).toContain('| 40 of 1000 | 25% | 75% ± 25 |');
  });
});

describe('Table 7', () => {
  it('puts the mean beside the max at each tau, DeepPerform averaged over the training seeds', () => {
    // tau 0.3: means 0.1, 0.2, 0.3 -> 20.0%; maxima 0.3, 1.3, 2.3 -> 130.0%.
    const md = table7(results());
    expect(md).toContain('| Linf | sdn-tiny | DeepPerform light | 20.0% / 130.0% | — | 20.0% / 150.0% | — | — |');
    expect(md).toContain('| Linf | sdn-tiny | random | — | — | 2.0% / 300.0% | — | — |');
  });
});

describe('the energy statement', () => {
  it('says what the run found and that nothing was measured', () => {
    const md = energyStatement({ energyProbe: { powercap: null, powerPmu: false, eventSources: ['msr', 'software'] } });
    expect(md).toContain('/sys/class/powercap does not exist (no RAPL powercap interface)');
    expect(md).toContain('perf has no "power" event source (event sources: msr, software)');
    expect(md).toContain('Not measured.');
    expect(energyStatement({})).toContain('Not recorded');
  });
});
