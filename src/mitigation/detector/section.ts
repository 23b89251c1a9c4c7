import { denseFlops, runBatched, type AdaptiveNetwork, type ImageBatch } from '../../adnn/index.js';
import { takeSeeded, type Dataset } from '../../data/index.js';
import type { DetectorAttackResult, DetectorSectionResult } from '../../results/index.js';
import { separation } from './auc.js';
import { DetectorOptionsError } from './errors.js';
import { saveDetector } from './io.js';
import { measureDetectorLatency } from './latency.js';
import type { DetectorModel } from './model.js';
import { attachDetector } from './runtime.js';
import type { SvmOptions } from './svm.js';
import { evaluateDetector, trainDetector } from './train.js';

export type { DetectorAttackResult, DetectorSectionResult } from '../../results/index.js';

/** Another attack as a function of the seeds: one input per seed, same order (ILFO, DeepSloth ...). */
export type DetectorAttack = (seeds: ImageBatch) => ImageBatch;

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
  /**
   * Other attacks to score the trained detector on (cross-method AUC), by
   * name: each runs on the first `options.attackSeeds` test seeds. The
   * detector still trains on the generator's inputs only.
   */
  attacks?: Record<string, DetectorAttack>;
  options?: DetectorSectionOptions;
  onPhase?(phase: string, detail?: string): void;
}

export interface DetectorSectionOptions {
  /** Seeds drawn from `train` (each with its generated input). Default 1000, as in §6.2. */
  trainSeeds?: number;
  /** Seeds drawn from `test`. Default 1000. */
  testSeeds?: number;
  /** How many of the test seeds (the first) the `attacks` run on; at most testSeeds. Default testSeeds. */
  attackSeeds?: number;
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
  const attackSeeds = o.attackSeeds ?? testSeeds;
  for (const [name, n] of [['trainSeeds', trainSeeds], ['testSeeds', testSeeds], ['attackSeeds', attackSeeds]] as const) {
    if (!Number.isInteger(n) || n < 1) throw new DetectorOptionsError(`detector ${name} must be a whole number >= 1, got ${n}`);
  }
  if (attackSeeds > testSeeds) throw new DetectorOptionsError(`detector attackSeeds (${attackSeeds}) must be at most testSeeds (${testSeeds}): the attacks run on the first test seeds`);
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
  if (ctx.attacks && Object.keys(ctx.attacks).length > 0) {
    // takeSeeded is prefix-stable: these are the first attackSeeds of testPick.
    const seeds = takeSeeded(ctx.test, attackSeeds, ctx.seed);
    result.attacks = crossMethod(detector, ctx.network, seeds, ctx.attacks, phase);
  }
  if (o.out) {
    await saveDetector(o.out, detector, { auc: result.auc, accuracy: result.accuracy, testSeeds, overheadFlops: result.overheadFlops });
    result.file = o.out;
  }
  return result;
}

/** The detector's AUC on each other attack's inputs for the same seeds. */
function crossMethod(
  detector: DetectorModel,
  network: AdaptiveNetwork,
  seeds: ImageBatch,
  attacks: Record<string, DetectorAttack>,
  phase: (phase: string, detail?: string) => void,
): Record<string, DetectorAttackResult> {
  const runnable = attachDetector(detector, network);
  const seedScores = runnable.score(seeds);
  const out: Record<string, DetectorAttackResult> = {};
  for (const [name, attack] of Object.entries(attacks)) {
    phase('cross-method test', `${name} on ${seeds.count} test seeds`);
    const inputs = attack(seeds);
    if (inputs.count !== seeds.count) throw new DetectorOptionsError(`detector attack ${name} made ${inputs.count} inputs for ${seeds.count} seeds`);
    out[name] = { ...separation(seedScores, runnable.score(inputs), detector.threshold), seeds: seeds.count };
  }
  return out;
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
