#!/usr/bin/env node
/**
 * Does the evaluation reproduce? Runs one of its suites from an empty cache
 * (so its generator trains again) and compares the result with the same
 * suite's in eval/results/latest.json (lib/repro.mjs); records the outcome
 * under the suite file in eval/results/repro.json and exits 1 when anything
 * FLOPs-based differs.
 *
 *   npm run build && node eval/repro.mjs eval/suites/light-seeds/blockdrop-tiny-linf-seed1.perf.yaml
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeAtomic } from './lib/results.mjs';
import { differences, suitesByName } from './lib/repro.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const suiteFile = process.argv[2];
if (!suiteFile) {
  console.error('usage: node eval/repro.mjs <suite file under eval/suites>');
  process.exit(2);
}
const tmp = mkdtempSync(join(tmpdir(), 'deepperform-repro-'));
try {
  const report = join(tmp, 'report.json');
  const args = [join(root, 'dist/src/cli/main.js'), 'run', resolve(suiteFile), '--cache-dir', join(tmp, 'cache'), '--reporter', 'console,json', '--output-file', `json=${report}`];
  const started = new Date().toISOString();
  const run = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (run.status !== 0 && run.status !== 1) process.exit(run.status ?? 3);
  const again = [...suitesByName(JSON.parse(readFileSync(report, 'utf8'))).values()][0];
  const before = suitesByName(JSON.parse(readFileSync(join(root, 'eval/results/latest.json'), 'utf8'))).get(again.name);
  if (!before) {
    console.error(`eval/results/latest.json has no suite "${again.name}"`);
    process.exit(2);
  }
  const diff = differences(again, before);
  const result = { suite: again.name, file: relative(root, resolve(suiteFile)), command: `node eval/repro.mjs ${relative(root, resolve(suiteFile))}`, started, validations: again.training?.record?.curve?.length ?? 0, identical: diff.length === 0, differences: diff };
  // One entry per suite file, so checks of several suites accumulate.
  const file = join(root, 'eval/results/repro.json');
  const checks = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).checks ?? {} : {};
  writeAtomic(file, `${JSON.stringify({ checks: { ...checks, [result.file]: result } }, null, 1)}\n`);
  console.log(diff.length ? `differs from eval/results/latest.json:\n  ${diff.join('\n  ')}` : `identical to eval/results/latest.json (${result.validations} validations, ${again.methods.length} methods)`);
  process.exit(diff.length ? 1 : 0);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
