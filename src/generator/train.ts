import * as tf from '@tensorflow/tfjs-core';
import { runBatched, type AdaptiveNetwork, type ImageBatch } from '../adnn/index.js';
import { assignNamed } from '../nn/index.js';
import { shuffledIndices } from '../util/random.js';
import { Discriminator, Generator } from './architecture.js';
import { generate, type Attack } from './generate.js';
import type { PerfLoss } from './losses.js';
import { trainStep } from './train-step.js';

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
  width: number;
  validateEvery: number;
  patience: number;
  seed: number;
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
  const g = new Generator(network.meta.input, config.width, config.seed);
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
    losses = trainStep({ g, d, gOpt, dOpt, network, x, attack, config, blockFlops });
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
