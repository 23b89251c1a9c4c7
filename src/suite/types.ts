/**
 * The resolved suite: what the runner receives after loading. Built from the
 * generated types of the schema, with every default filled in and every
 * alias and relative path resolved.
 */
import { basename } from 'node:path';
import type { Assertion } from '../assert/index.js';
import type { DataSpec, DetectorSpec, MeasureSpec, RefineOptions, RetrainSpec, TrainSpec } from './suite.types.js';

export type NormName = 'linf' | 'l2';
export type { BaselineName } from './suite.types.js';
import type { BaselineName } from './suite.types.js';

/** A baseline the suite runs, with the options it set (the baseline fills in the rest). */
export interface BaselineSpec {
  name: BaselineName;
  options: Readonly<Record<string, unknown>>;
}

export interface ResolvedData extends Required<Omit<DataSpec, 'path' | 'labels'>>, Pick<DataSpec, 'labels'> {
  /** Absolute dataset folder, when the suite names one. */
  path?: string;
}

/** A zoo model with its weights folder, the user's own module, or an exported ONNX graph; paths absolute. */
export type ModelSource =
  | { source: 'zoo'; arch: string; weights: string }
  | { source: 'module'; module: string; exportName: string; options: Record<string, unknown>; timeoutSeconds: number }
  | OnnxModelSource;

/** model: { onnx, kind, exits | blocks, logits, input } (docs/onnx.md). */
export interface OnnxModelSource {
  source: 'onnx';
  onnx: string;
  kind: 'early-exit' | 'skipping';
  /** Early exit: the exits' logits tensors in order. */
  exits?: string[];
  /** Skipping: the manifest of gated blocks. */
  blocks?: { name?: string; input: string; output: string; gate: string }[];
  /** Skipping: the logits tensor; default the graph's first output. */
  logits?: string;
  input: { layout: 'NCHW' | 'NHWC'; mean?: number[]; std?: number[] };
}

/** How reports name the suite's model: the zoo architecture or the file's name. */
export function modelLabel(m: ModelSource): string {
  if (m.source === 'zoo') return m.arch;
  return basename(m.source === 'module' ? m.module : m.onnx);
}

/** Where the model comes from: a weights folder, a module or an ONNX file. */
export function modelPath(m: ModelSource): string {
  return m.source === 'zoo' ? m.weights : m.source === 'module' ? m.module : m.onnx;
}

/** Seconds a call into a user module may take when the suite does not say (model.timeout). */
export const DEFAULT_MODULE_TIMEOUT_SECONDS = 120;

export type GeneratorPreset = 'full' | 'light' | 'tiny';

/** Base widths of the presets; light stays under a tenth of full's FLOPs (width scales them ~quadratically). */
export const PRESET_WIDTH: Readonly<Record<GeneratorPreset, number>> = { full: 64, light: 16, tiny: 8 };

/**
 * Epoch budgets of the presets. Early stopping ends most runs sooner; the
 * budget must leave it room (patience + 1 validations, one per epoch, plus
 * two learning-rate reductions), and bounds the worst case: full is the
 * paper's 100; light and tiny are for CI, where a run that has not
 * converged by then is reported as such (docs/suite-format.md).
 */
export const PRESET_EPOCHS: Readonly<Record<GeneratorPreset, number>> = { full: 100, light: 50, tiny: 30 };

/** The learning-rate schedule with every default filled in. */
export type ResolvedLrSchedule = { type: 'constant' } | { type: 'plateau'; factor: number; patience: number; minLearningRate: number };

/**
 * Training settings with every default filled in: width and epochs from the
 * preset unless given. `steps`, `minutes` (caps), `validateEvery` (default
 * one epoch, known once the data is) and `minDelta` (default the standard
 * error) stay absent when not set.
 */
export type ResolvedTrain = Required<Omit<TrainSpec, OptionalTrainKeys | 'lrSchedule'>> & Pick<TrainSpec, OptionalTrainKeys> & { lrSchedule: ResolvedLrSchedule };

/**
 * Keys of TrainSpec that stay absent when not set: caps and defaults known only
 * once the data is, and the L_perf options without a schema default.
 */
type OptionalTrainKeys = 'steps' | 'minutes' | 'validateEvery' | 'minDelta' | 'margin' | 'tauCurriculum' | 'seed';

export interface ResolvedGenerator {
  preset: GeneratorPreset;
  train: ResolvedTrain;
  /** Absolute folder of a saved generator to use instead of training. */
  load?: string;
  /** Settings of deepperform-refine (`generator.refine`; k alone becomes { steps: k }); absent: not run. */
  refine?: RefineOptions;
}

/** A mitigation section with every default filled in; `out` absolute when given. */
export type ResolvedDetector = Required<Omit<DetectorSpec, 'out'>> & { out?: string };
export type ResolvedRetrain = Required<Omit<RetrainSpec, 'out'>> & { out?: string };

export interface Suite {
  /** Absolute path of the suite file. */
  file: string;
  name: string;
  model: ModelSource;
  data: ResolvedData;
  norm: NormName;
  epsilon: number;
  threshold: number;
  seed: number;
  generator: ResolvedGenerator;
  measure: Required<MeasureSpec>;
  baselines: BaselineSpec[];
  assertions: Assertion[];
  /** The §6 remedies the suite asks for; absent: none. */
  mitigation?: { detector?: ResolvedDetector; retrain?: ResolvedRetrain };
  /**
   * Absolute path of the saved result file that `saved` in assertions reads
   * and --update-baseline writes; set when an assertion reads it or the suite
   * names one (`saved:`).
   */
  saved?: string;
}
