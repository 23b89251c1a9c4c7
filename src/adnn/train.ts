import * as tf from '@tensorflow/tfjs-core';
import { shuffledIndices } from '../util/random.js';
import type { AdaptiveNetwork } from './contract.js';
import { runBatched } from './execute.js';

export interface LabelledImages {
  images: Float32Array;
  labels: Int32Array;
  count: number;
  numClasses: number;
}

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  /** First epoch to run (0-based), when resuming from a checkpoint. */
  startEpoch?: number;
  /** An optimizer with restored state, when resuming; default a fresh Adam. */
  optimizer?: tf.Optimizer;
  onStep?: (info: { epoch: number; step: number; stepsPerEpoch: number; loss: number }) => void;
  /** Called after each epoch, e.g. to write a checkpoint. */
  onEpochEnd?: (epoch: number, optimizer: tf.Optimizer) => Promise<void>;
}

/**
 * Trains the network's own objective (trainingLoss) with Adam on shuffled
 * mini-batches. Each epoch's order depends only on (seed, epoch), so a run
 * resumed from a checkpoint sees the same batches as an uninterrupted one.
 */
export async function trainAdnn(network: AdaptiveNetwork, data: LabelledImages, opts: TrainOptions): Promise<void> {
  const optimizer = opts.optimizer ?? tf.train.adam(opts.learningRate);
  const vars = network.trainableVariables();
  const stepsPerEpoch = Math.ceil(data.count / opts.batchSize);
  for (let epoch = opts.startEpoch ?? 0; epoch < opts.epochs; epoch++) {
    network.beginEpoch?.(epoch, opts.epochs);
    const order = Array.from(shuffledIndices(data.count, data.count, opts.seed + epoch * 7919));
    for (let step = 0; step < stepsPerEpoch; step++) {
      const idx = order.slice(step * opts.batchSize, (step + 1) * opts.batchSize);
      const { x, y } = gatherBatch(network, data, idx);
      const loss = optimizer.minimize(() => network.trainingLoss(x, y), true, vars);
      const value = loss ? loss.dataSync()[0] : NaN;
      tf.dispose(loss ? [x, y, loss] : [x, y]);
      opts.onStep?.({ epoch, step, stepsPerEpoch, loss: value });
      // Let the progress bar redraw and signals through.
      await new Promise((r) => setImmediate(r));
    }
    await opts.onEpochEnd?.(epoch, optimizer);
  }
  optimizer.dispose();
}

function gatherBatch(network: AdaptiveNetwork, data: LabelledImages, idx: number[]): { x: tf.Tensor4D; y: tf.Tensor2D } {
  const { height, width, channels } = network.meta.input;
  const size = height * width * channels;
  const images = new Float32Array(idx.length * size);
  const labels = new Int32Array(idx.length);
  idx.forEach((src, i) => {
    images.set(data.images.subarray(src * size, (src + 1) * size), i * size);
    labels[i] = data.labels[src];
  });
  const x = tf.tensor4d(images, [idx.length, height, width, channels]);
  const y = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), data.numClasses), 'float32') as tf.Tensor2D);
  return { x, y };
}

export interface AdaptiveEvaluation {
  accuracy: number;
  meanFlops: number;
  maxFlops: number;
  minFlops: number;
  /** Share of inputs that did not run every block (skipped or exited early). */
  adaptiveShare: number;
}

/** Accuracy and FLOPs of the real adaptive execution at threshold tau. */
export function evaluateAdaptive(network: AdaptiveNetwork, data: LabelledImages, tau: number): AdaptiveEvaluation {
  const exec = runBatched(network, data, tau);
  const k = network.meta.blocks.length;
  let correct = 0;
  let adaptive = 0;
  for (let i = 0; i < data.count; i++) {
    if (exec.predictions[i] === data.labels[i]) correct++;
    if (exec.ran.subarray(i * k, (i + 1) * k).some((r) => r === 0)) adaptive++;
  }
  const flops = Array.from(exec.flops);
  return {
    accuracy: correct / data.count,
    meanFlops: flops.reduce((a, b) => a + b, 0) / data.count,
    maxFlops: Math.max(...flops),
    minFlops: Math.min(...flops),
    adaptiveShare: adaptive / data.count,
  };
}
