import * as tf from '@tensorflow/tfjs-core';
import type { InputSpec } from '../adnn/index.js';
import { assignNamed, loadWeights, saveWeights, WeightsFileError } from '../nn/index.js';
import { Generator } from './architecture.js';
import type { PerturbationBound } from './projection.js';

/** What a saved generator records, enough to rebuild it and to tell what it was trained for. */
export interface GeneratorFileMetadata {
  kind: 'deepperform-generator';
  input: InputSpec;
  width: number;
  /** How G's output is bounded into the ball; files written before it existed used 'project'. */
  bound?: PerturbationBound;
  /** Free-form facts: the attack, the training summary, the cache key inputs. */
  info: Record<string, unknown>;
}

export async function saveGenerator(dir: string, g: Generator, info: Record<string, unknown>): Promise<void> {
  const metadata: GeneratorFileMetadata = { kind: 'deepperform-generator', input: g.input, width: g.width, bound: g.bound, info };
  await saveWeights(dir, metadata, g.store.named());
}

/** Rebuilds a generator saved by saveGenerator (architecture from the metadata, then the weights). */
export async function loadGenerator(dir: string): Promise<{ generator: Generator; metadata: GeneratorFileMetadata }> {
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
    return { generator, metadata: m };
  } finally {
    tf.dispose([...file.weights.values()]);
  }
}
