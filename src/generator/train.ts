import * as tf from '@tensorflow/tfjs-core';
import type { AdaptiveNetwork, ImageBatch } from '../adnn/index.js';
import { assignNamed } from '../nn/index.js';
import { shuffledIndices } from '../util/random.js';
import { Discriminator, Generator } from './architecture.js';
import type { Attack } from './generate.js';
import type { PerfLoss } from './losses.js';
import { Plateau, type LearningRateSchedule } from './plateau.js';
import { resolveBound, type BoundSetting } from './projection.js';
import { stepBudget, stepsPerEpoch, type LossValues, type StopReason, type TrainingRecord, type ValidationPoint } from './record.js';
import { ScheduledAdam } from './optimizer.js';
import { releaseCompiledStep, syncCompiledStep, trainStep } from './train-step.js';
import { makeValidator, type ValidationScore } from './validation.js';

export type { LossValues } from './record.js';

export interface GeneratorTrainConfig {
  /**
   * Budget: training stops at whichever of steps, epochs and minutes is
   * reached first (at least one must be set), or earlier when early stopping
   * fires. Epochs are the main budget; steps and minutes are caps.
   */
  steps?: number;
  epochs?: number;
  minutes?: number;
  batchSize: number;
  /** Starting learning rate of both Adam optimisers. */
  learningRate: number;
  /** How the rate changes on a validation plateau; default constant. */
  lrSchedule?: LearningRateSchedule;
  alpha: number;
  beta: number;
  gan: boolean;
  perfLoss: PerfLoss;
  /** hinge and log-hinge: how far past the threshold a reached p must go. Default 0.1. */
  margin?: number;
  /** Train at a higher threshold first, annealed to the suite's. Default: none (the suite's tau throughout). */
  tauCurriculum?: TauCurriculum;
  /** How G's output is bounded into the ball, in training and generation ('auto': by the norm, resolveBound). Default 'project' (the paper). */
  perturbationBound?: BoundSetting;
  width: number;
  /** Steps between validations; default one epoch. */
  validateEvery?: number;
  /** Validations without a gain before training stops. */
  patience: number;
  /** Smallest rise of the validation mean that counts as a gain; default its standard error. */
  minDelta?: number;
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

export interface TrainProgress {
  step: number;
  /** Steps the budget allows; 0 when only a time budget bounds them. */
  totalSteps: number;
  losses: LossValues;
  learningRate: number;
  /** Set on the steps that validated. */
  validationIflops?: number;
  validationStandardError?: number;
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
  /** The generator of the best validation. */
  generator: Generator;
  record: TrainingRecord;
}

export class TrainingBudgetError extends Error {
  override readonly name = 'TrainingBudgetError';
}

/**
 * Trains G (and D) on Eq. 8 with Adam, validating at least once per epoch by
 * default; keeps the generator whose validation mean I-FLOPs was highest,
 * lowers the learning rate on a plateau and stops after `patience`
 * validations without a gain (plateau.ts), or at the budget.
 */
export async function trainGenerator(input: TrainGeneratorInput): Promise<TrainedGenerator> {
  const { network, config, attack } = input;
  const started = performance.now();
  const trainCount = input.train.count;
  const totalSteps = stepBudget(config, trainCount);
  if (totalSteps === Infinity && config.minutes === undefined) throw new TrainingBudgetError('a generator training budget needs steps, epochs or minutes');
  const budgetReason: StopReason = (config.steps ?? Infinity) < stepBudget({ ...config, steps: undefined }, trainCount) ? 'budget-steps' : 'budget-epochs';
  const validateEvery = config.validateEvery ?? stepsPerEpoch(trainCount, config.batchSize);
  const deadline = config.minutes === undefined ? Infinity : started + config.minutes * 60_000;
  const g = new Generator(network.meta.input, config.width, config.seed, resolveBound(config.perturbationBound, attack.norm));
  const d = new Discriminator(network.meta.input, config.seed + 1);
  const gOpt = new ScheduledAdam(config.learningRate, 0.5, 0.999);
  const dOpt = new ScheduledAdam(config.learningRate, 0.5, 0.999);
  const validator = makeValidator(network, input.validation, attack);
  const plateau = new Plateau({ learningRate: config.learningRate, schedule: config.lrSchedule ?? { type: 'constant' }, patience: config.patience, minDelta: config.minDelta });
  const blockFlops = network.meta.blocks.map((b) => b.flops);
  const kept = new BestWeights();
  const curve: ValidationPoint[] = [];
  let order: number[] = [];
  let stopReason: StopReason | undefined;
  let step = 0;
  while (stopReason === undefined) {
    step++;
    if (order.length < config.batchSize) order = order.concat(Array.from(shuffledIndices(trainCount, trainCount, config.seed + step * 7919)));
    const x = sliceBatch(input.train, order.splice(0, config.batchSize), network);
    const learningRate = plateau.learningRate;
    // Share of the budget spent, by steps or by time, whichever is further along.
    const progress = Math.max((step - 1) / totalSteps, (performance.now() - started) / ((config.minutes ?? Infinity) * 60_000));
    const tau = curriculumTau(attack.tau, config.tauCurriculum, progress);
    const losses = trainStep({ g, d, gOpt, dOpt, network, x, attack, config, blockFlops, learningRate, tau, stepsAllowed: totalSteps });
    x.dispose();
    const outOfTime = performance.now() >= deadline;
    const atBudget = step >= totalSteps;
    let score: ValidationScore | undefined;
    if (step % validateEvery === 0 || atBudget || outOfTime) {
      // A compiled step keeps the newest weights to itself until asked.
      syncCompiledStep(g);
      score = validator(g);
      const verdict = plateau.observe(score.iflops, score.standardError);
      curve.push({ step, epoch: (step * config.batchSize) / trainCount, ...score, learningRate, losses, gain: verdict.gain });
      if (verdict.best) kept.keep(g, curve.length - 1);
      gOpt.setLearningRate(verdict.learningRate);
      dOpt.setLearningRate(verdict.learningRate);
      if (verdict.stop) stopReason = 'early-stopped';
    }
    stopReason ??= atBudget ? budgetReason : outOfTime ? 'budget-minutes' : undefined;
    const validation = score ? { validationIflops: score.iflops, validationStandardError: score.standardError } : {};
    input.onProgress?.({ step, totalSteps: Number.isFinite(totalSteps) ? totalSteps : 0, losses, learningRate, ...validation });
    // Let progress output and signals through between steps.
    await new Promise((r) => setImmediate(r));
  }
  // The compiled step's weights written back, its session and Adam state freed, then the best weights put back.
  releaseCompiledStep(g);
  const bestIndex = kept.restore(g) ?? curve.length - 1;
  d.store.dispose();
  gOpt.dispose();
  dOpt.dispose();
  const run = { curve, bestIndex, stopReason, steps: step, durationMs: performance.now() - started, stepsAllowed: totalSteps, validateEvery };
  return { generator: g, record: trainingRecord(run, config, trainCount, input.validation.count) };
}

/** A copy of the weights of the best generator so far, put back at the end. */
class BestWeights {
  private weights: Map<string, tf.Tensor> | undefined;
  private index: number | undefined;

  keep(g: Generator, index: number): void {
    if (this.weights) tf.dispose([...this.weights.values()]);
    this.weights = snapshot(g);
    this.index = index;
  }

  /** Puts the kept weights into G; returns the curve index they came from (undefined when none was kept). */
  restore(g: Generator): number | undefined {
    if (!this.weights) return undefined;
    assignNamed(g.store.named(), this.weights);
    tf.dispose([...this.weights.values()]);
    this.weights = undefined;
    return this.index;
  }
}

interface FinishedRun {
  curve: ValidationPoint[];
  bestIndex: number;
  stopReason: StopReason;
  steps: number;
  durationMs: number;
  stepsAllowed: number;
  validateEvery: number;
}

function trainingRecord(run: FinishedRun, config: GeneratorTrainConfig, trainCount: number, validationCount: number): TrainingRecord {
  const position = (p: ValidationPoint) => ({ step: p.step, epoch: p.epoch, iflops: p.iflops, standardError: p.standardError });
  return {
    version: 1,
    curve: run.curve,
    stopReason: run.stopReason,
    converged: run.stopReason === 'early-stopped',
    best: position(run.curve[run.bestIndex]),
    last: position(run.curve[run.curve.length - 1]),
    steps: run.steps,
    epochs: (run.steps * config.batchSize) / trainCount,
    durationMs: run.durationMs,
    trainInputs: trainCount,
    validationInputs: validationCount,
    batchSize: config.batchSize,
    budget: { steps: config.steps, epochs: config.epochs, minutes: config.minutes, stepsAllowed: run.stepsAllowed },
    validateEvery: run.validateEvery,
    patience: config.patience,
    minDelta: config.minDelta ?? 'standard-error',
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
