/**
 * What the paper's §6 remedies report (mitigation.detector, mitigation.retrain
 * in a suite, and the detector and harden commands): plain values, kept in a
 * suite's result. mitigation/ computes them.
 */

/** The numbers a report shows; plain values, safe to keep in a suite result. */
export interface DetectorSectionResult {
  /** ROC AUC on the test seeds and their generated inputs (generated = positive). */
  auc: number;
  /** Accuracy at the detector's threshold (score > 0: generated) on the same inputs. */
  accuracy: number;
  /** Accuracy on its own training inputs. */
  trainAccuracy: number;
  /**
   * Extra FLOPs per input when the detector reads the first convolution the
   * model computes anyway: one dense layer dim -> 1, 2 x dim (docs/design.md §3
   * counts 2 x multiply-accumulates of dense layers); the standardisation is
   * folded into its weights, so it costs nothing at inference.
   */
  overheadFlops: number;
  /** overheadFlops as a percentage of the model's mean FLOPs on the test seeds at tau. */
  overheadFlopsPct: number;
  /** Extra FLOPs when the detector runs its own copy of the first convolution (standalone `score`). */
  standaloneFlops: number;
  /** Median batch-1 time of the detector alone (the linear layer on the shared features), ms. */
  latencyMs: number;
  /** Median batch-1 time of standalone `score` (first convolution + linear layer), ms. */
  standaloneLatencyMs: number;
  meanSeedFlops: number;
  featureDim: number;
  trainSeeds: number;
  testSeeds: number;
  svmEpochs: number;
  svmConverged: boolean;
  /** The detector file, when options.out was given. */
  file?: string;
  /**
   * Cross-method test: the same detector (trained on the generator's inputs)
   * scored on other attacks' inputs for the first test seeds, by attack name.
   */
  attacks?: Record<string, DetectorAttackResult>;
}

/** The detector against one other attack's inputs (generated = positive). */
export interface DetectorAttackResult {
  auc: number;
  /** At the detector's own threshold. */
  accuracy: number;
  /** Test seeds the attack ran on (the first of the section's test seeds). */
  seeds: number;
}

/** I-FLOPs (Eq. 9) of generated inputs against their seeds, both run by the real adaptive execution. */
export interface IflopsSummary {
  /** Fractions: 0.5 means 50 % more FLOPs than the seed. */
  meanIFlops: number;
  maxIFlops: number;
  /**
   * Mean FLOPs of the seeds and of the generated inputs: I-FLOPs is relative
   * to the seeds, so a model that got cheaper on its seeds can show a higher
   * I-FLOPs with generated inputs that cost less than before.
   */
  seedFlops: number;
  generatedFlops: number;
}

/**
 * Whose p(x) the FLOPs term pulls p(x') towards. 'current': the model being
 * retrained, read each step (Eq. 12's f is that model): x' should cost what
 * its seed costs now. 'original': the model before retraining, read once: x'
 * should cost what its seed cost before.
 */
export type FlopsTarget = 'current' | 'original';

/** Loss values of one step (clean = the family's trainingLoss on the seeds; hold = the seed-cost term, 0 when off). */
export interface HardenLosses {
  clean: number;
  task: number;
  flops: number;
  hold: number;
  total: number;
}

/** How to retrain; the names a `mitigation.retrain` suite section would use. */
export interface RetrainSettings {
  /** Passes over the training seeds. */
  epochs: number;
  /** Training-split inputs retrained on (each with its generated input); capped at the split's size. */
  trainSeeds: number;
  /** Weight of Eq. 12's FLOPs term. */
  flopsWeight: number;
  learningRate: number;
  batchSize: number;
  /** Seeds the pick of training seeds and the batch order; default the suite's seed. */
  seed?: number;
  /** Whose p(x) Eq. 12's FLOPs term aims at (retrain.ts): the model being retrained, or the original. */
  target?: FlopsTarget;
  /** Weight of the term holding the seeds' own cost at the original model's (retrain.ts); 0: none. */
  holdSeeds?: number;
}

/** Table 10's numbers for one model: I-FLOPs of DeepPerform's test inputs and test accuracy. */
export interface RetrainMeasurement extends IflopsSummary {
  /** Top-1 accuracy of the adaptive execution on the whole held-out split. */
  accuracy: number;
}

export interface RetrainSectionResult {
  /** Original model; I-FLOPs of the suite's generator (trained against it) on the test seeds. */
  before: RetrainMeasurement;
  /** Hardened model; I-FLOPs of a generator trained against it with the same settings and budget. */
  after: RetrainMeasurement;
  /** Hardened model run on the "before" generator's test inputs (the kind of inputs it was retrained on). */
  sameInputs: IflopsSummary;
  epochs: number;
  trainSeeds: number;
  /** Whole section; then the retraining alone and the new generator's training. */
  seconds: number;
  retrainSeconds: number;
  generatorSeconds: number;
  settings: Required<RetrainSettings>;
  /** Mean losses of each retraining epoch. */
  history: HardenLosses[];
  /** Where the hardened model was written, when it was. */
  weightsPath?: string;
}
