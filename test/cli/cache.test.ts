import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, tempDir, writeTinySuite } from '../helpers/cli.js';

/** The deepperform row of the console's metrics table: FLOPs numbers only, no times. */
function flopsRow(stdout: string): string {
  const row = stdout.split('\n').find((l) => l.trim().startsWith('deepperform'))!;
  return row.trim().split(/\s+/).slice(1, 7).join(' ');
}

function entries(cache: string): string[] {
  return readdirSync(cache).filter((d) => !d.includes('.tmp') && !d.includes('.evicted'));
}

describe('generator cache', () => {
  it('a second run loads the cached generator and reports the same FLOPs numbers', () => {
    const dir = tempDir();
    writeTinySuite(dir, 'a.perf.yaml');
    const args = ['run', '.', '--reporter', 'console', '--cache-dir', 'cache'];
    const first = runCli(args, dir);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/training generator/);
    const second = runCli(args, dir);
    expect(second.stdout).toMatch(/loading generator {2}cache [0-9a-f]{32}/);
    expect(second.stdout).not.toMatch(/training generator/);
    expect(flopsRow(second.stdout)).toBe(flopsRow(first.stdout));
    expect(entries(join(dir, 'cache'))).toHaveLength(1);
  });

  it('a truncated entry is reported and retrained, never used; --retrain ignores the cache', () => {
    const dir = tempDir();
    writeTinySuite(dir, 'a.perf.yaml');
    const args = ['run', '.', '--reporter', 'console', '--cache-dir', 'cache'];
    const first = runCli(args, dir);
    const [key] = entries(join(dir, 'cache'));
    truncateSync(join(dir, 'cache', key, 'weights.bin'), 100);
    const again = runCli(args, dir);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/is corrupt \(checksum mismatch\); retraining/);
    expect(flopsRow(again.stdout)).toBe(flopsRow(first.stdout));
    const forced = runCli([...args, '--retrain'], dir);
    expect(forced.stdout).toMatch(/training generator/);
    expect(flopsRow(forced.stdout)).toBe(flopsRow(first.stdout));
  });

  it('changing what determines the generator (epsilon) changes the key', () => {
    const dir = tempDir();
    const file = writeTinySuite(dir, 'a.perf.yaml');
    runCli(['run', '.', '--reporter', 'console', '--cache-dir', 'cache'], dir);
    writeFileSync(file, readFileSync(file, 'utf8').replace('epsilon: 0.1', 'epsilon: 0.05'));
    const r = runCli(['run', '.', '--reporter', 'console', '--cache-dir', 'cache'], dir);
    expect(r.stdout).toMatch(/training generator/);
    expect(entries(join(dir, 'cache'))).toHaveLength(2);
  });

  it('two runs sharing the cache at once both finish correctly', async () => {
    const dir = tempDir();
    writeTinySuite(dir, 'a.perf.yaml');
    const once = () =>
      new Promise<{ code: number | null; out: string }>((done) => {
        const p = spawn(process.execPath, [join(ROOT, 'dist/src/cli/main.js'), 'run', '.', '--reporter', 'console', '--cache-dir', 'cache'], {
          cwd: dir,
          env: { ...process.env, CI: '1', NO_COLOR: '1' },
        });
        let out = '';
        p.stdout.on('data', (d) => (out += d));
        p.on('close', (code) => done({ code, out }));
      });
    const [a, b] = await Promise.all([once(), once()]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(flopsRow(a.out)).toBe(flopsRow(b.out));
    expect(entries(join(dir, 'cache'))).toHaveLength(1);
    const third = runCli(['run', '.', '--reporter', 'console', '--cache-dir', 'cache'], dir);
    expect(third.stdout).toMatch(/loading generator/);
  });

  it('generator.load uses a saved generator folder; a wrong shape is a configuration error', () => {
    const dir = tempDir();
    const file = writeTinySuite(dir, 'a.perf.yaml');
    const first = runCli(['run', '.', '--reporter', 'console', '--cache-dir', 'cache'], dir);
    const [key] = entries(join(dir, 'cache'));
    writeFileSync(file, readFileSync(file, 'utf8').replace('  preset: tiny', `  load: cache/${key}`));
    const loaded = runCli(['run', '.', '--reporter', 'console', '--cache-dir', 'other'], dir);
    expect(loaded.code).toBe(0);
    expect(flopsRow(loaded.stdout)).toBe(flopsRow(first.stdout));
    writeFileSync(file, readFileSync(file, 'utf8').replace(`  load: cache/${key}`, '  load: ./nowhere'));
    const missing = runCli(['run', '.'], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nowhere\/model\.json: does not exist/);
  });
});
