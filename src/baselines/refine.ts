import * as tf from '@tensorflow/tfjs-core';
import type { AdaptiveNetwork, ImageBatch } from '../adnn/index.js';
import { perturb, type GeneratedInputs } from '../generator/index.js';
import { attackInBatches, BaselineError, lossAndGradient, type BaselineAttack, type BaselineProgress, type PerInputLoss } from './common.js';
import { activationLogLoss, slothLoss } from './deepsloth.js';
import { activationTarget, ilfoLoss, ILFO_PUBLISHED } from './ilfo.js';
import { resolveOptions, type OptionSpecs } from './options.js';
import { runAttackLoop } from './iterate.js';
import { adamCorrections, adamStep, costliestOf, keepCostlier, scheduledStep, steepest, type KeptIterate } from './refine-steps.js';

/**
 * deepperform-refine: per input, start from the generator's test input
 * x + G(x) (projected into the epsilon ball and the input range, as
 * `generate` makes it) and take k gradient steps on the AdNN's performance
 * objective, projecting back into the same ball and range after every step
 * (as ILFO and DeepSloth do). One forward pass of G puts the start where a
 * per-input attack needs many steps to reach, so a few steps suffice.
 */
export interface RefineOptions {
  /** k, gradient steps per input; 0 returns the generator's inputs unchanged. */
  steps: number;
  /**
   * The objective minimised: 'deepsloth' (DeepSloth's uniform cross-entropy of
   * the internal exits; on models without exit logits sum_i -log p_i), 'ilfo'
   * (ILFO's lambda * hinge + ||delta||^2, published lambda) or 'log-p' (sum_i -log p_i).
   */
  loss: RefineLoss;
  /**
   * 'adam': Adam's per-pixel step (rescaled to unit L2 length under L2); 'pgd':
   * the sign of the gradient (Linf), the unit gradient (L2); 'auto': adam under
   * Linf, pgd under L2 (the better of the two on each, measured: docs/refine.md).
   */
  rule: 'auto' | 'adam' | 'pgd';
  /** Step size s (Linf: per pixel; L2: per input; the cosine schedule starts at 2s); 'auto': c * epsilon / steps, c = 6 for adam, 4 for pgd. */
  stepSize: number | 'auto';
  /** 'cosine': from twice the step size down to 0; or 'constant'. */
  schedule: 'constant' | 'cosine';
  /** 'costliest': per input the most expensive iterate, the start included (judged by Eq. 5 in the step, settled by the real execution: refineBatch); or the 'last'. */
  keep: 'last' | 'costliest';
  /** Inputs refined together (each has its own gradient). */
  batchSize: number;
}

export type RefineLoss = 'deepsloth' | 'ilfo' | 'log-p';

/**
 * Chosen on the default suites' models and settings (docs/refine.md,
 * `node bench/refine.mjs`): beats ILFO (300 Adam iterations) and DeepSloth in
 * mean I-FLOPs at under a tenth of ILFO's time per input.
 */
export const REFINE_DEFAULTS: Readonly<RefineOptions> = Object.freeze({
  steps: 15,
  loss: 'deepsloth',
  rule: 'auto',
  stepSize: 'auto',
  schedule: 'cosine',
  keep: 'costliest',
  batchSize: 100,
});

/**
 * Inputs per program run (iterate.ts's partSize) when the step does not
 * compile with a symbolic batch (it does on the zoo's models: freeBatch):
 * the trace runs one step for real at this size, so parts of 25 rather than
 * half a batch of 100 cut the compile of every call (ranet-tiny: about 1.4 s
 * to 1.1 s of CPU) for a few more session calls (docs/refine.md, "Time").
 */
const PART_SIZE = 25;

/** c of the 'auto' step size c * epsilon / steps, per rule (measured: docs/refine.md). */
const AUTO_STEP = { adam: 6, pgd: 4 } as const;

const SPECS: OptionSpecs<RefineOptions> = {
  steps: { kind: 'whole' },
  loss: { kind: 'choice', values: ['deepsloth', 'ilfo', 'log-p'] },
  rule: { kind: 'choice', values: ['auto', 'adam', 'pgd'] },
  stepSize: { kind: 'positive-or-auto' },
  schedule: { kind: 'choice', values: ['cosine', 'constant'] },
  keep: { kind: 'choice', values: ['costliest', 'last'] },
  batchSize: { kind: 'count' },
};

/**
 * Refines `start`, the generator's inputs for `seeds` (generate(G, seeds,
 * attack), same order). `msPerInput` is start's (G's forward pass and
 * projection) plus the refinement's time per input, measured here.
 */
export function refine(
  network: AdaptiveNetwork,
  seeds: ImageBatch,
  start: GeneratedInputs,
  attack: BaselineAttack,
  options?: Partial<RefineOptions> | Readonly<Record<string, unknown>>,
  onProgress?: BaselineProgress,
): GeneratedInputs {
  const opts = refineSettings(options);
  if (start.count !== seeds.count || start.images.length !== seeds.count * inputSize(network)) {
    throw new BaselineError(`refine: ${start.count} generated inputs of ${start.images.length / Math.max(start.count, 1)} values for ${seeds.count} seeds of ${inputSize(network)}`);
  }
  if (opts.steps === 0) return start;
  const progress = { stepsPerBatch: opts.steps, onProgress };
  const refined = attackInBatches(network, seeds, opts.batchSize, progress, (x, b, tick) => {
    const from = b * opts.batchSize * inputSize(network);
    return refineBatch(network, x, start.images.subarray(from, from + x.size), attack, opts, tick);
  });
  return { ...refined, msPerInput: start.msPerInput + refined.msPerInput };
}

/** The settings with every default filled in; an unknown key or a bad value is a BaselineError naming it. */
export function refineSettings(options?: Partial<RefineOptions> | Readonly<Record<string, unknown>>): RefineOptions {
  return resolveOptions('refine', REFINE_DEFAULTS, SPECS, options);
}

function inputSize(network: AdaptiveNetwork): number {
  const { height, width, channels } = network.meta.input;
  return height * width * channels;
}

/** The per-input objective to minimise, as a function of the test input x + delta (x: the seeds). */
export function refineObjective(network: AdaptiveNetwork, x: tf.Tensor4D, tau: number, loss: RefineLoss): PerInputLoss {
  switch (loss) {
    case 'deepsloth':
      // Without exit logits DeepSloth's loss is sum -log p: taken here at the suite's tau (SkipNet's p follow its decisions).
      if (network.exitLogits) return (adv) => slothLoss(network, adv);
      return (adv) => tf.tidy(() => activationLogLoss(network.soft(adv, tau).p));
    case 'log-p':
      return (adv) => tf.tidy(() => activationLogLoss(network.soft(adv, tau).p));
    case 'ilfo': {
      const target = activationTarget(network.meta.kind, tau);
      const lambda = ILFO_PUBLISHED.adam.lambda;
      return (adv) => tf.tidy(() => ilfoLoss(network.soft(adv, tau).p, tf.sub(adv, x) as tf.Tensor4D, target, lambda));
    }
  }
}

/**
 * k steps from `start` (the batch's rows of the generator's inputs), each
 * projected into the ball around x and the input range: one iteration of
 * iterate.ts (one onnxruntime program when it compiles, the batch split over
 * threads), the step size and Adam's bias corrections its per-step scalars.
 * Keeping the costliest, the step judges its iterate by Eq. 5 before moving
 * it (keepCostlier); the real execution then picks among the start, that
 * kept iterate and the last one (costliestOf).
 */
function refineBatch(network: AdaptiveNetwork, x: tf.Tensor4D, start: Float32Array, attack: BaselineAttack, opts: RefineOptions, tick: () => void): tf.Tensor4D {
  const rule = opts.rule !== 'auto' ? opts.rule : attack.norm === 'linf' ? 'adam' : 'pgd';
  const size = opts.stepSize === 'auto' ? (AUTO_STEP[rule] * attack.epsilon) / opts.steps : opts.stepSize;
  const range = network.meta.input.range;
  const adv = tf.tidy(() => tf.variable(tf.tensor4d(start, x.shape), false));
  const zeros = () => tf.tidy(() => tf.variable(tf.zerosLike(x), false));
  // Costs are >= 0, so the start (the first iterate judged) is always kept first.
  const kept: KeptIterate | undefined = opts.keep === 'costliest' ? tf.tidy(() => ({ best: tf.variable(tf.zerosLike(x), false), bestCost: tf.variable(tf.fill([x.shape[0]], -1), false) })) : undefined;
  const adam = rule === 'adam' ? { m: zeros(), v: zeros() } : undefined;
  const state = [adv, ...(kept ? [kept.best, kept.bestCost] : []), ...(adam ? [adam.m, adam.v] : [])];
  try {
    runAttackLoop({
      network,
      x,
      state,
      iterations: opts.steps,
      key: `refine ${rule} loss=${opts.loss} keep=${opts.keep} ${attack.norm} eps=${attack.epsilon} tau=${attack.tau}`,
      tick,
      partSize: PART_SIZE,
      freeBatch: true,
      scalars: (t) => Float32Array.of(scheduledStep(size, t, opts.steps, opts.schedule), ...adamCorrections(t + 1)),
      step: (seeds, scalars, vars) => {
        const a = vars[0] as tf.Variable<tf.Rank.R4>;
        const [best, bestCost] = kept ? vars.slice(1, 3) : [];
        const [m, v] = vars.slice(kept ? 3 : 1);
        if (best && bestCost) keepCostlier(network, attack.tau, a, { best, bestCost });
        const [stepSize, correction1, correction2] = tf.split(scalars, 3);
        const { loss, grad } = lossAndGradient(refineObjective(network, seeds, attack.tau, opts.loss), a);
        loss.dispose();
        // Adam's direction is per pixel; under L2 it is rescaled to unit length so the step size means what PGD's does.
        const direction = !(m && v) ? steepest(grad, attack.norm) : adamStep(grad, { m, v }, correction1, correction2, attack.norm);
        const moved = tf.sub(a, tf.mul(tf.reshape(stepSize, []), direction));
        a.assign(perturb(seeds, tf.sub(moved, seeds) as tf.Tensor4D, attack.norm, attack.epsilon, range));
      },
    });
    if (!kept) return tf.clone(adv);
    const images = costliestOf(network, attack.tau, [start, kept.best.dataSync() as Float32Array, adv.dataSync() as Float32Array], x.shape[0]);
    return tf.tensor4d(images, x.shape);
  } finally {
    tf.dispose(state);
  }
}
