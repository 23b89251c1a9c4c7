/**
 * The contract a user module implements, as a published type: write
 * `import type { AdnnModule } from 'deepperform'` and type your export with
 * it (examples/typescript-adnn/two-exit.ts). deepperform checks every field below when it loads the module and
 * stops with exit code 2, naming the module and the field, when one is
 * missing or invalid (README "In your own project", fixtures/example-adnn/README.md).
 */
import type * as tf from '@tensorflow/tfjs-core';

/** What the module's export is called with: deepperform's own tfjs instance (compute with it) and `model.options`. */
export interface UserModuleContext {
  tf: typeof tf;
  options: Record<string, unknown>;
}

export interface UserAdnnMeta {
  /** Display name, a non-empty string. */
  name: string;
  /** The architecture it is an instance of, for reports; a non-empty string. Default: `name`. */
  arch?: string;
  /** skipping: blocks run when their gate opens; early-exit: an input leaves at the first confident exit. */
  kind: 'skipping' | 'early-exit';
  /** Input images, NHWC float32: positive integer sizes (at most 2^24 values per image) and a finite range, low < high. */
  input: { height: number; width: number; channels: number; range: [number, number] };
  /** Number of classes, a positive integer. */
  numClasses: number;
  /** FLOPs every input pays (2 x multiply-accumulates), finite and >= 0. */
  baseFlops: number;
  /** The conditional blocks, at least one: each a name (string) and its FLOPs (finite, >= 0). */
  blocks: { name: string; flops: number }[];
  /** Early exit, optional: cumulative FLOPs of an input leaving at each exit (finite, >= 0). */
  exitFlops?: number[];
}

/** What run(x, tau) reports for a batch of B inputs and K blocks. */
export interface UserExecution {
  /** Predicted class per input, Int32Array(B). */
  predictions: Int32Array;
  /** Row-major [B, K]: 1 when block k ran for input b, Uint8Array(B * K). */
  ran: Uint8Array;
  /** FLOPs counted while executing, per input, Float64Array(B). */
  flops: Float64Array;
}

export interface UserAdnn {
  meta: UserAdnnMeta;
  /**
   * Differentiable pass over a batch [B, H, W, C]: logits [B, classes] and
   * p [B, K], each block's activation probability in [0, 1]. DeepPerform's
   * loss pushes p up (Eq. 8), so p must grow as a block becomes more likely
   * to run, and `run(x, tau)` must act on it by the kind's rule:
   * - skipping: p_k is gate k's output; block k runs iff p_k > tau.
   * - early exit: p_k = 1 - the max softmax of the exit just before block k;
   *   an input leaves at the first exit whose max softmax >= tau, so block k
   *   runs iff every earlier exit had p > 1 - tau.
   * `tau` is passed for models whose later p depend on which earlier blocks
   * ran (then follow the decisions at tau); others may ignore it.
   */
  soft(x: tf.Tensor4D, tau?: number): { logits: tf.Tensor2D; p: tf.Tensor2D };
  /** The real adaptive execution at threshold tau: skipped blocks are not computed. */
  run(x: tf.Tensor4D, tau: number): UserExecution;
  /** Optional: the training objective for a labelled batch (labels one-hot [B, classes]); only retraining (harden, mitigation.retrain) needs it. */
  trainingLoss?(x: tf.Tensor4D, labels: tf.Tensor2D): tf.Scalar;
  /** Optional: the variables training updates. Default: none. */
  trainableVariables?(): tf.Variable[];
  /** Optional: every named weight, for saving. Default: none. */
  namedWeights?(): Map<string, tf.Variable>;
  /** Optional: frees the model's tensors when the suite ends. */
  dispose?(): void;
}

/** The module's export (default, or the one `model.export` names); it may be async. */
export type UserAdnnFactory = (context: UserModuleContext) => UserAdnn | Promise<UserAdnn>;

/**
 * What a user module exports, under the name the package publishes:
 * `const create: AdnnModule = ({ tf, options }) => ({ meta, soft, run });`
 * then `export default create`. The same type as UserAdnnFactory.
 */
export type AdnnModule = UserAdnnFactory;
