import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// The evaluation's --resume and --commit (plain ESM run by node).
import { parseArgs } from '../../eval/lib/args.mjs';
import { commitFiles, committable } from '../../eval/lib/commit.mjs';
import { pairCount } from '../../eval/lib/evaluation.mjs';
import { planFor } from '../../eval/lib/plan.mjs';
import { mergeResults, notReusable, planKey, readResults, resumePlan, writeAtomic } from '../../eval/lib/results.mjs';

const temps: string[] = [];
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));
function tempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  temps.push(d);
  return d;
}

const ORDER = ['table1', 'light', 'baselines', 'full', 'psnr', 'mitigation', 'summary'];
const KEY = planKey(planFor(false));

/** A results file as a run writes it, with the given sections. */
function written(sections: Record<string, unknown>): string {
  const file = join(tempDir('eval-resume-'), 'latest.json');
  writeAtomic(file, `${JSON.stringify({ format: 'deepperform-eval', version: 1, mode: 'full', planKey: KEY, sections }, null, 1)}\n`);
  return file;
}
const done = (data: unknown = {}) => ({ startedAt: '2026-12-06T00:00:00Z', planKey: KEY, data });

describe('--resume: which sections a previous run finished', () => {
  it('reuses finished sections of the same plan and runs the rest, in order, saying why', () => {
    const file = written({
      table1: done({ rows: [] }),
      light: done({ suites: { a: { status: 'passed' } } }),
      baselines: done({ suites: { a: { status: 'passed' }, b: { status: 'error' } } }),
      full: { ...done(), error: 'out of memory' },
      psnr: { ...done(), planKey: 'another' },
      mitigation: done({ failures: ['sdn-tiny, Linf: no cached generator'] }),
      summary: { ...done(), partial: true },
    });
    const r = resumePlan(ORDER, readResults(file), KEY, { resume: true, retrain: false });
    expect(r.reused).toEqual(['table1', 'light']);
    expect(r.run).toEqual(['baselines', 'full', 'psnr', 'mitigation', 'summary']);
    expect(r.why).toEqual({ baselines: 'a suite crashed', full: 'failed', psnr: 'measured under another plan', mitigation: '1 failure(s)', summary: 'unfinished' });
  });

  it('a section without a plan fingerprint (older results) or a skipped one is run again', () => {
    const file = written({ table1: { startedAt: 'x', data: {} }, mitigation: done({ skipped: 'not built' }) });
    const previous = readResults(file);
    expect(notReusable(previous, 'table1', KEY)).toBe('measured before plans were recorded');
    expect(notReusable(previous, 'mitigation', KEY)).toBe('skipped (not built)');
    expect(notReusable(previous, 'light', KEY)).toBe('not in the results');
    expect(notReusable(undefined, 'light', KEY)).toBe('not in the results');
  });

  it('a finished summary is reused only if newer than the generators and inputs it reads', () => {
    const at = (startedAt: string, data: unknown = {}) => ({ ...done(data), startedAt });
    const sections = (lightAt: string) => ({
      light: at(lightAt),
      baselines: at('2026-12-06T01:00:00Z'),
      summary: at('2026-12-06T02:00:00Z'),
    });
    // Light ran again (e.g. --only=light) after the summary: its rows may describe replaced generators.
    const stale = readResults(written(sections('2026-12-06T03:00:00Z')));
    expect(notReusable(stale, 'summary', KEY)).toBe('older than the light or baselines results it reads');
    const fresh = readResults(written(sections('2026-12-06T00:30:00Z')));
    expect(notReusable(fresh, 'summary', KEY)).toBeUndefined();
    // A section the summary reads runs in this invocation: so does the summary.
    const rerun = readResults(written({ ...sections('2026-12-06T00:30:00Z'), baselines: { ...at('2026-12-06T01:00:00Z'), error: 'killed' } }));
    const r = resumePlan(['light', 'baselines', 'summary'], rerun, KEY, { resume: true, retrain: false });
    expect(r.run).toEqual(['baselines', 'summary']);
    expect(r.why.summary).toBe('the light or baselines section runs again');
  });

  it('without --resume, or with --retrain, every asked section runs', () => {
    const previous = readResults(written({ table1: done(), light: done() }));
    expect(resumePlan(['table1', 'light'], previous, KEY, { resume: false, retrain: false }).run).toEqual(['table1', 'light']);
    expect(resumePlan(['table1', 'light'], previous, KEY, { resume: true, retrain: true }).run).toEqual(['table1', 'light']);
  });

  it('the plan fingerprint changes with the plan and the mode', () => {
    expect(planKey(planFor(false))).toBe(planKey(planFor(false)));
    expect(planKey(planFor(true))).not.toBe(KEY);
    expect(planKey({ ...planFor(false), baselineSeeds: 101 })).not.toBe(KEY);
  });

  it('reused sections are kept when the fresh ones are merged in', () => {
    const previous = readResults(written({ table1: done({ rows: [1] }), light: done() }));
    const merged = mergeResults(previous, { mode: 'full', sections: { light: done({ fresh: true }) } });
    expect(merged.sections.table1.data).toEqual({ rows: [1] });
    expect(merged.sections.light.data).toEqual({ fresh: true });
  });

  it('parses --resume and --commit', () => {
    expect(parseArgs(['--resume', '--commit'])).toMatchObject({ resume: true, commit: true });
    expect(parseArgs([])).toMatchObject({ resume: false, commit: false });
  });
});

describe('--commit: each section committed as it finishes', () => {
  it("counts the summary's pairs in the subject in words that agree", () => {
    expect([pairCount(0), pairCount(1), pairCount(8)]).toEqual(['0 pairs', '1 pair', '8 pairs']);
  });

  const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
  function repo(): string {
    const root = tempDir('eval-commit-');
    git(root, 'init', '--quiet');
    git(root, 'config', 'user.email', 'eval@example.invalid');
    git(root, 'config', 'user.name', 'eval test');
    writeFileSync(join(root, 'README'), 'x\n');
    git(root, 'add', 'README');
    git(root, 'commit', '--quiet', '-m', 'start');
    return root;
  }

  it('commits only the given files, once per change, and nothing when they did not change', () => {
    const root = repo();
    const latest = join(root, 'latest.json');
    writeFileSync(latest, '{"a":1}\n');
    // Something else staged must stay out of the section's commit.
    writeFileSync(join(root, 'other.txt'), 'staged\n');
    git(root, 'add', 'other.txt');
    const hash = commitFiles(root, [latest, undefined, join(root, 'absent.json')], 'eval: table1 section results');
    expect(hash).toBe(git(root, 'rev-parse', 'HEAD'));
    expect(git(root, 'log', '-1', '--format=%s')).toBe('eval: table1 section results');
    expect(git(root, 'show', '--name-only', '--format=', 'HEAD')).toBe('latest.json');
    expect(git(root, 'diff', '--cached', '--name-only')).toBe('other.txt');
    expect(commitFiles(root, [latest], 'eval: again')).toBeUndefined();
    writeFileSync(latest, '{"a":2}\n');
    expect(commitFiles(root, [latest], 'eval: light section results')).toBeDefined();
    expect(git(root, 'rev-list', '--count', 'HEAD')).toBe('3');
  });

  it('files outside the repository (a --results-dir elsewhere) are not committed', () => {
    const root = repo();
    const outside = join(tempDir('eval-outside-'), 'latest.json');
    writeFileSync(outside, '{}\n');
    expect(committable(root, [outside])).toEqual([]);
    expect(commitFiles(root, [outside], 'eval: nothing')).toBeUndefined();
    expect(git(root, 'rev-list', '--count', 'HEAD')).toBe('1');
  });
});
