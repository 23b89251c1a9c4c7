/**
 * Command line of `npm run eval` (node eval/run.mjs). Parsed by hand: the
 * runner must start (and check the dataset) before the product is built.
 */
import { resolve } from 'node:path';
import { DEFAULT_DATA_PATH } from './dataset-check.mjs';
import { ARCHS, NORMS } from './plan.mjs';

export class EvalUsageError extends Error {
  name = 'EvalUsageError';
  exitCode = 2;
}

/** The parts of the evaluation, each written to its own key of the results file. */
export const SECTIONS = ['table1', 'light', 'baselines', 'full', 'psnr', 'mitigation', 'summary'];

/** What `--only=<table>` reruns: the sections each table is computed from. */
export const TABLE_SECTIONS = {
  1: ['table1'],
  2: ['light'],
  4: ['baselines'],
  5: ['light'],
  6: ['light', 'baselines'],
  7: ['light'],
  9: ['light', 'full', 'psnr'],
  10: ['mitigation'],
  11: ['mitigation'],
  timing: ['light', 'full', 'baselines'],
  summary: ['summary'],
};

export const USAGE = `Usage: npm run eval -- [options]     (node eval/run.mjs [options] once built)

  --quick               smoke test: tiny budgets and a few seeds (minutes); writes eval/results/quick.*
  --only=<list>         rerun some tables and keep the others from eval/results/latest.json;
                        tables 1,2,4,5,6,7,9,10,11,timing,summary or sections ${SECTIONS.join(',')}
  --data-path=<dir>     folder with Fashion-MNIST's four *-ubyte(.gz) files (default ${DEFAULT_DATA_PATH})
  --pairs=<list>        summary section only: these model-norm pairs (e.g. sdn-tiny-linf,ranet-tiny-l2)
  --results-dir=<dir>   write the results files (and RESULTS.md) there instead of eval/results and docs/
  --write-suites        only write the suites (eval/suites/ in full mode) from lib/plan.mjs, run nothing
  --resume              skip the sections eval/results/latest.json already holds, finished under the
                        same mode and plan (the summary section resumes pair by pair anyway)
  --commit              git-commit the results files and RESULTS.md as each section (and summary
                        pair) finishes, so a run of CPU hours can span sessions: rerun with --resume
  --retrain-models      train the four models again even when eval/models/<arch>/ holds one
  --retrain             retrain generators and rerun baselines instead of using eval/cache;
                        the summary section then also redoes pairs already in its file
  --backend=<name>      tfjs backend: node, wasm, cpu (default: the best available)
  -h, --help            this text`;

function value(argv, i, name) {
  const a = argv[i];
  if (a.includes('=')) return { v: a.slice(a.indexOf('=') + 1), skip: 0 };
  const next = argv[i + 1];
  if (next === undefined || next.startsWith('--')) throw new EvalUsageError(`${name} needs a value`);
  return { v: next, skip: 1 };
}

/** Sections named by --only (tables or section names), in run order. */
export function sectionsFor(only) {
  const wanted = new Set();
  for (const raw of only.split(',').map((s) => s.trim().replace(/^table(?=\d)/, '')).filter(Boolean)) {
    if (raw in TABLE_SECTIONS) TABLE_SECTIONS[raw].forEach((s) => wanted.add(s));
    else if (SECTIONS.includes(raw)) wanted.add(raw);
    else throw new EvalUsageError(`--only: unknown table or section "${raw}"; known: ${Object.keys(TABLE_SECTIONS).join(', ')}, ${SECTIONS.join(', ')}`);
  }
  return SECTIONS.filter((s) => wanted.has(s));
}

/** --pairs: model-norm names of the plan, e.g. "sdn-tiny-linf". */
export function pairsFor(list) {
  const known = ARCHS.flatMap((a) => NORMS.map((n) => `${a}-${n.norm}`));
  const pairs = list.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = pairs.filter((p) => !known.includes(p));
  if (unknown.length || !pairs.length) throw new EvalUsageError(`--pairs: unknown pair "${unknown[0] ?? list}"; known: ${known.join(', ')}`);
  return pairs;
}

export function parseArgs(argv) {
  const opts = { quick: false, only: undefined, dataPath: DEFAULT_DATA_PATH, retrainModels: false, retrain: false, backend: undefined, pairs: undefined, resultsDir: undefined, writeSuites: false, resume: false, commit: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const name = a.split('=')[0];
    if (a === '--quick') opts.quick = true;
    else if (a === '--retrain-models') opts.retrainModels = true;
    else if (a === '--retrain') opts.retrain = true;
    else if (a === '--write-suites') opts.writeSuites = true;
    else if (a === '--resume') opts.resume = true;
    else if (a === '--commit') opts.commit = true;
    else if (a === '-h' || a === '--help') opts.help = true;
    else if (['--only', '--data-path', '--backend', '--pairs', '--results-dir'].includes(name)) {
      const { v, skip } = value(argv, i, name);
      i += skip;
      if (name === '--only') opts.only = sectionsFor(v);
      else if (name === '--data-path') opts.dataPath = resolve(v);
      else if (name === '--pairs') opts.pairs = pairsFor(v);
      else if (name === '--results-dir') opts.resultsDir = resolve(v);
      else opts.backend = v;
    } else throw new EvalUsageError(`unknown option ${a}\n\n${USAGE}`);
  }
  return opts;
}
