import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir, writeTinySuite } from '../helpers/cli.js';
import { runCliInProcess as runCli } from '../helpers/cli-in-process.js';

interface Blob {
  shard: { index: number; total: number } | null;
  result: { suites: { file: string; status: string; config: { seed: number } }[] };
}

const readBlob = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Blob;

/** Three tiny suites a, b, c (by path); a fails its assertion. */
function threeSuites(): string {
  const dir = tempDir();
  writeTinySuite(dir, 'a.perf.yaml', 'assertions:\n  - "seed accuracy > 1"\n');
  writeTinySuite(dir, 'b.perf.yaml', 'assertions:\n  - "seed accuracy > 0.1"\n');
  writeTinySuite(dir, 'c.perf.yaml', 'assertions:\n  - "seed accuracy > 0.1"\n');
  return dir;
}

describe('deepperform run: help and usage errors', () => {
  it('every command has --help listing its options (exit 0)', async () => {
    const dir = tempDir();
    const [run, list, merge, init] = await Promise.all(['run', 'list', 'merge-reports', 'init'].map((c) => runCli([c, '--help'], dir)));
    for (const r of [run, list, merge, init]) expect(r.code).toBe(0);
    for (const opt of ['-t, --test-name-pattern <regex>', '--reporter <names>', '-o, --output-dir <dir>', '--output-file <reporter=path>', '--shard <i/n>', '--seed <n>', '--backend <name>', '--cache-dir <dir>', '--retrain', '--bail [n]', '--pass-with-no-tests', '--update-baseline', '--config <file>']) {
      expect(run.stdout).toContain(opt);
    }
    expect(run.stdout).toMatch(/Exit codes: 0 every error-level assertion holds, 1 an assertion failed,\s+2 usage or configuration error/);
    for (const opt of ['--shard <i/n>', '--json', '-t, --test-name-pattern', '--pass-with-no-tests']) expect(list.stdout).toContain(opt);
    for (const opt of ['<dir>', '--reporter <names>', '--output-file <reporter=path>', '-o, --output-dir']) expect(merge.stdout).toContain(opt);
    expect(init.stdout).toContain('--force');
  });

  it('bad values are usage errors, exit 2, before anything runs', async () => {
    const dir = threeSuites();
    const cases: [string[], RegExp][] = [
      [['--shard', '3/2'], /--shard 3\/2: need 1 <= i <= n/],
      [['--shard', '1-2'], /--shard takes i\/n/],
      [['--bail', '0'], /--bail must be an integer >= 1, got "0"/],
      [['--seed', '-1'], /--seed must be an integer >= 0/],
      [['--output-file', 'pdf=x.pdf'], /--output-file takes <reporter>=<path> with reporter one of junit, html, json/],
      [['-t', '('], /not a valid regular expression/],
      [['--reporter', 'tap'], /Unknown reporter "tap"/],
      [['--nope'], /unknown option '--nope'/],
    ];
    const results = await Promise.all(cases.map(([args]) => runCli(['run', '.', ...args], dir)));
    results.forEach((r, i) => {
      expect(r.code, cases[i][0].join(' ')).toBe(2);
      expect(r.stderr).toMatch(cases[i][1]);
      expect(r.stdout).not.toMatch(/training/);
    });
  });

  it('no suite selected: exit 2 saying why, exit 0 with --pass-with-no-tests', async () => {
    const dir = threeSuites();
    const [none, filtered, passing] = await Promise.all([
      runCli(['run', 'nothing-here'], tempDir()),
      runCli(['run', '.', '-t', 'zzz'], dir),
      runCli(['run', '.', '-t', 'zzz', '--pass-with-no-tests'], dir),
    ]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no such file or folder: nothing-here/);
    expect(filtered.code).toBe(2);
    expect(filtered.stderr).toMatch(/no suite name matches -t \/zzz\/ \(3 suites found\) \(--pass-with-no-tests exits 0 instead\)/);
    expect(passing.code).toBe(0);
    expect(passing.stdout).toBe('no suite name matches -t /zzz/ (3 suites found); exiting with code 0 (--pass-with-no-tests)\n');
  });
});

describe('deepperform run: selection and stopping', () => {
  it('--bail stops after the first failed suite; --shard runs its slice with --seed and per-reporter files', async () => {
    const dir = threeSuites();
    const [bailed, shard] = await Promise.all([
      runCli(['run', '.', '--bail', '--reporter', 'console,json', '-o', 'bail-out', '--cache-dir', 'cache1'], dir),
      runCli(['run', '.', '--shard=2/3', '--seed', '7', '--reporter', 'junit', '--reporter', 'json', '--output-file', 'junit=ci/perf.xml', '-o', 'shard-out', '--cache-dir', 'cache2'], dir),
    ]);
    expect(bailed.code).toBe(1);
    expect(bailed.stderr).toBe('bail: stopped after 1 failed suite (bail 1); 2 suites not run\n');
    expect(bailed.stdout).toMatch(/✗ seed accuracy > 1/);
    expect(readBlob(join(dir, 'bail-out/report.json')).result.suites.map((s) => s.file)).toEqual(['a.perf.yaml']);

    expect(shard.stderr).toBe('');
    expect(shard.code).toBe(0);
    const blob = readBlob(join(dir, 'shard-out/report.json'));
    expect(blob.shard).toEqual({ index: 2, total: 3 });
    expect(blob.result.suites.map((s) => [s.file, s.status, s.config.seed])).toEqual([['b.perf.yaml', 'passed', 7]]);
    const junit = new XMLParser({ ignoreAttributes: false }).parse(readFileSync(join(dir, 'ci/perf.xml'), 'utf8'));
    expect(junit.testsuites.testsuite['@_file']).toBe('b.perf.yaml');
  });

  it('a suite that crashes is exit 3, recorded as an error', async () => {
    const dir = tempDir();
    const example = readFileSync(join(ROOT, 'fixtures/example-adnn/brightness-gated.mjs'), 'utf8');
    // The smoke test at load time uses 2 inputs; the first training batch has 8.
    writeFileSync(join(dir, 'crashing.mjs'), example.replace('soft(x) {', "soft(x) {\n      if (x.shape[0] > 2) throw new Error('kaboom in soft()');"));
    copyFileSync(join(ROOT, 'fixtures/example-adnn/brightness.perf.yaml'), join(dir, 'crash.perf.yaml'));
    const suite = join(dir, 'crash.perf.yaml');
    writeFileSync(suite, readFileSync(suite, 'utf8').replace('./brightness-gated.mjs', './crashing.mjs').replace('seeds: 100', 'seeds: 8').replace('batchSize: 16', 'batchSize: 8'));
    const r = await runCli(['run', '.', '--reporter', 'console,junit', '-o', 'out', '--cache-dir', 'cache'], dir);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/kaboom in soft\(\)/);
    // The message names the module and the call the error came from.
    expect(readFileSync(join(dir, 'out/junit.xml'), 'utf8')).toMatch(/<error [^>]*message="[^"]*crashing\.mjs: soft\(\) threw: kaboom in soft\(\)"/);
  });
});

describe('deepperform run: config file', () => {
  it('include (a glob), reporters, outputDir, seed and cacheDir come from deepperform.config.mjs; a bad key is exit 2 naming file and key', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'perf/deep'), { recursive: true });
    writeTinySuite(dir, 'perf/deep/a.perf.yaml', 'assertions:\n  - "seed accuracy > 0.1"\n');
    writeTinySuite(dir, 'ignored.perf.yaml', 'assertions:\n  - "seed accuracy > 1"\n');
    writeFileSync(
      join(dir, 'deepperform.config.mjs'),
      "import { defineConfig } from 'deepperform/config';\nexport default defineConfig({ include: ['perf/**/*.perf.yaml'], reporters: ['json'], outputDir: 'cfg-out', seed: 5, cacheDir: 'cache' });\n",
    );
    writeFileSync(join(dir, 'bad.config.mjs'), "export default { reporters: 'json', bial: 2 };\n");
    const [r, bad] = await Promise.all([runCli(['run'], dir), runCli(['run', '--config', 'bad.config.mjs'], dir)]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(''); // only the json reporter
    const blob = readBlob(join(dir, 'cfg-out/report.json'));
    expect(blob.result.suites.map((s) => [s.file, s.config.seed])).toEqual([['perf/deep/a.perf.yaml', 5]]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad\.config\.mjs: reporters: must be a list, got "json"/);
    expect(bad.stderr).toMatch(/bad\.config\.mjs: bial: unknown key "bial" \(did you mean "bail"\?\)/);
  });
});
