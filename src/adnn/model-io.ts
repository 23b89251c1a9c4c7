import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assignNamed, loadWeights, saveWeights, verifyWeights, WeightsFileError } from '../nn/index.js';
import type { AdaptiveNetwork, InputSpec } from './contract.js';
import { buildFromMetadata, checkMetadata, isInputSpec, type AdnnFileMetadata } from './model-metadata.js';

export type { AdnnFileMetadata, TrainingRecord } from './model-metadata.js';

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
  let network: AdaptiveNetwork | undefined;
  try {
    const metadata = checkMetadata(file.metadata, join(dir, 'model.json'));
    network = buildFromMetadata(metadata, join(dir, 'model.json'));
    assignNamed(network.namedWeights(), file.weights);
    return { network, metadata };
  } catch (e) {
    network?.dispose();
    throw e;
  } finally {
    for (const t of file.weights.values()) t.dispose();
  }
}

/** What preflight checks need from a zoo model folder, read and verified without building the model. */
export interface AdnnHeader {
  arch: string;
  /** The input the model takes, when its configuration states it (every zoo family's does). */
  input?: InputSpec;
}

/**
 * The architecture (and input) a weights folder was saved from, after the
 * checks loading makes (model.json's fields, the size, checksum and finite
 * values of weights.bin), without building the model.
 */
export async function readAdnnHeader(dir: string): Promise<AdnnHeader> {
  const json = await verifyWeights(dir).catch((e: unknown) => {
    const missing = e instanceof WeightsFileError && e.file === join(dir, 'model.json') && /does not exist/.test(e.message);
    if (!missing) throw e;
    throw new WeightsFileError(e.file, 'does not exist (a model folder is written by train-model, import-weights or harden)');
  });
  const metadata = checkMetadata(json.metadata, join(dir, 'model.json'));
  const input = (metadata.config as { input?: unknown } | null)?.input;
  return isInputSpec(input) ? { arch: metadata.arch, input } : { arch: metadata.arch };
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
