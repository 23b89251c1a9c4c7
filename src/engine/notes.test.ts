import { describe, expect, it } from 'vitest';
import { engineNotes, WITHOUT_ORT_COST } from './notes.js';
import { ConvAccelerator } from './ort-conv.js';
import { InferenceEngine, OrtUnavailableError } from './ort/index.js';
import type { BackendInfo } from './select.js';

const wasm: BackendInfo = { name: 'wasm', fallbackReasons: [], threads: 1 };
const missing = () => {
  throw new OrtUnavailableError("Cannot find module 'onnxruntime-node'");
};

describe('engineNotes', () => {
  it('says nothing when the default engines load', () => {
    const ok = { probe: () => undefined };
    expect(engineNotes(wasm, [ok, ok])).toEqual([]);
  });

  it('keeps the backend notes (a fallback, an opt-in backend) in order', () => {
    const info: BackendInfo = { name: 'cpu', fallbackReasons: ['wasm: broken'] };
    expect(engineNotes(info, [])).toEqual(['wasm: broken']);
  });

  it('says once that onnxruntime-node is missing, what runs instead and the cost, and silences both engines', () => {
    const warnings: string[] = [];
    const inference = new InferenceEngine({ choice: 'auto', loader: missing, warn: (w) => warnings.push(w.message) });
    const fallbacks: string[] = [];
    const conv = new ConvAccelerator({ loader: missing, onFallback: (r) => fallbacks.push(r) });
    const notes = engineNotes(wasm, [inference, conv]);
    expect(notes).toEqual([
      `onnxruntime-node cannot be loaded: Cannot find module 'onnxruntime-node'; running on tfjs-wasm alone: ${WITHOUT_ORT_COST}`,
    ]);
    expect(WITHOUT_ORT_COST).toMatch(/about 4x slower/);
    // Later uses fall back to tfjs without a second message.
    expect(inference.runtime()).toBeUndefined();
    expect(conv.probe()).toMatch(/onnxruntime-node/);
    expect(warnings).toEqual([]);
    expect(fallbacks).toEqual([]);
  });

  it('does not load onnxruntime when the user chose tfjs', () => {
    let loads = 0;
    const count = () => {
      loads++;
      return missing();
    };
    const inference = new InferenceEngine({ choice: 'tfjs', loader: count });
    const conv = new ConvAccelerator({ engine: 'tfjs', loader: count });
    expect(engineNotes(wasm, [inference, conv])).toEqual([]);
    expect(loads).toBe(0);
  });
});
