import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSuite } from '../../src/suite/index.js';
// Tables 10 and 11 of the evaluation (plain ESM run by node): the remedy suites and their rendering.
import { planFor } from '../../eval/lib/plan.mjs';
import { attackRows, mitigationTables } from '../../eval/lib/render-mitigation.mjs';
import { remedyList, remedySuiteText, writeRemedySuites } from '../../eval/lib/remedy-suites.mjs';

const ROOT = resolve(__dirname, '../..');
const temps: string[] = [];
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('remedy suites (Table 10)', () => {
  const plan = planFor(false);

  it('one pair per model under the retrained norms (Linf), named before and after', () => {
    const list = remedyList(plan);
    expect(list.map((r) => r.pair)).toEqual(['sdn-tiny-linf', 'ranet-tiny-linf', 'skipnet-tiny-linf', 'blockdrop-tiny-linf']);
    expect(list[0]).toMatchObject({ before: 'sdn-tiny, Linf, every attack before retraining', after: 'sdn-tiny, Linf, every attack after retraining' });
  });

  it('before: the original weights and the retraining; after: the retrained weights; both on the same seeds', () => {
    const r = remedyList(plan)[0];
    const dirs = { modelDir: '../../../models/sdn-tiny', hardenedDir: '../../../cache/hardened/sdn-tiny-linf' };
    const before = remedySuiteText(plan, r, 'before', dirs);
    const after = remedySuiteText(plan, r, 'after', dirs);
    expect(before).toContain('weights: "../../../models/sdn-tiny"');
    expect(before).toContain('mitigation:\n  retrain:\n    epochs: 3\n    trainSeeds: 2000\n    out: "../../../cache/hardened/sdn-tiny-linf"\n');
    expect(after).toContain('weights: "../../../cache/hardened/sdn-tiny-linf"');
    expect(after).not.toContain('mitigation:');
    const seedLines = (t: string) => t.split('\n').filter((l) => /^\s*(split|seeds|seed|threshold|norm|epsilon): /.test(l));
    expect(seedLines(before)).toEqual(seedLines(after));
    expect(seedLines(before)).toContain('  seeds: 100');
    // Every attack: the generator, random, ILFO and (early-exit) DeepSloth.
    for (const line of ['preset: light', '- random', '- ilfo', '- deepsloth']) expect(after).toContain(line);
  });

  it('writes files the product parses, the retraining writing where the after suite reads', () => {
    const dir = mkdtempSync(join(tmpdir(), 'eval-remedies-'));
    temps.push(dir);
    const modelDirs = Object.fromEntries(['sdn-tiny', 'ranet-tiny', 'skipnet-tiny', 'blockdrop-tiny'].map((a) => [a, join(ROOT, 'fixtures/models', a)]));
    const list = writeRemedySuites(plan, join(dir, 'suites'), { modelDirs, hardenedRoot: join(dir, 'cache/hardened'), portable: true });
    for (const r of list) {
      const before = parseSuite(readFileSync(r.beforePath, 'utf8'), r.beforePath);
      const after = parseSuite(readFileSync(r.afterPath, 'utf8'), r.afterPath);
      expect(before.mitigation?.retrain?.out).toBe(join(dir, 'cache/hardened', r.pair));
      expect(after.model).toMatchObject({ source: 'zoo', weights: join(dir, 'cache/hardened', r.pair) });
      expect(before.model).toMatchObject({ weights: modelDirs[r.arch] });
      expect([after.data.seeds, after.seed]).toEqual([before.data.seeds, before.seed]);
      expect(after.baselines.some((b) => b.name === 'deepsloth')).toBe(r.arch === 'sdn-tiny' || r.arch === 'ranet-tiny');
    }
    // Their own folders, numbered in run order, not under eval/suites (whose suites run in any order).
    expect(list[0].beforePath).toBe(join(dir, 'suites', '1-before', 'sdn-tiny-linf.perf.yaml'));
    expect(list[0].afterPath).toBe(join(dir, 'suites', '2-after', 'sdn-tiny-linf.perf.yaml'));
  });
});

const agg = (mean: number, p50: number) => ({ mean, p50, max: 2, min: 0, p95: 1 });
const m = (method: string, mean: number, p50: number, accuracy: number) => ({ method, iflopsStats: agg(mean, p50), accuracy });
const pair = (arch: string) => ({ arch, norm: 'linf', label: 'Linf', before: `${arch} before`, after: `${arch} after` });

describe('Table 10 rows: every attack before and after', () => {
  const suites = {
    'sdn-tiny before': { status: 'passed', config: { seeds: 100 }, seeds: { accuracy: 0.9 }, methods: [m('deepperform', 0.5, 0.25, 0.8), m('random', 0.01, 0, 0.88), m('ilfo', 0.3, 0.125, 0.7), m('deepsloth', 0.4, 0.2, 0.6)] },
    'sdn-tiny after': { status: 'passed', config: { seeds: 100 }, seeds: { accuracy: 0.85 }, methods: [m('deepperform', 0.1, 0, 0.82), m('random', 0, 0, 0.84), m('ilfo', 0.05, 0, 0.75), m('deepsloth', 0.2, 0.1, 0.65)] },
    'skipnet-tiny before': { status: 'passed', config: { seeds: 100 }, seeds: { accuracy: 0.9 }, methods: [m('deepperform', 0.9, 1, 0.5)] },
    'skipnet-tiny after': { status: 'error', error: { message: 'weights folder missing' } },
  };

  it('I-FLOPs mean / p50 and accuracy on the attack inputs, in the order DeepPerform, ILFO, DeepSloth, random, then the seeds', () => {
    expect(attackRows(pair('sdn-tiny'), suites)).toEqual([
      ['sdn-tiny', 'Linf', 'DeepPerform', '100', '50.0% / 25.0%', '10.0% / 0.0%', '80.0%', '82.0%'],
      ['sdn-tiny', 'Linf', 'ILFO', '100', '30.0% / 12.5%', '5.0% / 0.0%', '70.0%', '75.0%'],
      ['sdn-tiny', 'Linf', 'DeepSloth', '100', '40.0% / 20.0%', '20.0% / 10.0%', '60.0%', '65.0%'],
      ['sdn-tiny', 'Linf', 'random', '100', '1.0% / 0.0%', '0.0% / 0.0%', '88.0%', '84.0%'],
      ['sdn-tiny', 'Linf', 'none (the seeds)', '100', '—', '—', '90.0%', '85.0%'],
    ]);
  });

  it('names the refined generator, the paper-code ILFO and the worst case when a suite has them, in that order', () => {
    const both = (methods: ReturnType<typeof m>[]) => ({ status: 'passed', config: { seeds: 4 }, seeds: { accuracy: 1 }, methods });
    const methods = [m('worst-case', 1, 1, 0), m('ilfo-paper-code', 0.1, 0, 1), m('deepperform-refine', 0.9, 0.5, 0.5), m('deepperform', 0.5, 0.25, 1)];
    const rows = attackRows({ arch: 'sdn-tiny', norm: 'linf', label: 'Linf', before: 'b', after: 'a' }, { b: both(methods), a: both(methods) });
    expect(rows.map((r) => r[2])).toEqual(['DeepPerform', 'DeepPerform + refine', "ILFO as the paper's code ran it", 'worst case', 'none (the seeds)']);
  });

  it('a method the table does not name (a baseline added to the plan) is shown under its own name, not dropped', () => {
    const withExtra = {
      'x before': { status: 'passed', config: { seeds: 10 }, seeds: { accuracy: 1 }, methods: [m('deepperform', 0.5, 0.5, 1), m('ilfo-paper', 0.02, 0, 0.9)] },
      'x after': { status: 'passed', config: { seeds: 10 }, seeds: { accuracy: 1 }, methods: [m('deepperform', 0.1, 0, 1), m('ilfo-paper', 0.01, 0, 0.8)] },
    };
    const rows = attackRows({ arch: 'blockdrop-tiny', norm: 'l2', label: 'L2', before: 'x before', after: 'x after' }, withExtra);
    expect(rows.map((r) => r[2])).toEqual(['DeepPerform', 'DeepSloth', 'ilfo-paper', 'none (the seeds)']);
    expect(rows[1][4]).toBe('n/a (skipping model)');
    expect(rows[2]).toEqual(['blockdrop-tiny', 'L2', 'ilfo-paper', '10', '2.0% / 0.0%', '1.0% / 0.0%', '90.0%', '80.0%']);
  });

  it('a failed side is one error row, never numbers from one side only', () => {
    expect(attackRows(pair('skipnet-tiny'), suites)).toEqual([['skipnet-tiny', 'Linf', 'error: weights folder missing', '', '', '', '', '']]);
    expect(attackRows(pair('ranet-tiny'), suites)[0][2]).toBe('error: suite not run');
  });

  it('renders both tables with the cross-method AUC, n/a for DeepSloth on a skipping model', () => {
    const results = {
      mode: 'full',
      plan: planFor(false),
      sections: {
        mitigation: {
          startedAt: '2026-12-06T00:00:00Z',
          data: {
            retrain: [{ arch: 'sdn-tiny', norm: 'linf', before: { meanIFlops: 0.5, maxIFlops: 2, seedFlops: 1.5e6, accuracy: 0.9 }, after: { meanIFlops: 0.1, maxIFlops: 1, seedFlops: 1.25e6, accuracy: 0.85 }, sameInputs: { meanIFlops: 0.2, maxIFlops: 1.5 }, seconds: 300 }],
            remedies: { pairs: [pair('sdn-tiny')], suites },
            detector: [
              { arch: 'sdn-tiny', norm: 'linf', auc: 0.9876, accuracy: 0.95, overheadFlops: 12544, overheadFlopsPct: 1.0864, latencyMs: 0.0206, standaloneLatencyMs: 0.133, attacks: { deepperform: { auc: 0.99, accuracy: 0.9, seeds: 100 }, ilfo: { auc: 0.5, accuracy: 0.5, seeds: 100 }, deepsloth: { auc: 0.7514, accuracy: 0.6, seeds: 100 } } },
              { arch: 'skipnet-tiny', norm: 'linf', auc: 1, accuracy: 1, overheadFlops: 12544, overheadFlopsPct: 0.17, latencyMs: 0.02, standaloneLatencyMs: 0.1, attacks: { deepperform: { auc: 1, accuracy: 1, seeds: 100 }, ilfo: { auc: 0.6, accuracy: 0.55, seeds: 100 } } },
            ],
          },
        },
      },
    };
    const md = mitigationTables(results, { provenance: () => 'PROVENANCE', missing: () => 'MISSING' });
    expect(md).toContain('| sdn-tiny | Linf | 50.0% / 200.0% | 10.0% / 100.0% | 20.0% / 150.0% | 1.50 → 1.25 | 90.0% | 85.0% | 5.0 min |');
    expect(md).toContain('| sdn-tiny | Linf | ILFO | 100 | 30.0% / 12.5% | 5.0% / 0.0% | 70.0% | 75.0% |');
    expect(md).toContain('Every attack again on the same 100 test seeds');
    expect(md).toContain('| sdn-tiny | Linf | 0.988 | 95.0% | 100 | 0.990 | 0.500 | 0.751 | 12544 | 1.086% | 0.0206 | 0.133 |');
    expect(md).toContain('| skipnet-tiny | Linf | 1.000 | 100.0% | 100 | 1.000 | 0.600 | n/a |');
    expect(md.match(/PROVENANCE/g)).toHaveLength(2);
  });

  it('results from before the per-attack measurement say so instead of an empty table', () => {
    const results = { mode: 'full', plan: planFor(false), sections: { mitigation: { data: { retrain: [], detector: [] } } } };
    expect(mitigationTables(results, { provenance: () => '', missing: () => '' })).toContain('_No per-attack measurement in these results (they predate it): rerun the section._');
  });
});
