/**
 * The training record (its types are part of the result model, in
 * results/training-record.ts): written into the generator's metadata (cache
 * entries and saved folders), so a generator loaded later reports the same
 * facts as one trained in the run. Here: the budgets and reading it back.
 */

import { STOP_REASONS, type StopReason, type TrainingRecord } from '../results/index.js';

export { STOP_REASONS, type CurvePosition, type LossValues, type StopReason, type TrainingRecord, type ValidationPoint } from '../results/index.js';

/** Steps allowed by the step and epoch budgets (Infinity when neither is set). */
export function stepBudget(budget: { steps?: number; epochs?: number; batchSize: number }, trainCount: number): number {
  const byEpochs = budget.epochs === undefined ? Infinity : Math.max(1, Math.ceil((budget.epochs * trainCount) / budget.batchSize));
  return Math.min(budget.steps ?? Infinity, byEpochs);
}

/** Optimiser steps in one pass over the training inputs. */
export function stepsPerEpoch(trainCount: number, batchSize: number): number {
  return Math.max(1, Math.ceil(trainCount / batchSize));
}

export interface EarlyStoppingReach {
  /** Validations the step and epoch budgets allow (the last step always validates). */
  validations: number;
  /** Validations early stopping needs at the least: one to set the best, then `patience` without a gain. */
  needed: number;
  stepsAllowed: number;
  validateEvery: number;
}

/** How many validations the budget allows against the patience + 1 early stopping needs (`minutes` cannot be judged ahead). */
export function earlyStoppingReach(
  train: { steps?: number; epochs?: number; batchSize: number; validateEvery?: number; patience: number },
  trainCount: number,
): EarlyStoppingReach {
  const stepsAllowed = stepBudget(train, trainCount);
  const validateEvery = train.validateEvery ?? stepsPerEpoch(trainCount, train.batchSize);
  return { validations: Math.ceil(stepsAllowed / validateEvery), needed: train.patience + 1, stepsAllowed, validateEvery };
}

/**
 * The record in a generator's metadata, or undefined when there is none or it
 * is not one this version reads (a generator made before records existed).
 * JSON has no NaN: numbers written as null (an unknown standard error) come
 * back as NaN.
 */
export function readTrainingRecord(value: unknown): TrainingRecord | undefined {
  if (!isObject(value) || value.version !== 1 || !Array.isArray(value.curve) || value.curve.length === 0) return undefined;
  if (!STOP_REASONS.includes(value.stopReason as StopReason) || typeof value.converged !== 'boolean') return undefined;
  if (!isPosition(value.best) || !isPosition(value.last) || !value.curve.every(isPoint)) return undefined;
  return revive(value) as TrainingRecord;
}

function revive(v: unknown): unknown {
  if (v === null) return NaN;
  if (Array.isArray(v)) return v.map(revive);
  if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, revive(x)]));
  return v;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isNumberish(v: unknown): boolean {
  return typeof v === 'number' || v === null;
}

function isPosition(v: unknown): boolean {
  return isObject(v) && ['step', 'epoch', 'iflops', 'standardError'].every((k) => isNumberish(v[k]));
}

function isPoint(v: unknown): boolean {
  return isPosition(v) && isNumberish((v as Record<string, unknown>).learningRate) && isObject((v as Record<string, unknown>).losses);
}
