import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listCommand, type ListFlags } from '../../src/cli/commands/list.js';
import { tempDir, writeTinySuite } from '../helpers/cli.js';
import { bufferIO } from './buffer-io.js';
import { runCliInProcess } from '../helpers/cli-in-process.js';

/** A tiny suite with its own name; `list` loads it but trains nothing. */
function suite(dir: string, file: string, name: string, extra = ''): void {
  const path = writeTinySuite(dir, file, extra);
  writeFileSync(path, readFileSync(path, 'utf8').replace('name: tiny e2e', `name: ${name}`));
}

/** Five suites whose path order (a..e) differs from their name order. */
function fiveSuites(): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'perf'));
  suite(dir, 'perf/a.perf.yaml', 'zeta linf', 'assertions:\n  - "max I-FLOPs < 50%"\n');
  suite(dir, 'perf/b.perf.yaml', 'alpha l2', 'assertions:\n  - "max I-FLOPs < 50%"\n  - "seed accuracy > 0.5"\n');
  suite(dir, 'perf/c.perf.yaml', 'beta linf');
  suite(dir, 'perf/d.perf.yaml', 'gamma l2');
  suite(dir, 'perf/e.perf.yml', 'delta linf');
  const b = join(dir, 'perf/b.perf.yaml');
  writeFileSync(b, readFileSync(b, 'utf8').replace('norm: linf\nepsilon: 0.1', 'norm: 2\nepsilon: "8/255"'));
  return dir;
}

async function list(dir: string, flags: ListFlags, paths = ['perf']): Promise<string> {
  const io = bufferIO(dir);
  expect(await listCommand(paths, flags, io)).toBe(0);
  expect(io.err()).toBe('');
  return io.out();
}

async function listed(dir: string, flags: ListFlags = {}): Promise<{ file: string; name: string }[]> {
  return JSON.parse(await list(dir, { ...flags, json: true })) as { file: string; name: string }[];
}

describe('deepperform list', () => {
  it('prints file, name, model, norm, epsilon and the number of assertions; --json the same as data', async () => {
    const dir = fiveSuites();
    const lines = (await list(dir, {})).split('\n');
    expect(lines[0]).toMatch(/^FILE\s+NAME\s+MODEL\s+NORM\s+EPSILON\s+ASSERTIONS$/);
    expect(lines[1]).toMatch(/^perf\/a\.perf\.yaml\s+zeta linf\s+sdn-tiny\s+linf\s+0\.1\s+1$/);
    expect(lines[2]).toMatch(/^perf\/b\.perf\.yaml\s+alpha l2\s+sdn-tiny\s+l2\s+8\/255\s+2$/);
    expect(lines.slice(-3)).toEqual(['', '5 suites', '']);
    const json = await listed(dir);
    expect(json.map((s) => s.file)).toEqual(['a.perf.yaml', 'b.perf.yaml', 'c.perf.yaml', 'd.perf.yaml', 'e.perf.yml'].map((f) => `perf/${f}`));
    expect(json[1]).toEqual({
      file: 'perf/b.perf.yaml',
      name: 'alpha l2',
      model: 'sdn-tiny',
      norm: 'l2',
      epsilon: 8 / 255,
      threshold: 0.5,
      seed: 1,
      assertions: 2,
    });
  });

  it('--shard splits the path-sorted suites 3 + 2, and 2 + 2 + 1 for three shards', async () => {
    const dir = fiveSuites();
    const files = async (index: number, total: number) => (await listed(dir, { shard: { index, total } })).map((s) => s.file.replace('perf/', ''));
    expect(await files(1, 2)).toEqual(['a.perf.yaml', 'b.perf.yaml', 'c.perf.yaml']);
    expect(await files(2, 2)).toEqual(['d.perf.yaml', 'e.perf.yml']);
    expect(await files(1, 3)).toEqual(['a.perf.yaml', 'b.perf.yaml']);
    expect(await files(3, 3)).toEqual(['e.perf.yml']);
    expect(await list(dir, { shard: { index: 2, total: 2 } })).toMatch(/\n2 suites \(shard 2\/2\)\n$/);
  });

  it('-t filters by name before sharding', async () => {
    const dir = fiveSuites();
    const names = async (flags: ListFlags) => (await listed(dir, flags)).map((s) => s.name);
    expect(await names({ testNamePattern: /linf$/ })).toEqual(['zeta linf', 'beta linf', 'delta linf']);
    expect(await names({ testNamePattern: /linf$/, shard: { index: 2, total: 2 } })).toEqual(['delta linf']);
  });

  it('nothing selected says why', async () => {
    const dir = fiveSuites();
    await expect(listCommand(['perf'], { testNamePattern: /nomatch/ }, bufferIO(dir))).rejects.toThrow(
      'no suite name matches -t /nomatch/ (5 suites found) (--pass-with-no-tests exits 0 instead)',
    );
    await expect(listCommand(['perf'], { shard: { index: 6, total: 6 } }, bufferIO(dir))).rejects.toThrow(
      /shard 6\/6 has no suites \(5 suites selected in total\)/,
    );
    await expect(listCommand([], {}, bufferIO(dir))).rejects.toThrow(/no \*\.perf\.yaml suites found in suites\/ \(no paths given, no include in a config file; deepperform init writes a starter\)/);
  });

  it('from the shell: an invalid suite is exit 2 even when -t filters it out; --pass-with-no-tests --json prints []', async () => {
    const dir = fiveSuites();
    suite(dir, 'perf/f.perf.yaml', 'broken', 'threshhold: 0.5\n');
    const clean = tempDir();
    suite(clean, 'only.perf.yaml', 'only');
    const [broken, empty] = await Promise.all([
      runCliInProcess(['list', 'perf', '-t', 'alpha'], dir),
      runCliInProcess(['list', '.', '-t', 'nomatch', '--json', '--pass-with-no-tests'], clean),
    ]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/perf\/f\.perf\.yaml:\d+:\d+\s+threshhold: unknown key/);
    expect(empty.code).toBe(0);
    expect(JSON.parse(empty.stdout)).toEqual([]);
  });
});
