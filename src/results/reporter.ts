/**
 * The interface the runner calls while it works. Every hook is optional so a
 * reporter implements only what it shows; the runner calls them in order
 * onRunStart, then per suite onSuiteStart, onPhase / onTrainingProgress /
 * onPhaseProgress (any number), onSuiteEnd, and finally onRunEnd once.
 */
import { UserError } from '../util/errors.js';
import type { EnvironmentInfo, RunResult, SuiteResult, SuiteWarning } from './result.js';

export interface RunStartInfo {
  environment: EnvironmentInfo;
  suiteFiles: string[];
}

export interface SuiteStartInfo {
  file: string;
  name: string;
}

export interface PhaseInfo {
  file: string;
  /** 'loading model' | 'training generator' | 'loading generator' | 'generating' | 'measuring' | ... */
  phase: string;
  detail?: string;
}

export interface TrainingLosses {
  total: number;
  perf: number;
  gan: number;
  pert: number;
}

export interface TrainingProgressInfo {
  file: string;
  step: number;
  totalSteps: number;
  losses: TrainingLosses;
  /** Learning rate of this step (the schedule may lower it). */
  learningRate?: number;
  /** Latest validation mean I-FLOPs (fraction), when one was computed, and its standard error. */
  validationIflops?: number;
  validationStandardError?: number;
}

/** A suite-level warning known before the suite ends (e.g. a budget in which early stopping cannot fire). */
export interface SuiteWarningInfo {
  file: string;
  warning: SuiteWarning;
}

/** Progress of a long phase other than generator training (a baseline's optimisation): `done` of `total`. */
export interface PhaseProgressInfo {
  file: string;
  done: number;
  total: number;
  /** What is counted: 'steps'. */
  unit: string;
}

export interface Reporter {
  onRunStart?(info: RunStartInfo): void;
  onSuiteStart?(info: SuiteStartInfo): void;
  /** A phase of a suite: 'loading model' | 'training generator' | 'loading generator' | 'generating' | 'measuring' | ... */
  onPhase?(info: PhaseInfo): void;
  onTrainingProgress?(info: TrainingProgressInfo): void;
  /** Progress of the open phase (a baseline's optimisation steps); synchronous work calls it, so draw at once. */
  onPhaseProgress?(info: PhaseProgressInfo): void;
  /** A suite-level warning as soon as it is known; it is also in the suite's result (`warnings`). */
  onSuiteWarning?(info: SuiteWarningInfo): void;
  onSuiteEnd?(result: SuiteResult): void;
  /** Writes its files; returns the paths written. */
  onRunEnd?(result: RunResult): Promise<string[]>;
  /**
   * Every path the reporters wrote, after all onRunEnd calls finished.
   * combineReporters calls it so the console can list the report files.
   */
  onReportsWritten?(paths: string[]): void;
}

/** One report that could not be written: which reporter, where, and why. */
export interface ReportWriteFailure {
  reporter: string;
  file: string;
  reason: string;
}

/**
 * Reports that could not be written (an unwritable place, a path that is not
 * a regular file, a full disk): what onRunEnd throws when its file failed. A mistake in where the user sent the reports,
 * not a crash: the CLI exits 2 with this message, after the suites' results
 * were printed.
 */
export class ReportWriteError extends UserError {
  override readonly name = 'ReportWriteError';
  constructor(readonly failures: readonly ReportWriteFailure[]) {
    super(failures.map((f) => `cannot write the ${f.reporter} report to ${f.file}: ${f.reason}`).join('\n'));
  }
}
