import { describe, expect, it } from 'vitest';
import { differences, suitesByName } from '../../eval/lib/repro.mjs';

const stats = (mean: number) => ({ mean, min: 0, max: 0.7, p50: 0.31, p95: 0.7 });
function suite(means: number[], curve: number[]) {
  return {
    name: 'blockdrop-tiny, Linf, light generator, training seed 1',
    training: { record: { curve: curve.map((iflops, i) => ({ step: 250 * (i + 1), iflops })) } },
    methods: means.map((mean, i) => ({ method: ['deepperform', 'random'][i], iflopsStats: stats(mean), fullDepthRate: 0, successCount: 82, latencyStats: { mean: Math.random() } })),
  };
}

describe('reproduction check', () => {
  it('finds a suite by name in a report or in latest.json', () => {
    const s = suite([0.4], [0.3]);
    expect(suitesByName({ sections: { light: { data: { suites: { x: s } } } } }).get(s.name)).toBe(s);
    expect(suitesByName({ result: { suites: [{ file: 'a', suites: [s] }] } }).get(s.name)).toBe(s);
  });

  it('agrees when the curve and the FLOPs-based numbers match, whatever the latency', () => {
    expect(differences(suite([0.4, 0.08], [0.35, 0.37]), suite([0.4, 0.08], [0.35, 0.37]))).toEqual([]);
  });

  it('names the validation and the method that differ', () => {
    const diff = differences(suite([0.41, 0.08], [0.35, 0.36]), suite([0.4, 0.08], [0.35, 0.37]));
    expect(diff).toEqual([
      'validation at step 500: 0.36, was 0.37 at step 500',
      'deepperform iflopsStats: {"mean":0.41,"min":0,"max":0.7,"p50":0.31,"p95":0.7}, was {"mean":0.4,"min":0,"max":0.7,"p50":0.31,"p95":0.7}',
    ]);
    expect(differences(suite([0.4], [0.35]), suite([0.4, 0.08], [0.35, 0.37]))).toEqual(['validation curve: 1 points, was 2', 'random: missing']);
    expect(differences(suite([0.4, 0.08], [0.35]), suite([0.4], [0.35]))).toEqual(['random: new']);
  });
});
