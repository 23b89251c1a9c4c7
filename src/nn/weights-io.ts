import { mkdir, readFile, stat } from 'node:fs/promises';
import { writeFileAtomic } from '../util/write-atomic.js';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { expectedBytes, formatModelJson, parseModelJson, sha256Hex, WeightsFileError, type ModelJson } from './model-json.js';

export { WeightsFileError };

/**
 * Weights in the tfjs layout: a `model.json` with a weights manifest and one
 * `weights.bin`, plus our own metadata object (architecture, training facts).
 */
export interface WeightsFile<M> {
  metadata: M;
  weights: Map<string, tf.Tensor>;
}

/** Writes weights.bin and a model.json that records its SHA-256. */
export async function saveWeights<M>(dir: string, metadata: M, weights: Map<string, tf.Tensor>): Promise<void> {
  await mkdir(dir, { recursive: true });
  const named = Object.fromEntries(weights) as tf.NamedTensorMap;
  const { data, specs } = await tf.io.encodeWeights(named);
  const bin = new Uint8Array(data);
  const json: ModelJson<M> = {
    format: 'deepperform-weights',
    metadata,
    weightsManifest: [{ paths: ['weights.bin'], weights: specs, sha256: sha256Hex(bin) }],
  };
  // weights.bin first, model.json last: a reader never sees a manifest without its data.
  await writeFileAtomic(join(dir, 'weights.bin'), bin);
  await writeFileAtomic(join(dir, 'model.json'), formatModelJson(json));
}

/**
 * Reads a weights folder, checking in turn: model.json field by field, the
 * size of weights.bin against it, the SHA-256 model.json records (when it
 * records one: folders written before checksums have none), and that every
 * float is finite (NaN weights make a model that never exits early or never
 * skips, whose numbers would look like a real measurement).
 */
export async function loadWeights<M>(dir: string): Promise<WeightsFile<M>> {
  const { json, bin, binPath } = await readChecked<M>(dir);
  // A copy: aligned for Float32Array views, and owned by the decoded tensors.
  const buffer = new Uint8Array(bin).buffer;
  const group = json.weightsManifest[0];
  checkFinite(buffer, group.weights, binPath);
  const decoded = tf.io.decodeWeights(buffer, group.weights);
  return { metadata: json.metadata, weights: new Map(Object.entries(decoded)) };
}

/** model.json checked field by field, and weights.bin checked against its size and recorded checksum. */
async function readChecked<M>(dir: string): Promise<{ json: ModelJson<M>; bin: Buffer; binPath: string }> {
  const jsonPath = join(dir, 'model.json');
  const json = parseModelJson<M>(jsonPath, (await readOrThrow(jsonPath)).toString('utf8'));
  const group = json.weightsManifest[0];
  const binPath = join(dir, group.paths[0]);
  const expected = expectedBytes(group);
  // Sized before it is read: a weights.bin linked to a device or a huge file is refused, not read.
  const size = await regularFileSize(binPath);
  if (size !== expected) throw new WeightsFileError(binPath, `has ${size} bytes, the manifest in model.json needs ${expected}`);
  const bin = await readOrThrow(binPath);
  if (group.sha256 !== undefined && sha256Hex(bin) !== group.sha256) {
    throw new WeightsFileError(
      binPath,
      'does not match the SHA-256 that model.json records (weightsManifest[0].sha256): the file was changed or damaged after it was written',
    );
  }
  return { json, bin, binPath };
}

/**
 * Checks a weights folder as loadWeights does (model.json, size, checksum,
 * finite values) without making tensors: for checks before a run starts.
 */
export async function verifyWeights(dir: string): Promise<ModelJson<unknown>> {
  const { json, bin, binPath } = await readChecked<unknown>(dir);
  checkFinite(new Uint8Array(bin).buffer, json.weightsManifest[0].weights, binPath);
  return json;
}

/**
 * Adds the SHA-256 of weights.bin to a folder's model.json that records
 * none, after every check loadWeights makes; weights.bin is not touched.
 * Returns false when model.json records one already (which then matched).
 * For folders written before checksums were recorded.
 */
export async function addWeightsChecksum(dir: string): Promise<boolean> {
  const { json, bin } = await readChecked<unknown>(dir);
  const group = json.weightsManifest[0];
  checkFinite(new Uint8Array(bin).buffer, group.weights, join(dir, group.paths[0]));
  if (group.sha256 !== undefined) return false;
  group.sha256 = sha256Hex(bin);
  await writeFileAtomic(join(dir, 'model.json'), formatModelJson(json));
  return true;
}

/** Every float32 value finite; the first weight holding NaN or infinity is named. */
function checkFinite(buffer: ArrayBuffer, specs: readonly tf.io.WeightsManifestEntry[], file: string): void {
  let offset = 0;
  for (const spec of specs) {
    const count = spec.shape.reduce((a, b) => a * b, 1);
    if (spec.dtype === 'float32') {
      const values = new Float32Array(buffer, offset, count);
      let bad = 0;
      for (let i = 0; i < count; i++) if (!Number.isFinite(values[i])) bad++;
      if (bad > 0) {
        throw new WeightsFileError(file, `weight "${spec.name}" holds ${bad} NaN or infinite value${bad === 1 ? '' : 's'} of ${count}; usable weights are finite`);
      }
    }
    offset += count * 4;
  }
}

async function readOrThrow(file: string): Promise<Buffer> {
  await regularFileSize(file);
  try {
    return await readFile(file);
  } catch (e) {
    throw fileError(file, e);
  }
}

async function regularFileSize(file: string): Promise<number> {
  const info = await stat(file).catch((e: unknown) => {
    throw fileError(file, e);
  });
  if (!info.isFile()) throw new WeightsFileError(file, 'is not a regular file');
  return info.size;
}

function fileError(file: string, e: unknown): WeightsFileError {
  const code = (e as NodeJS.ErrnoException).code;
  return new WeightsFileError(file, code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? String(e)})`);
}
