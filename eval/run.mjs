#!/usr/bin/env node
/**
 * `npm run eval`: the paper's evaluation (§5 Tables 1, 2, 4, 6, 7, 9; §6
 * Tables 10, 11; generation and training times) on the full Fashion-MNIST,
 * for the tiny model of every zoo family. Writes eval/results/<date>.json and
 * latest.json, and renders docs/RESULTS.md from them. See eval/README.md.
 *
 *   npm run eval                      # everything (~60-90 min on 2 quiet cores once eval/models exist)
 *   npm run eval -- --quick           # smoke test (minutes) -> eval/results/quick.json, quick.md
 *   npm run eval -- --only=4,timing   # rerun some tables, keep the others
 *   npm run eval -- --data-path=<dir> # Fashion-MNIST elsewhere than /usr/share/datasets/fashion-mnist
 *
 * Exit codes: 0 every section ran; 1 a section or suite failed (the others
 * are still written); 2 usage error or missing dataset; 3 crash.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EvalUsageError, USAGE, parseArgs } from './lib/args.mjs';
import { MissingDatasetError, checkDataset } from './lib/dataset-check.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function log(msg) {
  process.stdout.write(`[eval ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}

/** Exit code for errors the user can fix (usage, dataset, build). */
function userError(e) {
  return e instanceof EvalUsageError || e instanceof MissingDatasetError || e?.name === 'ProductNotBuilt';
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  // Before anything is built or loaded: a missing dataset is a seconds-long failure.
  checkDataset(opts.dataPath);
  const { runEvaluation } = await import('./lib/evaluation.mjs');
  return runEvaluation(ROOT, opts, log);
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`${userError(e) ? '' : 'eval crashed: '}${userError(e) ? e.message : (e?.stack ?? e)}\n`);
    process.exit(userError(e) ? 2 : 3);
  },
);

