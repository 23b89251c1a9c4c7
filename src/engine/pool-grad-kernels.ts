import * as tf from '@tensorflow/tfjs-core';
import { heapOf, newOutput } from './heap.js';
import { orOwn, type KernelArgs, type KernelWrapper } from './kernel-wrap.js';

/**
 * MaxPoolGrad and AvgPoolGrad over the wasm heap, channels innermost. The
 * wasm kernels took 100-250 ms for one [64,32,32,16] map pooled to 4x4 (an
 * SDN internal classifier); these loops take a few ms. Semantics follow
 * tfjs' cpu kernels: max pooling sends each gradient to the first largest
 * value of its window (row-major), average pooling divides by the full
 * filter size.
 */

type Info = tf.backend_util.Conv2DInfo;

interface PoolArgs {
  dy: tf.TensorInfo;
  input: tf.TensorInfo;
  info: Info;
}

function poolArgs(args: KernelArgs): PoolArgs | undefined {
  const { dy, input } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const attrs = args.attrs as unknown as tf.MaxPoolGradAttrs;
  if (input.shape.length !== 4 || input.dtype !== 'float32' || dy.dtype !== 'float32') return undefined;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  return { dy, input, info };
}

/** Calls visit(out, rows, cols) for every output pixel with its window clipped to the input. */
function forEachWindow(info: Info, visit: (outPixel: number, r0: number, r1: number, c0: number, c1: number, b: number) => void): void {
  const { batchSize, outHeight, outWidth, strideHeight, strideWidth, inHeight, inWidth, filterHeight, filterWidth } = info;
  const { top, left } = info.padInfo;
  for (let b = 0; b < batchSize; b++) {
    for (let i = 0; i < outHeight; i++) {
      const r = i * strideHeight - top;
      for (let j = 0; j < outWidth; j++) {
        const c = j * strideWidth - left;
        const px = (b * outHeight + i) * outWidth + j;
        visit(px, Math.max(0, r), Math.min(inHeight, r + filterHeight), Math.max(0, c), Math.min(inWidth, c + filterWidth), b);
      }
    }
  }
}

export const maxPoolGrad: KernelWrapper = (own) => (args) => {
  const heap = heapOf(args.backend);
  const p = heap && poolArgs(args);
  if (heap === undefined || p === undefined) return orOwn(own, 'MaxPoolGrad')(args);
  const { inHeight: h, inWidth: w, inChannels: ch } = p.info;
  const { out, values: dx } = newOutput(heap, p.input.shape, 'float32');
  dx.fill(0);
  const x = heap.typedArrayFromHeap(p.input);
  const g = heap.typedArrayFromHeap(p.dy);
  const best = new Float32Array(ch);
  const at = new Int32Array(ch);
  forEachWindow(p.info, (px, r0, r1, c0, c1, b) => {
    best.fill(-Infinity);
    at.fill(-1);
    for (let r = r0; r < r1; r++) {
      for (let c = c0; c < c1; c++) {
        const base = ((b * h + r) * w + c) * ch;
        for (let d = 0; d < ch; d++) {
          const v = x[base + d];
          if (v > best[d]) {
            best[d] = v;
            at[d] = base + d;
          }
        }
      }
    }
    const o = px * ch;
    for (let d = 0; d < ch; d++) if (at[d] >= 0) dx[at[d]] += g[o + d];
  });
  return out;
};

export const avgPoolGrad: KernelWrapper = (own) => (args) => {
  const heap = heapOf(args.backend);
  const p = heap && poolArgs(args);
  if (heap === undefined || p === undefined) return orOwn(own, 'AvgPoolGrad')(args);
  const { inHeight: h, inWidth: w, inChannels: ch, filterHeight, filterWidth } = p.info;
  const { out, values: dx } = newOutput(heap, p.input.shape, 'float32');
  dx.fill(0);
  const g = heap.typedArrayFromHeap(p.dy);
  const scale = 1 / (filterHeight * filterWidth);
  forEachWindow(p.info, (px, r0, r1, c0, c1, b) => {
    const o = px * ch;
    for (let r = r0; r < r1; r++) {
      for (let c = c0; c < c1; c++) {
        const base = ((b * h + r) * w + c) * ch;
        for (let d = 0; d < ch; d++) dx[base + d] += g[o + d] * scale;
      }
    }
  });
  return out;
};
