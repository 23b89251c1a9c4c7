import * as tf from '@tensorflow/tfjs-core';
import { convolutions } from './kernels-conv.js';
import { elementwise } from './kernels-elementwise.js';
import { withTrainedWeights } from './kernels-conv-nhwc.js';
import { gradients } from './kernels-grad.js';
import { shapes } from './kernels-shape.js';
import { LowerContext, OnnxExportError, onnxType, type Lowering } from './lower-context.js';
import { DataType, encodeModel, type OnnxGraph, type OnnxNode, type OnnxTensor } from './onnx-model.js';
import { traceKernels, type Trace } from './trace.js';

export const LOWERINGS: Record<string, Lowering> = withTrainedWeights({ ...elementwise, ...convolutions, ...shapes, ...gradients });

/** Kernels the exporter can write (tests and error messages list them). */
export const SUPPORTED_KERNELS: readonly string[] = Object.keys(LOWERINGS).sort();

/** The batch size the trace runs at: small, and unlike any channel count so a mix-up shows. */
export const TRACE_BATCH = 2;

export interface ExportedModel {
  /** Serialised ONNX ModelProto (opset 17), for InferenceSession.create or a file. */
  bytes: Uint8Array;
  inputNames: string[];
  outputNames: string[];
  /** Logical (tfjs) shape of each output with the batch left out. */
  outputShapes: number[][];
}

/**
 * Writes the ONNX graph of `fn` by running it once on a batch of
 * TRACE_BATCH zero images of each shape in `inputShapes` ([H, W, C] or any
 * per-example shape), recording the tfjs kernels it runs. The weights it
 * reads become initializers with their current values; the batch dimension
 * of the graph is symbolic. `fn` must not branch on data (no dataSync).
 */
export function exportOnnx(inputShapes: readonly (readonly number[])[], fn: (...inputs: tf.Tensor[]) => tf.Tensor[], name = 'deepperform'): ExportedModel {
  const inputs = inputShapes.map((s) => tf.zeros([TRACE_BATCH, ...s]));
  try {
    const trace = traceKernels(inputs, () => fn(...inputs));
    return lowerTrace(trace, name);
  } finally {
    tf.dispose(inputs);
  }
}

/** ONNX graph of a trace: inputs x0.., outputs y0.., all float32 and NHWC like tfjs. */
export function lowerTrace(trace: Trace, name: string): ExportedModel {
  const ctx = new LowerContext(TRACE_BATCH);
  const inputNames = trace.inputs.map((ref, i) => {
    ctx.define(ref, `x${i}`, 'plain');
    return `x${i}`;
  });
  for (const call of trace.calls) {
    const lower = LOWERINGS[call.kernel];
    if (!lower) throw new OnnxExportError(`the tfjs kernel ${call.kernel} has no ONNX export yet (supported: ${SUPPORTED_KERNELS.join(', ')})`);
    lower(call, ctx);
  }
  const outputNames = trace.outputs.map((_, i) => `y${i}`);
  trace.outputs.forEach((out, i) => {
    if (out.kind === 'const') throw new OnnxExportError(`output ${i} does not depend on the input`);
    const v = ctx.value(out);
    const src = ctx.as(v, 'plain');
    ctx.g.nodes.push(
      out.dtype === 'float32'
        ? { op: 'Identity', inputs: [src], outputs: [outputNames[i]] }
        : { op: 'Cast', inputs: [src], outputs: [outputNames[i]], attrs: { to: DataType.FLOAT } },
    );
  });
  const symbolic = (shape: number[]) => ['batch', ...shape.slice(1)];
  const { nodes, initializers } = prune(ctx.g.nodes, ctx.g.initializers, outputNames);
  const graph: OnnxGraph = {
    name,
    nodes,
    initializers,
    inputs: trace.inputs.map((ref, i) => ({ name: inputNames[i], type: onnxType(ref.dtype), shape: symbolic(ref.shape) })),
    outputs: trace.outputs.map((ref, i) => ({ name: outputNames[i], type: DataType.FLOAT, shape: symbolic(ref.shape) })),
  };
  return { bytes: encodeModel(graph), inputNames, outputNames, outputShapes: trace.outputs.map((o) => o.shape.slice(1)) };
}

/**
 * Drops what the outputs do not need: the trace records everything the tfjs
 * code computed (e.g. the final classifier when only p is asked for).
 */
export function prune(nodes: OnnxNode[], initializers: OnnxTensor[], outputs: string[]): { nodes: OnnxNode[]; initializers: OnnxTensor[] } {
  const needed = new Set(outputs);
  const kept: OnnxNode[] = [];
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i];
    if (!n.outputs.some((o) => needed.has(o))) continue;
    kept.push(n);
    for (const input of n.inputs) needed.add(input);
  }
  return { nodes: kept.reverse(), initializers: initializers.filter((t) => needed.has(t.name)) };
}
