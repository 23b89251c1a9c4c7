import * as tf from '@tensorflow/tfjs-core';
import { depthwiseByTaps } from '../../nn/index.js';
import type { OnnxNode } from './model.js';
import { attrInt, attrInts, attrString, OnnxNodeError, tensorOf, type Value } from './value.js';

/**
 * Convolutions and pooling. ONNX is NCHW; tfjs convolves NHWC, so each op
 * transposes in and out (cheap next to the convolution, and the tape
 * differentiates through both).
 */

const toNhwc = (x: tf.Tensor): tf.Tensor4D => tf.transpose(x, [0, 2, 3, 1]) as tf.Tensor4D;
const toNchw = (x: tf.Tensor): tf.Tensor4D => tf.transpose(x, [0, 3, 1, 2]) as tf.Tensor4D;

interface Window {
  kernel: [number, number];
  strides: [number, number];
  dilations: [number, number];
  /** [top, left, bottom, right] */
  pads: [number, number, number, number];
}

function windowOf(node: OnnxNode, kernel: number[]): Window {
  const autoPad = attrString(node, 'auto_pad', 'NOTSET');
  if (autoPad !== 'NOTSET' && autoPad !== 'VALID') throw new OnnxNodeError(node, `auto_pad ${autoPad} is not supported; export with explicit pads`);
  if (kernel.length !== 2) throw new OnnxNodeError(node, `only 2-D windows are supported, got kernel_shape [${kernel}]`);
  const pair = (name: string): [number, number] => {
    const v = attrInts(node, name) ?? [1, 1];
    return [v[0], v[1]];
  };
  const p = attrInts(node, 'pads') ?? [0, 0, 0, 0];
  return { kernel: [kernel[0], kernel[1]], strides: pair('strides'), dilations: pair('dilations'), pads: [p[0], p[1], p[2], p[3]] };
}

/** NHWC x padded with `value` (zeros for convolutions, -inf-like for max pooling). */
function padNhwc(x: tf.Tensor4D, pads: Window['pads'], value = 0): tf.Tensor4D {
  if (pads.every((p) => p === 0)) return x;
  return tf.pad(x, [[0, 0], [pads[0], pads[2]], [pads[1], pads[3]], [0, 0]], value);
}

export function conv(node: OnnxNode, [x, w, b]: (Value | undefined)[]): tf.Tensor {
  const input = tensorOf(node, x, 'input X');
  const weight = tensorOf(node, w, 'weight W');
  if (input.rank !== 4 || weight.rank !== 4) throw new OnnxNodeError(node, `only 2-D convolutions (rank-4 tensors) are supported, got input rank ${input.rank}`);
  const [outC, inPerGroup, kh, kw] = weight.shape;
  const win = windowOf(node, attrInts(node, 'kernel_shape') ?? [kh, kw]);
  const groups = attrInt(node, 'group', 1);
  const inC = input.shape[1];
  if (inPerGroup * groups !== inC) throw new OnnxNodeError(node, `weight reads ${inPerGroup} x ${groups} channels, input has ${inC}`);
  const xs = padNhwc(toNhwc(input), win.pads);
  let y: tf.Tensor4D;
  if (groups === 1) {
    y = tf.conv2d(xs, tf.transpose(weight, [2, 3, 1, 0]) as tf.Tensor4D, win.strides, 'valid', 'NHWC', win.dilations);
  } else if (inPerGroup === 1) {
    // Depthwise: output channel c * m + j reads input channel c.
    const m = outC / groups;
    const f = tf.transpose(tf.reshape(weight, [groups, m, kh, kw]), [2, 3, 0, 1]) as tf.Tensor4D;
    // The wasm backend has no depthwise gradient kernels: the same sum by taps differentiates everywhere.
    const byTaps = m === 1 && kh === kw && win.strides[0] === win.strides[1] && win.dilations.every((d) => d === 1) && !hasDepthwiseGradients();
    y = byTaps ? depthwiseByTaps(xs, f, win.strides[0], 'valid') : tf.depthwiseConv2d(xs, f, win.strides, 'valid', 'NHWC', win.dilations);
  } else {
    const parts = tf.split(xs, groups, 3);
    const filters = tf.split(weight, groups, 0);
    y = tf.concat(parts.map((p, g) => tf.conv2d(p as tf.Tensor4D, tf.transpose(filters[g], [2, 3, 1, 0]) as tf.Tensor4D, win.strides, 'valid', 'NHWC', win.dilations)), 3);
  }
  if (b !== undefined) y = tf.add(y, tensorOf(node, b, 'bias B'));
  return toNchw(y);
}

function hasDepthwiseGradients(): boolean {
  const backend = tf.getBackend();
  return tf.getKernel('DepthwiseConv2dNativeBackpropFilter', backend) != null && tf.getKernel('DepthwiseConv2dNativeBackpropInput', backend) != null;
}

export function convTranspose(node: OnnxNode, [x, w, b]: (Value | undefined)[]): tf.Tensor {
  const input = tensorOf(node, x, 'input X');
  const weight = tensorOf(node, w, 'weight W');
  const [inC, outC, kh, kw] = weight.shape;
  const win = windowOf(node, attrInts(node, 'kernel_shape') ?? [kh, kw]);
  if (attrInt(node, 'group', 1) !== 1) throw new OnnxNodeError(node, 'grouped transposed convolutions are not supported');
  if (win.dilations.some((d) => d !== 1)) throw new OnnxNodeError(node, 'dilated transposed convolutions are not supported');
  if (attrInts(node, 'output_shape')) throw new OnnxNodeError(node, 'output_shape is not supported; export with pads');
  const [n, , h, wd] = input.shape;
  const full: [number, number] = [(h - 1) * win.strides[0] + kh, (wd - 1) * win.strides[1] + kw];
  const filter = tf.transpose(weight, [2, 3, 1, 0]) as tf.Tensor4D; // [kh, kw, out, in]
  let y = tf.conv2dTranspose(toNhwc(input), filter, [n, full[0], full[1], outC], win.strides, 'valid');
  const extra = attrInts(node, 'output_padding') ?? [0, 0];
  // output_padding adds rows past the last window: zeros before the bias.
  if (extra.some((e) => e > 0)) y = tf.pad(y, [[0, 0], [0, extra[0]], [0, extra[1]], [0, 0]]);
  const [t, l, bt, r] = win.pads;
  y = tf.slice(y, [0, t, l, 0], [n, full[0] + extra[0] - t - bt, full[1] + extra[1] - l - r, outC]);
  if (inC !== input.shape[1]) throw new OnnxNodeError(node, `weight reads ${inC} channels, input has ${input.shape[1]}`);
  if (b !== undefined) y = tf.add(y, tensorOf(node, b, 'bias B'));
  return toNchw(y);
}

export function pool(node: OnnxNode, [x]: (Value | undefined)[]): tf.Tensor {
  const input = tensorOf(node, x, 'input X');
  const kernel = attrInts(node, 'kernel_shape');
  if (!kernel) throw new OnnxNodeError(node, 'kernel_shape is missing');
  const win = windowOf(node, kernel);
  if (attrInt(node, 'ceil_mode', 0) !== 0) throw new OnnxNodeError(node, 'ceil_mode=1 is not supported');
  if (win.dilations.some((d) => d !== 1)) throw new OnnxNodeError(node, 'dilated pooling is not supported');
  const xs = toNhwc(input);
  if (node.op === 'MaxPool') return toNchw(tf.maxPool(padNhwc(xs, win.pads, -3.4e38), win.kernel, win.strides, 'valid'));
  const summed = tf.mul(tf.avgPool(padNhwc(xs, win.pads), win.kernel, win.strides, 'valid'), win.kernel[0] * win.kernel[1]);
  if (attrInt(node, 'count_include_pad', 0) === 1 || win.pads.every((p) => p === 0)) {
    return toNchw(tf.div(summed, win.kernel[0] * win.kernel[1]));
  }
  // Padding excluded: divide by the number of real pixels under each window.
  const ones = padNhwc(tf.ones([1, xs.shape[1], xs.shape[2], 1]) as tf.Tensor4D, win.pads);
  const counts = tf.mul(tf.avgPool(ones, win.kernel, win.strides, 'valid'), win.kernel[0] * win.kernel[1]);
  return toNchw(tf.div(summed, counts));
}

export function globalAveragePool(node: OnnxNode, [x]: (Value | undefined)[]): tf.Tensor {
  const input = tensorOf(node, x, 'input X');
  return tf.mean(input, Array.from({ length: input.rank - 2 }, (_, i) => i + 2), true);
}
