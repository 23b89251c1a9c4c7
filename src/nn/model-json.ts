/**
 * model.json, the manifest of a weights folder: read field by field, so a
 * malformed or hostile file is an error naming the file and the field, never
 * a TypeError deep in tfjs; and the SHA-256 of weights.bin it records, so
 * flipped bytes are found when the weights are loaded.
 */
import { createHash } from 'node:crypto';
import { isAbsolute } from 'node:path';
import type * as tf from '@tensorflow/tfjs-core';
import { UserError } from '../util/errors.js';

export interface ModelJson<M> {
  format: 'deepperform-weights';
  metadata: M;
  weightsManifest: WeightsGroup[];
}

export interface WeightsGroup {
  paths: string[];
  weights: tf.io.WeightsManifestEntry[];
  /** SHA-256 (hex) of the group's data file; written since checksums were introduced, absent in older folders. */
  sha256?: string;
}

export class WeightsFileError extends UserError {
  constructor(readonly file: string, detail: string) {
    super(`${file}: ${detail}`);
    this.name = 'WeightsFileError';
  }
}

/** Both 4 bytes per value, which the size check relies on. */
const DTYPES = new Set(['float32', 'int32']);
const SHA256 = /^[0-9a-f]{64}$/;

/** Parses and checks model.json's text; `file` names it in errors. */
export function parseModelJson<M>(file: string, text: string): ModelJson<M> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new WeightsFileError(file, `is not valid JSON (${(e as Error).message})`);
  }
  const bad = (field: string, must: string, value: unknown): never => {
    throw new WeightsFileError(file, `${field} ${must}, got ${shown(value)}`);
  };
  if (!isObject(json)) return bad('the file', 'must hold a JSON object', json);
  if (json.format !== 'deepperform-weights') {
    throw new WeightsFileError(file, 'is not a deepperform weights file (its "format" is not "deepperform-weights")');
  }
  if (!isObject(json.metadata)) bad('metadata', 'must be an object', json.metadata);
  const groups = json.weightsManifest;
  if (!Array.isArray(groups) || groups.length !== 1) bad('weightsManifest', 'must be a list of exactly one group', groups);
  checkGroup((groups as unknown[])[0], 'weightsManifest[0]', bad);
  return json as unknown as ModelJson<M>;
}

type Bad = (field: string, must: string, value: unknown) => never;

function checkGroup(group: unknown, at: string, bad: Bad): void {
  if (!isObject(group)) {
    bad(at, 'must be an object with paths and weights', group);
    return;
  }
  const paths = group.paths;
  if (!Array.isArray(paths) || paths.length !== 1 || typeof paths[0] !== 'string' || paths[0] === '') {
    bad(`${at}.paths`, 'must be a list of one file name', paths);
  }
  const path = (paths as string[])[0];
  // The data file lives in the folder: no absolute path, no way out of it.
  if (isAbsolute(path) || path.split(/[\\/]/).includes('..')) bad(`${at}.paths[0]`, 'must name a file inside the model folder', path);
  if (!Array.isArray(group.weights)) bad(`${at}.weights`, 'must be a list of { name, shape, dtype }', group.weights);
  const names = new Set<string>();
  (group.weights as unknown[]).forEach((w, i) => {
    const where = `${at}.weights[${i}]`;
    if (!isObject(w)) bad(where, 'must be an object { name, shape, dtype }', w);
    const entry = w as Record<string, unknown>;
    if (typeof entry.name !== 'string' || entry.name === '') bad(`${where}.name`, 'must be a non-empty string', entry.name);
    if (names.has(entry.name as string)) bad(`${where}.name`, 'must be unique', entry.name);
    names.add(entry.name as string);
    const shape = entry.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) {
      bad(`${where}.shape`, 'must be a list of whole numbers >= 0', shape);
    }
    if (!DTYPES.has(entry.dtype as string)) bad(`${where}.dtype`, 'must be float32 or int32 (other types are not supported)', entry.dtype);
    if (entry.quantization !== undefined) bad(`${where}.quantization`, 'is not supported (quantized weights)', entry.quantization);
  });
  if (group.sha256 !== undefined && (typeof group.sha256 !== 'string' || !SHA256.test(group.sha256))) {
    bad(`${at}.sha256`, 'must be 64 hexadecimal digits (the SHA-256 of the weights file)', group.sha256);
  }
}

/** Bytes the group's data file must have: 4 per value. */
export function expectedBytes(group: WeightsGroup): number {
  return group.weights.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1) * 4, 0);
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * model.json as it was before its checksum was added (the same object,
 * written the way saveWeights writes it, without `sha256`). The checksum only
 * restates weights.bin, so what identifies a model (the generator cache key)
 * must not change when one is added. Text that does not parse is returned as is.
 */
export function withoutChecksum(text: string): string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return text;
  }
  if (!isObject(json) || !Array.isArray(json.weightsManifest)) return text;
  const groups = json.weightsManifest as unknown[];
  if (!groups.some((g) => isObject(g) && 'sha256' in g)) return text;
  for (const g of groups) if (isObject(g)) delete g.sha256;
  return formatModelJson(json);
}

/** The layout saveWeights writes: one-space indent and a final newline. */
export function formatModelJson(json: unknown): string {
  return `${JSON.stringify(json, null, 1)}\n`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function shown(v: unknown): string {
  const text = v === undefined ? 'nothing' : JSON.stringify(v);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
