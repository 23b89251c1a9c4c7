import { rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { assignNamed, loadWeights, saveWeights, WeightsFileError } from '../nn/index.js';
import type { AdaptiveNetwork } from './contract.js';

/** What a training checkpoint records besides the weights. */
export interface CheckpointMetadata {
  arch: string;
  /** Epochs completed (the next one to run, 0-based). */
  epochsDone: number;
  /** The options the run was started with; a resume must use the same ones. */
  options: { epochs: number; batchSize: number; learningRate: number; seed: number; dataset: string };
}

const MODEL = 'model/';
const OPTIMIZER = 'optimizer/';

export function checkpointDir(outDir: string): string {
  return join(outDir, 'checkpoint');
}

/**
 * Writes network and optimizer state into `<out>/checkpoint`. The folder is
 * written beside and renamed into place, so a crash leaves the old checkpoint whole.
 */
export async function saveCheckpoint(
  outDir: string,
  network: AdaptiveNetwork,
  optimizer: tf.Optimizer,
  metadata: CheckpointMetadata,
): Promise<void> {
  const weights = new Map<string, tf.Tensor>();
  for (const [name, v] of network.namedWeights()) weights.set(MODEL + name, v);
  // Optimizer slots are matched by position on restore, so keep their order in the key.
  const slots = await optimizer.getWeights();
  slots.forEach((s, i) => weights.set(`${OPTIMIZER}${String(i).padStart(5, '0')}/${s.name}`, s.tensor));
  const final = checkpointDir(outDir);
  const tmp = `${final}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await saveWeights(tmp, metadata, weights);
  await rm(final, { recursive: true, force: true });
  await rename(tmp, final);
  slots.forEach((s) => s.name === 'iter' && s.tensor.dispose());
}

/** Restores the network's weights from `<out>/checkpoint` and returns an optimizer with its saved state. */
export async function loadCheckpoint(
  outDir: string,
  network: AdaptiveNetwork,
  learningRate: number,
): Promise<{ metadata: CheckpointMetadata; optimizer: tf.Optimizer }> {
  const dir = checkpointDir(outDir);
  await stat(join(dir, 'model.json')).catch(() => {
    throw new WeightsFileError(join(dir, 'model.json'), 'does not exist: there is no checkpoint to resume from');
  });
  const file = await loadWeights<CheckpointMetadata>(dir);
  const model = new Map<string, tf.Tensor>();
  const slots: { name: string; tensor: tf.Tensor }[] = [];
  for (const [key, t] of [...file.weights].sort(([a], [b]) => a.localeCompare(b))) {
    if (key.startsWith(MODEL)) model.set(key.slice(MODEL.length), t);
    else slots.push({ name: key.slice(OPTIMIZER.length + 6), tensor: t });
  }
  assignNamed(network.namedWeights(), model);
  model.forEach((t) => t.dispose());
  const optimizer = tf.train.adam(learningRate);
  await optimizer.setWeights(slots);
  slots.forEach((s) => s.tensor.dispose()); // setWeights copied them into variables
  return { metadata: file.metadata, optimizer };
}
