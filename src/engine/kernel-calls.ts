import * as tf from '@tensorflow/tfjs-core';

/** A composite kernel was called with arguments it cannot handle. */
export class KernelError extends Error {
  override readonly name = 'KernelError';
}

export type Pair = [number, number];
export type Paddings4 = [Pair, Pair, Pair, Pair];

export interface Conv2DCall {
  strides: number | Pair;
  dilations: number | Pair;
  /** Explicit NHWC padding; the batch and channel entries must be [0, 0]. */
  pad: Paddings4;
}

/**
 * Calls one backend's own registered kernels directly (no engine, no tape,
 * no profiling) and remembers every intermediate, so a kernel composed from
 * other kernels can free all of them with `backend.disposeData`.
 */
export class KernelCalls {
  private readonly temps: tf.TensorInfo[] = [];

  constructor(
    private readonly backend: tf.KernelBackend,
    private readonly backendName: string,
  ) {}

  conv2d(x: tf.TensorInfo, filter: tf.TensorInfo, c: Conv2DCall): tf.TensorInfo {
    const attrs = { strides: c.strides, dilations: c.dilations, pad: c.pad, dataFormat: 'NHWC' };
    return this.run('Conv2D', { x, filter }, attrs);
  }

  transpose(x: tf.TensorInfo, perm: number[]): tf.TensorInfo {
    return this.run('Transpose', { x }, { perm });
  }

  reshape(x: tf.TensorInfo, shape: number[]): tf.TensorInfo {
    return this.run('Reshape', { x }, { shape });
  }

  pad(x: tf.TensorInfo, paddings: Pair[]): tf.TensorInfo {
    return this.run('PadV2', { x }, { paddings, constantValue: 0 });
  }

  slice(x: tf.TensorInfo, begin: number[], size: number[]): tf.TensorInfo {
    return this.run('Slice', { x }, { begin, size });
  }

  concat(xs: tf.TensorInfo[], axis: number): tf.TensorInfo {
    // Concat takes its inputs as an array, not a name map.
    return this.run('Concat', xs as unknown as tf.NamedTensorInfoMap, { axis });
  }

  batchMatMul(a: tf.TensorInfo, b: tf.TensorInfo, transposeA = false, transposeB = false): tf.TensorInfo {
    return this.run('BatchMatMul', { a, b }, { transposeA, transposeB });
  }

  /** An elementwise binary kernel (Multiply, Add, Sub, RealDiv ...), broadcasting as tfjs does. */
  binary(kernelName: 'Multiply' | 'Add' | 'Sub' | 'RealDiv', a: tf.TensorInfo, b: tf.TensorInfo): tf.TensorInfo {
    return this.run(kernelName, { a, b }, {});
  }

  /** x > 0 ? 1 : alpha (NaN stays NaN). */
  step(x: tf.TensorInfo, alpha: number): tf.TensorInfo {
    return this.run('Step', { x }, { alpha });
  }

  zeros(shape: number[]): tf.TensorInfo {
    return this.run('Fill', {}, { shape, value: 0, dtype: 'float32' });
  }

  /** A new float32 tensor holding `values` (owned by this call list). */
  fromValues(values: Float32Array, shape: number[]): tf.TensorInfo {
    const out = { dataId: this.backend.write(values, shape, 'float32'), shape, dtype: 'float32' as const };
    this.temps.push(out);
    return out;
  }

  /** The values of a float32 tensor (a copy on wasm). */
  read(x: tf.TensorInfo): Float32Array {
    return this.backend.readSync(x.dataId) as Float32Array;
  }

  /** Frees every intermediate except `result`, which the caller now owns. */
  finish(result: tf.TensorInfo): tf.TensorInfo {
    for (const t of this.temps) {
      if (t !== result) this.backend.disposeData(t.dataId);
    }
    this.temps.length = 0;
    return result;
  }

  /** Frees every intermediate (used when the composite kernel throws). */
  disposeAll(): void {
    for (const t of this.temps) this.backend.disposeData(t.dataId);
    this.temps.length = 0;
  }

  private run(kernelName: string, inputs: tf.NamedTensorInfoMap, attrs: object): tf.TensorInfo {
    const config = tf.getKernel(kernelName, this.backendName);
    if (config == null) {
      throw new KernelError(`The ${this.backendName} backend has no ${kernelName} kernel.`);
    }
    // Explicit paddings (number[][]) are outside tfjs' Attribute union, as in
    // tfjs' own kernels; the kernels read them as the typed attrs they expect.
    const out = config.kernelFunc({
      inputs,
      backend: this.backend,
      attrs: attrs as unknown as tf.NamedAttrMap,
    });
    if (Array.isArray(out)) {
      throw new KernelError(`${kernelName} returned several tensors; expected one.`);
    }
    this.temps.push(out);
    return out;
  }
}
