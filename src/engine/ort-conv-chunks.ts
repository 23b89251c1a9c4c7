import type * as tf from '@tensorflow/tfjs-core';
import { CONV_IO, type ConvKind } from './conv-onnx.js';
import type { HeapBackend } from './heap.js';
import { KernelError } from './kernel-calls.js';
import type { OrtSession, OrtTensorData } from './ort/index.js';

type Info = tf.backend_util.Conv2DInfo;

/** One kernel call on onnxruntime, batch chunk by batch chunk. */
export class Chunks {
  private readonly shape: number[];

  constructor(
    private readonly session: OrtSession,
    private readonly kind: ConvKind,
    private readonly info: Info,
    private readonly step: number,
    private readonly heap: HeapBackend | undefined,
    private readonly backend: tf.KernelBackend,
  ) {
    this.shape = outputShape(kind, info);
  }

  /** Forward or input gradient: each chunk of the batch gives its own rows of the output. */
  fill(a: tf.TensorInfo, filter: tf.TensorInfo): tf.TensorInfo {
    const target = allocate(this.heap, this.backend, this.shape);
    try {
      // Views of the wasm heap stay valid until the next allocation, which comes after the loop.
      const [va, vf] = [values(this.heap, this.backend, a), values(this.heap, this.backend, filter)];
      const rows = sizeOf(this.shape) / this.info.batchSize;
      this.each((start, m) => {
        const [na, nf] = CONV_IO[this.kind].inputs;
        const y = this.call({ [na]: slab(a, va, start, m), [nf]: { data: vf, dims: filter.shape } }, [m, ...this.shape.slice(1)]);
        target.values.set(y, start * rows);
      });
    } catch (e) {
      if (target.out) this.backend.disposeData(target.out.dataId);
      throw e;
    }
    return finishOutput(this.backend, target, this.shape);
  }

  /** Filter gradient: the chunks' contributions summed through the accumulator input. */
  accumulate(x: tf.TensorInfo, dy: tf.TensorInfo): tf.TensorInfo {
    let acc: Float32Array = new Float32Array(sizeOf(this.shape));
    const [vx, vdy] = [values(this.heap, this.backend, x), values(this.heap, this.backend, dy)];
    this.each((start, m) => {
      acc = this.call({ x: slab(x, vx, start, m), dy: slab(dy, vdy, start, m), acc: { data: acc, dims: this.shape } }, this.shape);
    });
    return store(this.heap, this.backend, acc, this.shape);
  }

  private each(f: (start: number, count: number) => void): void {
    for (let start = 0; start < this.info.batchSize; start += this.step) f(start, Math.min(this.step, this.info.batchSize - start));
  }

  private call(feeds: Record<string, OrtTensorData>, want: number[]): Float32Array {
    const result = this.session.run(feeds)[CONV_IO[this.kind].output];
    if (result === undefined || result.dims.join() !== want.join()) {
      throw new KernelError(`it returned [${result?.dims.join(',')}], expected [${want.join(',')}]`);
    }
    return result.data;
  }
}

/** Images start .. start + count of a batch tensor, as a view. */
function slab(t: tf.TensorInfo, v: Float32Array, start: number, count: number): OrtTensorData {
  const per = sizeOf(t.shape) / t.shape[0];
  return { data: v.subarray(start * per, (start + count) * per), dims: [count, ...t.shape.slice(1)] };
}

/** Bytes of the patch matrix (and of the input gradient's columns) per image. */
export function patchBytesPerImage(i: Info): number {
  return 4 * i.outHeight * i.outWidth * i.filterHeight * i.filterWidth * i.inChannels;
}

const sizeOf = (shape: readonly number[]) => shape.reduce((p, q) => p * q, 1);

/** The tensor's values: a view of the wasm heap (no copy), or a read on other backends. */
function values(heap: HeapBackend | undefined, backend: tf.KernelBackend, t: tf.TensorInfo): Float32Array {
  return (heap ? heap.typedArrayFromHeap(t) : backend.readSync(t.dataId)) as Float32Array;
}

/** Where the result is written: a new heap tensor on wasm, a plain array elsewhere (written at the end). */
interface Target {
  out?: tf.TensorInfo;
  values: Float32Array;
}

function allocate(heap: HeapBackend | undefined, _backend: tf.KernelBackend, shape: number[]): Target {
  if (heap === undefined) return { values: new Float32Array(sizeOf(shape)) };
  const out = heap.makeOutput(shape, 'float32');
  return { out, values: heap.typedArrayFromHeap(out) as Float32Array };
}

function finishOutput(backend: tf.KernelBackend, target: Target, shape: number[]): tf.TensorInfo {
  return target.out ?? { dataId: backend.write(target.values, shape, 'float32'), shape, dtype: 'float32' };
}

function store(heap: HeapBackend | undefined, backend: tf.KernelBackend, data: Float32Array, shape: number[]): tf.TensorInfo {
  const target = allocate(heap, backend, shape);
  target.values.set(data);
  return finishOutput(backend, target, shape);
}

export function outputShape(kind: ConvKind, i: Info): number[] {
  if (kind === 'forward') return [i.batchSize, i.outHeight, i.outWidth, i.outChannels];
  if (kind === 'inputGrad') return [i.batchSize, i.inHeight, i.inWidth, i.inChannels];
  return [i.filterHeight, i.filterWidth, i.inChannels, i.outChannels];
}
