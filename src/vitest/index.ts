/**
 * `deepperform/vitest`: run performance suites inside vitest tests and
 * assert on their results. Importing this module registers the matchers.
 */
import { expect } from 'vitest';
import { toHaveIFlopsBelow, toPassAssertions, toSlowDownAtMost, type IflopsOptions, type SlowdownOptions } from './matchers.js';

export const matchers = { toPassAssertions, toHaveIFlopsBelow, toSlowDownAtMost };
expect.extend(matchers);

export { perfTest, type PerfTestOptions } from './perf-test.js';
export type { IflopsOptions, SlowdownOptions, MatcherContext, MatcherResult } from './matchers.js';
export * from '../api/index.js';

interface PerfMatchers<R> {
  /** Every error-level assertion of the suite (or of every suite of a run) held, and none crashed. */
  toPassAssertions(): R;
  /** The suite's I-FLOPs (a fraction: 0.5 is 50%), max over inputs unless `aggregate` says otherwise, is below `bound`. */
  toHaveIFlopsBelow(bound: number, options?: IflopsOptions): R;
  /** No generated input costs more than `factor` times its seed's FLOPs (1 + max I-FLOPs <= factor). */
  toSlowDownAtMost(factor: number, options?: SlowdownOptions): R;
}

declare module 'vitest' {
  // The type parameter must repeat vitest's own declaration (`T = any`) to merge with it.
  // biome-ignore lint/suspicious/noExplicitAny: vitest declares Assertion<T = any>; a merged declaration must repeat it
  interface Assertion<T = any> extends PerfMatchers<void> {}
}
