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
