import type * as tf from '@tensorflow/tfjs-core';

/**
 * The part of tfjs-backend-wasm's backend that JS kernels use to work on its
 * heap directly: views of a tensor's memory (no copy, valid until the next
 * allocation) and new outputs.
 */
export interface HeapBackend {
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  incRef(dataId: tf.DataId): void;
}

export function heapOf(backend: unknown): HeapBackend | undefined {
  const b = backend as Partial<HeapBackend>;
  return typeof b.typedArrayFromHeap === 'function' && typeof b.makeOutput === 'function' && typeof b.incRef === 'function'
    ? (b as HeapBackend)
    : undefined;
}

/** A new output of `shape` and a view of it (take input views after this call: it may grow the heap). */
export function newOutput(heap: HeapBackend, shape: number[], dtype: tf.DataType): { out: tf.TensorInfo; values: Float32Array | Int32Array | Uint8Array } {
  const out = heap.makeOutput(shape, dtype);
  return { out, values: heap.typedArrayFromHeap(out) };
}
