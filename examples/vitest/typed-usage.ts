/**
 * Type-level check of `deepperform/vitest` as a user sees it (the built
 * declarations, reached through package.json `exports`): the matchers are on
 * vitest's `expect(...)` and misuse is a compile error.
 * src/vitest/types.test.ts compiles this file with tsc; it is never run.
 */
import { expect } from 'vitest';
import { runSuite as fromRoot, type PerfResult } from 'deepperform';
import { runSuite, type IflopsOptions } from 'deepperform/vitest';

export async function usage(): Promise<number> {
  const result: PerfResult = await runSuite('suites/sdn-tiny-linf.perf.yaml');
  const same = await fromRoot('suites/sdn-tiny-linf.perf.yaml', { cacheDir: '.cache', seed: 1 });
  const options: IflopsOptions = { aggregate: 'mean', method: 'random' };
  expect(result).toPassAssertions();
  expect(same).toHaveIFlopsBelow(0.5, options);
  expect(result).not.toSlowDownAtMost(2);
  // @ts-expect-error the bound is a fraction, not a string with a unit
  expect(result).toHaveIFlopsBelow('50%');
  // @ts-expect-error 'median' is not an aggregate of the assertion grammar
  result.metric('I-FLOPs', 'median');
  // @ts-expect-error no such matcher: a typo is caught at compile time
  expect(result).toPassAssertion();
  return result.metric('I-FLOPs', 'max');
}
