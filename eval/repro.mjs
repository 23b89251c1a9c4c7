#!/usr/bin/env node
/**
 * Does the evaluation reproduce? Runs one of its suites from an empty cache
 * (so its generator trains again) and compares the result with the same
 * suite's in eval/results/latest.json (lib/repro.mjs); records the outcome
 * under the suite file in eval/results/repro.json, with the commit it ran
 * at, and exits 1 when anything FLOPs-based differs (2: bad use, 3: the run
 * itself failed).
 *
 *   npm run build && node eval/repro.mjs eval/suites/light-seeds/blockdrop-tiny-linf-seed1.perf.yaml
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readResults, writeAtomic } from './lib/results.mjs';
import { differences, suitesByName } from './lib/repro.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

class ReproError extends Error {
  constructor(message, code) {
    super(message);
    this.code = code;
  }
}

function git(args) {
  return execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
}

/** Runs the suite in `tmp` and returns its one suite result. */
function runAgain(suiteFile, tmp) {
  const cli = join(root, 'dist/src/cli/main.js');
  if (!existsSync(cli)) throw new ReproError('dist/ is missing: run `npm run build` first', 2);
  const report = join(tmp, 'report.json');
  const args = [cli, 'run', suiteFile, '--cache-dir', join(tmp, 'cache'), '--reporter', 'console,json', '--output-file', `json=${report}`];
  const run = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (run.error || !existsSync(report)) throw new ReproError(`the run failed (${run.error?.message ?? `exit ${run.status ?? run.signal}`}), no report`, 3);
  const suites = [...suitesByName(JSON.parse(readFileSync(report, 'utf8'))).values()];
  if (suites.length !== 1) throw new ReproError(`expected one suite in the report, found ${suites.length}`, 3);
  return suites[0];
}

function main(arg) {
  if (!arg || !existsSync(arg) || !statSync(arg).isFile()) throw new ReproError('usage: node eval/repro.mjs <one suite file under eval/suites>', 2);
  const suiteFile = resolve(arg);
  const file = relative(root, suiteFile);
  const started = new Date().toISOString();
  const tmp = mkdtempSync(join(tmpdir(), 'deepperform-repro-'));
  let again;
  try {
    again = runAgain(suiteFile, tmp);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const before = suitesByName(readResults(join(root, 'eval/results/latest.json'))).get(again.name);
  if (!before) throw new ReproError(`eval/results/latest.json has no suite "${again.name}"`, 2);
  const diff = differences(again, before);
  const stop = (s) => s.training?.record?.stopReason;
  const validations = again.training?.record?.curve?.length ?? 0;
  console.log(diff.length ? `differs from eval/results/latest.json:\n  ${diff.join('\n  ')}` : `identical to eval/results/latest.json (${validations} validations, ${again.methods.length} methods)`);
  const result = {
    suite: again.name,
    file,
    command: `node eval/repro.mjs ${file}`,
    started,
    commit: git(['rev-parse', 'HEAD']),
    dirty: git(['status', '--porcelain', '--untracked-files=no']) !== '',
    stopReason: { again: stop(again), before: stop(before) },
    validations,
    identical: diff.length === 0,
    differences: diff,
  };
  // One entry per suite file, so checks of several suites accumulate.
  const out = join(root, 'eval/results/repro.json');
  const checks = existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')).checks ?? {}) : {};
  writeAtomic(out, `${JSON.stringify({ checks: { ...checks, [file]: result } }, null, 1)}\n`);
  return diff.length ? 1 : 0;
}

try {
  process.exitCode = main(process.argv[2]);
} catch (e) {
  console.error(e instanceof ReproError ? e.message : (e.stack ?? String(e)));
  process.exitCode = e instanceof ReproError ? e.code : 3;
}
