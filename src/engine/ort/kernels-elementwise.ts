import type { AttrValue } from './onnx-model.js';
import { physicalAxis } from './layout.js';
import { dynInput, input, type LowerContext, OnnxExportError, onnxType, type Lowering } from './lower-context.js';
import type { KernelCall } from './trace.js';

/** Ops that act on each element alone keep their input's layout. */
function unary(op: string, attrs?: (call: KernelCall) => Record<string, AttrValue>): Lowering {
  return (call, ctx) => {
    const x = ctx.value(dynInput(call, 'x'));
    ctx.define(call.outputs[0], ctx.g.op(op, [x.name], attrs?.(call)), x.layout);
  };
}

/** Unary ops written as a small chain of ONNX ops. */
function chain(build: (ctx: LowerContext, x: string, call: KernelCall) => string): Lowering {
  return (call, ctx) => {
    const x = ctx.value(dynInput(call, 'x'));
    ctx.define(call.outputs[0], build(ctx, x.name, call), x.layout);
  };
}

/** Elementwise ops over several broadcast operands (tfjs input names in order). */
function nary(op: string, names: string[]): Lowering {
  return (call, ctx) => {
    const out = call.outputs[0];
    const { names: ins, layout } = ctx.broadcast(names.map((n) => input(call, n)), out.shape.length);
    ctx.define(out, ctx.g.op(op, ins), layout);
  };
}

const scalar = (ctx: LowerContext, v: number) => ctx.g.float(new Float32Array([v]), []);

const num = (call: KernelCall, key: string): number => {
  const v = call.attrs[key];
  if (typeof v !== 'number') throw new OnnxExportError(`${call.kernel}: attribute ${key} is not a number`);
  return v;
};

export const elementwise: Record<string, Lowering> = {
  Relu: unary('Relu'),
  Sigmoid: unary('Sigmoid'),
  Tanh: unary('Tanh'),
  Sqrt: unary('Sqrt'),
  Exp: unary('Exp'),
  Log: unary('Log'),
  Abs: unary('Abs'),
  Neg: unary('Neg'),
  Floor: unary('Floor'),
  Ceil: unary('Ceil'),
  Reciprocal: unary('Reciprocal'),
  Sign: unary('Sign'),
  Erf: unary('Erf'),
  Softplus: unary('Softplus'),
  Elu: unary('Elu'),
  Identity: unary('Identity'),
  LeakyRelu: unary('LeakyRelu', (c) => ({ alpha: { float: num(c, 'alpha') } })),
  Rsqrt: chain((ctx, x) => ctx.g.op('Reciprocal', [ctx.g.op('Sqrt', [x])])),
  Square: chain((ctx, x) => ctx.g.op('Mul', [x, x])),
  Relu6: chain((ctx, x) => ctx.g.op('Clip', [x, scalar(ctx, 0), scalar(ctx, 6)])),
  ClipByValue: chain((ctx, x, c) => ctx.g.op('Clip', [x, scalar(ctx, num(c, 'clipValueMin')), scalar(ctx, num(c, 'clipValueMax'))])),
  Add: nary('Add', ['a', 'b']),
  Sub: nary('Sub', ['a', 'b']),
  Multiply: nary('Mul', ['a', 'b']),
  RealDiv: nary('Div', ['a', 'b']),
  Maximum: nary('Max', ['a', 'b']),
  Minimum: nary('Min', ['a', 'b']),
  Pow: nary('Pow', ['a', 'b']),
  Greater: nary('Greater', ['a', 'b']),
  GreaterEqual: nary('GreaterOrEqual', ['a', 'b']),
  Less: nary('Less', ['a', 'b']),
  LessEqual: nary('LessOrEqual', ['a', 'b']),
  Equal: nary('Equal', ['a', 'b']),
  LogicalAnd: nary('And', ['a', 'b']),
  LogicalOr: nary('Or', ['a', 'b']),
  Select: nary('Where', ['condition', 't', 'e']),
  AddN: (call, ctx) => nary('Sum', call.inputs.map(([k]) => k))(call, ctx),
  SquaredDifference: (call, ctx) => {
    const out = call.outputs[0];
    const { names, layout } = ctx.broadcast([input(call, 'a'), input(call, 'b')], out.shape.length);
    const d = ctx.g.op('Sub', names);
    ctx.define(out, ctx.g.op('Mul', [d, d]), layout);
  },
  Cast: (call, ctx) => {
    const x = ctx.value(dynInput(call, 'x'));
    const to = call.attrs.dtype as typeof x.dtype;
    const name = to === x.dtype ? x.name : ctx.g.op('Cast', [x.name], { to: onnxType(to) });
    ctx.define(call.outputs[0], name, x.layout);
  },
  Mean: reduce('ReduceMean', 'axis'),
  Max: reduce('ReduceMax', 'reductionIndices'),
  Min: reduce('ReduceMin', 'axis'),
  Sum: reduce('ReduceSum', 'axis'),
  Softmax: softmax('Softmax'),
  LogSoftmax: softmax('LogSoftmax'),
};

/**
 * Reductions over the non-batch axes. Opset 17 takes ReduceSum's axes as an
 * input and the others' as an attribute.
 */
function reduce(op: string, axisKey: string): Lowering {
  return (call, ctx) => {
    const ref = dynInput(call, 'x');
    const rank = ref.shape.length;
    const raw = call.attrs[axisKey];
    const axes = (raw === undefined || raw === null ? [...Array(rank).keys()] : typeof raw === 'number' ? [raw] : (raw as number[])).map((a) =>
      a < 0 ? a + rank : a,
    );
    if (axes.includes(0)) ctx.batchAxis(`${call.kernel} over the batch axis`);
    const keepDims = call.attrs.keepDims === true;
    const v = ctx.value(ref);
    // Dropping axes of an NCHW tensor keeps the logical order only if the
    // survivors are N; N, C; or N, H, W; otherwise reduce in NHWC.
    const kept = [...Array(rank).keys()].filter((a) => !axes.includes(a));
    const orderSafe = keepDims || v.layout === 'plain' || ['0', '0,3', '0,1,2'].includes(kept.join());
    const layout = orderSafe ? v.layout : 'plain';
    const x = ctx.as(v, layout);
    const phys = axes.map((a) => physicalAxis(a, rank, layout));
    const keep = keepDims ? 1 : 0;
    const name =
      op === 'ReduceSum' ? ctx.g.op(op, [x, ctx.g.int64(phys)], { keepdims: keep }) : ctx.g.op(op, [x], { axes: phys, keepdims: keep });
    ctx.define(call.outputs[0], name, keepDims ? layout : 'plain');
  };
}

function softmax(op: string): Lowering {
  return (call, ctx) => {
    const ref = dynInput(call, 'logits');
    const v = ctx.value(ref);
    const dim = typeof call.attrs.dim === 'number' ? call.attrs.dim : -1;
    const axis = physicalAxis(dim, ref.shape.length, v.layout);
    ctx.define(call.outputs[0], ctx.g.op(op, [v.name], { axis }), v.layout);
  };
}

