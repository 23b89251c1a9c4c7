import type * as tf from '@tensorflow/tfjs-core';
import { checkDyShape, explicitPad, forwardInfo } from './conv-geometry.js';
import { KernelCalls } from './kernel-calls.js';
import type { ConvAccelerator } from './ort-conv.js';

/**
 * Conv2DBackpropFilter as one forward convolution on `backendName`:
 *   dW[p,q,ci,co] = sum_{b,i,j} x[b, i*sh - top + p, j*sw - left + q, ci] * dy[b,i,j,co]
 * is a stride-1 convolution of x as [Cin,H,W,B] (channels act as the batch,
 * the batch as channels) with dy as a [oh,ow,B,Cout] filter dilated by the
 * forward stride, giving [Cin,kh,kw,Cout]. `accel` (onnxruntime) takes the
 * layers it is worth for first.
 */
export function makeBackpropFilter(backendName: string, accel?: ConvAccelerator): tf.KernelFunc {
  return (args) => {
    const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const attrs = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    const info = forwardInfo('Conv2DBackpropFilter', x.shape, attrs.filterShape, attrs);
    checkDyShape('Conv2DBackpropFilter', dy, info);
    const fast = accel?.tryRun('filterGrad', info, x, dy, args.backend as tf.KernelBackend);
    if (fast !== undefined) return fast;
    const calls = new KernelCalls(args.backend as tf.KernelBackend, backendName);
    try {
      const { filterHeight: kh, filterWidth: kw, inChannels: cin, outChannels: cout } = info;
      const { top, left } = info.padInfo;
      // Pad the far side only as far as the last window reaches; when input
      // rows lie beyond every window ('valid'), the output overshoots and is cropped.
      const bottom = Math.max(0, kh + (info.outHeight - 1) * info.strideHeight - info.inHeight - top);
      const right = Math.max(0, kw + (info.outWidth - 1) * info.strideWidth - info.inWidth - left);
      const g = calls.conv2d(calls.transpose(x, [3, 1, 2, 0]), calls.transpose(dy, [1, 2, 0, 3]), {
        strides: 1,
        dilations: [info.strideHeight, info.strideWidth],
        pad: explicitPad([top, bottom], [left, right]),
      });
      const exact = g.shape[1] === kh && g.shape[2] === kw;
      const cropped = exact ? g : calls.slice(g, [0, 0, 0, 0], [cin, kh, kw, cout]);
      return calls.finish(calls.transpose(cropped, [1, 2, 0, 3]));
    } catch (e) {
      calls.disposeAll();
      throw e;
    }
  };
}
