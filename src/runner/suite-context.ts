import type { GeneratorCache } from '../generator/index.js';

/** What every suite of a run shares. */
export interface SuiteContext {
  cwd: string;
  cache: GeneratorCache;
  /** --retrain: ignore cached generators. */
  retrain: boolean;
  toolVersion: string;
  /** --update-baseline: write saved-result files instead of comparing against them. */
  updateBaseline?: boolean;
}
