/**
 * A PyTorch model exported to ONNX as an AdNN (suite `model: { onnx, kind,
 * exits | blocks, input }`, docs/onnx.md): the graph read by our own
 * protobuf reader, interpreted on tfjs for gradients, cut into stages at its
 * exits or gated blocks for the real adaptive execution on onnxruntime.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { OnnxModelError } from './errors.js';
import { prepareGraph } from './graph.js';
import { decodeModel, type OnnxModel } from './model.js';
import { constantsOf, OnnxNetwork } from './network.js';
import { buildPlan, type GatedBlock, type OnnxStructure } from './plan.js';
import type { InputTransform } from './prologue.js';

export { OnnxModelError } from './errors.js';
export { SUPPORTED_OPS } from './interpreter.js';
export type { GatedBlock, OnnxStructure } from './plan.js';
export type { OnnxNetwork, StageSummary } from './network.js';
export type { InputTransform } from './prologue.js';

export interface OnnxAdnnSpec {
  file: string;
  structure: OnnxStructure;
  input: InputTransform;
  /** Display name; default the file's name without .onnx. */
  name?: string;
}

/** What a suite's model section says about an ONNX model (suite/types.ts OnnxModelSource). */
export interface OnnxModelOptions {
  onnx: string;
  kind: 'early-exit' | 'skipping';
  exits?: string[];
  blocks?: GatedBlock[];
  logits?: string;
  input: InputTransform;
}

/** The spec of a model section; kind decides which of exits and blocks is read (the schema requires it). */
export function onnxAdnnSpec(m: OnnxModelOptions): OnnxAdnnSpec {
  const structure: OnnxStructure = m.kind === 'early-exit' ? { kind: 'early-exit', exits: m.exits ?? [] } : { kind: 'skipping', blocks: m.blocks ?? [], ...(m.logits ? { logits: m.logits } : {}) };
  return { file: m.onnx, structure, input: m.input };
}

export function loadOnnxAdnn(spec: OnnxAdnnSpec): OnnxNetwork {
  const model = readModel(spec.file);
  const g = prepareGraph(spec.file, model, spec.input);
  const constants = constantsOf(g);
  try {
    const staged = buildPlan(g, spec.structure, constants);
    return new OnnxNetwork(g, spec.structure, staged, constants, spec.name ?? basename(spec.file).replace(/\.onnx$/i, ''));
  } catch (e) {
    for (const v of constants.values()) if ('dispose' in v) v.dispose();
    throw e;
  }
}

function readModel(file: string): OnnxModel {
  if (!existsSync(file)) throw new OnnxModelError(file, 'model.onnx', 'the file does not exist');
  try {
    return decodeModel(readFileSync(file));
  } catch (e) {
    throw new OnnxModelError(file, 'reading the model', `not a readable ONNX model (${e instanceof Error ? e.message : String(e)})`);
  }
}

