import { cpSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir, writeTinySuite, type CliResult } from '../helpers/cli.js';
import { runCliInProcess as runCli } from '../helpers/cli-in-process.js';
import { runCliAsync } from './run-cli-async.js';

/** The deepperform row of the console's metrics table: FLOPs numbers only, no times. */
function flopsRow(stdout: string): string {
  const row = stdout.split('\n').find((l) => l.trim().startsWith('deepperform'))!;
  return row.trim().split(/\s+/).slice(1, 7).join(' ');
}

/** Generator entries; baseline outputs (baseline-<key>) share the folder. */
function entries(cache: string, prefix = ''): string[] {
  return readdirSync(cache).filter((d) => !d.includes('.tmp') && !d.includes('.evicted') && (prefix ? d.startsWith(prefix) : !d.startsWith('baseline-')));
}

const ARGS = ['run', '.', '--reporter', 'console', '--cache-dir', 'cache'];

describe('generator cache', () => {
  // One run that trains into an empty cache; each test starts from a copy of that folder (suite and cache).
  let trained: string;
  let first: CliResult;
  beforeAll(async () => {
    trained = tempDir();
    writeTinySuite(trained, 'a.perf.yaml');
    first = await runCli(ARGS, trained);
  });
  const copyOfTrained = (): string => {
    const dir = tempDir();
    cpSync(trained, dir, { recursive: true });
    return dir;
  };

  it('a second run loads the cached generator and reports the same FLOPs numbers', async () => {
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/training generator/);
    const dir = copyOfTrained();
    const second = await runCli(ARGS, dir);
    expect(second.stdout).toMatch(/loading generator {2}cache [0-9a-f]{32}/);
    expect(second.stdout).not.toMatch(/training generator/);
    expect(flopsRow(second.stdout)).toBe(flopsRow(first.stdout));
    expect(entries(join(dir, 'cache'))).toHaveLength(1);
    // The random baseline's inputs were reused too, and the table says so.
    expect(entries(join(dir, 'cache'), 'baseline-')).toHaveLength(1);
    expect(first.stdout).not.toMatch(/\(cached\)/);
    expect(second.stdout).toMatch(/^\s*random .*\(cached\)/m);
  });

  it('a truncated entry is reported and retrained, never used; --retrain ignores the cache', async () => {
    const dir = copyOfTrained();
    const [key] = entries(join(dir, 'cache'));
    truncateSync(join(dir, 'cache', key, 'weights.bin'), 100);
    const again = await runCli(ARGS, dir);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/is corrupt \(checksum mismatch\); retraining/);
    expect(flopsRow(again.stdout)).toBe(flopsRow(first.stdout));
    const forced = await runCli([...ARGS, '--retrain'], dir);
    expect(forced.stdout).toMatch(/training generator/);
    expect(flopsRow(forced.stdout)).toBe(flopsRow(first.stdout));
  });

  it('changing what determines the generator (epsilon) changes the key', async () => {
    const dir = copyOfTrained();
    const file = join(dir, 'a.perf.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('epsilon: 0.1', 'epsilon: 0.05'));
    const r = await runCli(ARGS, dir);
    expect(r.stdout).toMatch(/training generator/);
    expect(entries(join(dir, 'cache'))).toHaveLength(2);
  });

  // Two processes, as two CI jobs sharing a cache would be: the cache's locking is between processes.
  it('two runs sharing the cache at once both finish correctly', async () => {
    const dir = tempDir();
    writeTinySuite(dir, 'a.perf.yaml');
    const once = () => runCliAsync(ARGS, dir);
    const [a, b] = await Promise.all([once(), once()]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(flopsRow(a.stdout)).toBe(flopsRow(b.stdout));
    expect(entries(join(dir, 'cache'))).toHaveLength(1);
    const third = await runCli(ARGS, dir);
    expect(third.stdout).toMatch(/loading generator/);
  });

  it('generator.load uses a saved generator folder; a wrong shape is a configuration error', async () => {
    const dir = copyOfTrained();
    const file = join(dir, 'a.perf.yaml');
    const [key] = entries(join(dir, 'cache'));
    writeFileSync(file, readFileSync(file, 'utf8').replace('  preset: tiny', `  load: cache/${key}`));
    const loaded = await runCli(['run', '.', '--reporter', 'console', '--cache-dir', 'other'], dir);
    expect(loaded.code).toBe(0);
    expect(flopsRow(loaded.stdout)).toBe(flopsRow(first.stdout));
    writeFileSync(file, readFileSync(file, 'utf8').replace(`  load: cache/${key}`, '  load: ./nowhere'));
    const missing = await runCli(['run', '.'], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nowhere\/model\.json: does not exist/);
  });
});
