import * as tf from '@tensorflow/tfjs-core';
import { defaultInferenceEngine, type EngineName, type InferenceEngine } from '../engine/ort/index.js';
import type { AdaptiveNetwork } from './contract.js';

export interface ActivationGradient {
  /** d (sum over inputs and blocks of p) / dx, the shape of x. */
  grad: tf.Tensor4D;
  /** Which engine computed it: one onnxruntime program, or tfjs's kernels. */
  engine: EngineName;
}

/**
 * The gradient of the activation probabilities with respect to the input,
 * d sum(soft(x, tau).p) / dx: how each pixel moves every block's chance of
 * running, the direction the gradient attacks (ILFO, DeepSloth) follow.
 * On onnxruntime the soft pass and tfjs's backward pass of it run as one
 * program, compiled once per network, batch shape and tau (the frozen
 * weights are its constants); on tfjs it is tf.grad. The caller owns `grad`.
 */
export function activationGradient(network: AdaptiveNetwork, x: tf.Tensor4D, opts: { tau?: number; engine?: InferenceEngine } = {}): ActivationGradient {
  const tau = opts.tau ?? 0.5;
  const gradient = (v: tf.Tensor4D) => tf.grad((u: tf.Tensor) => tf.sum(network.soft(u as tf.Tensor4D, tau).p))(v) as tf.Tensor4D;
  const engine = opts.engine ?? defaultInferenceEngine();
  const program = engine.program(network, `activation gradient tau=${tau} [${x.shape}]`, network.namedWeights().values(), () => ({
    inputs: [x],
    fn: (v) => [gradient(v as tf.Tensor4D)],
    name: 'activation-gradient',
  }));
  if (!program) return { grad: tf.tidy(() => gradient(x)), engine: 'tfjs' };
  const [grad] = program.run([x.dataSync() as Float32Array]).outputs;
  return { grad: tf.tensor4d(grad, x.shape as [number, number, number, number]), engine: 'ort' };
}
