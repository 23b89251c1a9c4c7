import type { AdaptiveNetwork } from '../adnn/index.js';
import type { Dataset } from '../data/index.js';
import { generate, type Generator, type TrainProgress } from '../generator/index.js';
import { runDetectorSection, runRetrainSection } from '../mitigation/index.js';
import type { Suite } from '../suite/index.js';
import type { SuiteResult } from '../results/index.js';
import { retrainGenerators } from './generator-source.js';
import type { SuiteContext } from './suite-context.js';

export interface MitigationInputs {
  network: AdaptiveNetwork;
  /** The suite's trained generator, still loaded. */
  generator: Generator;
  /** Whole splits: the detector trains on the training split and is scored on the test split (§6.2). */
  train: Dataset;
  test: Dataset;
}

export interface MitigationHooks {
  onPhase: (phase: string, detail?: string) => void;
  onProgress: (p: TrainProgress) => void;
}

/**
 * The suite's `mitigation` sections (§6), after its measurements: the
 * detector reads the suite's generator; retraining works on its own copy of
 * the model and trains a generator anew against the retrained one.
 */
export async function runMitigation(suite: Suite, inputs: MitigationInputs, ctx: SuiteContext, hooks: MitigationHooks): Promise<SuiteResult['mitigation']> {
  const sections = suite.mitigation;
  if (!sections) return undefined;
  const out: NonNullable<SuiteResult['mitigation']> = {};
  const attack = { norm: suite.norm, epsilon: suite.epsilon };
  if (sections.detector) {
    const { trainSeeds, testSeeds, out: file } = sections.detector;
    out.detector = await runDetectorSection({
      network: inputs.network,
      train: inputs.train,
      test: inputs.test,
      generate: (seeds) => generate(inputs.generator, seeds, attack),
      tau: suite.threshold,
      seed: suite.seed,
      options: { trainSeeds, testSeeds, out: file, provenance: { suite: suite.name } },
      onPhase: hooks.onPhase,
    });
  }
  if (sections.retrain) {
    const { out: dir, ...settings } = sections.retrain;
    out.retrain = await runRetrainSection({
      suite,
      settings,
      out: dir,
      generators: retrainGenerators(suite, { cache: ctx.cache, retrain: ctx.retrain, toolVersion: ctx.toolVersion, onProgress: hooks.onProgress }),
      cwd: ctx.cwd,
      onPhase: hooks.onPhase,
    });
  }
  return out;
}
