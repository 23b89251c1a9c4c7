import * as tf from '@tensorflow/tfjs-core';
import { runBatched, type AdaptiveNetwork, type ImageBatch } from '../adnn/index.js';
import { assignNamed } from '../nn/index.js';
import { shuffledIndices } from '../util/random.js';
import { Discriminator, Generator } from './architecture.js';
import { generate, type Attack } from './generate.js';
import { discriminatorLoss, generatorGanLoss, perfLoss, pertLoss, totalLoss, type PerfInputs, type PerfLoss } from './losses.js';
import { boundDelta, type PerturbationBound } from './projection.js';

export interface GeneratorTrainConfig {
  /** Budget: training stops at whichever of steps, epochs and minutes is reached first. */
  steps: number;
  epochs?: number;
  minutes?: number;
  batchSize: number;
  learningRate: number;
  alpha: number;
  beta: number;
  gan: boolean;
  perfLoss: PerfLoss;
  /** hinge and log-hinge: how far past the threshold a reached p must go. Default 0.1. */
  margin?: number;
  /** Train at a higher threshold first, annealed to the suite's. Default: none (the suite's tau throughout). */
  tauCurriculum?: TauCurriculum;
  /** How G's output is bounded into the ball, in training and generation. Default 'project' (the paper). */
  perturbationBound?: PerturbationBound;
  width: number;
  validateEvery: number;
  patience: number;
  seed: number;
}

/**
 * tau from `from` at the start, moving linearly to the suite's tau over the
 * first `over` (default 0.5) of the budget, then held there.
 */
export interface TauCurriculum {
  from: number;
  over?: number;
}

/** The threshold the losses aim at after `progress` (0..1) of the budget. */
export function curriculumTau(suiteTau: number, curriculum: TauCurriculum | undefined, progress: number): number {
  if (!curriculum) return suiteTau;
  const t = Math.min(1, Math.max(0, progress) / (curriculum.over ?? 0.5));
  return curriculum.from + (suiteTau - curriculum.from) * t;
}

export interface LossValues {
  gan: number;
  perf: number;
  pert: number;
  total: number;
  discriminator: number;
}

export interface TrainProgress {
  step: number;
  totalSteps: number;
  losses: LossValues;
  validationIflops?: number;
}

export interface TrainGeneratorInput {
  network: AdaptiveNetwork;
  /** Inputs G learns from, and the held-out ones early stopping watches. */
  train: ImageBatch;
  validation: ImageBatch;
  attack: Attack & { tau: number };
  config: GeneratorTrainConfig;
  onProgress?: (p: TrainProgress) => void;
}

export interface TrainedGenerator {
  generator: Generator;
  steps: number;
  durationMs: number;
  validationIflops: number[];
  bestValidationIflops: number;
  finalLosses: LossValues;
}

/**
 * Trains G (and D) on Eq. 8 with Adam, keeping the generator whose validation
 * mean I-FLOPs was best; stops early after `patience` validations without gain.
 */
export async function trainGenerator(input: TrainGeneratorInput): Promise<TrainedGenerator> {
  const { network, config, attack } = input;
  const started = performance.now();
  const g = new Generator(network.meta.input, config.width, config.seed, config.perturbationBound ?? 'project');
  const d = new Discriminator(network.meta.input, config.seed + 1);
  const gOpt = tf.train.adam(config.learningRate, 0.5, 0.999);
  const dOpt = tf.train.adam(config.learningRate, 0.5, 0.999);
  const validator = makeValidator(network, input.validation, attack);
  const blockFlops = network.meta.blocks.map((b) => b.flops);
  let order: number[] = [];
  let best = { score: -Infinity, weights: snapshot(g) };
  const history: number[] = [];
  let sinceBest = 0;
  let losses: LossValues = { gan: 0, perf: 0, pert: 0, total: 0, discriminator: 0 };
  const totalSteps = stepBudget(config, input.train.count);
  const deadline = config.minutes === undefined ? Infinity : started + config.minutes * 60_000;
  let step = 0;
  for (step = 1; step <= totalSteps; step++) {
    if (order.length < config.batchSize) order = order.concat(Array.from(shuffledIndices(input.train.count, input.train.count, config.seed + step * 7919)));
    const x = sliceBatch(input.train, order.splice(0, config.batchSize), network);
    // Share of the budget spent, by steps or by time, whichever is further along.
    const progress = Math.max((step - 1) / totalSteps, (performance.now() - started) / ((config.minutes ?? Infinity) * 60_000));
    const tau = curriculumTau(attack.tau, config.tauCurriculum, progress);
    losses = trainStep({ g, d, gOpt, dOpt, network, x, attack, config, blockFlops, tau });
    x.dispose();
    let validationIflops: number | undefined;
    const outOfTime = performance.now() >= deadline;
    if (step % config.validateEvery === 0 || step === totalSteps || outOfTime) {
      validationIflops = validator(g);
      history.push(validationIflops);
      if (validationIflops > best.score) {
        tf.dispose([...best.weights.values()]);
        best = { score: validationIflops, weights: snapshot(g) };
        sinceBest = 0;
      } else if (++sinceBest >= config.patience) {
        input.onProgress?.({ step, totalSteps, losses, validationIflops });
        break;
      }
    }
    input.onProgress?.({ step, totalSteps, losses, validationIflops });
    if (outOfTime) break;
    // Let progress output and signals through between steps.
    await new Promise((r) => setImmediate(r));
  }
  assignNamed(g.store.named(), best.weights);
  tf.dispose([...best.weights.values()]);
  d.store.dispose();
  gOpt.dispose();
  dOpt.dispose();
  return {
    generator: g,
    steps: Math.min(step, totalSteps),
    durationMs: performance.now() - started,
    validationIflops: history,
    bestValidationIflops: best.score,
    finalLosses: losses,
  };
}

/** Steps allowed by the step and epoch budgets. */
export function stepBudget(config: Pick<GeneratorTrainConfig, 'steps' | 'epochs' | 'batchSize'>, trainCount: number): number {
  const byEpochs = config.epochs === undefined ? Infinity : Math.max(1, Math.ceil((config.epochs * trainCount) / config.batchSize));
  return Math.min(config.steps, byEpochs);
}

interface StepContext {
  g: Generator;
  d: Discriminator;
  gOpt: tf.Optimizer;
  dOpt: tf.Optimizer;
  network: AdaptiveNetwork;
  x: tf.Tensor4D;
  attack: Attack & { tau: number };
  config: GeneratorTrainConfig;
  blockFlops: number[];
  /** The threshold of this step's losses (the suite's, or the curriculum's). */
  tau: number;
}

function trainStep(c: StepContext): LossValues {
  const { g, d, x, attack, config } = c;
  const range = c.network.meta.input.range;
  const toInput = (raw: tf.Tensor4D) => tf.clipByValue(tf.add(x, boundDelta(raw, attack.norm, attack.epsilon, g.bound)), range[0], range[1]) as tf.Tensor4D;
  let dLoss = 0;
  if (config.gan) {
    // D learns to tell seeds from generated inputs; G is held fixed here.
    const adv = tf.tidy(() => toInput(g.apply(x, true)));
    const cost = c.dOpt.minimize(() => discriminatorLoss(d.apply(x, true), d.apply(adv, true)), true, d.store.trainable());
    dLoss = readScalar(cost);
    adv.dispose();
  }
  const parts: Partial<Record<'gan' | 'perf' | 'pert', number>> = {};
  const cost = c.gOpt.minimize(
    () => {
      const raw = g.apply(x, true);
      const adv = toInput(raw);
      const gan = config.gan ? generatorGanLoss(d.apply(adv, true)) : tf.scalar(0);
      const perf = perfLoss(config.perfLoss, perfInputs(c, adv), { margin: config.margin ?? 0.1 }); // Eq. 6
      // Eq. 7 on what G proposes: its raw output under projection; a 'scale' bound is inside the ball by construction (0).
      const pert = pertLoss(g.bound === 'project' ? raw : boundDelta(raw, attack.norm, attack.epsilon, g.bound), attack.norm, attack.epsilon);
      parts.gan = gan.dataSync()[0];
      parts.perf = perf.dataSync()[0];
      parts.pert = pert.dataSync()[0];
      return totalLoss({ gan, perf, pert }, config); // Eq. 8
    },
    true,
    g.store.trainable(),
  );
  return { gan: parts.gan ?? 0, perf: parts.perf ?? 0, pert: parts.pert ?? 0, total: readScalar(cost), discriminator: dLoss };
}

/**
 * What L_perf reads from the AdNN on the generated inputs, at this step's tau
 * (a model whose later gates read earlier decisions, SkipNet, gives the p that
 * the real execution at that tau acts on). uniform-ce reads every exit's
 * logits where the model has them; p then comes from the same pass
 * (1 - max softmax of the exit before each block, the contract's early-exit p).
 */
function perfInputs(c: StepContext, adv: tf.Tensor4D): PerfInputs {
  const { network, tau } = c;
  const base = { kind: network.meta.kind, tau, baseFlops: network.meta.baseFlops, blockFlops: c.blockFlops };
  if (c.config.perfLoss === 'uniform-ce' && network.meta.kind === 'early-exit' && network.exitLogits) {
    const exitLogits = network.exitLogits(adv);
    const p = tf.stack(exitLogits.slice(0, -1).map((l) => tf.sub(1, tf.max(tf.softmax(l), 1))), 1) as tf.Tensor2D;
    return { ...base, p, exitLogits };
  }
  const { p, logits } = network.soft(adv, tau);
  logits.dispose();
  return { ...base, p };
}

function readScalar(t: tf.Scalar | null): number {
  if (!t) return NaN;
  const v = t.dataSync()[0];
  t.dispose();
  return v;
}

/** Mean I-FLOPs (Eq. 9) of G's inputs on the validation set, against the seeds' own FLOPs. */
function makeValidator(network: AdaptiveNetwork, validation: ImageBatch, attack: Attack & { tau: number }): (g: Generator) => number {
  const base = runBatched(network, validation, attack.tau).flops;
  return (g) => {
    const adv = generate(g, validation, attack);
    const flops = runBatched(network, adv, attack.tau).flops;
    let sum = 0;
    for (let i = 0; i < validation.count; i++) sum += (flops[i] - base[i]) / base[i];
    return sum / validation.count;
  };
}

function snapshot(g: Generator): Map<string, tf.Tensor> {
  return new Map([...g.store.named()].map(([n, v]) => [n, tf.clone(v)]));
}

function sliceBatch(batch: ImageBatch, idx: number[], network: AdaptiveNetwork): tf.Tensor4D {
  const { height, width, channels } = network.meta.input;
  const size = height * width * channels;
  const out = new Float32Array(idx.length * size);
  idx.forEach((src, i) => out.set(batch.images.subarray(src * size, (src + 1) * size), i * size));
  return tf.tensor4d(out, [idx.length, height, width, channels]);
}
