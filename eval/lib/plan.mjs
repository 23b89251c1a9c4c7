/**
 * The scale of the evaluation: which models, how long each trains, how many
 * seeds each method sees and how long each generator trains. Everything the
 * tables depend on is here, so the output can state it and a rerun can
 * reproduce it. `full` is sized for about 60-90 minutes on 2 quiet cores once
 * the models exist; `quick` is a smoke test of the whole pipeline (minutes),
 * whose numbers mean nothing.
 */

export const ARCHS = ['sdn-tiny', 'ranet-tiny', 'skipnet-tiny', 'blockdrop-tiny'];

/** Norms and budgets: the default suites' (suites/*.perf.yaml), so the eval measures what a user runs. */
export const NORMS = [
  { norm: 'linf', epsilon: 0.1, label: 'Linf' },
  { norm: 'l2', epsilon: 2.0, label: 'L2' },
];

/**
 * Epochs on the full 60k training split, chosen so that each model trains in
 * at most ~15 minutes on the wasm backend here (measured ms per step at
 * batch 64: sdn-tiny 135, ranet-tiny 417, blockdrop-tiny 307, skipnet-tiny 340;
 * 938 steps per epoch). Each is 1.8x (skipnet-tiny) to 6x (ranet-tiny) the optimiser steps of the
 * fixtures' training on the 2,000-image slice (fixtures/models/<arch>/README.md).
 */
export const MODEL_EPOCHS = { 'sdn-tiny': 3, 'ranet-tiny': 2, 'skipnet-tiny': 3, 'blockdrop-tiny': 3 };

const FULL = {
  mode: 'full',
  threshold: 0.5,
  seed: 2022,
  /** Seeds of the generator suites (the paper's Table 6 counts 1,000 generated inputs). */
  generatorSeeds: 1000,
  /** Split the generators train on (10% of it held out for early stopping). */
  generatorTrainSplit: 'train',
  /** Seeds of the per-input baselines (ILFO, DeepSloth), shared with DeepPerform and random for a same-seed comparison. */
  baselineSeeds: 100,
  /**
   * The generators' training seeds (generator.train.seed): the light generator is trained once
   * per seed, in its own suites (light/ and baselines/ hold the first seed, light-seeds/ and
   * baselines-seeds/ the others), and its results are given as mean ± sample standard deviation
   * over them. The baselines do not depend on it: their inputs are cache hits across the seeds.
   */
  trainingSeeds: [0, 1, 2],
  /**
   * The light generator (width 16) at the product's defaults (L_perf, GAN term, bound: see
   * docs/generator-study.md), trained to convergence: an epochs budget with early stopping
   * (patience 5 and the standard-error gain threshold, the product's defaults), validated every
   * 250 steps (0.15 epoch) on 2,000 held-out training inputs. The product validates once per
   * epoch on 1,000; here early stopping has to fire within a run that trains 24 generators on 2
   * cores, and 6,000 inputs every 50 steps (the setting before) took longer than the 50 steps
   * between them. `minutes` (wall time) is a safety cap: a generator that reaches it is reported
   * as not converged. Every table and the summary use these generators.
   */
  light: { preset: 'light', train: { epochs: 50, minutes: 15, validateEvery: 250, validationInputs: 2000, batchSize: 32, learningRate: 0.001 } },
  /**
   * The paper's generator (width 64), only under Linf, on a steps budget: a step costs ~7.4 s CPU
   * here, so 15 steps train about as long as the light one's first minutes. Product defaults otherwise.
   */
  full: { preset: 'full', steps: 15, norms: ['linf'] },
  train: { batchSize: 32, learningRate: 0.001 },
  /**
   * ILFO at its published 300 iterations (Adam); ILFO as the DeepPerform paper's code ran it
   * (ilfo-paper-code, 300 SGD iterations); DeepSloth at its defaults (30 Linf PGD steps, 100 L2
   * iterations); deepperform-refine at its default k (15) from the light generator's inputs.
   */
  ilfo: {},
  ilfoPaperCode: {},
  deepsloth: {},
  refine: 15,
  /** Batch-1 latency for Table 2, on the first seeds of the Linf generator suites. */
  latencyInputs: 200,
  latencyRepeats: 5,
  /** Table 1: the whole test split. */
  table1Inputs: 10000,
  /** Table 6's time budget: DeepPerform's time to make this many inputs (the paper's 1,000). */
  budgetInputs: 1000,
  /** Table 11: the detector's seeds from each split (the paper's 1,000). */
  detector: { trainSeeds: 1000, testSeeds: 1000 },
  /** Table 10: Eq. 12 retraining against the Linf light generator (src/mitigation's defaults otherwise). */
  retrain: { norms: ['linf'], epochs: 3, trainSeeds: 2000 },
  /**
   * The summary rows (eval/results/summary.json): per model, norm and training seed one suite
   * where every method sees the same `seeds` test seeds: the light generator as above (trained to
   * convergence; a cache hit from the light suites), deepperform-refine at its default k (15), ILFO
   * at its published 300 iterations (Adam), DeepSloth (early-exit models) and random noise. The bar
   * table beside the rows checks the paper's Table 6 trade-off against the ILFO time of the same
   * run: the generator's training time against ILFO's time for 1,000 inputs.
   */
  summary: {
    seeds: 100,
    refine: 15,
    ilfo: {},
    deepsloth: {},
  },
};

const QUICK = {
  ...FULL,
  mode: 'quick',
  // The test split trains faster: its validation part is 1,000 images instead of 6,000.
  generatorTrainSplit: 'test',
  generatorSeeds: 40,
  baselineSeeds: 8,
  light: { preset: 'light', train: { epochs: 1, steps: 4, minutes: 1, validateEvery: 2, validationInputs: 50, batchSize: 8, learningRate: 0.001 } },
  full: { preset: 'full', steps: 2, norms: ['linf'] },
  train: { ...FULL.train, batchSize: 8 },
  ilfo: { iterations: 10 },
  ilfoPaperCode: { iterations: 10 },
  refine: 2,
  deepsloth: { linfSteps: 3, l2Iterations: 5 },
  latencyInputs: 10,
  latencyRepeats: 2,
  table1Inputs: 500,
  detector: { trainSeeds: 40, testSeeds: 40, latencyRuns: 5 },
  retrain: { norms: ['linf'], epochs: 1, trainSeeds: 64 },
  summary: {
    seeds: 8,
    refine: 2,
    ilfo: { iterations: 5 },
    deepsloth: { linfSteps: 2, l2Iterations: 3 },
  },
};

export function planFor(quick) {
  return quick ? QUICK : FULL;
}

/** Early-exit models are the only ones DeepSloth attacks. */
export function isEarlyExit(arch) {
  return arch === 'sdn-tiny' || arch === 'ranet-tiny';
}
