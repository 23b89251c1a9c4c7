import * as tf from '@tensorflow/tfjs-core';
import type { AdaptiveNetwork } from '../contract.js';
import { WeightsImportError, type RawTensor } from './safetensors.js';

/**
 * How a PyTorch tensor becomes one of ours.
 * - conv: [out, in, kh, kw] -> [kh, kw, in, out]
 * - depthwise: [C, 1, kh, kw] -> [kh, kw, C, 1]
 * - linear: [out, in] -> [in, out]; with `flattenedFrom` [C, H, W] the input
 *   features are reordered from PyTorch's C,H,W flattening to our H,W,C one.
 * - same: copied as is (biases, batch-norm parameters and statistics); with
 *   `shape`, reshaped to it (a learned scalar PyTorch keeps as shape [1]).
 * - unused: a state_dict entry with no counterpart by design (e.g. a parameter
 *   the original creates but never lets change the output). Such an entry's
 *   key in the mapping names no parameter of ours; it only marks the tensor
 *   as expected, so it is not reported as unexpected.
 */
export type TorchLayout =
  | { kind: 'conv' }
  | { kind: 'depthwise' }
  | { kind: 'linear'; flattenedFrom?: [number, number, number] }
  | { kind: 'same'; shape?: number[] }
  | { kind: 'unused'; why: string };

export interface TorchSource {
  /** The state_dict key. */
  torch: string;
  layout: TorchLayout;
}

/** Our parameter name -> where it comes from in the PyTorch state_dict. */
export type TorchMapping = Map<string, TorchSource>;

/** state_dict entries with no counterpart by design. */
const IGNORED = /(^|\.)num_batches_tracked$/;

/**
 * Fills the network's weights from a PyTorch state_dict. Every parameter must
 * be found with the right shape, and every state_dict entry must be used:
 * otherwise one error lists the missing, unexpected and mis-shaped tensors.
 */
export function importTorchWeights(network: AdaptiveNetwork, tensors: Map<string, RawTensor>, mapping: TorchMapping, file: string): void {
  const ours = network.namedWeights();
  const missing: string[] = [];
  const misShaped: string[] = [];
  const converted = new Map<string, tf.Tensor>();
  for (const [name, variable] of ours) {
    const entry = mapping.get(name);
    // A parameter of ours is never filled from an 'unused' entry.
    const src = entry?.layout.kind === 'unused' ? undefined : entry;
    const raw = src ? tensors.get(src.torch) : undefined;
    if (!src || !raw) {
      missing.push(src ? src.torch : `(no mapping for ${name})`);
      continue;
    }
    const t = convert(raw, src.layout);
    if (t.shape.join() !== variable.shape.join()) {
      misShaped.push(`${src.torch} [${raw.shape}] -> [${t.shape}], expected [${variable.shape}]`);
      t.dispose();
    } else converted.set(name, t);
  }
  const used = new Set([...mapping.values()].map((s) => s.torch));
  const unexpected = [...tensors.keys()].filter((k) => !used.has(k) && !IGNORED.test(k));
  if (missing.length || unexpected.length || misShaped.length) {
    tf.dispose([...converted.values()]);
    const parts = [
      missing.length ? `missing: ${missing.join(', ')}` : '',
      unexpected.length ? `unexpected: ${unexpected.join(', ')}` : '',
      misShaped.length ? `wrong shape: ${misShaped.join('; ')}` : '',
    ].filter(Boolean);
    throw new WeightsImportError(file, `does not fit ${network.meta.arch}: ${parts.join('; ')}`);
  }
  for (const [name, t] of converted) {
    ours.get(name)!.assign(t);
    t.dispose();
  }
}

/** Applies a layout to one raw tensor. */
export function convert(raw: RawTensor, layout: TorchLayout): tf.Tensor {
  return tf.tidy(() => {
    const t = tf.tensor(raw.values, raw.shape);
    switch (layout.kind) {
      case 'conv':
        return tf.transpose(t, [2, 3, 1, 0]);
      case 'depthwise':
        return tf.transpose(t, [2, 3, 0, 1]);
      case 'linear': {
        if (!layout.flattenedFrom) return tf.transpose(t, [1, 0]);
        const [c, h, w] = layout.flattenedFrom;
        const out = raw.shape[0];
        // [out, C*H*W] -> [out, C, H, W] -> [out, H, W, C] -> [H*W*C, out]
        return tf.transpose(tf.reshape(tf.transpose(tf.reshape(t, [out, c, h, w]), [0, 2, 3, 1]), [out, h * w * c]), [1, 0]);
      }
      case 'same': {
        // A size that does not fit is left as it is, so the caller reports the shape.
        const fits = layout.shape && layout.shape.reduce((a, b) => a * b, 1) === t.size;
        return fits ? tf.reshape(t, layout.shape!) : t;
      }
      case 'unused':
        throw new Error(`an unused tensor (${layout.why}) is never converted`);
    }
  });
}
