import type { AdaptiveNetwork, ImageBatch } from '../adnn/index.js';
import { refine, refineSettings, type RefineOptions } from '../baselines/index.js';
import { generatorHash, type GeneratedInputs, type Generator } from '../generator/index.js';
import { REFINE_METHOD } from '../results/index.js';
import type { Suite } from '../suite/index.js';
import { cachedInputs, outputKey, type BaselineOutput, type BaselineSourceOptions } from './baseline-source.js';

/**
 * deepperform-refine's inputs for the suite (`generator.refine`), started from
 * `start`, the generator's inputs for `seeds`. Cached like the baselines'
 * outputs, keyed also by the generator's weights and every refinement setting
 * (defaults filled in), so a retrained G or another k misses.
 */
export async function refineFor(
  suite: Suite,
  network: AdaptiveNetwork,
  seeds: ImageBatch,
  generated: { generator: Generator; start: GeneratedInputs },
  opts: BaselineSourceOptions,
): Promise<BaselineOutput> {
  const settings = refineSettings(suite.generator.refine);
  const key = refineKey(suite, network, seeds, generated.generator, settings, opts);
  const attack = { norm: suite.norm, epsilon: suite.epsilon, tau: suite.threshold };
  const meta = { method: REFINE_METHOD, options: settings };
  return cachedInputs(opts, { key, label: `${REFINE_METHOD}, ${settings.steps} steps`, phase: 'refining', count: seeds.count, meta }, () =>
    refine(network, seeds, generated.start, attack, settings, opts.onProgress),
  );
}

export function refineKey(suite: Suite, network: AdaptiveNetwork, seeds: ImageBatch, g: Generator, settings: RefineOptions, opts: BaselineSourceOptions): string {
  return outputKey(suite, network, seeds, opts, { method: REFINE_METHOD, generator: generatorHash(g), options: { ...settings } });
}
