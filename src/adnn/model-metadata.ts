/**
 * model.json's metadata for a zoo model, checked: the architecture, a config
 * the architecture can be built from, and a model whose meta (input size and
 * range, classes, FLOPs) is usable. A hand-edited or hostile config is an
 * error naming model.json, never a TypeError from deep in a builder or a
 * model that divides its inputs by 0.
 */
import { WeightsFileError } from '../nn/index.js';
import type { AdaptiveNetwork, InputSpec } from './contract.js';
import { metaOf } from './user-meta.js';
import { zooArchs, zooEntry } from './zoo/index.js';

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

/** metadata.arch names a zoo architecture, config is an object and seed a whole number; `file` is named otherwise. */
export function checkMetadata(metadata: unknown, file: string): AdnnFileMetadata {
  const m = (metadata ?? {}) as Partial<AdnnFileMetadata>;
  if (typeof m.arch !== 'string' || m.arch === '') throw new WeightsFileError(file, 'metadata.arch must name a zoo architecture (a string)');
  if (!zooArchs().some((e) => e.arch === m.arch)) {
    throw new WeightsFileError(file, `metadata.arch "${m.arch}" is not a zoo architecture; known: ${zooArchs().map((e) => e.arch).join(', ')}`);
  }
  if (m.config === null || typeof m.config !== 'object' || Array.isArray(m.config)) throw new WeightsFileError(file, 'metadata.config must be an object');
  if (!Number.isSafeInteger(m.seed)) throw new WeightsFileError(file, 'metadata.seed must be a whole number');
  const normalize = (m.config as { normalize?: unknown }).normalize;
  if (normalize !== undefined && normalize !== null && (typeof normalize !== 'object' || Array.isArray(normalize))) {
    throw new WeightsFileError(file, `metadata.config.normalize must be { mean, std } or null, got ${JSON.stringify(normalize)}`);
  }
  const std = (normalize as { std?: unknown } | null | undefined)?.std;
  const stds = Array.isArray(std) ? (std as unknown[]) : std === undefined ? [] : [std];
  if (!stds.every((s) => typeof s === 'number' && Number.isFinite(s) && s > 0)) {
    throw new WeightsFileError(file, `metadata.config.normalize.std must be finite and > 0 (inputs are divided by it), got ${JSON.stringify(std)}`);
  }
  return m as AdnnFileMetadata;
}

/** The architecture built from the config; what the builder or the resulting meta rejects names `file`. */
export function buildFromMetadata(metadata: AdnnFileMetadata, file: string): AdaptiveNetwork {
  let network: AdaptiveNetwork;
  try {
    network = zooEntry(metadata.arch).build(metadata.config, metadata.seed);
  } catch (e) {
    throw new WeightsFileError(file, `metadata.config is not a ${metadata.arch} configuration: ${e instanceof Error ? e.message : String(e)}`);
  }
  // The same checks a user module's meta gets: a finite input range, sizes, classes, FLOPs >= 0.
  const { problems } = metaOf(network.meta);
  if (problems.length > 0) {
    network.dispose();
    throw new WeightsFileError(file, `metadata.config gives a ${metadata.arch} model that cannot be tested: ${problems.join('; ')}`);
  }
  return network;
}

export function isInputSpec(v: unknown): v is InputSpec {
  const i = v as Partial<InputSpec> | null;
  const dims = [i?.height, i?.width, i?.channels];
  return (
    dims.every((d) => Number.isSafeInteger(d) && (d as number) > 0) &&
    Array.isArray(i?.range) &&
    i.range.length === 2 &&
    i.range.every((r) => Number.isFinite(r)) &&
    i.range[0] < i.range[1]
  );
}
