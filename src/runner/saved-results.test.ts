import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSuite, SuiteError, type Suite } from '../suite/index.js';
import { handmadeResult } from '../results/test-fixtures.js';
import { collectMetrics, isCI, planSaved, readSavedResult, savedConfig, writeSavedResult, type SavedPlan } from './saved-results.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'saved-results-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let counter = 0;
/** A suite in `dir` whose assertions read its saved result; `epsilon` varies the configuration. */
function suiteWithSaved(epsilon = 0.1, extra = ''): Suite {
  const text = `name: tiny
model: { arch: sdn-tiny, weights: w }
data: { dataset: fashion-mnist-embedded }
norm: linf
epsilon: ${epsilon}
baselines: [random, ilfo]
assertions: ["max I-FLOPs <= 1.1x saved"]
${extra}`;
  return parseSuite(text, join(dir, `s${counter++}.perf.yaml`));
}

const LOCAL = { updateBaseline: false, ci: false, cwd: '/' };
const lookup = (plan: SavedPlan | undefined, metric: string, aggregate?: 'mean' | 'max', method = 'deepperform') =>
  plan?.lookup(metric, aggregate, method);

describe('collectMetrics', () => {
  it('keys every measured number by the label an assertion uses, and leaves out what was not measured', () => {
    const m = collectMetrics(handmadeResult());
    expect(m['mean I-FLOPs']).toBe(0.282);
    expect(m['max I-FLOPs of ilfo']).toBe(1.2);
    expect(m['mean FLOPs of random']).toBe(2_500_000);
    expect(m['block coverage of random']).toBe(0.6);
    expect(m['success number']).toBe(7);
    expect(m['seed block coverage']).toBe(0.8);
    expect(m['seed accuracy']).toBe(0.75);
    expect(m['mean latency']).toBe(12);
    expect(m['total time']).toBe(60_000);
    // ilfo has no latency, nothing has energy, no generator was trained, no correlation.
    for (const absent of ['mean latency of ilfo', 'mean energy', 'training time', 'FLOPs-latency correlation']) {
      expect(m).not.toHaveProperty([absent]);
    }
    // 3 methods x (4 sample metrics x 5 aggregates + 5 scalars), deepperform's latency (5 aggregates),
    // 2 seed scalars and total time.
    expect(Object.keys(m)).toHaveLength(3 * (4 * 5 + 5) + 5 + 3);
  });
});

describe('planSaved and the saved result file', () => {
  it('is undefined for a suite that reads no saved result', async () => {
    const plain = parseSuite('name: x\nmodel: { arch: a, weights: w }\ndata: { dataset: d }\nnorm: linf\nepsilon: 0.1\n', join(dir, 'plain.perf.yaml'));
    expect(await planSaved(plain, LOCAL)).toBeUndefined();
  });

  it('writes a missing file on a local run, and compares from the next run on', async () => {
    const suite = suiteWithSaved();
    const plan = await planSaved(suite, { ...LOCAL, cwd: dir });
    const file = suite.saved!;
    expect([plan?.file, plan?.shown, plan?.action]).toEqual([file, file.slice(dir.length + 1), 'written']);
    expect(lookup(plan, 'I-FLOPs', 'max')).toEqual({
      unavailable: `no saved result yet: this run's numbers are saved to ${plan?.shown} (commit it); compared from the next run on`,
    });

    await writeSavedResult(file, suite, handmadeResult(), '1.2.3');
    const saved = JSON.parse(await readFile(file, 'utf8'));
    expect(saved).toMatchObject({
      format: 'deepperform-saved-result',
      version: 1,
      tool: '1.2.3',
      suite: 'tiny',
      config: { model: 'sdn-tiny', dataset: 'fashion-mnist-embedded', split: 'test', seeds: 100, norm: 'linf', epsilon: 0.1, threshold: 0.5, seed: 0 },
    });
    expect(saved.metrics).toEqual(collectMetrics(handmadeResult()));

    const next = await planSaved(suite, LOCAL);
    expect(next?.action).toBe('compared');
    expect(lookup(next, 'I-FLOPs', 'max')).toBe(0.95);
    expect(lookup(next, 'block coverage', undefined, 'random')).toBe(0.6);
  });

  it('in CI, does not write a missing file and fails the assertions that read it', async () => {
    const suite = suiteWithSaved();
    const plan = await planSaved(suite, { ...LOCAL, ci: true });
    expect(plan?.action).toBe('missing');
    expect(lookup(plan, 'I-FLOPs', 'max')).toMatchObject({ fail: true, unavailable: expect.stringMatching(/^no saved result .*--update-baseline.*CI is set/) });
  });

  it('a value the saved result lacks is skipped locally, failed in CI', async () => {
    const suite = suiteWithSaved();
    await writeSavedResult(suite.saved!, suite, handmadeResult(), 't');
    const why = expect.stringContaining('has no saved "mean latency of ilfo": add it with "deepperform run --update-baseline"');
    expect(lookup(await planSaved(suite, LOCAL), 'latency', 'mean', 'ilfo')).toEqual({ unavailable: why });
    expect(lookup(await planSaved(suite, { ...LOCAL, ci: true }), 'latency', 'mean', 'ilfo')).toEqual({ unavailable: why, fail: true });
  });

  it('--update-baseline replaces the file without reading it, even in CI', async () => {
    const suite = suiteWithSaved();
    await writeFile(suite.saved!, 'not json at all');
    const plan = await planSaved(suite, { ...LOCAL, updateBaseline: true, ci: true });
    expect(plan?.action).toBe('written');
    expect(lookup(plan, 'I-FLOPs', 'max')).toEqual({ unavailable: expect.stringMatching(/^--update-baseline: .* compared from the next run on$/) });
  });

  it('uses the file the suite names', async () => {
    const suite = suiteWithSaved(0.1, 'saved: elsewhere/tiny.json\n');
    expect(suite.saved).toBe(join(dir, 'elsewhere', 'tiny.json'));
    await writeSavedResult(suite.saved!, suite, handmadeResult(), 't');
    expect(lookup(await planSaved(suite, LOCAL), 'I-FLOPs', 'mean')).toBe(0.282);
  });
});

describe('readSavedResult: a file that cannot be used', () => {
  async function errorFor(text: string, suite = suiteWithSaved()): Promise<SuiteError> {
    await writeFile(suite.saved!, text);
    const e = await planSaved(suite, LOCAL).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(SuiteError);
    expect((e as SuiteError).file).toBe(suite.saved);
    return e as SuiteError;
  }

  it('names the file and the line of damaged JSON', async () => {
    // Cut off after `    "a": 0.2`: the end of line 4 is column 13.
    const e = await errorFor('{\n  "format": "deepperform-saved-result",\n  "metrics": {\n    "a": 0.2');
    expect(e.problems).toHaveLength(1);
    expect(e.problems[0]).toMatchObject({ line: 4, column: 13, path: '' });
    expect(e.problems[0].message).toMatch(/^not valid JSON \(.+\): the saved result is damaged; restore it, or replace it with "deepperform run --update-baseline"$/);
    expect(e.message.split('\n').slice(-3)).toEqual(['  3 |   "metrics": {', '> 4 |     "a": 0.2', `    | ${' '.repeat(12)}^`]);
  });

  it('refuses a JSON file that is not a saved result, or of another version', async () => {
    const wrong = await errorFor('{"format": "deepperform-report", "version": 1}');
    expect(wrong.problems).toEqual([
      { line: 1, column: 12, path: 'format', message: 'not a deepperform saved result ("format" must be "deepperform-saved-result"): restore it, or replace it with "deepperform run --update-baseline"' },
    ]);
    const newer = await errorFor('{"format": "deepperform-saved-result", "version": 2}');
    expect(newer.problems[0].message).toBe('saved result version 2 (written by a newer deepperform); this deepperform reads version 1');
    const list = await errorFor('[1, 2]');
    expect(list.problems[0]).toMatchObject({ line: 1, column: 1, path: '' });
  });

  it('refuses a value that is not a number, at its line', async () => {
    const suite = suiteWithSaved();
    await writeSavedResult(suite.saved!, suite, handmadeResult(), 't');
    const text = (await readFile(suite.saved!, 'utf8')).replace('"mean I-FLOPs": 0.282', '"mean I-FLOPs": "fast"');
    const line = text.split('\n').findIndex((l) => l.includes('"mean I-FLOPs"')) + 1;
    const e = await errorFor(text, suite);
    // `    "mean I-FLOPs": ` is 20 characters.
    expect(e.problems).toEqual([{ line, column: 21, path: 'metrics.mean I-FLOPs', message: 'must be a number, got "fast"' }]);
  });

  it('refuses numbers saved for another configuration, naming each difference', async () => {
    const old = suiteWithSaved(0.1);
    await writeSavedResult(old.saved!, old, handmadeResult(), 't');
    const changed = { ...suiteWithSaved(0.05), saved: old.saved!, seed: 7 };
    const e = await planSaved(changed, { ...LOCAL, cwd: dir }).catch((err: unknown) => err as SuiteError);
    expect(e).toBeInstanceOf(SuiteError);
    const suiteShown = changed.file.slice(dir.length + 1);
    // JSON.stringify(…, null, 2): config opens on line 7, epsilon is its 6th key (line 13), seed its 8th (line 15);
    // `    "epsilon": ` is 15 characters and `    "seed": ` 12.
    expect(e.problems).toEqual([
      { line: 13, column: 16, path: 'config.epsilon', message: `saved for epsilon 0.1, but ${suiteShown} now has 0.05: its numbers do not compare; replace them with "deepperform run --update-baseline"` },
      { line: 15, column: 13, path: 'config.seed', message: `saved for seed 0, but ${suiteShown} now has 7: its numbers do not compare; replace them with "deepperform run --update-baseline"` },
    ]);
    // The same file is fine for the suite it was saved for.
    expect(await readSavedResult(old.saved!, savedConfig(old), 'x')).toMatchObject({ suite: 'tiny' });
  });
});

describe('isCI', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['0', false],
    ['false', false],
    ['FALSE', false],
    ['1', true],
    ['true', true],
  ])('CI=%j -> %s', (value, ci) => {
    expect(isCI(value === undefined ? {} : { CI: value })).toBe(ci);
  });
});
