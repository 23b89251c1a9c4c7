import { assignNamed, loadWeights, saveWeights } from '../nn/index.js';
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
