import { readFile } from 'node:fs/promises';
import type { AdaptiveNetwork } from '../../adnn/index.js';
import { writeFileAtomic } from '../../util/write-atomic.js';
import { DetectorFileError } from './errors.js';
import type { DetectorModel } from './model.js';
import { attachDetector, type RunnableDetector } from './runtime.js';

/**
 * The detector file: one JSON document. Numbers are float32 values written
 * with 9 significant digits, which reads back to the same float32 exactly.
 *
 *   format         "deepperform-detector"
 *   formatVersion  1 (a reader refuses newer versions)
 *   model          name, arch, kind, input of the AdNN it screens for
 *   features       source "first-conv", description, shape [H, W, C], dim,
 *                  convFlops, probe (fingerprint of the first conv's weights)
 *   standardization {mean: [dim], std: [dim]}
 *   weights [dim], bias, threshold (score > threshold: generated-like)
 *   positive       "generated" (label 1; seeds are label 0)
 *   training       seeds, generated, svm settings and outcome, accuracy, provenance
 *   evaluation     optional: what the writer measured on held-out inputs
 */
export const DETECTOR_FORMAT = 'deepperform-detector';
export const DETECTOR_FORMAT_VERSION = 1;

/** Writes the detector atomically (a reader sees the old file or the new one, never half). */
export async function saveDetector(file: string, detector: DetectorModel, evaluation?: Record<string, number>): Promise<void> {
  const doc = {
    format: DETECTOR_FORMAT,
    formatVersion: DETECTOR_FORMAT_VERSION,
    model: detector.model,
    features: { ...detector.features, probe: detector.features.probe.map(f32) },
    standardization: { mean: Array.from(detector.standardization.mean, f32), std: Array.from(detector.standardization.std, f32) },
    weights: Array.from(detector.weights, f32),
    bias: detector.bias,
    threshold: detector.threshold,
    positive: 'generated',
    training: detector.training,
    ...(evaluation ? { evaluation } : {}),
  };
  await writeFileAtomic(file, `${compactArrays(JSON.stringify(doc, null, 2))}\n`);
}

/** Reads and checks a detector file. */
export async function readDetector(file: string): Promise<DetectorModel> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DetectorFileError(file, code === 'ENOENT' ? 'no such file' : `cannot be read (${(e as Error).message})`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new DetectorFileError(file, `not a detector file: invalid JSON (${(e as Error).message})`);
  }
  return parseDetector(doc, file);
}

/**
 * Reads a detector file and attaches it to `network`, the AdNN it screens for:
 *
 *   const { network } = await loadAdnn('fixtures/models/sdn-tiny');
 *   const detector = await loadDetector('sdn-tiny.detector.json', network);
 *   const suspicious = detector.isSuspicious(images); // [B, H, W, C] tensor or flat batch
 *
 * Inputs flagged suspicious are the ones to stop before inference.
 */
export async function loadDetector(file: string, network: AdaptiveNetwork): Promise<RunnableDetector> {
  return attachDetector(await readDetector(file), network);
}

/** Validates the parsed JSON field by field; every problem names the file and the field. */
export function parseDetector(doc: unknown, file: string): DetectorModel {
  const bad = (problem: string): never => {
    throw new DetectorFileError(file, problem);
  };
  const o = object(doc, 'the document', bad);
  if (o.format !== DETECTOR_FORMAT) bad(`not a detector file: "format" is ${JSON.stringify(o.format)}, expected "${DETECTOR_FORMAT}"`);
  if (typeof o.formatVersion !== 'number') bad('"formatVersion" is missing');
  if ((o.formatVersion as number) > DETECTOR_FORMAT_VERSION) {
    bad(`format version ${o.formatVersion} is newer than this deepperform reads (${DETECTOR_FORMAT_VERSION}); upgrade deepperform`);
  }
  const model = object(o.model, '"model"', bad);
  const input = object(model.input, '"model.input"', bad);
  const features = object(o.features, '"features"', bad);
  const shape = numbers(features.shape, '"features.shape"', bad);
  if (shape.length !== 3 || !shape.every((v) => Number.isInteger(v) && v > 0)) bad('"features.shape" must be [H, W, C] of positive integers');
  const dim = shape[0] * shape[1] * shape[2];
  if (features.dim !== dim) bad(`"features.dim" is ${features.dim}, but shape ${shape.join('x')} has ${dim} features`);
  const st = object(o.standardization, '"standardization"', bad);
  const mean = vector(st.mean, '"standardization.mean"', dim, bad);
  const std = vector(st.std, '"standardization.std"', dim, bad);
  if (std.some((v) => !(v > 0))) bad('"standardization.std" must be > 0 everywhere');
  const weights = vector(o.weights, '"weights"', dim, bad);
  for (const key of ['bias', 'threshold'] as const) if (typeof o[key] !== 'number' || !Number.isFinite(o[key])) bad(`"${key}" must be a finite number`);
  for (const key of ['name', 'arch', 'kind'] as const) if (typeof model[key] !== 'string') bad(`"model.${key}" must be a string`);
  if (model.kind !== 'skipping' && model.kind !== 'early-exit') bad(`"model.kind" must be "skipping" or "early-exit", got ${JSON.stringify(model.kind)}`);
  const training = object(o.training, '"training"', bad);
  const dims = numbers([input.height, input.width, input.channels], '"model.input"', bad);
  return {
    model: {
      name: model.name as string,
      arch: model.arch as string,
      kind: model.kind as DetectorModel['model']['kind'],
      input: { height: dims[0], width: dims[1], channels: dims[2], range: numbers(input.range, '"model.input.range"', bad) as [number, number] },
    },
    features: {
      source: 'first-conv',
      description: String(features.description ?? ''),
      shape: shape as [number, number, number],
      dim,
      convFlops: Number(features.convFlops ?? 0),
      probe: numbers(features.probe, '"features.probe"', bad),
    },
    standardization: { mean: Float32Array.from(mean), std: Float32Array.from(std) },
    weights: Float32Array.from(weights),
    bias: o.bias as number,
    threshold: o.threshold as number,
    training: training as unknown as DetectorModel['training'],
  };
}

type Bad = (problem: string) => never;

function object(v: unknown, what: string, bad: Bad): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return bad(`${what} must be an object`);
  return v as Record<string, unknown>;
}

function numbers(v: unknown, what: string, bad: Bad): number[] {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) return bad(`${what} must be a list of finite numbers`);
  return v as number[];
}

function vector(v: unknown, what: string, dim: number, bad: Bad): number[] {
  const out = numbers(v, what, bad);
  if (out.length !== dim) bad(`${what} has ${out.length} values, expected ${dim} (features.dim)`);
  return out;
}

/** A float32 value as the shortest decimal that reads back to it: 9 significant digits suffice. */
function f32(v: number): number {
  return Number(Math.fround(v).toPrecision(9));
}

/** Puts arrays of numbers on one line each: the file stays readable at the top and small overall. */
function compactArrays(json: string): string {
  return json.replace(/\[\s*(-?[\d.eE+-]+(?:,\s*-?[\d.eE+-]+)*)\s*\]/g, (_m, body: string) => `[${body.split(/,\s*/).join(',')}]`);
}
