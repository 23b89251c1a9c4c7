import { convAccelerator } from './ort-conv.js';
import { defaultInferenceEngine } from './ort/index.js';
import type { BackendInfo } from './select.js';

/** Something that can say, without a warning of its own, why onnxruntime will not run. */
export interface OrtProbe {
  probe(): string | undefined;
}

/**
 * The cost of running without onnxruntime, from docs/engine.md ("Measurements":
 * `generate()` of the full generator, 43.7 ms per input on tfjs wasm against
 * 9.48 on onnxruntime; the SDN soft pass 773 against 181 ms per batch).
 */
export const WITHOUT_ORT_COST = 'generation and measurement run about 4x slower (docs/engine.md, Measurements)';

/**
 * One line per thing a user should know about the engines of this run: why
 * the backend is not the default one, that an opt-in backend is untested,
 * and, once, that onnxruntime-node did not load and what that costs. The
 * engines are told the reason was reported, so they do not warn again.
 */
export function engineNotes(
  backend: BackendInfo,
  probes: readonly OrtProbe[] = [defaultInferenceEngine(), convAccelerator],
): string[] {
  const notes = [...backend.fallbackReasons];
  const reasons = probes.map((p) => p.probe()).filter((r): r is string => r !== undefined);
  if (reasons.length > 0) {
    notes.push(`${reasons[0]}; running on tfjs-${backend.name} alone: ${WITHOUT_ORT_COST}`);
  }
  return notes;
}
