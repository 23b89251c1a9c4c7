import * as tf from '@tensorflow/tfjs-core';
import { heapOf, newOutput } from './heap.js';
import { orOwn, type KernelWrapper } from './kernel-wrap.js';

/**
 * Kernels of the wasm backend that only move memory, written over its heap
 * where its own ones copy needlessly.
 */

/**
 * Identity without a copy: the engine clones every tensor it saves for a
 * gradient through Identity, and the wasm kernel copies the whole buffer each
 * time (656 copies, 270 ms of a ResNet-56 input gradient). Tensors are
 * immutable, so sharing the buffer with a reference count is enough, as the
 * cpu backend's Identity and every backend's Reshape already do.
 */
export const identity: KernelWrapper = (own) => (args) => {
  const heap = heapOf(args.backend);
  const { x } = args.inputs as { x: tf.TensorInfo };
  if (heap === undefined) return orOwn(own, 'Identity')(args);
  heap.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
};

/** Cast to the dtype a tensor already has (ReLU's gradient casts its float mask to float) shares the buffer too. */
export const cast: KernelWrapper = (own) => (args) => {
  const heap = heapOf(args.backend);
  const { x } = args.inputs as { x: tf.TensorInfo };
  const { dtype } = args.attrs as unknown as tf.CastAttrs;
  if (heap === undefined || dtype !== x.dtype) return orOwn(own, 'Cast')(args);
  heap.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
};

/**
 * Slice reading the heap in place and copying runs as long as the slice
 * allows (every trailing axis taken whole joins the run). The wasm kernel
 * first copies the whole input out of the heap, then copies innermost rows
 * (18 ms for a [64,16,16,64] crop; this is about 1 ms).
 */
export const slice: KernelWrapper = (own) => (args) => {
  const heap = heapOf(args.backend);
  const { x } = args.inputs as { x: tf.TensorInfo };
  const { begin, size } = args.attrs as unknown as tf.SliceAttrs;
  if (heap === undefined || x.dtype === 'string') return orOwn(own, 'Slice')(args);
  const [b, s] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size);
  const { out, values } = newOutput(heap, s, x.dtype);
  const src = heap.typedArrayFromHeap(x);
  copySlice(src, x.shape, b, s, values);
  return out;
};

/** Copies the box `begin`..`begin + size` of a row-major array of `shape` into `out`. */
export function copySlice(
  src: { subarray(a: number, b: number): ArrayLike<number> },
  shape: readonly number[],
  begin: readonly number[],
  size: readonly number[],
  out: { set(a: ArrayLike<number>, offset: number): void },
): void {
  const rank = shape.length;
  if (size.some((d) => d === 0)) return;
  // The run: from the first axis after which every axis is taken whole.
  let k = rank - 1;
  while (k > 0 && begin[k] === 0 && size[k] === shape[k]) k--;
  let run = size[k];
  for (let a = k + 1; a < rank; a++) run *= shape[a];
  const strides = new Array<number>(rank).fill(1);
  for (let a = rank - 2; a >= 0; a--) strides[a] = strides[a + 1] * shape[a + 1];
  const outer = size.slice(0, k);
  const idx = new Array<number>(k).fill(0);
  let dst = 0;
  for (;;) {
    let at = begin[k] * strides[k];
    for (let a = 0; a < k; a++) at += (begin[a] + idx[a]) * strides[a];
    out.set(src.subarray(at, at + run), dst);
    dst += run;
    let a = k - 1;
    while (a >= 0 && ++idx[a] === outer[a]) idx[a--] = 0;
    if (a < 0) return;
  }
}
