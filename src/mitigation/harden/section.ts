import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import { evaluateAdaptive, loadAdnn, type AdaptiveNetwork, type AdnnFileMetadata } from '../../adnn/index.js';
import { loadDataset, takeSeeded, type Dataset } from '../../data/index.js';
import { generate, type Generator } from '../../generator/index.js';
import type { IflopsSummary, RetrainMeasurement, RetrainSectionResult, RetrainSettings } from '../../results/index.js';
import type { Suite } from '../../suite/index.js';
import { HardenError } from './errors.js';
import { iflopsOf } from './measure.js';
import { hardenAdnn, type HardenStep } from './retrain.js';
import { checkOutDir, writeModelAtomic } from './weights.js';

export type { RetrainMeasurement, RetrainSectionResult, RetrainSettings } from '../../results/index.js';

export const RETRAIN_DEFAULTS: Readonly<Required<Omit<RetrainSettings, 'seed'>>> = {
  epochs: 3,
  trainSeeds: 2000,
  flopsWeight: 4,
  learningRate: 2.5e-4,
  batchSize: 64,
  target: 'current',
  holdSeeds: 16,
};

export interface RetrainSectionContext {
  /** Model, data, norm, epsilon, threshold and generator settings; a zoo model. */
  suite: Suite;
  settings?: Partial<RetrainSettings>;
  /** Folder for the hardened model (model.json, weights.bin); none: not written. */
  out?: string;
  /** Where the generators come from: the caller's generator source (the runner's, for `run` and `harden`). */
  generators: RetrainGenerators;
  /** Recorded in the hardened model.json. */
  command?: string;
  /** The command's working directory: messages show the suite's path relative to it (default the process's). */
  cwd?: string;
  onPhase?: (phase: string, detail?: string) => void;
  onStep?: (s: HardenStep) => void;
}

/**
 * The section's two generators, as callbacks: finding or training a suite's
 * generator (cache, generator.load, budget, progress) is the runner's work,
 * and mitigation/ sits below the runner. `trainSplit` is the split the suite's
 * generator trains on, loaded here; the callee splits off its validation
 * inputs as `run` does, since the cache key depends on that split.
 */
export interface RetrainGenerators {
  /** The suite's generator against the original model, as `run` gets it (generator.load, the cache, or trained and stored). */
  original(network: AdaptiveNetwork, trainSplit: Dataset, onPhase: (phase: string, detail?: string) => void): Promise<Generator>;
  /** A generator trained anew (not cached) against the retrained model, with the suite's settings and budget. */
  fresh(network: AdaptiveNetwork, trainSplit: Dataset): Promise<{ generator: Generator; seconds: number }>;
}

/** Facts about a hardening, kept in the hardened model.json beside the original training record. */
export interface HardeningRecord {
  objective: 'eq12';
  settings: Required<RetrainSettings>;
  tau: number;
  norm: string;
  epsilon: number;
  suite: string;
  generator: Suite['generator'];
  sourceSha256: string;
  before: RetrainMeasurement;
  after: RetrainMeasurement;
  sameInputs: IflopsSummary;
  durationSeconds: number;
  command?: string;
}

export interface HardenedFileMetadata extends AdnnFileMetadata {
  /** The weights folder of the model that was retrained. */
  hardenedFrom: string;
  hardening: HardeningRecord;
}

interface SectionData {
  test: Dataset;
  testSeeds: Dataset;
  train: Dataset;
  /** The split the suite's generator trains on (`data.trainSplit`). */
  generatorSplit: Dataset;
}

/**
 * Adversarial retraining (§6.1, Table 10) for one suite: measures the model,
 * retrains a copy per Eq. 12, measures the copy against a generator trained
 * anew against it, and writes the copy when `out` is given.
 */
export async function runRetrainSection(ctx: RetrainSectionContext): Promise<RetrainSectionResult> {
  const started = performance.now();
  const { suite } = ctx;
  const model = suite.model;
  if (model.source !== 'zoo') {
    throw new HardenError(`${shownPath(suite.file, ctx.cwd ?? process.cwd())}: retraining needs a zoo model (model: arch + weights) so the hardened weights can be saved and reloaded; this suite uses ${model.source === 'module' ? 'a module' : 'an ONNX model'}`);
  }
  const settings = resolveSettings(suite, ctx.settings);
  if (ctx.out !== undefined) await checkOutDir(ctx.out, model.weights);
  const phase = (name: string, detail?: string) => ctx.onPhase?.(name, detail);
  phase('loading model', model.weights);
  // Loaded here, not shared with the runner's copy: retraining changes the weights in place.
  const { network, metadata } = await loadAdnn(model.weights);
  try {
    const data = await loadData(suite);
    const attack = { norm: suite.norm, epsilon: suite.epsilon };
    const tau = suite.threshold;
    const oldG = await ctx.generators.original(network, data.generatorSplit, phase);
    phase('measuring', 'before retraining');
    const oldInputs = generate(oldG, data.testSeeds, attack);
    const before = { ...iflopsOf(network, data.testSeeds, oldInputs, tau), accuracy: evaluateAdaptive(network, data.test, tau).accuracy };
    const trainSeeds = takeSeeded(data.train, Math.min(settings.trainSeeds, data.train.count), settings.seed);
    phase('retraining', `${trainSeeds.count} seeds, ${settings.epochs} epochs, FLOPs weight ${settings.flopsWeight}`);
    const report = await hardenAdnn(network, trainSeeds, (seeds) => generate(oldG, seeds, attack), { ...settings, tau, onStep: ctx.onStep });
    oldG.store.dispose();

    phase('measuring', 'after retraining');
    const sameInputs = iflopsOf(network, data.testSeeds, oldInputs, tau);
    const afterAccuracy = evaluateAdaptive(network, data.test, tau).accuracy;
    const fresh = await freshGenerator(suite, network, data, ctx, phase);
    const after = { ...iflopsOf(network, data.testSeeds, generate(fresh.generator, data.testSeeds, attack), tau), accuracy: afterAccuracy };
    fresh.generator.store.dispose();
    const seconds = (performance.now() - started) / 1000;
    const result: RetrainSectionResult = {
      before,
      after,
      sameInputs,
      epochs: settings.epochs,
      trainSeeds: trainSeeds.count,
      seconds,
      retrainSeconds: report.seconds,
      generatorSeconds: fresh.seconds,
      settings,
      history: report.history,
    };
    if (ctx.out !== undefined) {
      phase('writing', ctx.out);
      const hardening: HardeningRecord = {
        objective: 'eq12',
        settings,
        tau,
        norm: suite.norm,
        epsilon: suite.epsilon,
        suite: suite.file,
        generator: suite.generator,
        sourceSha256: await weightsHash(model.weights),
        before,
        after,
        sameInputs,
        durationSeconds: Math.round(seconds),
        ...(ctx.command !== undefined ? { command: ctx.command } : {}),
      };
      const file: HardenedFileMetadata = { ...metadata, hardenedFrom: model.weights, hardening };
      await writeModelAtomic(ctx.out, network, file);
      result.weightsPath = ctx.out;
    }
    return result;
  } finally {
    network.dispose();
  }
}

function resolveSettings(suite: Suite, given: Partial<RetrainSettings> | undefined): Required<RetrainSettings> {
  const defined = Object.fromEntries(Object.entries(given ?? {}).filter(([, v]) => v !== undefined));
  return { ...RETRAIN_DEFAULTS, seed: suite.seed, ...defined };
}

/** The runner's data: the same splits `run` loads for the suite. */
async function loadData(suite: Suite): Promise<SectionData> {
  const spec = (split: 'train' | 'test') => ({ name: suite.data.dataset, split, path: suite.data.path, labels: suite.data.labels });
  const seedsFrom = await loadDataset(spec(suite.data.split));
  const train = await loadDataset(spec('train'));
  const genSource = suite.data.trainSplit === 'train' ? train : await loadDataset(spec(suite.data.trainSplit));
  // Accuracy is measured on the held-out split, whichever split the seeds come from.
  const test = suite.data.split === 'test' ? seedsFrom : await loadDataset(spec('test'));
  return { test, testSeeds: takeSeeded(seedsFrom, suite.data.seeds, suite.seed), train, generatorSplit: genSource };
}

/**
 * A generator trained against the hardened model, with the suite's settings
 * and budget. Not cached: the hardened weights are new, and this measurement
 * is the point of the section.
 */
async function freshGenerator(
  suite: Suite,
  network: AdaptiveNetwork,
  data: SectionData,
  ctx: RetrainSectionContext,
  phase: (name: string, detail?: string) => void,
): Promise<{ generator: Generator; seconds: number }> {
  phase('training generator', `against the retrained model, ${suite.generator.preset} preset, up to ${suite.generator.train.epochs} epochs`);
  return ctx.generators.fresh(network, data.generatorSplit);
}

/** Relative to the working directory when inside it, as suite errors show files. */
function shownPath(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}

async function weightsHash(dir: string): Promise<string> {
  return createHash('sha256').update(await readFile(join(dir, 'weights.bin'))).digest('hex');
}
