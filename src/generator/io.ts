import * as tf from '@tensorflow/tfjs-core';
import type { InputSpec } from '../adnn/index.js';
import { assignNamed, loadWeights, saveWeights, WeightsFileError } from '../nn/index.js';
import { Generator } from './architecture.js';
import type { PerturbationBound } from './projection.js';
import { readTrainingRecord, type TrainingRecord } from './record.js';

/** What a saved generator records, enough to rebuild it and to tell what it was trained for. */
export interface GeneratorFileMetadata {
  kind: 'deepperform-generator';
  input: InputSpec;
  width: number;
  /** How G's output is bounded into the ball; files written before it existed used 'project'. */
  bound?: PerturbationBound;
  /** Free-form facts: the attack, the training summary, the cache key inputs. */
  info: Record<string, unknown>;
  /** How it was trained: validation curve, best, last, why training stopped. Absent in generators saved before records existed. */
  training?: TrainingRecord;
}

export async function saveGenerator(dir: string, g: Generator, info: Record<string, unknown>, record?: TrainingRecord): Promise<void> {
  const metadata: GeneratorFileMetadata = { kind: 'deepperform-generator', input: g.input, width: g.width, bound: g.bound, info, ...(record ? { training: record } : {}) };
  await saveWeights(dir, metadata, g.store.named());
}

export interface LoadedGenerator {
  generator: Generator;
  metadata: GeneratorFileMetadata;
  /** The training record, or undefined when the metadata has none this version reads. */
  record: TrainingRecord | undefined;
}

/** Rebuilds a generator saved by saveGenerator (architecture from the metadata, then the weights). */
export async function loadGenerator(dir: string): Promise<LoadedGenerator> {
  const file = await loadWeights<GeneratorFileMetadata>(dir);
  const m = file.metadata;
  try {
    if (m?.kind !== 'deepperform-generator') throw new WeightsFileError(`${dir}/model.json`, 'is not a deepperform generator');
    if (m.bound !== undefined && m.bound !== 'project' && m.bound !== 'scale') throw new WeightsFileError(`${dir}/model.json`, `has an unknown perturbation bound ${JSON.stringify(m.bound)}`);
    const generator = new Generator(m.input, m.width, 0, m.bound ?? 'project');
    try {
      assignNamed(generator.store.named(), file.weights);
    } catch (e) {
      generator.store.dispose();
      throw e;
    }
    return { generator, metadata: m, record: readTrainingRecord(m.training) };
  } finally {
    tf.dispose([...file.weights.values()]);
  }
}
