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
 * - dense-from-conv1x1: [out, in, 1, 1] -> [in, out]: a 1x1 conv the original
 *   applies to a 1x1 (pooled) map, which is a dense layer of ours.
 * - unused: a state_dict entry with no counterpart by design (e.g. a parameter
 *   the original creates but never lets change the output). Such an entry's
 *   key in the mapping names no parameter of ours; it only marks the tensor
 *   as expected, so it is not reported as unexpected.
 *
 * A tensor whose rank (or, for `flattenedFrom`, size) does not fit its layout
 * is left as it is, so the caller reports its shape instead of failing inside tfjs.
 */
export type TorchLayout =
  | { kind: 'conv' }
  | { kind: 'depthwise' }
  | { kind: 'linear'; flattenedFrom?: [number, number, number] }
  | { kind: 'dense-from-conv1x1' }
  | { kind: 'same'; shape?: number[] }
  | { kind: 'unused'; why: string };

export interface TorchSource {
  /** The state_dict key. */
  torch: string;
  layout: TorchLayout;
  /**
   * Other keys the same tensor may be saved under, read when `torch` is
   * absent: a module registered under two names appears twice in a
   * state_dict (or once, after a de-duplicating save). Every one present must
   * hold the same values.
   */
  aliases?: string[];
  /**
   * Keys of tensors of `torch`'s shape that are added to it before the layout
   * applies (PyTorch's LSTM keeps bias_ih and bias_hh where ours has their sum).
   */
  plus?: string[];
}

/** Our parameter name -> where it comes from in the PyTorch state_dict. */
export type TorchMapping = Map<string, TorchSource>;

/** state_dict entries with no counterpart by design. */
const IGNORED = /(^|\.)num_batches_tracked$/;

/** What is wrong with a file, by kind, in the order the error lists them. */
interface Problems {
  missing: string[];
  misShaped: string[];
  conflicting: string[];
}

/**
 * Fills the network's weights from a PyTorch state_dict. Every parameter must
 * be found with the right shape, and every state_dict entry must be used:
 * otherwise one error lists the missing, unexpected and mis-shaped tensors
 * (and aliases of one tensor that disagree).
 */
export function importTorchWeights(network: AdaptiveNetwork, tensors: Map<string, RawTensor>, mapping: TorchMapping, file: string): void {
  const ours = network.namedWeights();
  const problems: Problems = { missing: [], misShaped: [], conflicting: [] };
  const converted = new Map<string, tf.Tensor>();
  for (const [name, variable] of ours) {
    const entry = mapping.get(name);
    // A parameter of ours is never filled from an 'unused' entry.
    const src = entry?.layout.kind === 'unused' ? undefined : entry;
    if (!src) {
      problems.missing.push(`(no mapping for ${name})`);
      continue;
    }
    const raw = gather(src, tensors, problems);
    if (!raw) continue;
    const t = convert(raw, src.layout);
    if (t.shape.join() !== variable.shape.join()) {
      problems.misShaped.push(`${src.torch} [${raw.shape}] -> [${t.shape}], expected [${variable.shape}]`);
      t.dispose();
    } else converted.set(name, t);
  }
  const used = new Set([...mapping.values()].flatMap((s) => [s.torch, ...(s.aliases ?? []), ...(s.plus ?? [])]));
  const unexpected = [...tensors.keys()].filter((k) => !used.has(k) && !IGNORED.test(k));
  const { missing, misShaped, conflicting } = problems;
  if (missing.length || unexpected.length || misShaped.length || conflicting.length) {
    tf.dispose([...converted.values()]);
    const parts = [
      missing.length ? `missing: ${missing.join(', ')}` : '',
      unexpected.length ? `unexpected: ${unexpected.join(', ')}` : '',
      misShaped.length ? `wrong shape: ${misShaped.join('; ')}` : '',
      conflicting.length ? `conflicting: ${conflicting.join('; ')}` : '',
    ].filter(Boolean);
    throw new WeightsImportError(file, `does not fit ${network.meta.arch}: ${parts.join('; ')}`);
  }
  for (const [name, t] of converted) {
    ours.get(name)!.assign(t);
    t.dispose();
  }
}

/**
 * The raw tensor a source reads: the first of its key and aliases present
 * (all present ones must agree), plus its `plus` tensors. Undefined, with the
 * problem noted, when something is missing or does not fit.
 */
function gather(src: TorchSource, tensors: Map<string, RawTensor>, problems: Problems): RawTensor | undefined {
  const aliases = src.aliases ?? [];
  const present = [src.torch, ...aliases].filter((k) => tensors.has(k));
  if (present.length === 0) {
    problems.missing.push(aliases.length ? `${src.torch} (or ${aliases.join(', ')})` : src.torch);
    return undefined;
  }
  const raw = tensors.get(present[0])!;
  for (const other of present.slice(1)) {
    if (!sameTensor(raw, tensors.get(other)!)) problems.conflicting.push(`${present[0]} and ${other} (one tensor under two names) differ`);
  }
  if (!src.plus?.length) return raw;
  const sum = Float32Array.from(raw.values);
  // Every addend is checked, so one error names all that are wrong.
  const added = src.plus.map((key) => addInto(sum, raw.shape, key, tensors, problems, present[0]));
  return added.every(Boolean) ? { shape: raw.shape, values: sum } : undefined;
}

/** Adds tensor `key` into `sum` when it is present with `shape`; otherwise notes why not. */
function addInto(sum: Float32Array, shape: number[], key: string, tensors: Map<string, RawTensor>, problems: Problems, base: string): boolean {
  const t = tensors.get(key);
  if (!t) problems.missing.push(key);
  else if (t.shape.join() !== shape.join()) problems.misShaped.push(`${key} [${t.shape}], expected [${shape}] as ${base}, which it is added to`);
  else {
    t.values.forEach((v, i) => (sum[i] += v));
    return true;
  }
  return false;
}

function sameTensor(a: RawTensor, b: RawTensor): boolean {
  return a.shape.join() === b.shape.join() && a.values.every((v, i) => Object.is(v, b.values[i]) || v === b.values[i]);
}

/** The rank each layout reads; a tensor of another rank is left for the shape check. */
const RANK: Partial<Record<TorchLayout['kind'], number>> = { conv: 4, depthwise: 4, linear: 2, 'dense-from-conv1x1': 4 };

/** Applies a layout to one raw tensor. */
export function convert(raw: RawTensor, layout: TorchLayout): tf.Tensor {
  return tf.tidy(() => {
    const t = tf.tensor(raw.values, raw.shape);
    const rank = RANK[layout.kind];
    if (rank !== undefined && t.rank !== rank) return t;
    switch (layout.kind) {
      case 'conv':
        return tf.transpose(t, [2, 3, 1, 0]);
      case 'depthwise':
        return tf.transpose(t, [2, 3, 0, 1]);
      case 'linear': {
        if (!layout.flattenedFrom) return tf.transpose(t, [1, 0]);
        const [c, h, w] = layout.flattenedFrom;
        const out = raw.shape[0];
        if (raw.shape[1] !== c * h * w) return t;
        // [out, C*H*W] -> [out, C, H, W] -> [out, H, W, C] -> [H*W*C, out]
        return tf.transpose(tf.reshape(tf.transpose(tf.reshape(t, [out, c, h, w]), [0, 2, 3, 1]), [out, h * w * c]), [1, 0]);
      }
      case 'dense-from-conv1x1': {
        const [out, inputs, kh, kw] = raw.shape;
        return kh === 1 && kw === 1 ? tf.transpose(tf.reshape(t, [out, inputs]), [1, 0]) : t;
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

/**
 * nn.DataParallel saves every key as `module.<name>` (SkipNet's training
 * scripts wrap their models in it): when every key has that prefix it is
 * dropped, so the file matches the model's own names.
 */
export function stripDataParallelPrefix(tensors: Map<string, RawTensor>): { tensors: Map<string, RawTensor>; stripped: boolean } {
  const prefix = 'module.';
  const keys = [...tensors.keys()];
  if (keys.length === 0 || !keys.every((k) => k.startsWith(prefix))) return { tensors, stripped: false };
  return { tensors: new Map([...tensors].map(([k, v]) => [k.slice(prefix.length), v])), stripped: true };
}
