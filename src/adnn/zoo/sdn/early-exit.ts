import * as tf from '@tensorflow/tfjs-core';
import type { AdaptiveNetwork, AdnnMeta, Execution, SoftOutput } from '../../contract.js';
import { FlopsCounter } from '../../flops.js';
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
}

/**
 * An early-exit AdNN (SDN style). Segment 0 and exit 0 always run; block i
 * (i >= 1) is segment i with exit i, and runs iff every earlier exit's max
 * softmax stayed below tau. p_i = 1 - confidence of exit i-1 (DESIGN.md §2).
 */
export class EarlyExitNetwork implements AdaptiveNetwork {
  readonly meta: AdnnMeta;

  constructor(private readonly parts: EarlyExitParts, meta: Omit<AdnnMeta, 'kind' | 'baseFlops' | 'blocks' | 'exitFlops'>) {
    const costs = this.segmentCosts();
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

  run(x: tf.Tensor4D, tau: number): Execution {
    const batch = x.shape[0];
    const k = this.meta.blocks.length;
    const result: Execution = {
      predictions: new Int32Array(batch),
      ran: new Uint8Array(batch * k),
      flops: new Float64Array(batch),
    };
    let active = Array.from({ length: batch }, (_, i) => i);
    let h: tf.Tensor4D = tf.clone(x);
    for (let i = 0; i < this.parts.segments.length && active.length > 0; i++) {
      const counter = new FlopsCounter();
      const [next, probs] = tf.tidy(() => {
        const out = this.parts.segments[i].apply(h, counter);
        return [out, tf.softmax(this.parts.exits[i].apply(out, counter))] as const;
      });
      h.dispose();
      h = next;
      const confidence = tf.max(probs, 1);
      const label = tf.argMax(probs, 1);
      const [conf, pred] = [confidence.dataSync(), label.dataSync()];
      tf.dispose([probs, confidence, label]);
      const isLast = i === this.parts.segments.length - 1;
      const stay: number[] = [];
      active.forEach((b, row) => {
        result.flops[b] += counter.value;
        if (i > 0) result.ran[b * k + (i - 1)] = 1;
        if (isLast || conf[row] >= tau) result.predictions[b] = pred[row];
        else stay.push(row);
      });
      if (stay.length < active.length && stay.length > 0) {
        // Only the inputs that go on are computed further: the real saving.
        const kept = tf.gather(h, stay);
        h.dispose();
        h = kept;
      }
      active = stay.map((row) => active[row]);
    }
    h.dispose();
    return result;
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
