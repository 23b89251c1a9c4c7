import type { Suite } from '../suite/index.js';
import type { SuiteConfig } from '../results/index.js';

/** The configuration a suite measures on, as results and saved results record it. */
export function suiteConfig(suite: Suite): SuiteConfig {
  return {
    dataset: suite.data.dataset,
    split: suite.data.split,
    seeds: suite.data.seeds,
    norm: suite.norm,
    epsilon: suite.epsilon,
    threshold: suite.threshold,
    seed: suite.seed,
  };
}
