import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import { evaluateAdaptive, loadAdnn, type AdaptiveNetwork, type AdnnFileMetadata } from '../../adnn/index.js';
import { loadDataset, takeSeeded, type Dataset } from '../../data/index.js';
import { generate, type Generator, type GeneratorCache, type TrainProgress } from '../../generator/index.js';
import { generatorData, generatorFor, trainSuiteGenerator, type GeneratorData } from '../../runner/generator-source.js';
import type { Suite } from '../../suite/index.js';
import { HardenError } from './errors.js';
import { iflopsOf, type IflopsSummary } from './measure.js';
import { hardenAdnn, type FlopsTarget, type HardenLosses, type HardenStep } from './retrain.js';
import { checkOutDir, writeModelAtomic } from './weights.js';

/** How to retrain; the names a `mitigation.retrain` suite section would use. */
export interface RetrainSettings {
  /** Passes over the training seeds. */
  epochs: number;
  /** Training-split inputs retrained on (each with its generated input); capped at the split's size. */
  trainSeeds: number;
  /** Weight of Eq. 12's FLOPs term. */
  flopsWeight: number;
  learningRate: number;
  batchSize: number;
  /** Seeds the pick of training seeds and the batch order; default the suite's seed. */
  seed?: number;
  /** Whose p(x) Eq. 12's FLOPs term aims at (retrain.ts): the model being retrained, or the original. */
  target?: FlopsTarget;
  /** Weight of the term holding the seeds' own cost at the original model's (retrain.ts); 0: none. */
  holdSeeds?: number;
}

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
  /** Where the suite's generator (the "before" one) is looked up and stored. */
  cache: GeneratorCache;
  /** Ignore a cached generator and train the "before" one anew. */
  retrain?: boolean;
  toolVersion: string;
  /** Recorded in the hardened model.json. */
  command?: string;
  onPhase?: (phase: string, detail?: string) => void;
  onGeneratorProgress?: (p: TrainProgress) => void;
  onStep?: (s: HardenStep) => void;
}

/** Table 10's numbers for one model: I-FLOPs of DeepPerform's test inputs and test accuracy. */
export interface RetrainMeasurement extends IflopsSummary {
  /** Top-1 accuracy of the adaptive execution on the whole held-out split. */
  accuracy: number;
}

export interface RetrainSectionResult {
  /** Original model; I-FLOPs of the suite's generator (trained against it) on the test seeds. */
  before: RetrainMeasurement;
  /** Hardened model; I-FLOPs of a generator trained against it with the same settings and budget. */
  after: RetrainMeasurement;
  /** Hardened model run on the "before" generator's test inputs (the kind of inputs it was retrained on). */
  sameInputs: IflopsSummary;
  epochs: number;
  trainSeeds: number;
  /** Whole section; then the retraining alone and the new generator's training. */
  seconds: number;
  retrainSeconds: number;
  generatorSeconds: number;
  settings: Required<RetrainSettings>;
  /** Mean losses of each retraining epoch. */
  history: HardenLosses[];
  /** Where the hardened model was written, when it was. */
  weightsPath?: string;
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
  /** The suite's generator data, split as `run` splits it (its cache key depends on it). */
  generator: GeneratorData;
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
    throw new HardenError(`${shownPath(suite.file)}: retraining needs a zoo model (model: arch + weights) so the hardened weights can be saved and reloaded; this suite uses ${model.source === 'module' ? 'a module' : 'an ONNX model'}`);
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
    const { generator: oldG } = await generatorFor(
      suite,
      network,
      data.generator,
      { cache: ctx.cache, retrain: ctx.retrain ?? false, toolVersion: ctx.toolVersion, onPhase: phase, onProgress: (p) => ctx.onGeneratorProgress?.(p) },
    );
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

/** The runner's data, split the runner's way (the generator cache key depends on it). */
async function loadData(suite: Suite): Promise<SectionData> {
  const spec = (split: 'train' | 'test') => ({ name: suite.data.dataset, split, path: suite.data.path, labels: suite.data.labels });
  const seedsFrom = await loadDataset(spec(suite.data.split));
  const train = await loadDataset(spec('train'));
  const genSource = suite.data.trainSplit === 'train' ? train : await loadDataset(spec(suite.data.trainSplit));
  // Accuracy is measured on the held-out split, whichever split the seeds come from.
  const test = suite.data.split === 'test' ? seedsFrom : await loadDataset(spec('test'));
  return { test, testSeeds: takeSeeded(seedsFrom, suite.data.seeds, suite.seed), train, generator: generatorData(suite, genSource) };
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
  const trained = await trainSuiteGenerator(suite, network, data.generator, (p) => ctx.onGeneratorProgress?.(p));
  return { generator: trained.generator, seconds: trained.record.durationMs / 1000 };
}

/** Relative to the working directory when inside it, as suite errors show files. */
function shownPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}

async function weightsHash(dir: string): Promise<string> {
  return createHash('sha256').update(await readFile(join(dir, 'weights.bin'))).digest('hex');
}
