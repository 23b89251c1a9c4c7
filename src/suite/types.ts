/**
 * The resolved suite: what the runner receives after loading. Built from the
 * generated types of the schema, with every default filled in and every
 * alias and relative path resolved.
 */
import type { Assertion } from './assertions.js';
import type { DataSpec, SuiteFile, TrainSpec } from './suite.types.js';

export type NormName = 'linf' | 'l2';
export type BaselineName = NonNullable<SuiteFile['baselines']>[number];

export interface ResolvedData extends Required<Omit<DataSpec, 'path'>> {
  /** Absolute dataset folder, when the suite names one. */
  path?: string;
}

/** A zoo model with its weights folder, or the user's own module; paths absolute. */
export type ModelSource =
  | { source: 'zoo'; arch: string; weights: string }
  | { source: 'module'; module: string; exportName: string; options: Record<string, unknown> };

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
  generator: { train: Required<TrainSpec> };
  baselines: BaselineName[];
  assertions: Assertion[];
}
