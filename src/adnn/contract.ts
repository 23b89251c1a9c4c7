import type * as tf from '@tensorflow/tfjs-core';
import type { StagePlan } from './stages/plan.js';
import type { FlopsCounter } from '../nn/flops.js';

/**
 * The AdNN contract (docs/design.md §3). Every model, built in or user supplied,
 * implements it; the rest of the pipeline only talks to this interface.
 */

export type AdnnKind = 'skipping' | 'early-exit';

/** Input images are NHWC float32 in `range`; normalisation belongs to the model. */
export interface InputSpec {
  height: number;
  width: number;
  channels: number;
  range: [number, number];
}

/**
 * A conditional block: a unit of computation the model may run or not.
 * For early-exit models, block i is the segment after exit i-1 together with
 * the exit head evaluated after it; it runs iff no earlier exit was confident.
 */
export interface Block {
  name: string;
  flops: number;
}

export interface AdnnMeta {
  /** Display name, e.g. "sdn-tiny". */
  name: string;
  /** Zoo architecture it was built from. */
  arch: string;
  kind: AdnnKind;
  input: InputSpec;
  numClasses: number;
  /** FLOPs that every input pays (stem, first segment, first exit, gates ...). */
  baseFlops: number;
  blocks: Block[];
  /**
   * Early-exit models: cumulative FLOPs spent by an input that leaves at each
   * exit, in order (the first is baseFlops, the last every block). Optional.
   */
  exitFlops?: number[];
}

/** Differentiable pass: the activation probabilities p_i(x), one per block. */
export interface SoftOutput {
  /** Logits of the final classifier, [B, classes]. */
  logits: tf.Tensor2D;
  /** Activation probability of each block, [B, K], in [0, 1]. */
  p: tf.Tensor2D;
}

/** What the real adaptive execution did, per input. */
export interface Execution {
  predictions: Int32Array;
  /** Row-major [B, K]: 1 when block k ran for input b. */
  ran: Uint8Array;
  /** FLOPs counted while executing, per input. */
  flops: Float64Array;
}

export interface AdaptiveNetwork {
  readonly meta: AdnnMeta;
  /**
   * `tau` (optional, default the model's own, 0.5): for models whose later p
   * depend on which earlier blocks ran (SkipNet's gates read the state the
   * skipped or run blocks produced), the soft pass follows the decisions at
   * this threshold, so its p are the ones `run(x, tau)` acts on. Models whose
   * p do not depend on it ignore it.
   */
  soft(x: tf.Tensor4D, tau?: number): SoftOutput;
  /**
   * Early-exit models, optional: the logits of every exit in order, the last
   * being the final classifier's, each [B, classes], in inference mode and
   * differentiable. Attacks on the internal classifiers (DeepSloth) use it
   * when present; without it they fall back to a loss on `soft(x).p`.
   */
  exitLogits?(x: tf.Tensor4D): tf.Tensor2D[];
  /**
   * Optional: the output of the model's first convolutional layer (the stem:
   * input normalisation, conv, then its batch norm and activation where the
   * model has them), [B, H', W', C'], in inference mode: the feature map the
   * rest of the model reads. The input-validation detector
   * (src/mitigation/detector, paper §6.2) reads it as its features; models
   * without it cannot have one. `counter`, when given, receives its FLOPs.
   */
  firstConv?(x: tf.Tensor4D, counter?: FlopsCounter): tf.Tensor4D;
  /** The real adaptive execution at threshold tau: skipped blocks are not computed. */
  run(x: tf.Tensor4D, tau: number): Execution;
  /**
   * Optional: the real adaptive execution cut at its decisions (src/adnn/stages).
   * When present, run(x, tau) must be what the stage executor does with it
   * (the zoo's run() is exactly that), and the forward-only paths run the
   * stages on onnxruntime, one session per stage, with the same decisions and
   * FLOPs. The same plan object each call (stages may keep layouts between steps).
   */
  stages?(): StagePlan;
  /** The family's training objective for a labelled batch (labels one-hot, [B, classes]). */
  trainingLoss(x: tf.Tensor4D, labels: tf.Tensor2D): tf.Scalar;
  /**
   * Optional, for staged training schemes (BlockDrop: the backbone first, then
   * the policy): the trainer calls it before each epoch, 0-based, with the
   * total number of epochs; `trainingLoss` then computes that stage's objective.
   */
  beginEpoch?(epoch: number, epochs: number): void;
  /** Variables that training updates. */
  trainableVariables(): tf.Variable[];
  /** Every named weight, for saving. */
  namedWeights(): Map<string, tf.Variable>;
  dispose(): void;
}
