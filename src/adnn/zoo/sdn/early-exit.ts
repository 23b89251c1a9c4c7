import * as tf from '@tensorflow/tfjs-core';
import type { AdaptiveNetwork, AdnnMeta, Execution, SoftOutput } from '../../contract.js';
import type { FlopsCounter } from '../../flops.js';
import { INPUT_REGISTER, runPlanTfjs, type StagePlan, type Step } from '../../stages/index.js';
import type { FeatureShape, ParamStore } from '../../../nn/index.js';
import { SdnConfigError } from './config.js';

/**
 * A piece of backbone between two exits. `training` selects batch statistics
 * in batch norm (and dropout); soft() and run() always pass false.
 */
export interface Segment {
  apply(x: tf.Tensor4D, counter?: FlopsCounter, training?: boolean): tf.Tensor4D;
  outputShape(input: FeatureShape): FeatureShape;
  flops(input: FeatureShape): number;
}

/** A classifier read after a segment: an internal one or the backbone's final one. */
export interface Exit {
  apply(x: tf.Tensor4D, counter?: FlopsCounter, training?: boolean): tf.Tensor2D;
  flops(): number;
}

export interface EarlyExitParts {
  store: ParamStore;
  /** Runs first and always: input normalisation and the stem; part of segment 0's cost. */
  segments: Segment[];
  /** exits[i] reads segments[i]'s output; the last one is the final classifier. */
  exits: Exit[];
  inputShape: FeatureShape;
  /**
   * Weight of each exit's cross-entropy in trainingLoss, summed. Default: the
   * mean over exits (equal weights 1/K).
   */
  lossWeights?: number[];
  /**
   * The first convolutional layer's output (conv, then its BN and ReLU where
   * the model has them) in inference mode: the contract's firstConv. Each
   * builder says which layer that is.
   */
  firstConv?: (x: tf.Tensor4D, counter?: FlopsCounter) => tf.Tensor4D;
}

/**
 * An early-exit AdNN (SDN style). Segment 0 and exit 0 always run; block i
 * (i >= 1) is segment i with exit i, and runs iff every earlier exit's max
 * softmax stayed below tau. p_i = 1 - confidence of exit i-1 (docs/design.md §2).
 */
export class EarlyExitNetwork implements AdaptiveNetwork {
  readonly meta: AdnnMeta;
  private plan?: StagePlan;
  /** Present when the builder named its first convolution (EarlyExitParts.firstConv). */
  readonly firstConv?: (x: tf.Tensor4D, counter?: FlopsCounter) => tf.Tensor4D;

  constructor(private readonly parts: EarlyExitParts, meta: Omit<AdnnMeta, 'kind' | 'baseFlops' | 'blocks' | 'exitFlops'>) {
    const costs = this.segmentCosts();
    const first = parts.firstConv;
    if (first) this.firstConv = (x, counter) => tf.tidy(() => first(x, counter));
    if (parts.lossWeights && parts.lossWeights.length !== parts.exits.length) {
      throw new SdnConfigError(meta.arch, `lossWeights has ${parts.lossWeights.length} entries for ${parts.exits.length} exits`);
    }
    let spent = 0;
    this.meta = {
      ...meta,
      kind: 'early-exit',
      baseFlops: costs[0],
      blocks: costs.slice(1).map((flops, i) => ({ name: `segment${i + 1}+exit${i + 1}`, flops })),
      // Leaving at exit i pays segments 0..i and exits 0..i.
      exitFlops: costs.map((f) => (spent += f)),
    };
  }

  /** Segment i plus exit i, from the static shapes. */
  private segmentCosts(): number[] {
    let shape = this.parts.inputShape;
    return this.parts.segments.map((seg, i) => {
      const f = seg.flops(shape) + this.parts.exits[i].flops();
      shape = seg.outputShape(shape);
      return f;
    });
  }

  /** Logits of every exit, in order; `training` uses batch statistics (trainingLoss only). */
  exitLogits(x: tf.Tensor4D, training = false): tf.Tensor2D[] {
    const out: tf.Tensor2D[] = [];
    let h = x;
    this.parts.segments.forEach((seg, i) => {
      h = seg.apply(h, undefined, training);
      out.push(this.parts.exits[i].apply(h, undefined, training));
    });
    return out;
  }

  soft(x: tf.Tensor4D): SoftOutput {
    return tf.tidy(() => {
      const logits = this.exitLogits(x);
      // p of block i is the chance of continuing past exit i-1.
      const p = logits.slice(0, -1).map((l) => tf.sub(1, tf.max(tf.softmax(l), 1)));
      return { logits: logits[logits.length - 1], p: tf.stack(p, 1) as tf.Tensor2D };
    });
  }

  /** The real adaptive execution: the stage plan on tfjs (src/adnn/stages decides who exits). */
  run(x: tf.Tensor4D, tau: number): Execution {
    return runPlanTfjs(this.stages(), x, tau);
  }

  /**
   * Segment i with exit i is one stage; an exit step after it lets the
   * confident inputs leave. Segment 0 reads the image; block i - 1 is stage i.
   */
  stages(): StagePlan {
    if (this.plan) return this.plan;
    const { segments, exits } = this.parts;
    const last = segments.length - 1;
    const steps = segments.flatMap((seg, i): Step[] => [
      {
        op: 'call',
        name: i === 0 ? 'segment0+exit0' : this.meta.blocks[i - 1].name,
        inputs: [i === 0 ? INPUT_REGISTER : 'h'],
        outputs: i === last ? ['logits'] : ['h', 'logits'],
        ...(i > 0 ? { block: i - 1 } : {}),
        fn: ([[h]], counter) => {
          const out = seg.apply(h as tf.Tensor4D, counter);
          const logits = exits[i].apply(out, counter);
          return i === last ? [[logits]] : [[out], [logits]];
        },
      },
      { op: 'exit', logits: 'logits', always: i === last },
    ]);
    return (this.plan = { steps, blocks: this.meta.blocks.length });
  }

  /**
   * SDN joint training: every exit learns the label. Weighted sum with
   * `lossWeights` when given (the full configs: Kaya et al.'s weights), else
   * the mean over exits (sdn-tiny).
   */
  trainingLoss(x: tf.Tensor4D, labels: tf.Tensor2D): tf.Scalar {
    const losses = this.exitLogits(x, true).map((l) => tf.losses.softmaxCrossEntropy(labels, l));
    const weights = this.parts.lossWeights;
    if (!weights) return tf.div(tf.addN(losses), losses.length) as tf.Scalar;
    return tf.addN(losses.map((l, i) => tf.mul(l, weights[i]))) as tf.Scalar;
  }

  trainableVariables(): tf.Variable[] {
    return this.parts.store.trainable();
  }

  namedWeights(): Map<string, tf.Variable> {
    return this.parts.store.named();
  }

  dispose(): void {
    this.parts.store.dispose();
  }
}
