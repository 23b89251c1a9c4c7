import * as tf from '@tensorflow/tfjs-core';
import { KernelError, type KernelCalls, type Paddings4, type Pair } from './kernel-calls.js';

export type { Pair };
export type GradAttrs = tf.Conv2DBackpropFilterAttrs | tf.Conv2DBackpropInputAttrs;

/** Validates the attrs the gradient kernels support and returns the forward convolution's geometry. */
export function forwardInfo(
  kernel: string,
  inShape: number[],
  filterShape: number[],
  attrs: GradAttrs,
): tf.backend_util.Conv2DInfo {
  if (attrs.dataFormat !== undefined && attrs.dataFormat !== 'NHWC') {
    throw new KernelError(`${kernel}: only dataFormat 'NHWC' is supported, got '${attrs.dataFormat}'.`);
  }
  // The backward attrs carry no dilations in tfjs 4.22; refuse them if a caller adds some.
  const dilations = (attrs as { dilations?: number | number[] }).dilations ?? 1;
  const dil = typeof dilations === 'number' ? [dilations] : dilations;
  if (dil.some((d) => d !== 1)) {
    throw new KernelError(`${kernel}: only dilations 1 are supported, got ${String(dilations)}.`);
  }
  return tf.backend_util.computeConv2DInfo(
    inShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
}

export function checkDyShape(kernel: string, dy: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): void {
  if (dy.shape.join(',') !== info.outShape.join(',')) {
    throw new KernelError(
      `${kernel}: dy has shape [${dy.shape.join(',')}] but the convolution produces [${info.outShape.join(',')}].`,
    );
  }
}

export function explicitPad(rows: Pair, cols: Pair): Paddings4 {
  return [[0, 0], rows, cols, [0, 0]];
}

/**
 * Applies signed paddings to the rows/columns of an NHWC tensor: negative ones
 * crop here, positive ones are returned for the convolution to apply.
 */
export function padOrCrop(calls: KernelCalls, d: tf.TensorInfo, rows: Pair, cols: Pair): [tf.TensorInfo, Paddings4] {
  const cut = (n: number): number => Math.max(0, -n);
  const pos = (n: number): number => Math.max(0, n);
  const pad = explicitPad([pos(rows[0]), pos(rows[1])], [pos(cols[0]), pos(cols[1])]);
  if ([...rows, ...cols].every((n) => n >= 0)) return [d, pad];
  const [b, h, w, c] = d.shape;
  const size = [b, h - cut(rows[0]) - cut(rows[1]), w - cut(cols[0]) - cut(cols[1]), c];
  return [calls.slice(d, [0, cut(rows[0]), cut(cols[0]), 0], size), pad];
}
