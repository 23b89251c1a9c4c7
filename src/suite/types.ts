/**
 * The resolved suite: what the runner receives after loading. Built from the
 * generated types of the schema, with every default filled in and every
 * alias and relative path resolved.
 */
import type { Assertion } from './assertions.js';
import type { DataSpec, DetectorSpec, MeasureSpec, RetrainSpec, TrainSpec } from './suite.types.js';

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

/** A zoo model with its weights folder, or the user's own module; paths absolute. */
export type ModelSource =
  | { source: 'zoo'; arch: string; weights: string }
  | { source: 'module'; module: string; exportName: string; options: Record<string, unknown> };

export type GeneratorPreset = 'full' | 'light' | 'tiny';

/** Base widths of the presets; light stays under a tenth of full's FLOPs (width scales them ~quadratically). */
export const PRESET_WIDTH: Readonly<Record<GeneratorPreset, number>> = { full: 64, light: 16, tiny: 8 };

/** Keys of TrainSpec without a schema default (a default there would change every generator's cache key). */
type OptionalTrainKeys = 'epochs' | 'minutes' | 'margin' | 'tauCurriculum' | 'perturbationBound' | 'seed';

/** Training settings with every default filled in; width from the preset unless given. */
export type ResolvedTrain = Required<Omit<TrainSpec, OptionalTrainKeys>> & Pick<TrainSpec, OptionalTrainKeys>;

export interface ResolvedGenerator {
  preset: GeneratorPreset;
  train: ResolvedTrain;
  /** Absolute folder of a saved generator to use instead of training. */
  load?: string;
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
