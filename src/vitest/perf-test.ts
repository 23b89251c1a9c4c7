import { expect, test } from 'vitest';
import { runSuite, type PerfResult, type RunSuiteOptions } from '../api/index.js';

export interface PerfTestOptions extends RunSuiteOptions {
  /** Test timeout in ms. Default 10 minutes: a suite whose generator is not cached trains one first. */
  timeout?: number;
}

const TEN_MINUTES = 600_000;

/**
 * Declares a vitest test that runs one suite file. Without `check` it expects
 * the suite's own assertions to pass; with it, `check` decides.
 */
export function perfTest(
  name: string,
  file: string,
  check?: (result: PerfResult) => void | Promise<void>,
  options: PerfTestOptions = {},
): void {
  const { timeout, ...runOptions } = options;
  test(
    name,
    async () => {
      const result = await runSuite(file, runOptions);
      if (check) await check(result);
      else expect(result).toPassAssertions();
    },
    timeout ?? TEN_MINUTES,
  );
}
