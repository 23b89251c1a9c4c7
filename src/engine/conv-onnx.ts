import type * as tf from '@tensorflow/tfjs-core';
import { DataType, type OnnxGraph, type OnnxNode, type OnnxTensor } from './ort/onnx-model.js';

/**
 * The three convolution kernels (forward, input gradient, filter gradient)
 * as small ONNX graphs over tfjs' own layouts (x NHWC, filter
 * [kh, kw, Cin, Cout]), so onnxruntime's multithreaded GEMM does their
 * arithmetic. All three are one matrix product over image patches
 * ("im2col"), which keeps NHWC throughout:
 *   patches[(b,i,j), (p,q,ci)] = xpad[b, i*sh + p, j*sw + q, ci]
 *   forward:     y  = patches . W            W as [(p,q,ci), co]
 *   filter grad: dW = patches^T . dy         dy as [(b,i,j), co] (plus an
 *                accumulator input, so a batch can run in chunks)
 *   input grad:  cols = dy . W^T, then every tap (p,q) of cols is added
 *                back at its place in x (col2im, by stride phases).
 * The batch dimension is symbolic, so one session serves every batch size.
 */

type Info = tf.backend_util.Conv2DInfo;

export type ConvKind = 'forward' | 'inputGrad' | 'filterGrad';

/** Graph inputs and output of each kind, by name. */
export const CONV_IO: Record<ConvKind, { inputs: [string, string]; output: string }> = {
  forward: { inputs: ['x', 'w'], output: 'y' },
  inputGrad: { inputs: ['dy', 'w'], output: 'dx' },
  // plus 'acc', the filter gradient so far, which the batch chunk's adds to
  filterGrad: { inputs: ['x', 'dy'], output: 'dw' },
};

/**
 * What the subgraphs below need from a graph builder, so they can be written
 * into the small per-kernel graphs here or inline into a traced program
 * (src/engine/ort/kernels-conv-nhwc.ts).
 */
export interface ConvGraphOps {
  /** An int64 constant (shapes, pads, slice bounds). */
  ints(values: number[]): string;
  /** A float32 constant. */
  floats(values: number[]): string;
  /** Adds a node with one output (named `output` when given); returns its name. */
  op(op: string, inputs: string[], attrs?: OnnxNode['attrs'], output?: string): string;
  /** Adds a node with several outputs; returns their names. */
  multi(op: string, inputs: string[], count: number, attrs?: OnnxNode['attrs']): string[];
}

class GraphBuilder implements ConvGraphOps {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  private next = 0;

  ints(values: number[]): string {
    const name = `c${this.next++}`;
    const raw = new Uint8Array(new BigInt64Array(values.map((v) => BigInt(v))).buffer);
    this.initializers.push({ name, dims: [values.length], type: DataType.INT64, raw });
    return name;
  }

  op(op: string, inputs: string[], attrs?: OnnxNode['attrs'], output?: string): string {
    const out = output ?? `v${this.next++}`;
    this.nodes.push({ op, inputs, outputs: [out], ...(attrs ? { attrs } : {}) });
    return out;
  }

  multi(op: string, inputs: string[], count: number, attrs?: OnnxNode['attrs']): string[] {
    const outs = Array.from({ length: count }, () => `v${this.next++}`);
    this.nodes.push({ op, inputs, outputs: outs, ...(attrs ? { attrs } : {}) });
    return outs;
  }

  floats(values: number[]): string {
    const name = `c${this.next++}`;
    this.initializers.push({ name, dims: [values.length], type: DataType.FLOAT, raw: new Uint8Array(new Float32Array(values).buffer) });
    return name;
  }
}

function reshape(g: ConvGraphOps, x: string, shape: number[]): string {
  return g.op('Reshape', [x, g.ints(shape)]);
}

/** Pads an NHWC-like tensor of `rank` dims; `before`/`after` per axis. Skipped when all zero. */
function pad(g: ConvGraphOps, x: string, before: number[], after: number[]): string {
  if ([...before, ...after].every((v) => v === 0)) return x;
  return g.op('Pad', [x, g.ints([...before, ...after])], { mode: 'constant' });
}

/** Padding of x needed so every window of the forward convolution lies inside it. */
function padding(info: Info): { top: number; left: number; bottom: number; right: number } {
  const { top, left } = info.padInfo;
  const bottom = Math.max(0, (info.outHeight - 1) * info.strideHeight + info.filterHeight - info.inHeight - top);
  const right = Math.max(0, (info.outWidth - 1) * info.strideWidth + info.filterWidth - info.inWidth - left);
  return { top, left, bottom, right };
}

/**
 * From this many channels a pixel is copied as one block: the patches are
 * one Gather and the input gradient one ScatterND. With fewer, ORT's
 * per-index cost outweighs the copy: the 1-channel layers of the light
 * generator and D were faster sliced (docs/perf-gradients.md).
 */
export const PIXEL_BLOCK_MIN_CHANNELS = 8;

/**
 * [N*oh*ow, kh*kw*Cin] patches of x (x itself, flattened, for an unpadded
 * stride-1 1x1 convolution). From PIXEL_BLOCK_MIN_CHANNELS channels, one
 * Gather of whole pixels from x viewed as [N, H*W, Cin], which ORT copies in
 * parallel; below, one strided Slice per tap and a Concat of the taps.
 */
export function patches(g: ConvGraphOps, x: string, info: Info): string {
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, outHeight: oh, outWidth: ow, inChannels: cin } = info;
  const p = padding(info);
  const xp = pad(g, x, [0, p.top, p.left, 0], [0, p.bottom, p.right, 0]);
  // An unpadded stride-1 1x1 convolution reads x as it is.
  if (kh === 1 && kw === 1 && sh === 1 && sw === 1 && xp === x && oh === info.inHeight && ow === info.inWidth) {
    return reshape(g, x, [-1, cin]);
  }
  if (cin >= PIXEL_BLOCK_MIN_CHANNELS) {
    const wp = info.inWidth + p.left + p.right;
    const hp = info.inHeight + p.top + p.bottom;
    const gathered = g.op('Gather', [reshape(g, xp, [-1, hp * wp, cin]), g.ints(patchPixels(info, wp))], { axis: 1 });
    return reshape(g, gathered, [-1, kh * kw * cin]);
  }
  const axes = g.ints([1, 2]);
  const steps = g.ints([sh, sw]);
  const taps: string[] = [];
  for (let a = 0; a < kh; a++) {
    for (let b = 0; b < kw; b++) {
      const starts = g.ints([a, b]);
      const ends = g.ints([a + sh * (oh - 1) + 1, b + sw * (ow - 1) + 1]);
      taps.push(g.op('Slice', [xp, starts, ends, axes, steps]));
    }
  }
  const joined = taps.length === 1 ? taps[0] : g.op('Concat', taps, { axis: 3 });
  return reshape(g, joined, [-1, kh * kw * cin]);
}

/** Row-major pixel of padded x (width `wp`) under each (i, j, p, q): output position (i, j), tap (p, q). */
export function patchPixels(info: Info, wp: number): number[] {
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, outHeight: oh, outWidth: ow } = info;
  const index: number[] = [];
  for (let i = 0; i < oh; i++) {
    for (let j = 0; j < ow; j++) {
      for (let a = 0; a < kh; a++) {
        for (let b = 0; b < kw; b++) index.push((i * sh + a) * wp + j * sw + b);
      }
    }
  }
  return index;
}

function finish(g: GraphBuilder, kind: ConvKind, info: Info): OnnxGraph {
  const { inHeight: h, inWidth: w, inChannels: cin, outHeight: oh, outWidth: ow, outChannels: cout, filterHeight: kh, filterWidth: kw } = info;
  const f = DataType.FLOAT;
  const shapes: Record<string, (number | string)[]> = {
    x: ['N', h, w, cin],
    w: [kh, kw, cin, cout],
    dy: ['N', oh, ow, cout],
    y: ['N', oh, ow, cout],
    dx: ['N', h, w, cin],
    dw: [kh, kw, cin, cout],
    acc: [kh, kw, cin, cout],
  };
  const io = CONV_IO[kind];
  const inputs = kind === 'filterGrad' ? [...io.inputs, 'acc'] : io.inputs;
  return {
    name: `conv_${kind}`,
    nodes: g.nodes,
    initializers: g.initializers,
    inputs: inputs.map((name) => ({ name, type: f, shape: shapes[name] })),
    outputs: [{ name: io.output, type: f, shape: shapes[io.output] }],
  };
}

/** y = conv2d(x, w) from x's patches: patches . W, NHWC. */
export function forwardProduct(g: ConvGraphOps, xPatches: string, w: string, info: Info, output?: string): string {
  const { filterHeight: kh, filterWidth: kw, inChannels: cin, outChannels: cout, outHeight: oh, outWidth: ow } = info;
  const product = g.op('MatMul', [xPatches, reshape(g, w, [kh * kw * cin, cout])]);
  return g.op('Reshape', [product, g.ints([-1, oh, ow, cout])], undefined, output);
}

/** dW = patches^T . dy (+ acc when given), as [kh, kw, Cin, Cout]. */
export function filterGradProduct(g: ConvGraphOps, xPatches: string, dy: string, info: Info, acc?: string, output?: string): string {
  const { filterHeight: kh, filterWidth: kw, inChannels: cin, outChannels: cout } = info;
  const inputs = [xPatches, reshape(g, dy, [-1, cout])];
  if (acc) inputs.push(reshape(g, acc, [kh * kw * cin, cout]));
  const product = g.op('Gemm', inputs, { transA: 1 });
  return g.op('Reshape', [product, g.ints([kh, kw, cin, cout])], undefined, output);
}

/** y = conv2d(x, w): patches . W. */
export function forwardGraph(info: Info): OnnxGraph {
  const g = new GraphBuilder();
  forwardProduct(g, patches(g, 'x', info), 'w', info, 'y');
  return finish(g, 'forward', info);
}

/** dW = acc + patches^T . dy. */
export function filterGradGraph(info: Info): OnnxGraph {
  const g = new GraphBuilder();
  filterGradProduct(g, patches(g, 'x', info), 'dy', info, 'acc', 'dw');
  return finish(g, 'filterGrad', info);
}

/**
 * dx: cols = dy . W^T holds, for every output position (i,j) and tap (p,q),
 * the contribution to padded x at (i*sh + p, j*sw + q). Rows a, a+sh, ...
 * of padded x (a row phase; columns likewise) receive only the taps with
 * p = a (mod sh), each shifted by (p - a) / sh: every phase is a sum of
 * shifted taps at the low resolution of dy, and the phases are interleaved
 * once at the end (two concats and free reshapes), as in backprop-input.ts.
 * Finally the forward padding is cropped.
 */
export function inputGradGraph(info: Info): OnnxGraph {
  const g = new GraphBuilder();
  inputGradProduct(g, 'dy', 'w', info, 'dx');
  return finish(g, 'inputGrad', info);
}

/** dx of conv2d(x, w) for the gradient dy of its output, NHWC (see inputGradGraph). */
export function inputGradProduct(g: ConvGraphOps, dy: string, filter: string, info: Info, output?: string): string {
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, outHeight: oh, outWidth: ow } = info;
  const { inChannels: cin, outChannels: cout, inHeight: h, inWidth: w } = info;
  const { top, left } = padding(info);
  const taps = kh * kw;
  const cols = g.op('Gemm', [reshape(g, dy, [-1, cout]), reshape(g, filter, [taps * cin, cout])], { transB: 1 });
  const perTap = reshape(g, cols, [-1, oh, ow, taps, cin]);
  const split = taps > 1 ? g.multi('Split', [perTap], taps, { axis: 3 }) : [perTap];
  const tap = (p: number, q: number) => reshape(g, split[p * kw + q], [-1, oh, ow, cin]);
  // Phase maps are mh x mw: enough for every shifted tap and for every row of x.
  const mh = Math.ceil(Math.max(kh - 1 + oh * sh, top + h) / sh);
  const mw = Math.ceil(Math.max(kw - 1 + ow * sw, left + w) / sw);
  const phase = (a: number, b: number): string | undefined => {
    const parts: string[] = [];
    for (let p = a; p < kh; p += sh) {
      for (let q = b; q < kw; q += sw) {
        const [dp, dq] = [(p - a) / sh, (q - b) / sw];
        parts.push(pad(g, tap(p, q), [0, dp, dq, 0], [0, mh - oh - dp, mw - ow - dq, 0]));
      }
    }
    if (parts.length <= 1) return parts[0];
    return g.op('Sum', parts);
  };
  const maps = Array.from({ length: sh }, (_, a) => Array.from({ length: sw }, (_, b) => phase(a, b)));
  // A stride wider than the kernel leaves phases no tap reaches: zeros (phase 0 always has a tap).
  const zero = () => g.op('Mul', [maps[0][0]!, g.floats([0])]);
  const filled = maps.map((row) => row.map((m) => m ?? zero()));
  const full = interleave(g, filled, mh, mw, cin);
  const exact = top === 0 && left === 0 && mh * sh === h && mw * sw === w;
  if (exact) return output ? g.op('Identity', [full], undefined, output) : full;
  return g.op('Slice', [full, g.ints([top, left]), g.ints([top + h, left + w]), g.ints([1, 2])], undefined, output);
}

/**
 * dx as inputGradProduct, for a graph whose batch is fixed (the indices
 * name every image): every row of cols = dy . W^T (one tap's Cin values for
 * one output position) is added at its pixel of padded x by one ScatterND
 * (reduction 'add'), instead of a Split, one Pad per tap and a Sum of the
 * padded maps, each a single-threaded pass over a whole map in ORT
 * (docs/perf-gradients.md, "The Eq. 8 program's convolutions").
 */
export function inputGradScatter(g: ConvGraphOps, dy: string, filter: string, info: Info, batch: number, output?: string): string {
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, outHeight: oh, outWidth: ow } = info;
  const { inChannels: cin, outChannels: cout, inHeight: h, inWidth: w } = info;
  const { top, left } = padding(info);
  const taps = kh * kw;
  // The padded frame holds every tap's pixel and every row and column of x.
  const fh = Math.max(top + h, (oh - 1) * sh + kh);
  const fw = Math.max(left + w, (ow - 1) * sw + kw);
  const cols = g.op('Gemm', [reshape(g, dy, [-1, cout]), reshape(g, filter, [taps * cin, cout])], { transB: 1 });
  const pixels = patchPixels(info, fw);
  const index: number[] = [];
  for (let b = 0; b < batch; b++) for (const pixel of pixels) index.push(b * fh * fw + pixel);
  const zeros = g.op('Expand', [g.floats([0]), g.ints([batch * fh * fw, cin])]);
  const summed = g.op('ScatterND', [zeros, reshape(g, g.ints(index), [index.length, 1]), reshape(g, cols, [-1, cin])], { reduction: 'add' });
  const full = reshape(g, summed, [batch, fh, fw, cin]);
  const exact = top === 0 && left === 0 && fh === h && fw === w;
  if (exact) return output ? g.op('Identity', [full], undefined, output) : full;
  return g.op('Slice', [full, g.ints([top, left]), g.ints([top + h, left + w]), g.ints([1, 2])], undefined, output);
}

/** [sh][sw] phase maps [N,mh,mw,C] -> [N, mh*sh, mw*sw, C] with phase (a,b) at rows a + sh*m, columns b + sw*n. */
function interleave(g: ConvGraphOps, maps: string[][], mh: number, mw: number, c: number): string {
  const sh = maps.length;
  const sw = maps[0].length;
  if (sh === 1 && sw === 1) return maps[0][0];
  // [N,mh,mw,(b,C)] is [N,mh,(mw,b),C]; then rows of phase a stack as [N,mh,a,(mw*sw*C)].
  const rows = maps.map((row) => {
    const joined = row.length === 1 ? row[0] : g.op('Concat', row.map((m) => reshape(g, m, [-1, mh, mw, 1, c])), { axis: 3 });
    return reshape(g, joined, [-1, mh, 1, mw * sw * c]);
  });
  const stacked = rows.length === 1 ? rows[0] : g.op('Concat', rows, { axis: 2 });
  return reshape(g, stacked, [-1, mh * sh, mw * sw, c]);
}

export const GRAPH_BUILDERS: Record<ConvKind, (info: Info) => OnnxGraph> = {
  forward: forwardGraph,
  inputGrad: inputGradGraph,
  filterGrad: filterGradGraph,
};
