import { physicalAxis, type Layout } from './layout.js';
import { dynInput, input, type LowerContext, OnnxExportError, type Lowering } from './lower-context.js';
import type { DynRef, KernelCall } from './trace.js';

const INT64_MAX = Number.MAX_SAFE_INTEGER;

const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * Reshapes keep the batch first; other dims are fixed by the trace. 0 copies
 * the input's batch (in a fixed-shape graph every dim is the traced one).
 */
const reshape: Lowering = (call, ctx) => {
  const x = dynInput(call, 'x');
  const out = call.outputs[0];
  const v = ctx.value(x);
  if (sameShape(x.shape, out.shape)) return ctx.define(out, v.name, v.layout);
  const shape = ctx.g.int64(ctx.fixed ? out.shape : [0, ...out.shape.slice(1)]);
  ctx.define(out, ctx.g.op('Reshape', [ctx.plain(x), shape]), 'plain');
};

const transpose: Lowering = (call, ctx) => {
  const x = dynInput(call, 'x');
  const perm = call.attrs.perm as number[];
  if (perm[0] !== 0) ctx.batchAxis('a transpose that moves the batch axis');
  ctx.define(call.outputs[0], ctx.g.op('Transpose', [ctx.plain(x)], { perm }), 'plain');
};

/** ONNX Pad's [begin..., end...] in the value's storage order. */
function padsFor(ctx: LowerContext, paddings: number[][], layout: Layout): number[] {
  if (paddings[0][0] !== 0 || paddings[0][1] !== 0) ctx.batchAxis('padding the batch axis');
  const rank = paddings.length;
  const order = [...Array(rank).keys()].map((p) => (layout === 'nchw' ? [0, 3, 1, 2][p] : p));
  return [...order.map((a) => paddings[a][0]), ...order.map((a) => paddings[a][1])];
}

const mirrorPad: Lowering = (call, ctx) => {
  if (call.attrs.mode !== 'reflect') throw new OnnxExportError(`mirror padding mode ${String(call.attrs.mode)} has no ONNX equivalent`);
  const v = ctx.value(dynInput(call, 'x'));
  const pads = ctx.g.int64(padsFor(ctx, call.attrs.paddings as number[][], v.layout));
  ctx.define(call.outputs[0], ctx.g.op('Pad', [v.name, pads], { mode: 'reflect' }), v.layout);
};

const padV2: Lowering = (call, ctx) => {
  const v = ctx.value(dynInput(call, 'x'));
  const pads = ctx.g.int64(padsFor(ctx, call.attrs.paddings as number[][], v.layout));
  const value = ctx.g.float(new Float32Array([(call.attrs.constantValue as number | undefined) ?? 0]), []);
  ctx.define(call.outputs[0], ctx.g.op('Pad', [v.name, pads, value], { mode: 'constant' }), v.layout);
};

/** Dynamic operands of Concat / Pack, all in one layout (NCHW when every one is 4-D and one already is). */
function sameLayout(call: KernelCall, ctx: LowerContext): { names: string[]; layout: Layout; refs: DynRef[] } {
  const refs = call.inputs.map(([k, v]) => {
    if (v?.kind !== 'dyn') throw new OnnxExportError(`${call.kernel}: input ${k} is constant; only inputs that depend on the network input are supported`);
    return v;
  });
  const vals = refs.map((r) => ctx.value(r));
  const layout: Layout = vals.every((v) => v.shape.length === 4) && vals.some((v) => v.layout === 'nchw') ? 'nchw' : 'plain';
  return { names: vals.map((v) => ctx.as(v, layout)), layout, refs };
}

const concat: Lowering = (call, ctx) => {
  const { names, layout, refs } = sameLayout(call, ctx);
  const axis = physicalAxis(call.attrs.axis as number, refs[0].shape.length, layout);
  if (axis === 0) ctx.batchAxis('concatenating along the batch axis');
  ctx.define(call.outputs[0], ctx.g.op('Concat', names, { axis }), layout);
};

const pack: Lowering = (call, ctx) => {
  const { refs } = sameLayout(call, ctx);
  const rank = refs[0].shape.length + 1;
  const axis = (call.attrs.axis as number) < 0 ? (call.attrs.axis as number) + rank : (call.attrs.axis as number);
  if (axis === 0) ctx.batchAxis('stacking along the batch axis');
  const axes = ctx.g.int64([axis]);
  const parts = refs.map((r) => ctx.g.op('Unsqueeze', [ctx.plain(r), axes]));
  ctx.define(call.outputs[0], ctx.g.op('Concat', parts, { axis }), 'plain');
};

const splitV: Lowering = (call, ctx) => {
  const x = dynInput(call, 'x');
  const v = ctx.value(x);
  const rank = x.shape.length;
  const logical = (call.attrs.axis as number) < 0 ? (call.attrs.axis as number) + rank : (call.attrs.axis as number);
  if (logical === 0) ctx.batchAxis('splitting along the batch axis');
  const sizes = ctx.g.int64(call.outputs.map((o) => o.shape[logical]));
  const outs = ctx.g.node('Split', [v.name, sizes], { axis: physicalAxis(logical, rank, v.layout) }, call.outputs.length);
  call.outputs.forEach((o, i) => ctx.define(o, outs[i], v.layout));
};

const slice: Lowering = (call, ctx) => {
  const x = dynInput(call, 'x');
  const v = ctx.value(x);
  const rank = x.shape.length;
  const begin = asArray(call.attrs.begin, rank);
  const size = asArray(call.attrs.size, rank);
  if (begin[0] !== 0 || (size[0] !== -1 && size[0] !== x.shape[0])) ctx.batchAxis('slicing the batch axis');
  const axes = [...Array(rank).keys()].filter((a) => begin[a] !== 0 || (size[a] !== -1 && size[a] !== x.shape[a]));
  const starts = axes.map((a) => begin[a]);
  const ends = axes.map((a) => (size[a] === -1 ? INT64_MAX : begin[a] + size[a]));
  const phys = axes.map((a) => physicalAxis(a, rank, v.layout));
  const name = axes.length === 0 ? v.name : ctx.g.op('Slice', [v.name, ctx.g.int64(starts), ctx.g.int64(ends), ctx.g.int64(phys)]);
  ctx.define(call.outputs[0], name, v.layout);
};

function asArray(v: unknown, rank: number): number[] {
  if (typeof v === 'number') return [v, ...new Array<number>(rank - 1).fill(0)];
  return v as number[];
}

/** tf.matMul of two operands, either of them constant (weights) or computed; ORT folds constant transposes. */
const batchMatMul: Lowering = (call, ctx) => {
  const swapLast = (rank: number) => [...Array(rank).keys()].map((i) => (i === rank - 2 ? rank - 1 : i === rank - 1 ? rank - 2 : i));
  const operand = (key: 'a' | 'b', transpose: unknown): string => {
    const v = input(call, key);
    const name = v.kind === 'const' ? ctx.raw(v) : ctx.plain(v);
    return transpose ? ctx.g.op('Transpose', [name], { perm: swapLast(v.shape.length) }) : name;
  };
  ctx.define(call.outputs[0], ctx.g.op('MatMul', [operand('a', call.attrs.transposeA), operand('b', call.attrs.transposeB)]), 'plain');
};

/** tf.image.resizeBilinear, NCHW, output size [batch, C] + the traced H, W (the batch stays free). */
const resizeBilinear: Lowering = (call, ctx) => {
  const x = dynInput(call, 'images');
  const out = call.outputs[0];
  const mode = call.attrs.alignCorners ? 'align_corners' : call.attrs.halfPixelCenters ? 'half_pixel' : 'asymmetric';
  const xn = ctx.nchw(x);
  const nc = ctx.g.op('Slice', [ctx.g.op('Shape', [xn]), ctx.g.int64([0]), ctx.g.int64([2])]);
  const sizes = ctx.g.op('Concat', [nc, ctx.g.int64([out.shape[1], out.shape[2]])], { axis: 0 });
  const y = ctx.g.op('Resize', [xn, '', '', sizes], { mode: 'linear', coordinate_transformation_mode: mode });
  ctx.define(out, y, 'nchw');
};

export const shapes: Record<string, Lowering> = {
  Reshape: reshape,
  Transpose: transpose,
  MirrorPad: mirrorPad,
  PadV2: padV2,
  Concat: concat,
  Pack: pack,
  SplitV: splitV,
  Slice: slice,
  BatchMatMul: batchMatMul,
  ResizeBilinear: resizeBilinear,
};

