import * as tf from '@tensorflow/tfjs-core';
import type { AdaptiveNetwork, AdnnMeta, Execution, SoftOutput } from '../../contract.js';
import type { FlopsCounter } from '../../flops.js';
import { INPUT_REGISTER, runPlanTfjs, type CallStep, type StagePlan, type Step } from '../../stages/index.js';
import { seededUniform, type Dense, type ParamStore } from '../../../nn/index.js';
import { globalAvgPool, type CifarResNet } from './backbone.js';
import { IdentityShortcut, type ResidualUnit } from './residual.js';
import { applyAugmentation, drawAugmentation, type Augmentation } from './augment.js';
import { difficultyLoss, type DifficultyTarget } from './difficulty.js';
import { straightThrough, straightThroughSample } from './straight-through.js';

/**
 * One pass of a gating module over a batch. `next` is called once per
 * conditional unit, in order, with the feature map entering that unit, and
 * returns that unit's activation probability p [B]. Gates always run for every
 * input (their cost is base FLOPs).
 */
export interface GateSession {
  next(h: tf.Tensor4D, counter?: FlopsCounter): tf.Tensor1D;
  /** Frees the state the session keeps between units (e.g. LSTM h and c). */
  dispose(): void;
}

/**
 * The gating cut into steps of a stage plan (src/adnn/stages), in inference
 * mode: what the staged execution (tfjs or onnxruntime) runs.
 */
export interface StagedGating {
  /** Steps before the stem; they may read the image (register 'x'). */
  prelude: CallStep[];
  /**
   * The steps that compute p of conditional unit k (they read the feature map
   * entering it, register 'h', and registers of their own), and where p is
   * then: register `p`, [B], or its column `column` when [B, n].
   */
  gate(k: number): { steps: CallStep[]; p: string; column?: number };
}

/** How a skipping AdNN decides: SkipNet's per-block gates, BlockDrop's policy network. */
export interface Gating {
  /** Starts a pass; `x` is the raw input (BlockDrop's policy reads it). */
  begin(x: tf.Tensor4D, training: boolean, counter?: FlopsCounter): GateSession;
  /** The same gating as stage-plan steps. */
  staged(): StagedGating;
  /** FLOPs one input pays for all the gating of one pass. */
  readonly flops: number;
}

/** What the family trains (docs/design.md leaves the scheme to the family; see its README). */
export interface SkippingObjective {
  /** Weight of the computation penalty: FLOPs-weighted mean of p (expected share of conditional FLOPs run). */
  lambda: number;
  /**
   * Share of the epochs that first train the plain network alone (CE with
   * every block run, gates untouched) before the gated objective; 0 = none.
   * Needs a trainer that calls `beginEpoch` (src/adnn/train.ts does).
   */
  warmupFraction: number;
  /** Train with decisions sampled from Bernoulli(p) (straight-through) instead of 1[p > 0.5]. */
  sampleGates: boolean;
  /**
   * Also teach the gates which inputs are hard (difficulty.ts): loss +=
   * weight x BCE(p, 1[input among the highest-CE share of the batch]). Absent: no such term.
   */
  difficulty?: DifficultyTarget;
  /** Random shift / mirror of each training batch (augment.ts); absent: the images as given. */
  augment?: Augmentation;
}

export interface SkippingParts {
  store: ParamStore;
  backbone: CifarResNet;
  gating: Gating;
  classifier: Dense;
  /** Units before this index always run (SkipNet: the first block); the rest are conditional. */
  firstConditional: number;
  objective: SkippingObjective;
  /** The build seed: gate sampling during training derives its seeds from it. */
  seed: number;
}

/**
 * Gates and policies start leaning open (output bias 0.5: p = sigmoid(0.5) ~
 * 0.62 for an average input) so training first shapes the backbone with most
 * blocks running, then the computation penalty closes what the loss can spare
 * (the families' READMEs; the originals initialise the bias to 0).
 */
export const OPEN_BIAS = 0.5;

/** The threshold the soft pass and training follow when none is given: the originals' 0.5. */
export const DEFAULT_TAU = 0.5;

/**
 * A conditional-skipping AdNN (docs/design.md §2): for conditional unit i,
 * `x_{i+1} = 1[p_i > tau] * relu(F_i(x_i) + s_i(x_i)) + (1 - 1[p_i > tau]) * s_i(x_i)`
 * with s_i the shortcut (identity, or the downsampling shortcut where the unit
 * changes size). This is the originals' mixing (SkipNet's `mask * x + (1 - mask) * prev`,
 * BlockDrop's `fx * mask + residual * (1 - mask)`); with an identity shortcut it is
 * `x + 1[.] * (relu(F(x) + x) - x)`.
 *
 * Shortcuts run for every input whether or not the unit runs: their FLOPs (a
 * 1x1 conv in SkipNet, none in BlockDrop) are base FLOPs. Each block's FLOPs are
 * those of F alone, the part skipping saves.
 */
export class SkippingNetwork implements AdaptiveNetwork {
  readonly meta: AdnnMeta;
  private readonly conditional: ResidualUnit[];
  private plan?: StagePlan;
  /** Set by beginEpoch: the warm-up stage trains the plain network only. */
  private warmup = false;
  private seeds: { next(): number };

  constructor(
    private readonly parts: SkippingParts,
    meta: Omit<AdnnMeta, 'kind' | 'baseFlops' | 'blocks'>,
  ) {
    const { backbone, firstConditional } = parts;
    this.seeds = seedSequence(parts.seed * 1_000_003);
    const always = backbone.units.slice(0, firstConditional);
    this.conditional = backbone.units.slice(firstConditional);
    const baseFlops =
      backbone.stemFlops +
      always.reduce((s, u) => s + u.residualFlops + u.shortcutFlops, 0) +
      this.conditional.reduce((s, u) => s + u.shortcutFlops, 0) +
      parts.gating.flops +
      parts.classifier.flops();
    this.meta = {
      ...meta,
      kind: 'skipping',
      baseFlops,
      blocks: this.conditional.map((u) => ({ name: u.name, flops: u.residualFlops })),
    };
  }

  /**
   * Differentiable pass with straight-through gates: the forward value of each
   * gate is the hard decision 1[p_i > tau] (so logits are those of the model run
   * at tau), its gradient is that of p_i. For SkipNet p_i depends on which
   * earlier blocks ran, so the pass follows the decisions at `tau`; BlockDrop's
   * p does not depend on tau.
   */
  soft(x: tf.Tensor4D, tau: number = DEFAULT_TAU): SoftOutput {
    return this.gatedPass(x, tau, false);
  }

  /** The backbone's stem (conv, BN, ReLU) in inference mode: the contract's firstConv. */
  firstConv(x: tf.Tensor4D, counter?: FlopsCounter): tf.Tensor4D {
    return this.parts.backbone.stem(x, false, counter);
  }

  /** The real adaptive execution: the stage plan on tfjs (src/adnn/stages decides which rows run a unit). */
  run(x: tf.Tensor4D, tau: number): Execution {
    return runPlanTfjs(this.stages(), x, tau);
  }

  /**
   * Gating prelude, stem with the units that always run, then per
   * conditional unit its gate and a branch: the rows with p > tau run the
   * unit (F plus shortcut), the others only the shortcut (nothing at all for
   * an identity shortcut). Then the classifier, which every input takes.
   */
  stages(): StagePlan {
    if (this.plan) return this.plan;
    const { backbone, gating, firstConditional, classifier } = this.parts;
    const staged = gating.staged();
    const always = backbone.units.slice(0, firstConditional);
    const steps: Step[] = [
      ...staged.prelude,
      {
        op: 'call',
        name: 'stem',
        inputs: [INPUT_REGISTER],
        outputs: ['h'],
        fn: ([[x]], counter) => {
          let h = backbone.stem(x as tf.Tensor4D, false, counter);
          for (const unit of always) h = unit.apply(h, false, counter);
          return [[h]];
        },
      },
    ];
    this.conditional.forEach((unit, k) => {
      const gate = staged.gate(k);
      const body = (name: string, f: (h: tf.Tensor4D, counter?: FlopsCounter) => tf.Tensor4D): CallStep => ({
        op: 'call',
        name,
        inputs: ['h'],
        outputs: ['h'],
        fn: ([[h]], counter) => [[f(h as tf.Tensor4D, counter)]],
      });
      steps.push(...gate.steps, {
        op: 'branch',
        p: gate.p,
        ...(gate.column !== undefined ? { column: gate.column } : {}),
        block: k,
        run: body(unit.name, (h, counter) => unit.apply(h, false, counter)),
        ...(unit.shortcut instanceof IdentityShortcut ? {} : { skip: body(`${unit.name}.shortcut`, (h, counter) => unit.shortcut.apply(h, false, counter)) }),
      });
    });
    steps.push(
      { op: 'call', name: 'classifier', inputs: ['h'], outputs: ['logits'], fn: ([[h]], counter) => [[classifier.apply(globalAvgPool(h as tf.Tensor4D), counter)]] },
      { op: 'exit', logits: 'logits', always: true },
    );
    return (this.plan = { steps, blocks: this.conditional.length });
  }

  /** Stage of a staged scheme (SkippingObjective.warmupFraction); reseeds the gate sampling per epoch. */
  beginEpoch(epoch: number, epochs: number): void {
    this.warmup = epoch < Math.round(this.parts.objective.warmupFraction * epochs);
    this.seeds = seedSequence(this.parts.seed * 1_000_003 + epoch * 7919);
  }

  /**
   * The family's objective (SkippingObjective): CE of the gated pass (gates
   * thresholded at 0.5 or sampled) plus lambda x the expected share of
   * conditional FLOPs, plus the gates' difficulty BCE when the objective has
   * one; in the warm-up stage, CE of the plain network alone.
   */
  trainingLoss(images: tf.Tensor4D, labels: tf.Tensor2D): tf.Scalar {
    return tf.tidy(() => {
      const { backbone, classifier, objective } = this.parts;
      const aug = objective.augment;
      const x = aug ? applyAugmentation(images, aug.pad, drawAugmentation(images.shape[0], aug, this.seeds.next())) : images;
      if (this.warmup) return tf.losses.softmaxCrossEntropy(labels, classifier.apply(backbone.features(x, true))) as tf.Scalar;
      const { logits, p } = this.gatedPass(x, DEFAULT_TAU, true, objective.sampleGates ? this.seeds : undefined);
      const ce = tf.losses.softmaxCrossEntropy(labels, logits);
      const loss = tf.add(ce, tf.mul(objective.lambda, this.computationShare(p))) as tf.Scalar;
      const target = objective.difficulty;
      return target ? (tf.add(loss, tf.mul(target.weight, difficultyLoss(p, logits, labels, target))) as tf.Scalar) : loss;
    });
  }

  /** Expected share of the conditional FLOPs that run: sum_i w_i mean_b p_bi, w_i = FLOPs_i / sum FLOPs. */
  computationShare(p: tf.Tensor2D): tf.Scalar {
    const flops = this.meta.blocks.map((b) => b.flops);
    const total = flops.reduce((a, b) => a + b, 0);
    return tf.tidy(() => tf.sum(tf.mul(tf.mean(p, 0), tf.tensor1d(flops.map((f) => f / total)))) as tf.Scalar);
  }

  /** `sample`: draw each decision from Bernoulli(p) (seeds from `sample.next()`) instead of thresholding at tau. */
  private gatedPass(x: tf.Tensor4D, tau: number, training: boolean, sample?: { next(): number }): SoftOutput {
    return tf.tidy(() => {
      const { backbone, gating, firstConditional, classifier } = this.parts;
      const session = gating.begin(x, training);
      let h = backbone.stem(x, training);
      const ps: tf.Tensor1D[] = [];
      backbone.units.forEach((unit, i) => {
        const [next, p] = tf.tidy(() => {
          if (i < firstConditional) return [unit.apply(h, training)];
          const p = session.next(h);
          const decision = sample ? straightThroughSample(p, seededUniform([p.shape[0]], 0, 1, sample.next())) : straightThrough(p, tau);
          const gate = tf.reshape(decision, [-1, 1, 1, 1]);
          const shortcut = unit.shortcut.apply(h, training);
          const ran = unit.combine(h, shortcut, training);
          // Exactly ran or shortcut in the forward value (gate is 0 or 1); gradient to the gate ran - shortcut.
          return [tf.add(tf.mul(gate, ran), tf.mul(tf.sub(1, gate), shortcut)) as tf.Tensor4D, p];
        });
        // The tape keeps its own copies of what backpropagation needs, so the old map can go.
        if (next !== h) h.dispose();
        h = next as tf.Tensor4D;
        if (p) ps.push(p as tf.Tensor1D);
      });
      session.dispose();
      const logits = classifier.apply(globalAvgPool(h));
      return { logits, p: tf.stack(ps, 1) as tf.Tensor2D };
    });
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

/** Deterministic seeds for tfjs' seeded random ops, one per call. */
function seedSequence(start: number): { next(): number } {
  let n = start;
  return { next: () => n++ };
}
