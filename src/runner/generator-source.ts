import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AdaptiveNetwork, ImageBatch } from '../adnn/index.js';
import { splitHoldOut, type Dataset } from '../data/index.js';
import {
  cacheKey,
  type GeneratorCache,
  loadGenerator,
  sha256,
  stableJson,
  trainGenerator,
  type Generator,
  type TrainingRecord,
  type TrainProgress,
} from '../generator/index.js';
import type { RetrainGenerators } from '../mitigation/index.js';
import { withoutChecksum } from '../nn/index.js';
import type { TrainingSummary } from '../results/index.js';
import type { Suite } from '../suite/index.js';
import { UserError } from '../util/errors.js';

export interface GeneratorSourceOptions {
  cache: GeneratorCache;
  /** Ignore cached generators and train anew (replacing the entry). */
  retrain: boolean;
  toolVersion: string;
  onProgress: (p: TrainProgress) => void;
  onPhase: (phase: string, detail?: string) => void;
  /** modelHash(suite), when the caller has it already (the runner keys baseline outputs by it too). */
  modelHash?: string;
}

export interface GeneratorData {
  /** Name of the dataset and split the generator trains on, for the cache key. */
  identity: string;
  train: ImageBatch;
  validation: ImageBatch;
}

/**
 * The suite's generator data: its training split, with `validationInputs`
 * held out for early stopping (at most half the split, so training keeps at
 * least as many). The split is part of the generator's cache key, so
 * everything that looks up a suite's generator (run, detector, harden)
 * builds its data here.
 */
export function generatorData(suite: Suite, trainSplit: Dataset): GeneratorData {
  const count = Math.max(1, Math.min(suite.generator.train.validationInputs, Math.floor(trainSplit.count / 2)));
  const { train, validation } = splitHoldOut(trainSplit, count, suite.seed);
  return { identity: `${suite.data.dataset}/${suite.data.trainSplit}`, train, validation };
}

export class GeneratorMismatchError extends UserError {
  override readonly name = 'GeneratorMismatchError';
}

/**
 * The generator for a suite: loaded from `generator.load`, found in the cache
 * under the hash of everything that determines it, or trained and stored.
 */
export async function generatorFor(
  suite: Suite,
  network: AdaptiveNetwork,
  data: GeneratorData,
  opts: GeneratorSourceOptions,
): Promise<{ generator: Generator; training: TrainingSummary }> {
  if (suite.generator.load) return fromFile(suite.generator.load, network);
  const key = generatorKey(suite, data, opts.toolVersion, opts.modelHash ?? (await modelHash(suite)));
  const swept = await opts.cache.sweep();
  if (swept.length > 0) opts.onPhase('cache', `removed ${swept.length} temporary folder${swept.length === 1 ? '' : 's'} left by killed runs (${swept.join(', ')})`);
  if (!opts.retrain) {
    const found = await opts.cache.lookup(key);
    if (found.status === 'hit') {
      opts.onPhase('loading generator', `cache ${key}`);
      return { generator: found.generator, training: loadedSummary('cache', found.record) };
    }
    if (found.status === 'corrupt' && found.readOnly) {
      opts.onPhase('cache', `shipped entry ${found.dir} is corrupt (${found.reason}); ignoring it and training`);
    } else if (found.status === 'corrupt') {
      opts.onPhase('cache', `entry ${found.dir} is corrupt (${found.reason}); retraining`);
      await opts.cache.evict(found.dir);
    }
  }
  const t = suite.generator.train;
  const budget = [`${t.epochs} epochs`, ...(t.steps === undefined ? [] : [`${t.steps} steps`]), ...(t.minutes === undefined ? [] : [`${t.minutes} min`])];
  opts.onPhase('training generator', `${suite.generator.preset} preset, width ${t.width}, up to ${budget.join(' / ')}`);
  const { generator, record } = await trainSuiteGenerator(suite, network, data, opts.onProgress);
  const last = record.curve[record.curve.length - 1];
  const training: TrainingSummary = {
    loaded: false,
    source: 'trained',
    steps: record.steps,
    epochs: Math.round(record.epochs * 10) / 10,
    durationMs: record.durationMs,
    bestValidationIflops: record.best.iflops,
    finalLosses: last.losses,
    record,
  };
  // The record goes into the metadata once, beside the summary's figures.
  const { record: _inMetadata, ...summary } = training;
  await opts.cache.store(key, generator, { suite: suite.name, training: summary }, { replace: opts.retrain, record });
  return { generator, training };
}

/**
 * The cache key: everything that determines the generator. `requireConverged`
 * only judges the result, so it is left out (turning it on reuses the entry).
 */
export function generatorKey(suite: Suite, data: GeneratorData, toolVersion: string, model: string): string {
  const { requireConverged: _judgesOnly, ...train } = suite.generator.train;
  const images = data.train.images;
  return cacheKey({
    toolVersion,
    model,
    data: `${data.identity}:${sha256(new Uint8Array(images.buffer, images.byteOffset, images.byteLength))}:${data.validation.count}`,
    attack: { norm: suite.norm, epsilon: suite.epsilon, tau: suite.threshold },
    // generatorSeed is left out of the key when unset (stableJson drops undefined), so older keys still match.
    training: { ...train, preset: suite.generator.preset, seed: suite.seed, generatorSeed: train.seed },
  });
}

/**
 * The generators a retraining section asks for (mitigation.retrain, the
 * harden command): the suite's own, found as `run` finds it, and one trained
 * anew against the retrained model. Passed to the section as callbacks.
 */
export function retrainGenerators(suite: Suite, opts: Omit<GeneratorSourceOptions, 'onPhase' | 'modelHash'>): RetrainGenerators {
  return {
    original: async (network, trainSplit, onPhase) => (await generatorFor(suite, network, generatorData(suite, trainSplit), { ...opts, onPhase })).generator,
    fresh: async (network, trainSplit) => {
      const { generator, record } = await trainSuiteGenerator(suite, network, generatorData(suite, trainSplit), opts.onProgress);
      return { generator, seconds: record.durationMs / 1000 };
    },
  };
}

/** Trains a generator with the suite's attack, settings and seed (not cached). */
export function trainSuiteGenerator(suite: Suite, network: AdaptiveNetwork, data: GeneratorData, onProgress?: (p: TrainProgress) => void) {
  return trainGenerator({
    network,
    train: data.train,
    validation: data.validation,
    attack: { norm: suite.norm, epsilon: suite.epsilon, tau: suite.threshold },
    config: { ...suite.generator.train, seed: suite.generator.train.seed ?? suite.seed },
    onProgress,
  });
}

async function fromFile(dir: string, network: AdaptiveNetwork): Promise<{ generator: Generator; training: TrainingSummary }> {
  const { generator, record } = await loadGenerator(dir);
  const a = generator.input;
  const b = network.meta.input;
  if (a.height !== b.height || a.width !== b.width || a.channels !== b.channels) {
    generator.store.dispose();
    throw new GeneratorMismatchError(`${dir}: generator makes ${a.height}x${a.width}x${a.channels} perturbations, the model takes ${b.height}x${b.width}x${b.channels}`);
  }
  return { generator, training: loadedSummary('file', record) };
}

/** A generator not trained in this run: nothing spent here; what is known of its training comes from its record. */
function loadedSummary(source: 'cache' | 'file', record: TrainingRecord | undefined): TrainingSummary {
  return {
    loaded: true,
    source,
    steps: 0,
    epochs: 0,
    durationMs: 0,
    bestValidationIflops: record?.best.iflops ?? NaN,
    finalLosses: { gan: NaN, perf: NaN, pert: NaN, total: NaN, discriminator: NaN },
    ...(record ? { record } : {}),
  };
}

/**
 * Hash of what defines the model: its weight files (model.json without the
 * checksum it may record, which only restates weights.bin: adding one to an
 * old folder keeps its generators' cache keys), or the user module's source
 * and options.
 */
export async function modelHash(suite: Suite): Promise<string> {
  const m = suite.model;
  if (m.source === 'zoo') {
    const [json, bin] = await Promise.all([readFile(join(m.weights, 'model.json'), 'utf8'), readFile(join(m.weights, 'weights.bin'))]);
    return sha256(Buffer.concat([Buffer.from(withoutChecksum(json)), bin]));
  }
  if (m.source === 'onnx') {
    // The graph's bytes and everything the suite says about reading it.
    return sha256(Buffer.concat([await readFile(m.onnx), Buffer.from(stableJson({ kind: m.kind, exits: m.exits, blocks: m.blocks, logits: m.logits, input: m.input }))]));
  }
  return sha256(`${await readFile(m.module, 'utf8')}\n${m.exportName}\n${stableJson(m.options)}`);
}
