import { denseFlops, runBatched, type AdaptiveNetwork, type ImageBatch } from '../../adnn/index.js';
import { takeSeeded, type Dataset } from '../../data/index.js';
import type { DetectorSectionResult } from '../../results/index.js';
import { DetectorOptionsError } from './errors.js';
import { saveDetector } from './io.js';
import { measureDetectorLatency } from './latency.js';
import type { DetectorModel } from './model.js';
import { attachDetector } from './runtime.js';
import type { SvmOptions } from './svm.js';
import { evaluateDetector, trainDetector } from './train.js';

export type { DetectorSectionResult } from '../../results/index.js';

/** What a detector section needs: the model, both splits, and the generator as a function. */
export interface DetectorSectionContext {
  network: AdaptiveNetwork;
  /** Where the training seeds are drawn from (the paper: the training split). */
  train: Dataset;
  /** Where the evaluation seeds are drawn from (the paper: the test split). */
  test: Dataset;
  /** The trained generator at the suite's norm and epsilon: one generated input per seed, same order. */
  generate(seeds: ImageBatch): ImageBatch;
  /** Threshold at which the model's mean seed FLOPs are counted (the denominator of overheadFlopsPct). */
  tau: number;
  /** Seed of the seed sampling and of the SVM's visiting order. */
  seed: number;
  options?: DetectorSectionOptions;
  onPhase?(phase: string, detail?: string): void;
}

export interface DetectorSectionOptions {
  /** Seeds drawn from `train` (each with its generated input). Default 1000, as in §6.2. */
  trainSeeds?: number;
  /** Seeds drawn from `test`. Default 1000. */
  testSeeds?: number;
  svm?: SvmOptions;
  /** Timed repetitions for the latencies. Default 200. */
  latencyRuns?: number;
  /** Write the detector file here (atomically). */
  out?: string;
  /** Recorded in the file. */
  provenance?: Record<string, string | number>;
}

/**
 * The whole §6.2 experiment: draw seeds from both splits, generate from them,
 * train the detector on the training pairs, evaluate it on the test pairs,
 * count and time its overhead, and optionally write its file.
 */
export async function runDetectorSection(ctx: DetectorSectionContext): Promise<DetectorSectionResult> {
  const o = ctx.options ?? {};
  const trainSeeds = o.trainSeeds ?? 1000;
  const testSeeds = o.testSeeds ?? 1000;
  for (const [name, n] of [['trainSeeds', trainSeeds], ['testSeeds', testSeeds]] as const) {
    if (!Number.isInteger(n) || n < 1) throw new DetectorOptionsError(`detector ${name} must be a whole number >= 1, got ${n}`);
  }
  const phase = ctx.onPhase ?? (() => {});
  const trainPick = takeSeeded(ctx.train, trainSeeds, ctx.seed);
  const testPick = takeSeeded(ctx.test, testSeeds, ctx.seed);
  phase('generating', `${trainSeeds} training and ${testSeeds} test inputs for the detector`);
  const train = { seeds: trainPick, generated: ctx.generate(trainPick) };
  const test = { seeds: testPick, generated: ctx.generate(testPick) };
  phase('training detector', `linear SVM on ${trainSeeds * 2} inputs`);
  const detector = trainDetector(ctx.network, train, { svm: { seed: ctx.seed, ...o.svm }, provenance: o.provenance });
  phase('evaluating detector', `${testSeeds * 2} held-out inputs`);
  const evaluation = evaluateDetector(detector, ctx.network, test);
  const seedFlops = runBatched(ctx.network, testPick, ctx.tau).flops;
  const meanSeedFlops = seedFlops.reduce((a, b) => a + b, 0) / seedFlops.length;
  const size = testPick.images.length / testPick.count;
  const latency = measureDetectorLatency(attachDetector(detector, ctx.network), testPick.images.subarray(0, size), { runs: o.latencyRuns });
  const result = summarise(detector, evaluation, meanSeedFlops, latency);
  if (o.out) {
    await saveDetector(o.out, detector, { auc: result.auc, accuracy: result.accuracy, testSeeds, overheadFlops: result.overheadFlops });
    result.file = o.out;
  }
  return result;
}

function summarise(
  detector: DetectorModel,
  evaluation: { auc: number; accuracy: number; seeds: number },
  meanSeedFlops: number,
  latency: { linearMs: number; standaloneMs: number },
): DetectorSectionResult {
  const overheadFlops = denseFlops(detector.features.dim, 1);
  return {
    auc: evaluation.auc,
    accuracy: evaluation.accuracy,
    trainAccuracy: detector.training.accuracy,
    overheadFlops,
    overheadFlopsPct: (100 * overheadFlops) / meanSeedFlops,
    standaloneFlops: overheadFlops + detector.features.convFlops,
    latencyMs: latency.linearMs,
    standaloneLatencyMs: latency.standaloneMs,
    meanSeedFlops,
    featureDim: detector.features.dim,
    trainSeeds: detector.training.seeds,
    testSeeds: evaluation.seeds,
    svmEpochs: detector.training.svm.epochs,
    svmConverged: detector.training.svm.converged,
  };
}
