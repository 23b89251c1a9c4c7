/**
 * The generator's training as one line of text (console, dot summary, JUnit
 * system-out): where the generator came from, how long it trained, where and
 * why training stopped, the best and last validation.
 */
import type { CurvePosition, SuiteResult, TrainingRecord, TrainingSummary } from '../results/index.js';
import { formatDuration, formatPercent } from './format.js';

const SOURCE_TEXT: Record<TrainingSummary['source'], string> = {
  trained: 'trained in this run',
  cache: 'loaded from the cache',
  file: 'loaded from a file',
};

export const NO_RECORD = 'training record not available';

const STOP_TEXT: Record<TrainingRecord['stopReason'], string> = {
  'early-stopped': 'early-stopped (converged)',
  'budget-steps': 'stopped at the step budget (not converged)',
  'budget-epochs': 'stopped at the epoch budget (not converged)',
  'budget-minutes': 'stopped at the time budget (not converged)',
};

export function sourceText(t: TrainingSummary): string {
  return SOURCE_TEXT[t.source] ?? t.source;
}

export function stopReasonText(r: TrainingRecord): string {
  return STOP_TEXT[r.stopReason] ?? r.stopReason;
}

/** "49.1% ± 1.2% at step 320 (epoch 10)". */
export function positionText(p: CurvePosition): string {
  const se = Number.isFinite(p.standardError) ? ` ± ${formatPercent(p.standardError)}` : '';
  return `${formatPercent(p.iflops)}${se} at step ${p.step} (epoch ${formatEpochs(p.epoch)})`;
}

export function formatEpochs(e: number): string {
  return Number.isFinite(e) ? String(Math.round(e * 10) / 10) : '?';
}

/** Learning rate as 1e-3 style. */
export function formatRate(r: number): string {
  if (!Number.isFinite(r)) return '?';
  if (r === 0) return '0';
  return r.toExponential(1).replace(/\.0e/, 'e').replace('e+', 'e');
}

/** The first and last learning rate of the curve, "1e-3 -> 1e-5", or one rate. */
export function rateText(r: TrainingRecord): string {
  const first = r.curve[0]?.learningRate;
  const last = r.curve[r.curve.length - 1]?.learningRate;
  if (first === undefined || last === undefined) return '?';
  return first === last ? formatRate(first) : `${formatRate(first)} -> ${formatRate(last)}`;
}

/**
 * "generator: trained in this run, 14.2 epochs (455 steps, 1m 2s), early-stopped
 * (converged); validation I-FLOPs best 49.1% ± 1.2% at step 320 (epoch 10), last
 * 47.0% ± 1.2% at step 455 (epoch 14.2); learning rate 1e-3 -> 1e-5".
 */
export function trainingLine(s: Pick<SuiteResult, 'training'>): string | undefined {
  const t = s.training;
  if (!t) return undefined;
  const r = t.record;
  if (!r) return `generator: ${sourceText(t)}; ${NO_RECORD}`;
  const trained = t.source === 'trained' ? '' : 'trained ';
  return (
    `generator: ${sourceText(t)}, ${trained}${formatEpochs(r.epochs)} epochs (${r.steps} steps, ${formatDuration(r.durationMs)}), ${stopReasonText(r)}; ` +
    `validation I-FLOPs (${r.validationInputs} inputs) best ${positionText(r.best)}, last ${positionText(r.last)}; learning rate ${rateText(r)}`
  );
}

/** The latest validation during training: mean I-FLOPs and, when known, its standard error. */
export interface Validation {
  iflops: number;
  standardError?: number;
}

/** "  val I-FLOPs 35.2% ± 1.1%" for the progress lines; empty before the first validation. */
export function validationText(v: Validation | undefined): string {
  if (v === undefined) return '';
  const se = v.standardError !== undefined && Number.isFinite(v.standardError) ? ` ± ${formatPercent(v.standardError)}` : '';
  return `  val I-FLOPs ${formatPercent(v.iflops)}${se}`;
}
