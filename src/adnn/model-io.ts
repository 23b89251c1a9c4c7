import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assignNamed, loadWeights, saveWeights, WeightsFileError } from '../nn/index.js';
import type { AdaptiveNetwork } from './contract.js';
import { zooEntry } from './zoo/index.js';

/** Facts about how a saved model was trained, kept beside its weights. */
export interface TrainingRecord {
  dataset: string;
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  /** Measured on the test split by real adaptive execution at `tau`. */
  tau: number;
  accuracy: number;
  meanFlops: number;
  maxFlops: number;
  /** Share of test inputs that skipped at least one block / exited early. */
  adaptiveShare: number;
  durationSeconds: number;
  command: string;
}

export interface AdnnFileMetadata {
  arch: string;
  config: unknown;
  seed: number;
  training?: TrainingRecord;
}

export interface LoadedAdnn {
  network: AdaptiveNetwork;
  metadata: AdnnFileMetadata;
}

export async function saveAdnn(dir: string, network: AdaptiveNetwork, metadata: AdnnFileMetadata): Promise<void> {
  await saveWeights(dir, metadata, network.namedWeights());
}

/** Builds the architecture named in model.json and fills in its weights. */
export async function loadAdnn(dir: string): Promise<LoadedAdnn> {
  const file = await loadWeights<AdnnFileMetadata>(dir);
  const network = zooEntry(file.metadata.arch).build(file.metadata.config, file.metadata.seed);
  try {
    assignNamed(network.namedWeights(), file.weights);
  } catch (e) {
    network.dispose();
    throw e;
  } finally {
    for (const t of file.weights.values()) t.dispose();
  }
  return { network, metadata: file.metadata };
}

/** The zoo architecture a weights folder was saved from, read from its model.json without loading weights. */
export async function readAdnnArch(dir: string): Promise<string> {
  const file = join(dir, 'model.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new WeightsFileError(file, code === 'ENOENT' ? 'does not exist (a model folder is written by train-model, import-weights or harden)' : `cannot be read (${code})`);
  }
  let arch: unknown;
  try {
    arch = (JSON.parse(text) as { metadata?: { arch?: unknown } }).metadata?.arch;
  } catch (e) {
    throw new WeightsFileError(file, `is not valid JSON (${(e as Error).message})`);
  }
  if (typeof arch !== 'string') throw new WeightsFileError(file, 'names no architecture (metadata.arch)');
  return arch;
}
