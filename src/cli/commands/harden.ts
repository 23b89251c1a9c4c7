import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { stringify } from 'yaml';
import { readAdnnArch } from '../../adnn/index.js';
import { initBackend } from '../../engine/index.js';
import { GeneratorCache, shippedGeneratorsDir, type PerfLoss } from '../../generator/index.js';
import { checkOutDir, runRetrainSection, type RetrainSectionResult, type RetrainSettings } from '../../mitigation/index.js';
import { retrainGenerators } from '../../runner/index.js';
import { loadSuite, parseSuite, type Suite } from '../../suite/index.js';
import { EXIT, UsageError } from '../../util/errors.js';
import { processIO, type CommandIO } from '../io.js';
import { resolveSettings } from '../../settings/index.js';
import { toolVersion } from '../../util/version.js';

/** Flags that describe what to harden without a suite file. */
export interface HardenModelFlags {
  model?: string;
  dataset?: string;
  dataPath?: string;
  labels?: 'fine' | 'coarse';
  norm?: 'linf' | 'l2';
  epsilon?: number;
  tau?: number;
  testSeeds?: number;
  preset?: 'full' | 'light' | 'tiny';
  generatorSteps?: number;
  perfLoss?: PerfLoss;
}

export interface HardenFlags extends HardenModelFlags {
  suite?: string;
  epochs?: number;
  trainSeeds?: number;
  flopsWeight?: number;
  lr?: number;
  batchSize?: number;
  target?: 'current' | 'original';
  holdSeeds?: number;
  seed?: number;
  out?: string;
  cacheDir?: string;
  retrain?: boolean;
  backend?: string;
  json?: boolean;
}

/** Flags that --suite replaces, with their spelling, for the error that names them. */
const MODEL_FLAGS: Record<keyof HardenModelFlags, string> = {
  model: '--model',
  dataset: '--dataset',
  dataPath: '--data-path',
  labels: '--labels',
  norm: '--norm',
  epsilon: '--epsilon',
  tau: '--tau',
  testSeeds: '--test-seeds',
  preset: '--preset',
  generatorSteps: '--generator-steps',
  perfLoss: '--perf-loss',
};

/**
 * `deepperform harden`: adversarial retraining per Eq. 12 (§6.1). Prints
 * Table 10's numbers (I-FLOPs and accuracy before and after) and writes the
 * hardened model with --out. Exit 0 when it ran, 2 on bad input, 3 on a crash.
 */
export async function hardenCommand(flags: HardenFlags, argv: string[], io: CommandIO = processIO()): Promise<number> {
  checkRanges(flags);
  const suite = await suiteFor(flags, io.cwd);
  const out = flags.out === undefined ? undefined : resolve(io.cwd, flags.out);
  // Checked here too (the section checks again) so the message shows --out as typed.
  if (out !== undefined && suite.model.source === 'zoo') await checkOutDir(out, suite.model.weights, flags.out);
  const settings = await resolveSettings({ cacheDir: flags.cacheDir, backend: flags.backend, retrain: flags.retrain }, io.cwd, io.env);
  const backend = await initBackend({ backend: settings.backend, env: io.env });
  // Progress goes to stderr with --json, so stdout holds the JSON alone.
  const log = (line: string) => (flags.json ? io.stderr : io.stdout).write(`${line}\n`);
  const m = suite.model.source === 'zoo' ? suite.model : undefined;
  log(`deepperform harden ${m ? shown(io.cwd, m.weights) : suite.name}: ${suite.norm} eps ${suite.epsilon}, tau ${suite.threshold}, backend ${backend.name}`);
  const result = await runRetrainSection({
    suite,
    settings: retrainSettings(flags),
    out,
    generators: retrainGenerators(suite, {
      // The generators shipped for the default suites, after the user's cache, as `run` does.
      cache: new GeneratorCache(settings.cacheDir, [shippedGeneratorsDir()]),
      retrain: settings.retrain,
      toolVersion: toolVersion(),
      onProgress: () => {},
    }),
    command: `deepperform ${argv.join(' ')}`,
    cwd: io.cwd,
    onPhase: (phase, detail) => log(`  ${phase}${detail ? `: ${detail}` : ''}`),
    onStep: (s) => {
      if (s.step === s.stepsPerEpoch - 1) log(`  epoch ${s.epoch + 1}: clean ${s.clean.toFixed(3)}, task ${s.task.toFixed(3)}, FLOPs gap ${s.flops.toFixed(3)}`);
    },
  });
  if (flags.json) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else io.stdout.write(summary(result, io.cwd));
  return EXIT.pass;
}

/** Ranges commander's number parser does not check; caught before anything loads. */
function checkRanges(f: HardenFlags): void {
  const problems = [
    f.epsilon !== undefined && !(f.epsilon > 0) && `--epsilon must be > 0, got ${f.epsilon}`,
    f.tau !== undefined && !(f.tau >= 0 && f.tau <= 1) && `--tau must be between 0 and 1, got ${f.tau}`,
    f.flopsWeight !== undefined && !(f.flopsWeight >= 0) && `--flops-weight must be >= 0, got ${f.flopsWeight}`,
    f.holdSeeds !== undefined && !(f.holdSeeds >= 0) && `--hold-seeds must be >= 0, got ${f.holdSeeds}`,
    f.lr !== undefined && !(f.lr > 0) && `--lr must be > 0, got ${f.lr}`,
  ].filter((p): p is string => typeof p === 'string');
  if (problems.length > 0) throw new UsageError(problems.join('; '));
}

function retrainSettings(f: HardenFlags): Partial<RetrainSettings> {
  return { epochs: f.epochs, trainSeeds: f.trainSeeds, flopsWeight: f.flopsWeight, learningRate: f.lr, batchSize: f.batchSize, seed: f.seed, target: f.target, holdSeeds: f.holdSeeds };
}

/** The suite to harden: the --suite file, or one made from the model flags. */
async function suiteFor(flags: HardenFlags, cwd: string): Promise<Suite> {
  const given = (Object.keys(MODEL_FLAGS) as (keyof HardenModelFlags)[]).filter((k) => flags[k] !== undefined);
  if (flags.suite !== undefined) {
    if (given.length > 0) {
      const names = given.map((k) => MODEL_FLAGS[k]).join(', ');
      throw new UsageError(`--suite takes the model, data, norm, epsilon and generator settings from ${flags.suite}; drop ${names}, or leave out --suite`);
    }
    return loadSuite(resolve(cwd, flags.suite));
  }
  if (flags.model === undefined || flags.epsilon === undefined) {
    throw new UsageError('harden needs --suite <file>, or --model <dir> and --epsilon <e> (with --norm, --dataset, ... as needed)');
  }
  return suiteFromFlags(flags, flags.model, flags.epsilon, cwd);
}

/**
 * A suite built from the flags and read by the suite loader, so defaults
 * (generator settings, seeds) are the suite format's own.
 */
async function suiteFromFlags(flags: HardenFlags, model: string, epsilon: number, cwd: string): Promise<Suite> {
  const weights = resolve(cwd, model);
  const arch = await readAdnnArch(weights);
  const train: Record<string, unknown> = {};
  if (flags.generatorSteps !== undefined) train.steps = flags.generatorSteps;
  if (flags.perfLoss !== undefined) train.perfLoss = flags.perfLoss;
  const doc = {
    name: `harden ${basename(weights)}`,
    model: { arch, weights },
    data: {
      dataset: flags.dataset ?? 'fashion-mnist-embedded',
      ...(flags.testSeeds !== undefined ? { seeds: flags.testSeeds } : {}),
      ...(flags.dataPath !== undefined ? { path: resolve(cwd, flags.dataPath) } : {}),
      ...(flags.labels !== undefined ? { labels: flags.labels } : {}),
    },
    norm: flags.norm ?? 'linf',
    epsilon,
    threshold: flags.tau ?? 0.5,
    seed: flags.seed ?? 0,
    generator: { ...(flags.preset !== undefined ? { preset: flags.preset } : {}), train },
  };
  return parseSuite(stringify(doc), join(cwd, 'harden (command line)'));
}


/** Relative to the working directory when inside it, else as is. */
function shown(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const mega = (v: number) => `${(v / 1e6).toFixed(2)}M`;

/** Table 10 for one model, then what was run and where the model went. */
export function summary(r: RetrainSectionResult, cwd: string): string {
  const row = (name: string, a: string, b: string) => `  ${name.padEnd(14)}${a.padStart(9)}${b.padStart(9)}`;
  const lines = [
    '',
    row('', 'before', 'after'),
    row('mean I-FLOPs', pct(r.before.meanIFlops), pct(r.after.meanIFlops)),
    row('max I-FLOPs', pct(r.before.maxIFlops), pct(r.after.maxIFlops)),
    row('accuracy', pct(r.before.accuracy), pct(r.after.accuracy)),
    row('seed FLOPs', mega(r.before.seedFlops), mega(r.after.seedFlops)),
    row('generated', mega(r.before.generatedFlops), mega(r.after.generatedFlops)),
    '',
    `  "after" I-FLOPs: a generator trained anew against the retrained model; the old generator's inputs on it: mean ${pct(r.sameInputs.meanIFlops)}, max ${pct(r.sameInputs.maxIFlops)}`,
    '  (FLOPs rows: mean FLOPs of the test seeds and of the generated inputs)',
    `  retrained ${r.epochs} epoch${r.epochs === 1 ? '' : 's'} on ${r.trainSeeds} seeds (FLOPs weight ${r.settings.flopsWeight}) in ${r.retrainSeconds.toFixed(0)} s; ` +
      `new generator ${r.generatorSeconds.toFixed(0)} s; total ${r.seconds.toFixed(0)} s`,
  ];
  if (r.weightsPath) lines.push(`  saved ${shown(cwd, r.weightsPath)}/model.json`);
  return `${lines.join('\n')}\n`;
}
