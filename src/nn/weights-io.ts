import { mkdir, readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../util/write-atomic.js';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Weights in the tfjs layout: a `model.json` with a weights manifest and one
 * `weights.bin`, plus our own metadata object (architecture, training facts).
 */
export interface WeightsFile<M> {
  metadata: M;
  weights: Map<string, tf.Tensor>;
}

interface ModelJson<M> {
  format: 'deepperform-weights';
  metadata: M;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

export class WeightsFileError extends Error {
  constructor(readonly file: string, detail: string) {
    super(`${file}: ${detail}`);
    this.name = 'WeightsFileError';
  }
}

export async function saveWeights<M>(dir: string, metadata: M, weights: Map<string, tf.Tensor>): Promise<void> {
  await mkdir(dir, { recursive: true });
  const named = Object.fromEntries(weights) as tf.NamedTensorMap;
  const { data, specs } = await tf.io.encodeWeights(named);
  const json: ModelJson<M> = {
    format: 'deepperform-weights',
    metadata,
    weightsManifest: [{ paths: ['weights.bin'], weights: specs }],
  };
  // weights.bin first, model.json last: a reader never sees a manifest without its data.
  await writeFileAtomic(join(dir, 'weights.bin'), new Uint8Array(data));
  await writeFileAtomic(join(dir, 'model.json'), JSON.stringify(json, null, 1) + '\n');
}

export async function loadWeights<M>(dir: string): Promise<WeightsFile<M>> {
  const jsonPath = join(dir, 'model.json');
  const json = parseModelJson<M>(jsonPath, (await readOrThrow(jsonPath)).toString('utf8'));
  const group = json.weightsManifest[0];
  const binPath = join(dir, group.paths[0]);
  const bin = await readOrThrow(binPath);
  const expected = group.weights.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1) * 4, 0);
  if (bin.byteLength !== expected) {
    throw new WeightsFileError(binPath, `has ${bin.byteLength} bytes, the manifest in model.json needs ${expected}`);
  }
  const buffer = new Uint8Array(bin).buffer;
  const decoded = tf.io.decodeWeights(buffer, group.weights);
  return { metadata: json.metadata, weights: new Map(Object.entries(decoded)) };
}

function parseModelJson<M>(file: string, text: string): ModelJson<M> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new WeightsFileError(file, `is not valid JSON (${(e as Error).message})`);
  }
  const j = json as Partial<ModelJson<M>>;
  if (j.format !== 'deepperform-weights' || !Array.isArray(j.weightsManifest) || j.weightsManifest.length !== 1) {
    throw new WeightsFileError(file, 'is not a deepperform weights file (format or weightsManifest missing)');
  }
  // Both 4 bytes per value, which the size check in loadWeights relies on.
  if (j.weightsManifest[0].weights.some((w) => w.dtype !== 'float32' && w.dtype !== 'int32')) {
    throw new WeightsFileError(file, 'holds weights that are neither float32 nor int32, which are not supported');
  }
  return j as ModelJson<M>;
}

async function readOrThrow(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new WeightsFileError(file, code === 'ENOENT' ? 'does not exist' : `cannot be read (${code})`);
  }
}
