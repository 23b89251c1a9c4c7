import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// The evaluation is plain ESM JavaScript run by node (npm run eval); these are its pure parts.
import { parseArgs } from '../../eval/lib/args.mjs';
import { DEFAULT_DATA_PATH } from '../../eval/lib/dataset-check.mjs';
import { pairBar } from '../../eval/lib/render-summary.mjs';
import { inputsSince } from '../../eval/lib/results.mjs';
import { combineSeeds, medianOf, pairDone, summaryRows, withPair } from '../../eval/lib/summary.mjs';
import { spawnAsync } from '../helpers/spawn.js';

const ROOT = resolve(__dirname, '../..');

interface Row {
  model: string;
  norm: string;
  method: string;
  seeds: number;
  mean_iflops: number;
  p50_iflops: number;
  full_depth_rate: number;
  seconds_per_input: number;
  training_epochs?: number;
  training_seconds?: number;
  converged?: boolean;
  training_seeds?: number[];
}

function method(name: string, iflops: number[], fullDepthRate: number | undefined, msPerInput: number) {
  return { method: name, iflops, fullDepthRate, generationMsPerInput: msPerInput };
}

/** A suite result of 4 seeds as the product reports it, reduced to what the rows read. */
function suiteResult(methods = [
  method('deepperform', [0, 0.5, 1.0, 2.5], 0.25, 0.5),
  method('ilfo', [3, 0.2, 0.6, 0.4], 0.25, 700),
  method('random', [-0.1, 0, 0, 0.1], 0, 0.4),
  method('worst-case', [3, 0.5, 1.0, 2.5], 0.5, 700.9),
]) {
  return {
    name: 'sdn-tiny, Linf, summary',
    status: 'passed',
    config: { seeds: 4, seed: 2022 },
    methods,
    training: { source: 'trained', record: { epochs: 1.5, durationMs: 600_000, converged: true, stopReason: 'early-stopped' } },
  };
}

describe('summary rows (the contract of eval/results/summary.json)', () => {
  const rows: Row[] = summaryRows(suiteResult(), { model: 'sdn-tiny', norm: 'linf' });

  it('mean and median I-FLOPs per method from the per-input values, as fractions', () => {
    const dp = rows.find((r) => r.method === 'deepperform')!;
    // (0 + 0.5 + 1 + 2.5) / 4 = 1.0; median of 0, 0.5, 1, 2.5 = (0.5 + 1) / 2 = 0.75
    expect(dp.mean_iflops).toBeCloseTo(1.0, 12);
    expect(dp.p50_iflops).toBeCloseTo(0.75, 12);
    const ilfo = rows.find((r) => r.method === 'ilfo')!;
    // (3 + 0.2 + 0.6 + 0.4) / 4 = 1.05; sorted 0.2, 0.4, 0.6, 3 -> (0.4 + 0.6) / 2 = 0.5
    expect(ilfo.mean_iflops).toBeCloseTo(1.05, 12);
    expect(ilfo.p50_iflops).toBeCloseTo(0.5, 12);
    expect(medianOf([5, 1, 3])).toBe(3);
  });

  it('full-depth rate, seeds and seconds per input as measured', () => {
    expect(rows.map((r) => [r.method, r.seeds, r.full_depth_rate, r.seconds_per_input])).toEqual([
      ['deepperform', 4, 0.25, 0.0005],
      ['ilfo', 4, 0.25, 0.7],
      ['random', 4, 0, 0.0004],
      ['worst-case', 4, 0.5, 0.7009],
    ]);
  });

  it('generator methods carry the training record: epochs, seconds, converged, training seeds', () => {
    const dp = rows.find((r) => r.method === 'deepperform')!;
    expect([dp.training_epochs, dp.training_seconds, dp.converged, dp.training_seeds]).toEqual([1.5, 600, true, [2022]]);
    expect(rows.find((r) => r.method === 'ilfo')).not.toHaveProperty('converged');
  });

  it('refuses a method that did not run on every seed, an unmeasured full-depth rate, a NaN, a missing record', () => {
    const on = (m: ReturnType<typeof method>) => () => summaryRows(suiteResult([m]), { model: 'sdn-tiny', norm: 'linf' });
    expect(on(method('ilfo', [1, 2, 3], 0, 1))).toThrow(/3 per-input I-FLOPs for 4 seeds/);
    expect(on(method('ilfo', [1, 2, 3, 4], undefined, 1))).toThrow(/full-depth rate was not measured/);
    expect(on(method('ilfo', [1, NaN, 3, 4], 0, 1))).toThrow(/not a number/);
    const noRecord = { ...suiteResult(), training: { source: 'file' } };
    expect(() => summaryRows(noRecord, { model: 'sdn-tiny', norm: 'linf' })).toThrow(/no training record/);
    expect(() => summaryRows({ ...suiteResult(), status: 'error', error: { message: 'boom' } }, { model: 'sdn-tiny', norm: 'linf' })).toThrow(/crashed: boom/);
  });

  it('a pair written again replaces its rows; rows stay in plan order', () => {
    const order = { models: ['sdn-tiny', 'ranet-tiny'], norms: ['linf', 'l2'] };
    const empty = { rows: [], pairs: [], absent: [] };
    const row = (model: string, m: string, mean: number) => ({ model, norm: 'linf', method: m, mean_iflops: mean });
    let s = withPair(empty, { model: 'ranet-tiny', norm: 'linf', rows: [row('ranet-tiny', 'ilfo', 1)], absent: [], facts: {} }, order);
    s = withPair(s, { model: 'sdn-tiny', norm: 'linf', rows: [row('sdn-tiny', 'random', 1), row('sdn-tiny', 'deepperform', 1)], absent: [], facts: {} }, order);
    s = withPair(s, { model: 'ranet-tiny', norm: 'linf', rows: [row('ranet-tiny', 'ilfo', 2)], absent: [], facts: {} }, order);
    expect(s.rows.map((r: Row) => `${r.model} ${r.method} ${r.mean_iflops}`)).toEqual(['sdn-tiny deepperform 1', 'sdn-tiny random 1', 'ranet-tiny ilfo 2']);
    expect(s.pairs.map((p: { model: string }) => p.model)).toEqual(['sdn-tiny', 'ranet-tiny']);
  });

  it('combines training seeds: mean ± sample sd for the generator methods and worst-case, the baselines once', () => {
    // deepperform's per-input I-FLOPs are scaled per training seed: means 1.0, 1.5, 2.0 -> 1.5 ± 0.5;
    // medians 0.75, 1.125, 1.5 -> 1.125 ± 0.375. Training 600, 900, 1,200 s -> 900 s; seed 1 did not converge.
    const set = (k: number, converged: boolean) => {
      const scale = 1 + 0.5 * k;
      const r = suiteResult([method('deepperform', [0, 0.5, 1.0, 2.5].map((v) => v * scale), 0.25 * (k + 1), 0.5), method('ilfo', [3, 0.2, 0.6, 0.4], 0.25, 700), method('worst-case', [3, 0.5, 1, 2.5], 0.5, 700)]);
      const record = { epochs: 1.5, durationMs: 600_000 * scale, converged, stopReason: converged ? 'early-stopped' : 'minutes' };
      return summaryRows({ ...r, training: { source: 'trained', record } }, { model: 'sdn-tiny', norm: 'linf', trainingSeed: k });
    };
    const rows = combineSeeds([set(0, true), set(1, false), set(2, true)], [0, 1, 2]);
    const dp = rows.find((r: Row) => r.method === 'deepperform');
    expect(dp.mean_iflops).toBeCloseTo(1.5, 12);
    expect(dp.mean_iflops_sd).toBeCloseTo(0.5, 12);
    expect(dp.p50_iflops).toBeCloseTo(1.125, 12);
    expect(dp.p50_iflops_sd).toBeCloseTo(0.375, 12);
    // full-depth rate 0.25, 0.5, 0.75 -> 0.5 ± 0.25.
    expect([dp.full_depth_rate, dp.full_depth_rate_sd]).toEqual([0.5, 0.25]);
    expect([dp.training_seconds, dp.converged, dp.stop_reason, dp.training_seeds]).toEqual([900, false, 'early-stopped, minutes', [0, 1, 2]]);
    expect(dp.by_training_seed.map((x: { training_seed: number; converged: boolean }) => [x.training_seed, x.converged])).toEqual([[0, true], [1, false], [2, true]]);
    const ilfo = rows.find((r: Row) => r.method === 'ilfo');
    expect(ilfo).not.toHaveProperty('mean_iflops_sd');
    expect(ilfo.mean_iflops).toBeCloseTo(1.05, 12);
    // worst-case is the same in every set here: sd 0, and no training facts.
    const worst = rows.find((r: Row) => r.method === 'worst-case');
    expect(worst.mean_iflops_sd).toBe(0);
    expect(worst).not.toHaveProperty('training_seconds');
    // One seed: the rows as they were.
    expect(combineSeeds([set(0, true)], [0])).toEqual(set(0, true));
  });

  it("reads the bar off a pair's rows", () => {
    const refine = { ...rows[0], method: 'deepperform-refine', mean_iflops: 1.2, seconds_per_input: 0.035 };
    const bar = pairBar([...rows, refine]);
    // refine 1.2 >= ilfo 1.05 (one-pass 1.0 is not); 1.2 >= 5 x random's 0; 0.035 / 0.7 = 5 %;
    // 600 s of training against 1,000 x 0.7 s = 700 s of ILFO: 85.7 %.
    expect(bar.best).toBe('deepperform-refine');
    expect([bar.beatsIlfo, bar.oneShotBeatsIlfo, bar.fiveTimesRandom]).toEqual([true, false, true]);
    expect(bar.refineShareOfIlfo).toBeCloseTo(0.05, 12);
    expect(bar.trainingShareOfIlfo1000).toBeCloseTo(600 / 700, 12);
  });
});

describe('a resumed summary keeps only rows newer than the generators and inputs they read', () => {
  const file = { rows: [], absent: [], pairs: [{ model: 'sdn-tiny', norm: 'linf', startedAt: '2026-12-07T04:50:14.203Z' }] };

  it('the light and baselines sections set the time; other sections do not', () => {
    const sections = {
      light: { startedAt: '2026-12-07T06:55:08.632Z' },
      baselines: { startedAt: '2026-12-07T07:20:00.000Z' },
      mitigation: { startedAt: '2026-12-07T08:00:00.000Z' },
    };
    expect(inputsSince(sections)).toBe('2026-12-07T07:20:00.000Z');
    expect(inputsSince({ table1: { startedAt: '2026-12-07T06:00:00.000Z' } })).toBeUndefined();
    expect(inputsSince(undefined)).toBeUndefined();
  });

  it('a pair made before the light section last ran is not done; one made after is', () => {
    expect(pairDone(file, 'sdn-tiny', 'linf', '2026-12-07T06:55:08.632Z')).toBe(false);
    expect(pairDone(file, 'sdn-tiny', 'linf', '2026-12-07T04:00:00.000Z')).toBe(true);
    // No light or baselines results to compare with: the rows in the file stand.
    expect(pairDone(file, 'sdn-tiny', 'linf', undefined)).toBe(true);
    expect(pairDone(file, 'sdn-tiny', 'l2', undefined)).toBe(false);
  });
});

describe('--pairs', () => {
  it('names model-norm pairs of the plan; anything else is a usage error', () => {
    expect(parseArgs(['--only=summary', '--pairs=sdn-tiny-linf,blockdrop-tiny-l2']).pairs).toEqual(['sdn-tiny-linf', 'blockdrop-tiny-l2']);
    expect(() => parseArgs(['--pairs=sdn-tiny-linf,vgg-l2'])).toThrow(/unknown pair "vgg-l2"/);
  });
});

describe('npm run eval -- --quick --only=summary', () => {
  const out = mkdtempSync(join(tmpdir(), 'eval-summary-test-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));
  const run = () =>
    spawnAsync(process.execPath, [join(ROOT, 'eval', 'run.mjs'), '--quick', '--only=summary', '--pairs=sdn-tiny-linf', `--results-dir=${out}`], { timeoutMs: 170_000 });

  // The quick mode reads Fashion-MNIST from its default place (the eval's own dataset check
  // covers its absence in eval.test.ts); npm test builds dist/ first (pretest).
  it.skipIf(!existsSync(DEFAULT_DATA_PATH))('writes a summary with tiny budgets, and a rerun resumes instead of redoing the pair', async () => {
    const first = await run();
    expect(first.status, first.stderr + first.stdout).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, 'quick-summary.json'), 'utf8'));
    expect(summary.rows.map((r: Row) => r.method)).toEqual(['deepperform', 'deepperform-refine', 'ilfo', 'deepsloth', 'random', 'worst-case']);
    for (const r of summary.rows as Row[]) {
      expect([r.model, r.norm, r.seeds]).toEqual(['sdn-tiny', 'linf', 8]);
      expect(Number.isFinite(r.mean_iflops) && Number.isFinite(r.p50_iflops) && r.full_depth_rate >= 0 && r.full_depth_rate <= 1).toBe(true);
    }
    const dp = summary.rows[0] as Row;
    // The quick budget is 4 steps: training ends at the step cap, so it must not claim convergence.
    expect(dp.converged).toBe(false);
    expect(dp.training_epochs).toBeGreaterThan(0);
    expect(readFileSync(join(out, 'quick.md'), 'utf8')).toContain('| sdn-tiny | Linf | deepperform-refine | 8 |');

    const second = await run();
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).toContain('summary sdn-tiny-linf: already in');
    expect(JSON.parse(readFileSync(join(out, 'quick-summary.json'), 'utf8')).rows).toEqual(summary.rows);
  }, 360_000);
});
