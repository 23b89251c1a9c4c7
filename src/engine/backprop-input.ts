import type * as tf from '@tensorflow/tfjs-core';
import { checkDyShape, forwardInfo, padOrCrop, type Pair } from './conv-geometry.js';
import { KernelCalls } from './kernel-calls.js';
import type { ConvAccelerator } from './ort-conv.js';
import { phaseFilter, rotatedFilter } from './phase-filters.js';

/**
 * Conv2DBackpropInput (also the forward pass of conv2dTranspose) as forward
 * convolutions of dy with the filter rotated by 180 degrees and its in/out
 * channels swapped. Two ways to handle a stride s > 1:
 * - 'dilate': spread dy's rows/columns s apart with zeros, then one stride-1
 *   convolution; simple, but (s*s - 1)/(s*s) of its multiplies hit zeros.
 * - 'phases' (default): output rows r, r+s, r+2s, ... (a row phase) depend on
 *   only every s-th filter row, so each row phase is one stride-1 convolution
 *   of dy. The column phases of that row phase are folded into its output
 *   channels (sub-pixel convolution), so reshaping the [B,mh,mw,(c,Cin)]
 *   result interleaves the columns for free; row phases are then stacked with
 *   one concat of long contiguous rows. The wasm backend's Transpose and
 *   DepthToSpace are slow, so the layout avoids them.
 */
export type InputGradStrategy = 'phases' | 'dilate';

/**
 * Along one axis, phase r of dx: dx[r + s*m] = sum_t dy[m + c - t] * w[p0 + s*t]
 * with p0 = (r + padBefore) mod s and c = (r + padBefore - p0) / s. In the
 * rotated filter the taps are first, first+s, ...; dy is read at offsets
 * lo..hi from m. Undefined when no tap reaches the phase (s > k).
 */
interface Taps {
  first: number;
  count: number;
  lo: number;
  hi: number;
}

function phaseTaps(r: number, s: number, k: number, padBefore: number): Taps | undefined {
  const p0 = (r + padBefore) % s;
  if (p0 >= k) return undefined;
  const count = Math.ceil((k - p0) / s);
  const c = (r + padBefore - p0) / s;
  return { first: k - 1 - p0 - s * (count - 1), count, lo: c - count + 1, hi: c };
}

/** One window covering several phases: its length and how dy must be padded (signed) to give `outLen` outputs. */
function phaseWindow(taps: Taps[], dyLen: number, outLen: number): { size: number; before: number; pad: Pair } {
  const before = -Math.min(...taps.map((t) => t.lo));
  const size = Math.max(...taps.map((t) => t.hi)) + before + 1;
  return { size, before, pad: [before, outLen - dyLen - before + size - 1] };
}

type Info = tf.backend_util.Conv2DInfo;

function byPhases(calls: KernelCalls, dy: tf.TensorInfo, filter: tf.TensorInfo, info: Info): tf.TensorInfo {
  const { strideHeight: sh, strideWidth: sw, inHeight: h, inWidth: w, batchSize: b, inChannels: cin } = info;
  const mh = Math.ceil(h / sh);
  const mw = Math.ceil(w / sw);
  const values = calls.read(filter);
  const cols = Array.from({ length: sw }, (_, c) => phaseTaps(c, sw, info.filterWidth, info.padInfo.left));
  // Some column phase has p0 = 0, so at least one is present.
  const colWin = phaseWindow(cols.filter((t): t is Taps => t !== undefined), info.outWidth, mw);
  const blocks = cols.map((t) => (t === undefined ? undefined : { ...t, step: sw, at: t.lo + colWin.before }));
  const parts: tf.TensorInfo[] = [];
  for (let r = 0; r < sh; r++) {
    const t = phaseTaps(r, sh, info.filterHeight, info.padInfo.top);
    if (t === undefined) {
      parts.push(calls.zeros([b, mh, mw, sw * cin]));
      continue;
    }
    const f = phaseFilter(values, filter.shape, { ...t, step: sh }, blocks, colWin.size);
    const [d, pad] = padOrCrop(calls, dy, phaseWindow([t], info.outHeight, mh).pad, colWin.pad);
    parts.push(calls.conv2d(d, calls.fromValues(f.values, f.shape), { strides: 1, dilations: 1, pad }));
  }
  // [B,mh,mw,(c,Cin)] is already [B,mh,(mw,c),Cin]; stack row phases as [B,mh,r,...].
  const flat = parts.map((p) => calls.reshape(p, [b, mh, 1, mw * sw * cin]));
  const stacked = flat.length === 1 ? flat[0] : calls.concat(flat, 2);
  const woven = calls.reshape(stacked, [b, mh * sh, mw * sw, cin]);
  return mh * sh === h && mw * sw === w ? woven : calls.slice(woven, [0, 0, 0, 0], [b, h, w, cin]);
}

/** Spreads dy's rows and columns apart by the stride: [B,oh,ow,C] -> [B,oh*sh,ow*sw,C]. */
function zeroDilate(calls: KernelCalls, dy: tf.TensorInfo, sh: number, sw: number): tf.TensorInfo {
  if (sh === 1 && sw === 1) return dy;
  const [b, oh, ow, c] = dy.shape;
  const r = calls.reshape(dy, [b * oh, 1, ow, 1, c]);
  const p = calls.pad(r, [[0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]]);
  return calls.reshape(p, [b, oh * sh, ow * sw, c]);
}

function byDilation(calls: KernelCalls, dy: tf.TensorInfo, filter: tf.TensorInfo, info: Info): tf.TensorInfo {
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  // The dilated dy keeps s-1 trailing zero rows, hence "- out * s" at the far side.
  const rows: Pair = [kh - 1 - top, info.inHeight + top - info.outHeight * sh];
  const cols: Pair = [kw - 1 - left, info.inWidth + left - info.outWidth * sw];
  const [d, pad] = padOrCrop(calls, zeroDilate(calls, dy, sh, sw), rows, cols);
  const f = rotatedFilter(calls.read(filter), filter.shape);
  return calls.conv2d(d, calls.fromValues(f.values, f.shape), { strides: 1, dilations: 1, pad });
}

/** The input-gradient kernel; `accel` (onnxruntime) takes the layers it is worth for first. */
export function makeBackpropInput(backendName: string, strategy: InputGradStrategy = 'phases', accel?: ConvAccelerator): tf.KernelFunc {
  return (args) => {
    const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    const attrs = args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
    const info = forwardInfo('Conv2DBackpropInput', attrs.inputShape, filter.shape, attrs);
    checkDyShape('Conv2DBackpropInput', dy, info);
    const fast = accel?.tryRun('inputGrad', info, dy, filter, args.backend as tf.KernelBackend);
    if (fast !== undefined) return fast;
    const calls = new KernelCalls(args.backend as tf.KernelBackend, backendName);
    try {
      const dx = strategy === 'phases' ? byPhases(calls, dy, filter, info) : byDilation(calls, dy, filter, info);
      return calls.finish(dx);
    } catch (e) {
      calls.disposeAll();
      throw e;
    }
  };
}
