import { checkSpatial, onnxOutLength, pair, windowPads, type TfPad, type Window } from './conv-geometry.js';
import type { ConstValue, DynRef, KernelCall } from './trace.js';
import { dynInput, floatData, input, type LowerContext, OnnxExportError, type Lowering } from './lower-context.js';

/** tfjs filters are [kh, kw, in, out]; ONNX Conv wants [out, in, kh, kw]. */
export const HWIO_TO_OIHW = [3, 2, 0, 1];

export function checkFormat(call: KernelCall): void {
  const f = call.attrs.dataFormat;
  if (f !== undefined && f !== 'NHWC' && f !== 'channelsLast') {
    throw new OnnxExportError(`${call.kernel}: data format ${String(f)} is not supported`);
  }
}

export function windowAttrs(win: Window): Record<string, number[]> {
  return { kernel_shape: [...win.kernel], strides: [...win.strides], dilations: [...win.dilations], pads: [...win.pads] };
}

/** Conv2D and DepthwiseConv2dNative, and their fused forms (bias + activation). */
function conv(depthwise: boolean): Lowering {
  return (call, ctx) => {
    checkFormat(call);
    const xRef = dynInput(call, 'x');
    // Constant for a frozen network; a graph value when the weights are inputs (training).
    const filter = input(call, 'filter');
    const [kh, kw, cin, cout] = filter.shape;
    const strides = pair(call.attrs.strides, 'strides');
    const win = windowPads([xRef.shape[1], xRef.shape[2]], [kh, kw], strides, pair(call.attrs.dilations, 'dilations'), call.attrs.pad as TfPad);
    const out = call.outputs[0];
    const ceil = call.attrs.dimRoundingMode === 'ceil';
    checkSpatial(call.kernel, [onnxOutLength(xRef.shape[1], win, 0, ceil), onnxOutLength(xRef.shape[2], win, 1, ceil)], [out.shape[1], out.shape[2]]);
    const w = depthwise
      ? // [kh, kw, c, m] -> [c * m, 1, kh, kw]: output channel c * m + j reads input channel c.
        ctx.weight(filter, [2, 3, 0, 1], [cin * cout, 1, kh, kw])
      : ctx.weight(filter, HWIO_TO_OIHW);
    const inputs = [ctx.nchw(xRef), w];
    const bias = biasName(call, ctx, out.shape[3]);
    if (bias) inputs.push(bias);
    const y = ctx.g.op('Conv', inputs, { ...windowAttrs(win), group: depthwise ? cin : 1 });
    ctx.define(out, activation(call, ctx, y), 'nchw');
  };
}

function biasName(call: KernelCall, ctx: LowerContext, channels: number): string | undefined {
  const entry = call.inputs.find(([k]) => k === 'bias');
  const bias = entry?.[1];
  if (!bias) return undefined;
  if (bias.shape.length !== 1 || bias.shape[0] !== channels) throw new OnnxExportError(`${call.kernel}: only a per-channel bias is supported`);
  if (bias.kind === 'dyn') return ctx.plain(bias);
  return ctx.constant(bias, 'vector', () => ({ data: floatData(bias), dims: [channels] }));
}

/** The activation of tf.fused ops ('linear' when absent). */
function activation(call: KernelCall, ctx: LowerContext, y: string): string {
  const act = (call.attrs.activation as string | undefined) ?? 'linear';
  const g = ctx.g;
  switch (act) {
    case 'linear':
      return y;
    case 'relu':
      return g.op('Relu', [y]);
    case 'sigmoid':
      return g.op('Sigmoid', [y]);
    case 'elu':
      return g.op('Elu', [y]);
    case 'relu6':
      return g.op('Clip', [y, g.float(new Float32Array([0]), []), g.float(new Float32Array([6]), [])]);
    case 'leakyrelu':
      return g.op('LeakyRelu', [y], { alpha: { float: (call.attrs.leakyreluAlpha as number | undefined) ?? 0.2 } });
    default:
      throw new OnnxExportError(`${call.kernel}: activation ${act} is not supported`);
  }
}

/**
 * tf.conv2dTranspose: the gradient of a convolution whose input has the
 * traced output size. ONNX ConvTranspose with that convolution's pads crops
 * the same rows, and output_padding adds the rows a strided forward
 * convolution never reached.
 */
const convTranspose: Lowering = (call, ctx) => {
  checkFormat(call);
  const dy = input(call, 'dy');
  const filter = input(call, 'filter');
  const [kh, kw] = filter.shape;
  const out = call.outputs[0];
  const strides = pair(call.attrs.strides, 'strides');
  const win = windowPads([out.shape[1], out.shape[2]], [kh, kw], strides, [1, 1], call.attrs.pad as TfPad);
  const full = [0, 1].map((i) => strides[i] * (dy.shape[i + 1] - 1) + win.kernel[i] - win.pads[i] - win.pads[i + 2]);
  const outputPadding = [out.shape[1] - full[0], out.shape[2] - full[1]];
  if (outputPadding.some((p, i) => p < 0 || (p > 0 && p >= strides[i]))) {
    throw new OnnxExportError(`${call.kernel}: output ${out.shape[1]}x${out.shape[2]} cannot be reproduced (output padding ${outputPadding})`);
  }
  const flipped = [0, 1].map((i) => [win.kernel[i] - 1 - win.pads[i], win.kernel[i] - 1 - win.pads[i + 2]]);
  if (strides[0] === 1 && strides[1] === 1 && flipped.flat().every((p) => p >= 0)) {
    ctx.define(out, stridelessTranspose(ctx, dy, filter, win, flipped), 'nchw');
    return;
  }
  // [kh, kw, out, in] -> ONNX ConvTranspose's [in, out, kh, kw].
  const w = ctx.weight(filter, HWIO_TO_OIHW);
  const y = ctx.g.op('ConvTranspose', [ctx.operand(dy, 'nchw'), w], { ...windowAttrs(win), output_padding: outputPadding });
  ctx.define(out, y, 'nchw');
};

/**
 * A stride-1 transposed convolution is a convolution with the kernel turned
 * by 180 degrees and its in / out channels swapped, padded by k - 1 - p: ORT
 * runs Conv with constant weights as its blocked NCHWc direct convolution,
 * much faster than ConvTranspose's GEMM + col2im (an input gradient is mostly these).
 */
function stridelessTranspose(ctx: LowerContext, dy: DynRef | ConstValue, filter: ConstValue | DynRef, win: Window, pads: number[][]): string {
  // [kh, kw, out, in] -> [out, in, kh, kw], then reversed along kh and kw.
  const w = ctx.weight(filter, [2, 3, 0, 1]);
  const g = ctx.g;
  const reversed = g.op('Slice', [w, g.int64([-1, -1]), g.int64([Number.MIN_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]), g.int64([2, 3]), g.int64([-1, -1])]);
  const attrs = { kernel_shape: [...win.kernel], strides: [1, 1], dilations: [1, 1], pads: [pads[0][0], pads[1][0], pads[0][1], pads[1][1]] };
  return g.op('Conv', [ctx.operand(dy, 'nchw'), reversed], attrs);
}

function pool(op: 'MaxPool' | 'AveragePool'): Lowering {
  return (call, ctx) => {
    checkFormat(call);
    const x = dynInput(call, 'x');
    const out = call.outputs[0];
    const win = windowPads([x.shape[1], x.shape[2]], pair(call.attrs.filterSize, 'filterSize'), pair(call.attrs.strides, 'strides'), [1, 1], call.attrs.pad as TfPad);
    const ceil = call.attrs.dimRoundingMode === 'ceil';
    checkSpatial(call.kernel, [onnxOutLength(x.shape[1], win, 0, ceil), onnxOutLength(x.shape[2], win, 1, ceil)], [out.shape[1], out.shape[2]]);
    const { kernel_shape, strides, pads } = windowAttrs(win);
    // tfjs averages over the pixels inside the image only.
    const extra: Record<string, number> = op === 'AveragePool' ? { count_include_pad: 0 } : {};
    ctx.define(out, ctx.g.op(op, [ctx.nchw(x)], { kernel_shape, strides, pads, ceil_mode: ceil ? 1 : 0, ...extra }), 'nchw');
  };
}

/**
 * Inference batch norm with constant per-channel statistics: ONNX
 * BatchNormalization, which ORT folds into the convolution before it.
 */
const batchNorm: Lowering = (call, ctx) => {
  const x = dynInput(call, 'x');
  const rank = x.shape.length;
  if (rank !== 4 && rank !== 2) throw new OnnxExportError(`FusedBatchNorm on a rank-${rank} tensor is not supported`);
  const channels = x.shape[rank - 1];
  const param = (name: string, fill: number): string => {
    const entry = call.inputs.find(([k]) => k === name)?.[1];
    if (!entry) return ctx.g.float(new Float32Array(channels).fill(fill), [channels]);
    if (entry.kind !== 'const') throw new OnnxExportError(`FusedBatchNorm: ${name} must be constant (inference mode)`);
    if (entry.data.length !== channels && entry.data.length !== 1) throw new OnnxExportError(`FusedBatchNorm: ${name} of shape [${entry.shape}] is not per channel`);
    return ctx.constant(entry, `bn${channels}`, () => ({ data: Float32Array.from({ length: channels }, (_, i) => entry.data[entry.data.length === 1 ? 0 : i]), dims: [channels] }));
  };
  const eps = (call.attrs.varianceEpsilon as number | undefined) ?? 0.001;
  const xin = rank === 4 ? ctx.nchw(x) : ctx.plain(x);
  const y = ctx.g.op('BatchNormalization', [xin, param('scale', 1), param('offset', 0), param('mean', 0), param('variance', 1)], { epsilon: { float: eps } });
  ctx.define(call.outputs[0], y, 'nchw');
};

export const convolutions: Record<string, Lowering> = {
  Conv2D: conv(false),
  FusedConv2D: conv(false),
  DepthwiseConv2dNative: conv(true),
  FusedDepthwiseConv2D: conv(true),
  Conv2DBackpropInput: convTranspose,
  MaxPool: pool('MaxPool'),
  AvgPool: pool('AveragePool'),
  FusedBatchNorm: batchNorm,
};
