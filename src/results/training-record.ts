/**
 * The training record: how a generator was trained, how far its validation
 * got and why training stopped. Part of a suite's result (TrainingSummary);
 * generator/record.ts writes and reads it in a generator's metadata.
 */

export type StopReason = 'early-stopped' | 'budget-steps' | 'budget-epochs' | 'budget-minutes';

export const STOP_REASONS: readonly StopReason[] = ['early-stopped', 'budget-steps', 'budget-epochs', 'budget-minutes'];

export interface LossValues {
  gan: number;
  perf: number;
  pert: number;
  total: number;
  discriminator: number;
}

/** One validation of the curve. */
export interface ValidationPoint {
  step: number;
  /** Passes over the training inputs done by this step. */
  epoch: number;
  /** Mean I-FLOPs (Eq. 9) of G's inputs on the validation set. */
  iflops: number;
  /** Standard error of that mean (sample deviation / sqrt(n)). */
  standardError: number;
  /** Learning rate of the steps that led here. */
  learningRate: number;
  /** Losses of the last training step before this validation. */
  losses: LossValues;
  /** Beat the last gain by more than the gain threshold (resets early stopping's count). */
  gain: boolean;
}

/** Where on the curve: the step, epoch and score of one validation. */
export interface CurvePosition {
  step: number;
  epoch: number;
  iflops: number;
  standardError: number;
}

export interface TrainingRecord {
  /** Format of the record, for readers of older metadata. */
  version: 1;
  curve: ValidationPoint[];
  stopReason: StopReason;
  /** Early stopping fired: validation stopped improving before the budget ran out. */
  converged: boolean;
  /** The validation with the highest mean: its generator is the one kept. */
  best: CurvePosition;
  last: CurvePosition;
  steps: number;
  epochs: number;
  durationMs: number;
  trainInputs: number;
  validationInputs: number;
  batchSize: number;
  /** The budget as configured (absent caps were not set) and the steps it allowed. */
  budget: { steps?: number; epochs?: number; minutes?: number; stepsAllowed: number };
  validateEvery: number;
  patience: number;
  /** The gain threshold as configured: a number, or 'standard-error' (the reference's). */
  minDelta: number | 'standard-error';
}
