import type { DeepperformConfig } from './types.js';

/**
 * Identity at run time; gives the config object its type in an editor, as
 * vitest's and Playwright's defineConfig do.
 */
export function defineConfig(config: DeepperformConfig): DeepperformConfig {
  return config;
}
