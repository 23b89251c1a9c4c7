import * as tf from '@tensorflow/tfjs-core';
import type { AdaptiveNetwork, ImageBatch, LabelledImages } from '../../adnn/index.js';
import { shuffledIndices } from '../../data/index.js';
import type { FlopsTarget, HardenLosses } from '../../results/index.js';
import { HardenError } from './errors.js';
import { blockWeights, eq12Loss, flopsGap } from './objective.js';

export interface HardenOptions {
  /** Passes over the training seeds. */
  epochs: number;
  batchSize: number;
  /** Adam learning rate. */
  learningRate: number;
  /** Weight of Eq. 12's FLOPs term against its task term. */
  flopsWeight: number;
  /** The AdNN threshold the soft pass follows. */
  tau: number;
  /** Seeds the batch order. */
  seed: number;
  /** Eq. 12's FLOPs(x): the model being retrained (default), or the model before retraining. */
  target?: FlopsTarget;
  /**
   * Weight of a term holding the seeds' own cost at the original model's:
   * holdSeeds * mean_b |sum_i w_i (p_i(x) - p_i^0(x))|, with the gradient
   * through p(x) and p^0 read once before retraining. 0 (default): none.
   * A family whose training loss lets the seeds' cost drift (SkipNet's
   * difficulty targets run half of each batch, its trained model 64 %) makes
   * the seeds cheaper without it, and I-FLOPs, relative to them, rise.
   */
  holdSeeds?: number;
  onStep?: (info: HardenStep) => void;
}

export type { FlopsTarget, HardenLosses } from '../../results/index.js';

export interface HardenStep extends HardenLosses {
  epoch: number;
  step: number;
  stepsPerEpoch: number;
}

export interface HardenReport {
  epochs: number;
  steps: number;
  trainSeeds: number;
  seconds: number;
  /** Mean losses of each epoch, in order. */
  history: HardenLosses[];
}

/** Makes the generated input x' of every seed: one forward pass of the DeepPerform generator. */
export type GenerateInputs = (seeds: ImageBatch) => ImageBatch | Promise<ImageBatch>;

/**
 * Retrains `network` in place per Eq. 12, mixed with the original training
 * data: each step minimises, with Adam, the family's own trainingLoss on a
 * batch of training seeds plus Eq. 12 on their generated inputs.
 *
 * The generated inputs are made once, before the first epoch, by the
 * generator trained against the original model, and kept fixed: that is the
 * paper's setup (§6.1 feeds "the generated test samples" to retraining), and
 * regenerating from the same generator would only reproduce them (G maps
 * each seed to one input). Robustness against a generator that adapts to the
 * hardened model is what the after-measurement checks, by training a new one.
 *
 * p(x) carries no gradient in either target (objective.ts says why). With
 * 'current' it moves as the model learns, so nothing in Eq. 12 holds the
 * seeds' own cost: a family whose training loss does not either may end up
 * cheaper everywhere (see docs/mitigation.md for what was measured).
 *
 * Staged schemes (BlockDrop's warm-up) are not restarted: beginEpoch is not
 * called, so a loaded model trains its final-stage objective, as it finished.
 */
export async function hardenAdnn(network: AdaptiveNetwork, trainData: LabelledImages, generate: GenerateInputs, opts: HardenOptions): Promise<HardenReport> {
  checkOptions(opts, trainData);
  const started = performance.now();
  const generated = await generate({ images: trainData.images, count: trainData.count });
  const { height, width, channels } = network.meta.input;
  if (generated.count !== trainData.count || generated.images.length < trainData.count * height * width * channels) {
    throw new HardenError(`the generator made ${generated.count} inputs for ${trainData.count} training seeds; they must pair up one to one`);
  }
  const targets = opts.target === 'original' || (opts.holdSeeds ?? 0) > 0 ? seedTargets(network, trainData, opts.tau, opts.batchSize) : undefined;
  const optimizer = tf.train.adam(opts.learningRate);
  const vars = network.trainableVariables();
  const stepsPerEpoch = Math.ceil(trainData.count / opts.batchSize);
  const history: HardenLosses[] = [];
  try {
    for (let epoch = 0; epoch < opts.epochs; epoch++) {
      const order = shuffledIndices(trainData.count, trainData.count, opts.seed + epoch * 7919);
      const sums: HardenLosses = { clean: 0, task: 0, flops: 0, hold: 0, total: 0 };
      for (let step = 0; step < stepsPerEpoch; step++) {
        const idx = order.subarray(step * opts.batchSize, (step + 1) * opts.batchSize);
        const losses = trainStep(network, optimizer, vars, batchOf(network, trainData, generated, targets, idx), opts);
        for (const k of Object.keys(sums) as (keyof HardenLosses)[]) sums[k] += losses[k] / stepsPerEpoch;
        opts.onStep?.({ epoch, step, stepsPerEpoch, ...losses });
        // Let progress output and signals through between steps.
        await new Promise((r) => setImmediate(r));
      }
      history.push(sums);
    }
  } finally {
    optimizer.dispose();
  }
  return { epochs: opts.epochs, steps: opts.epochs * stepsPerEpoch, trainSeeds: trainData.count, seconds: (performance.now() - started) / 1000, history };
}

interface Batch {
  x: tf.Tensor4D;
  xAdv: tf.Tensor4D;
  y: tf.Tensor2D;
  /** p(x) of the seeds under the model before retraining (target 'original', or holdSeeds > 0). */
  pSeed?: tf.Tensor2D;
}

/** p(x) of every training seed, [count * K] row-major, from the soft pass at tau before any update ('original'). */
function seedTargets(network: AdaptiveNetwork, data: LabelledImages, tau: number, batchSize: number): Float32Array {
  const { height, width, channels } = network.meta.input;
  const size = height * width * channels;
  const k = network.meta.blocks.length;
  const out = new Float32Array(data.count * k);
  for (let start = 0; start < data.count; start += batchSize) {
    const n = Math.min(batchSize, data.count - start);
    const p = tf.tidy(() => network.soft(tf.tensor4d(data.images.subarray(start * size, (start + n) * size), [n, height, width, channels]), tau).p);
    // Read outside tidy: tidy walks a returned TypedArray element by element.
    out.set(p.dataSync(), start * k);
    p.dispose();
  }
  return out;
}

function trainStep(network: AdaptiveNetwork, optimizer: tf.Optimizer, vars: tf.Variable[], b: Batch, opts: HardenOptions): HardenLosses {
  // Read before the tape records, so p(x) is a constant to the gradient.
  const pSeed = (opts.target === 'original' ? b.pSeed : undefined) ?? tf.tidy(() => network.soft(b.x, opts.tau).p);
  const parts = { clean: NaN, task: NaN, flops: NaN, hold: 0 };
  const holdWeight = opts.holdSeeds ?? 0;
  const cost = optimizer.minimize(
    () => {
      const clean = network.trainingLoss(b.x, b.y);
      const eq12 = eq12Loss(network, b.xAdv, pSeed, b.y, opts);
      parts.clean = clean.dataSync()[0];
      parts.task = eq12.task.dataSync()[0];
      parts.flops = eq12.flops.dataSync()[0];
      let total = tf.add(clean, eq12.total) as tf.Scalar;
      if (holdWeight > 0 && b.pSeed) {
        // p(x) with its gradient this time: the seeds' cost is what this term moves.
        const hold = flopsGap(network.soft(b.x, opts.tau).p, b.pSeed, blockWeights(network.meta));
        parts.hold = hold.dataSync()[0];
        total = tf.add(total, tf.mul(holdWeight, hold)) as tf.Scalar;
      }
      return total;
    },
    true,
    vars,
  );
  const total = cost ? cost.dataSync()[0] : NaN;
  tf.dispose([pSeed, ...(b.pSeed && b.pSeed !== pSeed ? [b.pSeed] : []), b.x, b.xAdv, b.y, ...(cost ? [cost] : [])]);
  return { ...parts, total };
}

/** Seeds, their generated inputs, one-hot labels and FLOPs targets at `idx`. */
function batchOf(network: AdaptiveNetwork, data: LabelledImages, generated: ImageBatch, targets: Float32Array | undefined, idx: ArrayLike<number>): Batch {
  const { height, width, channels } = network.meta.input;
  const size = height * width * channels;
  const k = network.meta.blocks.length;
  const p = new Float32Array(idx.length * k);
  const seeds = new Float32Array(idx.length * size);
  const adv = new Float32Array(idx.length * size);
  const labels = new Int32Array(idx.length);
  for (let i = 0; i < idx.length; i++) {
    const src = idx[i];
    seeds.set(data.images.subarray(src * size, (src + 1) * size), i * size);
    adv.set(generated.images.subarray(src * size, (src + 1) * size), i * size);
    labels[i] = data.labels[src];
    if (targets) p.set(targets.subarray(src * k, (src + 1) * k), i * k);
  }
  const shape: [number, number, number, number] = [idx.length, height, width, channels];
  const y = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), data.numClasses), 'float32') as tf.Tensor2D);
  const batch: Batch = { x: tf.tensor4d(seeds, shape), xAdv: tf.tensor4d(adv, shape), y };
  if (targets) batch.pSeed = tf.tensor2d(p, [idx.length, k]);
  return batch;
}

function checkOptions(opts: HardenOptions, data: LabelledImages): void {
  const bad = (what: string) => {
    throw new HardenError(what);
  };
  if (!Number.isInteger(opts.epochs) || opts.epochs < 1) bad(`epochs must be an integer >= 1, got ${opts.epochs}`);
  if (!Number.isInteger(opts.batchSize) || opts.batchSize < 1) bad(`batch size must be an integer >= 1, got ${opts.batchSize}`);
  if (!(opts.learningRate > 0)) bad(`learning rate must be > 0, got ${opts.learningRate}`);
  if (!(opts.flopsWeight >= 0)) bad(`the FLOPs weight must be >= 0, got ${opts.flopsWeight}`);
  if (!((opts.holdSeeds ?? 0) >= 0)) bad(`the seed-holding weight must be >= 0, got ${opts.holdSeeds}`);
  if (data.count < 1) bad('there are no training seeds to retrain on');
}
