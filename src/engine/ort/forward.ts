import type * as tf from '@tensorflow/tfjs-core';
import type { ExportedModel } from './export.js';
import type { OrtSession, OrtTensorData } from './runtime.js';

/** A forward pass compiled to an ORT session: float32 NHWC batches in, float32 outputs out. */
export class CompiledForward {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Per-example (logical, NHWC) shape of each input. */
  readonly inputShapes: readonly (readonly number[])[];
  /** Per-example (logical, NHWC) shape of each output. */
  readonly outputShapes: readonly (readonly number[])[];

  // Keeps names and shapes only: the model bytes (as large as the weights) can go.
  constructor(
    private readonly session: OrtSession,
    model: ExportedModel,
    inputShapes: readonly (readonly number[])[],
  ) {
    this.inputNames = model.inputNames;
    this.outputNames = model.outputNames;
    this.inputShapes = inputShapes;
    this.outputShapes = model.outputShapes;
  }

  /** The first input's name (single-input forwards). */
  get inputName(): string {
    return this.inputNames[0];
  }

  /**
   * Runs `count` examples laid out back to back in `data`, `batchSize` at a
   * time; returns each output concatenated over the examples. Single-input forwards.
   */
  run(data: Float32Array, count: number, batchSize = 64): Float32Array[] {
    if (this.inputNames.length !== 1) throw new RangeError(`run() feeds one input; this forward has ${this.inputNames.length} (use runTensors)`);
    const inputSize = this.inputShapes[0].reduce((a, b) => a * b, 1);
    const sizes = this.outputShapes.map((s) => s.reduce((a, b) => a * b, 1));
    const outs = sizes.map((s) => new Float32Array(count * s));
    for (let start = 0; start < count; start += batchSize) {
      const n = Math.min(batchSize, count - start);
      const x = data.subarray(start * inputSize, (start + n) * inputSize);
      const res = this.session.run({ [this.inputName]: { data: x, dims: [n, ...this.inputShapes[0]] } });
      this.outputNames.forEach((name, i) => outs[i].set(res[name].data, start * sizes[i]));
    }
    return outs;
  }

  /** One session call on whole batches (batch first), inputs and outputs in order. */
  runTensors(inputs: readonly OrtTensorData[]): OrtTensorData[] {
    if (inputs.length !== this.inputNames.length) throw new RangeError(`${inputs.length} inputs given, the forward takes ${this.inputNames.length}`);
    const feeds: Record<string, OrtTensorData> = {};
    this.inputNames.forEach((name, i) => (feeds[name] = inputs[i]));
    const res = this.session.run(feeds);
    return this.outputNames.map((name) => res[name]);
  }

  dispose(): void {
    this.session.dispose();
  }
}

/**
 * Compiles one traced function to a session, inside InferenceEngine.build;
 * `load` makes a session of a model that already is ONNX (a stage cut from
 * an imported graph, src/adnn/onnx), with the same threads and providers.
 */
export interface ForwardCompiler {
  (inputShapes: readonly (readonly number[])[], fn: (...inputs: tf.Tensor[]) => tf.Tensor[], name?: string): CompiledForward;
  load(model: ExportedModel, inputShapes: readonly (readonly number[])[]): CompiledForward;
}
