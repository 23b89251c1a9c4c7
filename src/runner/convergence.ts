/**
 * Whether the suite's generator was trained to convergence, made visible
 * (suite warnings the reporters show) and enforceable
 * (`generator.train.requireConverged` becomes a check that fails the suite).
 * Converged means early stopping fired: validation stopped improving before
 * the budget ran out.
 */
import { earlyStoppingReach, type StopReason, type TrainingRecord } from '../generator/index.js';
import type { Suite } from '../suite/index.js';
import type { AssertionResult, SuiteWarning, TrainingSummary } from '../results/index.js';

/** The source of the check requireConverged adds to the suite's assertions. */
export const CONVERGENCE_CHECK = 'generator.train.requireConverged';

/**
 * Checked once the training data is known, before the generator is trained
 * or looked up: a budget that allows fewer validations than early stopping
 * needs (patience + 1) can only end at the budget.
 */
export function budgetWarning(suite: Suite, trainCount: number): SuiteWarning | undefined {
  if (suite.generator.load !== undefined) return undefined;
  const t = suite.generator.train;
  const reach = earlyStoppingReach(t, trainCount);
  if (reach.validations >= reach.needed) return undefined;
  const caps = [`epochs ${t.epochs}`, ...(t.steps === undefined ? [] : [`steps ${t.steps}`])].join(', ');
  return {
    kind: 'early-stopping-budget',
    message:
      `early stopping cannot fire within the training budget: ${reach.stepsAllowed} steps (${caps}; ${trainCount} training inputs, batch ${t.batchSize}) ` +
      `validated every ${reach.validateEvery} steps allow ${reach.validations} validation${reach.validations === 1 ? '' : 's'}, and early stopping needs patience + 1 = ${reach.needed}. ` +
      'Raise generator.train.epochs or steps, or lower patience or validateEvery.',
  };
}

export interface ConvergenceOutcome {
  warnings: SuiteWarning[];
  /** The requireConverged check, when the suite asks for it. */
  check?: AssertionResult;
}

/** After training or loading: a warning when the generator did not converge, and the check when it is required. */
export function convergenceOutcome(suite: Suite, file: string, training: TrainingSummary): ConvergenceOutcome {
  const required = suite.generator.train.requireConverged;
  const record = training.record;
  const problem = record ? (record.converged ? undefined : notConverged(record)) : noRecord(training);
  const warnings: SuiteWarning[] = [];
  if (problem && !required) warnings.push({ kind: record ? 'not-converged' : 'no-training-record', message: problem });
  if (!required) return { warnings };
  const check: AssertionResult = {
    source: CONVERGENCE_CHECK,
    level: 'error',
    status: problem ? 'failed' : 'passed',
    metric: 'generator converged',
    expected: 'early stopping fired',
    value: record?.converged ? 1 : 0,
    actual: record ? stopText(record.stopReason) : 'no training record',
    ...(problem ? { message: `${file}: requireConverged is set and ${problem}` } : {}),
  };
  return { warnings, check };
}

const STOP_TEXT: Record<StopReason, string> = {
  'early-stopped': 'early-stopped',
  'budget-steps': 'stopped at its step budget',
  'budget-epochs': 'stopped at its epoch budget',
  'budget-minutes': 'stopped at its time budget',
};

export function stopText(reason: StopReason): string {
  return STOP_TEXT[reason] ?? reason;
}

/** "the generator did not converge: training stopped at its epoch budget ... while validation was still improving ...". */
function notConverged(r: TrainingRecord): string {
  const sinceGain = validationsSinceGain(r);
  const still = sinceGain === 0 ? 'while validation was still improving (the last validation was a gain)' : `${sinceGain} validation${sinceGain === 1 ? '' : 's'} after the last gain`;
  return (
    `the generator did not converge: training ${stopText(r.stopReason)} at step ${r.steps} (epoch ${epochText(r.epochs)}), ${still}; ` +
    `early stopping needs ${r.patience} validations without a gain. Best validation mean I-FLOPs ${pct(r.best.iflops)} ± ${pct(r.best.standardError)} at step ${r.best.step} (epoch ${epochText(r.best.epoch)}), ` +
    `last ${pct(r.last.iflops)}. Raise generator.train.epochs (or the caps) to let it converge.`
  );
}

function noRecord(t: TrainingSummary): string {
  const where = t.source === 'file' ? 'loaded from a file' : 'loaded from the cache';
  return `training record not available: the generator was ${where} and its metadata has no training record (saved by an older deepperform), so whether it converged is unknown`;
}

/** Validations after the last gain, to the end of the curve. */
export function validationsSinceGain(r: TrainingRecord): number {
  let n = 0;
  for (let i = r.curve.length - 1; i >= 0 && !r.curve[i].gain; i--) n++;
  return n;
}

function pct(x: number): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : 'n/a';
}

function epochText(e: number): string {
  return String(Math.round(e * 10) / 10);
}
