import * as tf from '@tensorflow/tfjs-core';
import { filterGradProduct, forwardProduct, inputGradProduct, inputGradScatter, patches, PIXEL_BLOCK_MIN_CHANNELS, type ConvGraphOps } from '../conv-onnx.js';
import { pair, windowPads, type TfPad } from './conv-geometry.js';
import { checkFormat, HWIO_TO_OIHW, windowAttrs } from './kernels-conv.js';
import { input, type LowerContext, OnnxExportError, type Lowering } from './lower-context.js';
import type { KernelCall } from './trace.js';

/**
 * Convolutions whose filter is a graph value (weights being trained), as
 * image-patch matrix products over tfjs's own NHWC layout (src/engine/conv-onnx.ts).
 * With constant weights ORT runs Conv as its blocked direct convolution,
 * but weights that are inputs leave it im2col + GEMM in NCHW, which
 * measured slower than these products (and needs transposes around every
 * NCHW op); the patches of an input are built once and serve both its
 * forward product and its filter gradient.
 */

/** The LowerContext's graph seen through the interface the conv-onnx subgraphs write to. */
function ops(ctx: LowerContext): ConvGraphOps {
  const g = ctx.g;
  return {
    ints: (values) => g.int64(values),
    floats: (values) => g.float(Float32Array.from(values), [values.length]),
    op: (op, inputs, attrs, output) => {
      if (output === undefined) return g.op(op, inputs, attrs);
      g.nodes.push({ op, inputs, outputs: [output], ...(attrs ? { attrs } : {}) });
      return output;
    },
    multi: (op, inputs, count, attrs) => g.node(op, inputs, attrs, count),
  };
}

type Info = tf.backend_util.Conv2DInfo;

function convInfo(call: KernelCall, xShape: number[], filterShape: number[]): Info {
  checkFormat(call);
  const dilations = pair(call.attrs.dilations, 'dilations');
  if (dilations[0] !== 1 || dilations[1] !== 1) throw new OnnxExportError(`${call.kernel}: dilated convolutions with trained weights are not supported`);
  const rounding = call.attrs.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined;
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    pair(call.attrs.strides, 'strides'),
    1,
    call.attrs.pad as 'same' | 'valid' | number,
    rounding,
    false,
    'channelsLast',
  );
}

/** The patch matrix of the NHWC value `x` for a window, built once per (value, window). */
function patchesOf(ctx: LowerContext, x: string, info: Info): string {
  const { filterHeight, filterWidth, strideHeight, strideWidth, padInfo, outHeight, outWidth } = info;
  const key = `patches:${x}:${[filterHeight, filterWidth, strideHeight, strideWidth, padInfo.top, padInfo.left, outHeight, outWidth].join(',')}`;
  return ctx.memo(key, () => patches(ops(ctx), x, info));
}

function checkShape(call: KernelCall, got: readonly number[], expected: readonly number[]): void {
  if (got.join() !== expected.join()) throw new OnnxExportError(`${call.kernel}: tfjs gave [${expected}] where the patch product gives [${got}]`);
}

/** y = conv2d(x, W) with W a graph value (plain Conv2D only: no bias, no activation). */
export const conv2dNhwc: Lowering = (call, ctx) => {
  const x = input(call, 'x');
  const filter = input(call, 'filter');
  const info = convInfo(call, x.shape, filter.shape);
  checkShape(call, info.outShape, call.outputs[0].shape);
  const w = ctx.operand(filter, 'plain');
  ctx.define(call.outputs[0], forwardProduct(ops(ctx), patchesOf(ctx, ctx.operand(x, 'plain'), info), w, info), 'plain');
};

/** dW = patches(x)^T . dy. */
export const conv2dBackpropFilterNhwc: Lowering = (call, ctx) => {
  const x = input(call, 'x');
  const dy = input(call, 'dy');
  const info = convInfo(call, x.shape, call.attrs.filterShape as number[]);
  checkShape(call, info.outShape, dy.shape);
  ctx.define(call.outputs[0], filterGradProduct(ops(ctx), patchesOf(ctx, ctx.operand(x, 'plain'), info), ctx.operand(dy, 'plain'), info), 'plain');
};

/** dx = col2im(dy . W^T), NHWC, for any stride: a scatter-add where the batch is fixed and pixels are blocks. */
export const conv2dBackpropInputNhwc: Lowering = (call, ctx) => {
  const dy = input(call, 'dy');
  const filter = input(call, 'filter');
  const out = call.outputs[0];
  const info = convInfo(call, out.shape, filter.shape);
  checkShape(call, info.outShape, dy.shape);
  if (info.inChannels === 1 && info.filterHeight * info.filterWidth > 1) {
    ctx.define(out, singleChannelTranspose(call, ctx, info), 'nchw');
    return;
  }
  const w = ctx.operand(filter, 'plain');
  const scatter = ctx.fixed && info.filterHeight * info.filterWidth > 1 && info.inChannels >= PIXEL_BLOCK_MIN_CHANNELS;
  const dx = scatter ? inputGradScatter(ops(ctx), ctx.operand(dy, 'plain'), w, info, dy.shape[0]) : inputGradProduct(ops(ctx), ctx.operand(dy, 'plain'), w, info);
  ctx.define(out, dx, 'plain');
};

/**
 * dx with one channel (e.g. a generator's last transposed convolution back
 * to a grey image): ONNX ConvTranspose, a GEMM and one col2im. The
 * tap-by-tap col2im of inputGradProduct took a Split, a Pad per tap and a
 * Sum (36 taps for a 6x6 kernel), and the scatter is per float at one
 * channel; with one channel NCHW and NHWC are the same bytes.
 */
function singleChannelTranspose(call: KernelCall, ctx: LowerContext, info: Info): string {
  const dy = input(call, 'dy');
  const win = windowPads([info.inHeight, info.inWidth], [info.filterHeight, info.filterWidth], [info.strideHeight, info.strideWidth], [1, 1], call.attrs.pad as TfPad);
  const reached = [0, 1].map((i) => [info.strideHeight, info.strideWidth][i] * (dy.shape[i + 1] - 1) + win.kernel[i] - win.pads[i] - win.pads[i + 2]);
  const outputPadding = [info.inHeight - reached[0], info.inWidth - reached[1]];
  if (outputPadding.some((p, i) => p < 0 || (p > 0 && p >= [info.strideHeight, info.strideWidth][i]))) {
    throw new OnnxExportError(`${call.kernel}: output ${info.inHeight}x${info.inWidth} cannot be reproduced (output padding ${outputPadding})`);
  }
  // [kh, kw, 1, out] -> ConvTranspose's [out, 1, kh, kw].
  const w = ctx.weight(input(call, 'filter'), HWIO_TO_OIHW);
  return ctx.g.op('ConvTranspose', [ctx.operand(dy, 'nchw'), w], { ...windowAttrs(win), output_padding: outputPadding });
}

const filterIsComputed = (call: KernelCall) => call.inputs.find(([k]) => k === 'filter')?.[1]?.kind === 'dyn';

/**
 * The lowerings of `base` with convolutions of computed filters sent here;
 * constant filters keep the NCHW Conv (ORT's fast path for fixed weights).
 * The filter gradient always takes the patch product.
 */
export function withTrainedWeights(base: Record<string, Lowering>): Record<string, Lowering> {
  const pick = (kernel: string, nhwc: Lowering): Lowering => (call, ctx) => (filterIsComputed(call) ? nhwc : base[kernel])(call, ctx);
  return {
    ...base,
    Conv2D: pick('Conv2D', conv2dNhwc),
    Conv2DBackpropInput: pick('Conv2DBackpropInput', conv2dBackpropInputNhwc),
    Conv2DBackpropFilter: conv2dBackpropFilterNhwc,
  };
}
