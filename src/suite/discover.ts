/**
 * Finds suite files: every `**\/*.perf.{yaml,yml}` under the given folders,
 * plus files named directly. Sorted and absolute, so runs are reproducible.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import fg from 'fast-glob';
import { UsageError } from '../util/errors.js';

export const SUITE_GLOB = '**/*.perf.{yaml,yml}';
const IGNORE = ['**/node_modules/**', '**/dist/**'];

export async function discoverSuites(paths: readonly string[], cwd: string): Promise<string[]> {
  const found = new Set<string>();
  for (const p of paths) {
    const abs = resolve(cwd, p);
    const info = await stat(abs).catch(() => undefined);
    if (info === undefined) throw new UsageError(`no such file or folder: ${p}`);
    if (!info.isDirectory()) {
      found.add(abs);
      continue;
    }
    const files = await fg(SUITE_GLOB, { cwd: abs, absolute: true, onlyFiles: true, ignore: IGNORE });
    for (const f of files) found.add(resolve(f));
  }
  return [...found].sort();
}
