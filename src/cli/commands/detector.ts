import { join, relative, resolve } from 'node:path';
import { stringify } from 'yaml';
import { readAdnnArch } from '../../adnn/index.js';
import { loadDataset, type Dataset } from '../../data/index.js';
import { initBackend } from '../../engine/index.js';
import { generate, GeneratorCache, shippedGeneratorsDir, type TrainProgress } from '../../generator/index.js';
import { firstConvOf, runDetectorSection, type DetectorSectionResult } from '../../mitigation/index.js';
import { checkModelData, generatorData, generatorFor, loadSuiteModel } from '../../runner/index.js';
import { loadSuite, parseSuite, type Suite } from '../../suite/index.js';
import { EXIT, UsageError } from '../../util/errors.js';
import { processIO, type CommandIO } from '../io.js';
import { resolveSettings } from '../../settings/index.js';
import { toolVersion } from '../../util/version.js';

export interface DetectorFlags {
  /** Take model, data, norm, epsilon, threshold, seed and generator from this suite. */
  suite?: string;
  /** Or a zoo model's weights folder (its arch is read from model.json; --arch, when given, must agree). */
  weights?: string;
  arch?: string;
  /** Explicit mode: a saved generator folder instead of training one. */
  generator?: string;
  preset?: 'full' | 'light' | 'tiny';
  dataset?: string;
  dataPath?: string;
  norm?: 'linf' | 'l2';
  epsilon?: number;
  tau?: number;
  seed?: number;
  trainSeeds: number;
  testSeeds: number;
  /** The SVM's C. */
  c?: number;
  out?: string;
  cacheDir?: string;
  retrain?: boolean;
  backend?: string;
  config?: string;
  json?: boolean;
}

/** What `detector --json` prints. */
export interface DetectorJson extends DetectorSectionResult {
  model: { name: string; arch: string };
  attack: { norm: string; epsilon: number; tau: number };
  suite?: string;
}

/**
 * `deepperform detector`: trains the §6.2 input-validation detector for a
 * model, evaluates it on the test split, reports AUC and overhead, writes it.
 */
export async function detectorCommand(flags: DetectorFlags, io: CommandIO = processIO()): Promise<number> {
  const suite = await suiteFor(flags, io.cwd);
  const settings = await resolveSettings({ config: flags.config, cacheDir: flags.cacheDir, backend: flags.backend, retrain: flags.retrain }, io.cwd, io.env);
  await initBackend({ backend: settings.backend, env: io.env });
  const out = resolve(io.cwd, flags.out ?? 'detector.json');
  const phase = (name: string, detail?: string) => io.stderr.write(`${name}${detail ? `: ${detail}` : ''}\n`);
  const network = await loadSuiteModel(suite);
  try {
    // Refused before any generator is trained: the model must hand out its first convolution.
    firstConvOf(network);
    const spec = (split: 'train' | 'test') => ({ name: suite.data.dataset, split, path: suite.data.path, labels: suite.data.labels });
    const train = await loadDataset(spec(suite.data.trainSplit));
    const test = await loadDataset(spec(suite.data.split));
    checkModelData(network, test, suite);
    checkSeedCounts(flags, train, test);
    // The same generator data as `run`, so `detector --suite` reuses the generator it trained.
    const { generator } = await generatorFor(
      suite,
      network,
      generatorData(suite, train),
      {
        cache: new GeneratorCache(settings.cacheDir, [shippedGeneratorsDir()]),
        retrain: settings.retrain,
        toolVersion: toolVersion(),
        onPhase: phase,
        onProgress: (p) => progress(p, phase),
      },
    );
    let result: DetectorSectionResult;
    try {
      result = await runDetectorSection({
        network,
        train,
        test,
        generate: (seeds) => generate(generator, seeds, { norm: suite.norm, epsilon: suite.epsilon }),
        tau: suite.threshold,
        seed: suite.seed,
        options: { trainSeeds: flags.trainSeeds, testSeeds: flags.testSeeds, svm: flags.c === undefined ? {} : { c: flags.c }, out, provenance: provenance(suite, io.cwd) },
        onPhase: phase,
      });
    } finally {
      generator.store.dispose();
    }
    const json: DetectorJson = {
      model: { name: network.meta.name, arch: network.meta.arch },
      attack: { norm: suite.norm, epsilon: suite.epsilon, tau: suite.threshold },
      ...(flags.suite ? { suite: suite.name } : {}),
      ...result,
    };
    io.stdout.write(flags.json ? `${JSON.stringify(json, null, 2)}\n` : summary(json, io.cwd));
    return EXIT.pass;
  } finally {
    network.dispose();
  }
}

/** The suite to work from: the file given, or one assembled from the explicit flags and checked like a file. */
async function suiteFor(flags: DetectorFlags, cwd: string): Promise<Suite> {
  if (flags.suite !== undefined && flags.weights !== undefined) throw new UsageError('detector: give either --suite or --weights (with --epsilon), not both');
  if (flags.suite !== undefined) {
    const explicit = (['arch', 'generator', 'preset', 'dataset', 'dataPath', 'norm', 'epsilon', 'tau', 'seed'] as const).filter((k) => flags[k] !== undefined);
    if (explicit.length > 0) {
      const names = explicit.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ');
      throw new UsageError(`detector: ${names} cannot be combined with --suite (the suite sets them)`);
    }
    return loadSuite(resolve(cwd, flags.suite));
  }
  if (flags.weights === undefined) throw new UsageError('detector: give --suite <file>, or --weights <dir> with --epsilon <e> for a zoo model');
  if (flags.epsilon === undefined) throw new UsageError('detector: --weights needs --epsilon (the perturbation budget the generator works within)');
  const weights = resolve(cwd, flags.weights);
  const arch = await readAdnnArch(weights);
  if (flags.arch !== undefined && flags.arch !== arch) throw new UsageError(`detector: --arch ${flags.arch}, but ${flags.weights}/model.json holds a ${arch}`);
  const doc = {
    name: `detector for ${arch}`,
    model: { arch, weights },
    data: { dataset: flags.dataset ?? 'fashion-mnist-embedded', ...(flags.dataPath ? { path: resolve(cwd, flags.dataPath) } : {}) },
    norm: flags.norm ?? 'linf',
    epsilon: flags.epsilon,
    threshold: flags.tau ?? 0.5,
    seed: flags.seed ?? 0,
    generator: { ...(flags.preset ? { preset: flags.preset } : {}), ...(flags.generator ? { load: resolve(cwd, flags.generator) } : {}) },
  };
  // Checked by the suite schema, so a bad value gets the same message a suite file would.
  return parseSuite(stringify(doc), join(cwd, '(command line)'));
}




function checkSeedCounts(flags: DetectorFlags, train: Dataset, test: Dataset): void {
  for (const [flag, n, ds] of [['--train-seeds', flags.trainSeeds, train], ['--test-seeds', flags.testSeeds, test]] as const) {
    if (n > ds.count) throw new UsageError(`${flag} ${n}: the ${ds.split} split of ${ds.name} has only ${ds.count} inputs`);
  }
}

function progress(p: TrainProgress, phase: (name: string, detail?: string) => void): void {
  if (p.validationIflops === undefined) return;
  phase('training generator', `step ${p.step}/${p.totalSteps}, validation mean I-FLOPs ${(p.validationIflops * 100).toFixed(1)}%`);
}

function provenance(suite: Suite, cwd: string): Record<string, string | number> {
  return {
    source: suite.file.endsWith('(command line)') ? 'command line' : relative(cwd, suite.file).split('\\').join('/'),
    dataset: suite.data.dataset,
    trainSplit: suite.data.trainSplit,
    testSplit: suite.data.split,
    norm: suite.norm,
    epsilon: suite.epsilon,
    tau: suite.threshold,
    seed: suite.seed,
    tool: `deepperform ${toolVersion()}`,
  };
}

function summary(r: DetectorJson, cwd: string): string {
  const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
  const ms = (v: number) => (v < 0.1 ? `${(v * 1000).toFixed(1)} µs` : `${v.toFixed(3)} ms`);
  return [
    `detector for ${r.model.name} (${r.model.arch}), ${r.attack.norm} epsilon ${r.attack.epsilon}`,
    `  trained on ${r.trainSeeds} seeds + ${r.trainSeeds} generated inputs (train accuracy ${pct(r.trainAccuracy)}; SVM ${r.svmEpochs} epochs${r.svmConverged ? '' : ', NOT converged'})`,
    `  AUC ${r.auc.toFixed(4)}, accuracy ${pct(r.accuracy)} at threshold 0, on ${r.testSeeds} test seeds + ${r.testSeeds} generated`,
    `  overhead ${r.overheadFlops.toLocaleString('en-US')} FLOPs per input (${r.overheadFlopsPct.toFixed(3)}% of the model's mean ${(r.meanSeedFlops / 1e6).toFixed(2)}M on the seeds), ${ms(r.latencyMs)}`,
    `  standalone (own first conv, ${r.featureDim.toLocaleString('en-US')} features): ${r.standaloneFlops.toLocaleString('en-US')} FLOPs, ${ms(r.standaloneLatencyMs)}`,
    `wrote ${shown(r.file ?? '', cwd)}`,
    '',
  ].join('\n');
}

/** Relative to the working directory when inside it, else absolute. */
function shown(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel === '' || rel.startsWith('..') ? file : rel;
}
