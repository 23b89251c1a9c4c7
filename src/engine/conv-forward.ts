import * as tf from '@tensorflow/tfjs-core';
import type { ConvAccelerator } from './ort-conv.js';

/**
 * Conv2D that hands NHWC, undilated convolutions to the accelerator
 * (onnxruntime) and everything else, or whatever it declines, to the
 * backend's own kernel.
 */
export function makeConv2D(own: tf.KernelFunc, accel: ConvAccelerator): tf.KernelFunc {
  return (args) => {
    const { x, filter } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
    const attrs = args.attrs as unknown as tf.Conv2DAttrs;
    const dil = typeof attrs.dilations === 'number' ? [attrs.dilations] : (attrs.dilations ?? [1]);
    if ((attrs.dataFormat ?? 'NHWC') !== 'NHWC' || dil.some((d) => d !== 1) || x.shape.length !== 4) return own(args);
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filter.shape as [number, number, number, number],
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
      false,
      'channelsLast',
    );
    return accel.tryRun('forward', info, x, filter, args.backend as tf.KernelBackend) ?? own(args);
  };
}
