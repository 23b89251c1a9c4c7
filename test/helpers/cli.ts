import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const FIXTURE_MODEL = join(ROOT, 'fixtures/models/sdn-tiny');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (npm test builds first) as a user would, with CI-style plain output. */
export function runCli(args: string[], cwd: string): CliResult {
  const r = spawnSync(process.execPath, [join(ROOT, 'dist/src/cli/main.js'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, CI: '1', NO_COLOR: '1' },
    timeout: 300_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'deepperform-test-'));
}

/** A small, fast suite against the committed tiny model; `extra` is appended YAML. */
export function writeTinySuite(dir: string, file: string, extra = ''): string {
  const path = join(dir, file);
  writeFileSync(
    path,
    [
      'name: tiny e2e',
      'model:',
      '  arch: sdn-tiny',
      `  weights: ${FIXTURE_MODEL}`,
      'data:',
      '  dataset: fashion-mnist-embedded',
      '  seeds: 16',
      'norm: linf',
      'epsilon: 0.1',
      'seed: 1',
      'generator:',
      '  preset: tiny',
      '  train: { steps: 4, batchSize: 8, width: 2, validateEvery: 2 }',
      extra,
    ].join('\n'),
  );
  return path;
}
