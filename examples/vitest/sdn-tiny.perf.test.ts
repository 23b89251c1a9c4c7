/**
 * Example: a performance suite inside a vitest test. Runs the tiny SDN suite
 * beside this file with the generator shipped in fixtures/generators (no
 * training), then asserts on the result with deepperform's matchers.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { perfTest, runSuite, type PerfResult } from 'deepperform/vitest';

const SUITE = join(import.meta.dirname, 'sdn-tiny-quick.perf.yaml');

describe('sdn-tiny under DeepPerform (Linf, epsilon 0.1)', () => {
  let result: PerfResult;
  beforeAll(async () => {
    result = await runSuite(SUITE);
  });

  test("the suite's own assertions hold", () => {
    expect(result).toPassAssertions();
  });

  test('the shipped generator was loaded, not trained', () => {
    expect(result.raw.training?.loaded).toBe(true);
  });

  test("the worst input costs less than 5x its seed's FLOPs", () => {
    expect(result.metric('I-FLOPs', 'max')).toBeLessThan(4);
    expect(result).toSlowDownAtMost(5);
    expect(result).toHaveIFlopsBelow(1, { aggregate: 'mean' });
  });

  test('DeepPerform slows the model down where random noise of the same size does not', () => {
    const noise = result.metric('I-FLOPs', 'mean', 'random');
    expect(result.metric('I-FLOPs', 'mean')).toBeGreaterThan(5 * noise);
    expect(result.metric('success rate')).toBeGreaterThan(result.metric('success rate', undefined, 'random'));
  });

  test('refined inputs reach blocks that no seed runs', () => {
    expect(result.metric('block coverage', undefined, 'deepperform-refine')).toBeGreaterThan(result.metric('seed block coverage'));
  });
});

// The one-liner: a test that runs a suite and expects its assertions to pass.
perfTest('sdn-tiny quick passes its assertions', SUITE);
