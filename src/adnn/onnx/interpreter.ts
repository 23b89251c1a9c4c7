import type { OnnxNode } from './model.js';
import { conv, convTranspose, globalAveragePool, pool } from './ops-conv.js';
import { batchNorm, binary, clip, gemm, matMul, reduceMean, softmax, unary } from './ops-math.js';
import { cast, concat, constant, constantOfShape, neg, flatten, gather, pad, reshape, shape, slice, squeeze, transpose, unsqueeze } from './ops-shape.js';
import { OnnxNodeError, type Value } from './value.js';

/**
 * The ONNX-to-TensorFlow.js interpreter: each node becomes tfjs ops, so the
 * graph's forward pass is differentiable (generator training, ILFO and
 * DeepSloth take gradients through it). Run it inside tf.tidy.
 */

type Op = (node: OnnxNode, inputs: (Value | undefined)[]) => Value;

const OPS: Record<string, Op> = {
  Conv: conv,
  ConvTranspose: convTranspose,
  BatchNormalization: batchNorm,
  Relu: unary,
  LeakyRelu: unary,
  Sigmoid: unary,
  Tanh: unary,
  Clip: clip,
  Add: binary,
  Sub: binary,
  Mul: binary,
  Div: binary,
  MaxPool: pool,
  AveragePool: pool,
  GlobalAveragePool: globalAveragePool,
  Gemm: gemm,
  MatMul: matMul,
  Flatten: flatten,
  Reshape: reshape,
  Transpose: transpose,
  Concat: concat,
  Slice: slice,
  Squeeze: squeeze,
  Unsqueeze: unsqueeze,
  Pad: pad,
  Softmax: softmax,
  ReduceMean: reduceMean,
  Constant: constant,
  Identity: (node, [x]) => present(node, x),
  // Inference mode: dropout passes its input through.
  Dropout: (node, [x]) => present(node, x),
  Shape: shape,
  Gather: gather,
  Cast: cast,
  ConstantOfShape: constantOfShape,
  Neg: neg,
};

function present(node: OnnxNode, v: Value | undefined): Value {
  if (v === undefined) throw new OnnxNodeError(node, 'input is missing');
  return v;
}

/** Operators the interpreter evaluates (the default ONNX domain, opsets 13-17). */
export const SUPPORTED_OPS: readonly string[] = Object.keys(OPS).sort();

export function isSupported(node: OnnxNode): boolean {
  return (node.domain === '' || node.domain === 'ai.onnx') && Object.hasOwn(OPS, node.op);
}

/** Evaluates `nodes` in order, reading and writing `values` by tensor name. */
export function evaluate(nodes: readonly OnnxNode[], values: Map<string, Value>): void {
  for (const node of nodes) {
    const inputs = node.inputs.map((name) => {
      if (name === '') return undefined;
      const v = values.get(name);
      if (v === undefined) throw new OnnxNodeError(node, `reads "${name}", which nothing computed before it`);
      return v;
    });
    const op = OPS[node.op];
    if (!op) throw new OnnxNodeError(node, 'operator is not supported');
    let out: Value;
    try {
      out = op(node, inputs);
    } catch (e) {
      if (e instanceof OnnxNodeError) throw e;
      throw new OnnxNodeError(node, e instanceof Error ? e.message : String(e));
    }
    // Only the first output: Dropout's optional mask and the like are never read here.
    values.set(node.outputs[0], out);
  }
}
