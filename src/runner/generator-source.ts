import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AdaptiveNetwork, ImageBatch } from '../adnn/index.js';
import { splitTrainValidation, type Dataset } from '../data/index.js';
import {
  cacheKey,
  GeneratorCache,
  loadGenerator,
  sha256,
  stableJson,
  trainGenerator,
  type Generator,
  type TrainProgress,
} from '../generator/index.js';
import type { Suite } from '../suite/index.js';
import type { TrainingSummary } from './result.js';

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
 * Share of the training split held out for the generator's early stopping.
 * The split is part of the generator's cache key, so everything that looks up
 * a suite's generator (run, detector, harden) builds its data here.
 */
const VALIDATION_FRACTION = 0.1;

/** The suite's generator data: its training split, split for early stopping the one way every caller shares. */
export function generatorData(suite: Suite, trainSplit: Dataset): GeneratorData {
  const { train, validation } = splitTrainValidation(trainSplit, VALIDATION_FRACTION, suite.seed);
  return { identity: `${suite.data.dataset}/${suite.data.trainSplit}`, train, validation };
}

export class GeneratorMismatchError extends Error {
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
  const key = cacheKey({
    toolVersion: opts.toolVersion,
    model: opts.modelHash ?? (await modelHash(suite)),
    data: `${data.identity}:${sha256(new Uint8Array(data.train.images.buffer, data.train.images.byteOffset, data.train.images.byteLength))}:${data.validation.count}`,
    attack: { norm: suite.norm, epsilon: suite.epsilon, tau: suite.threshold },
    // generatorSeed is left out of the key when unset (stableJson drops undefined), so older keys still match.
    training: { ...suite.generator.train, preset: suite.generator.preset, seed: suite.seed, generatorSeed: suite.generator.train.seed },
  });
  if (!opts.retrain) {
    const found = await opts.cache.lookup(key);
    if (found.status === 'hit') {
      opts.onPhase('loading generator', `cache ${key}`);
      return { generator: found.generator, training: cachedSummary('cache') };
    }
    if (found.status === 'corrupt') {
      opts.onPhase('cache', `entry ${found.dir} is corrupt (${found.reason}); retraining`);
      await opts.cache.evict(found.dir);
    }
  }
  opts.onPhase('training generator', `${suite.generator.preset} preset, width ${suite.generator.train.width}, up to ${suite.generator.train.steps} steps`);
  const trained = await trainSuiteGenerator(suite, network, data, opts.onProgress);
  const training: TrainingSummary = {
    loaded: false,
    source: 'trained',
    steps: trained.steps,
    epochs: Math.round(((trained.steps * suite.generator.train.batchSize) / data.train.count) * 10) / 10,
    durationMs: trained.durationMs,
    validationIflops: trained.validationIflops,
    bestValidationIflops: trained.bestValidationIflops,
    finalLosses: trained.finalLosses,
  };
  await opts.cache.store(key, trained.generator, { suite: suite.name, training }, { replace: opts.retrain });
  return { generator: trained.generator, training };
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
  const { generator } = await loadGenerator(dir);
  const a = generator.input;
  const b = network.meta.input;
  if (a.height !== b.height || a.width !== b.width || a.channels !== b.channels) {
    generator.store.dispose();
    throw new GeneratorMismatchError(`${dir}: generator makes ${a.height}x${a.width}x${a.channels} perturbations, the model takes ${b.height}x${b.width}x${b.channels}`);
  }
  return { generator, training: cachedSummary('file') };
}

function cachedSummary(source: 'cache' | 'file'): TrainingSummary {
  return {
    loaded: true,
    source,
    steps: 0,
    epochs: 0,
    durationMs: 0,
    validationIflops: [],
    bestValidationIflops: NaN,
    finalLosses: { gan: NaN, perf: NaN, pert: NaN, total: NaN, discriminator: NaN },
  };
}

/** Hash of what defines the model: its weight files, or the user module's source and options. */
export async function modelHash(suite: Suite): Promise<string> {
  const m = suite.model;
  if (m.source === 'zoo') {
    const [json, bin] = await Promise.all([readFile(join(m.weights, 'model.json')), readFile(join(m.weights, 'weights.bin'))]);
    return sha256(Buffer.concat([json, bin]));
  }
  return sha256(`${await readFile(m.module, 'utf8')}\n${m.exportName}\n${stableJson(m.options)}`);
}
