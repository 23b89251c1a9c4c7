import { describe, expect, it } from 'vitest';
import { aggregate } from './aggregate.js';
import { blockActivation, blockCoverage, fullDepthRate, increasedFlops, perturbationSizes, successNumber } from './metrics.js';

describe('metrics of Eq. 9-11, by hand', () => {
  const seed = [100, 200, 400, 50];
  const gen = [150, 200, 300, 200];

  it('I-FLOPs per input', () => {
    expect(increasedFlops(seed, gen)).toEqual([0.5, 0, -0.25, 3]);
  });

  it('success number counts strictly larger FLOPs only', () => {
    expect(successNumber(seed, gen)).toBe(2);
  });

  it('block activation and coverage over a [3 inputs x 4 blocks] mask', () => {
    const ran = Uint8Array.from([1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0]);
    expect(blockActivation(ran, 3, 4)).toEqual([2 / 3, 2 / 3, 0, 0]);
    expect(blockCoverage(ran, 3, 4)).toBe(0.5);
  });

  it('full-depth rate: every block ran (skipping), the last exit reached (early exit)', () => {
    // 4 inputs x 3 blocks. Skipping: only input 0 ran all three -> 1/4.
    const skipping = Uint8Array.from([1, 1, 1, 1, 0, 1, 0, 1, 1, 0, 0, 0]);
    expect(fullDepthRate(skipping, 4, 3, 'skipping')).toBe(0.25);
    // Early exit: blocks run as a prefix; inputs 0 and 2 reached the last exit -> 2/4.
    const earlyExit = Uint8Array.from([1, 1, 1, 1, 0, 0, 1, 1, 1, 0, 0, 0]);
    expect(fullDepthRate(earlyExit, 4, 3, 'early-exit')).toBe(0.5);
    // The same mask read as a skipping model: the same two rows ran every block.
    expect(fullDepthRate(earlyExit, 4, 3, 'skipping')).toBe(0.5);
    // One path only: every input takes it; no inputs: no share.
    expect(fullDepthRate(new Uint8Array(0), 2, 0, 'skipping')).toBe(1);
    expect(fullDepthRate(new Uint8Array(0), 0, 3, 'early-exit')).toBeNaN();
  });

  it('aggregates: mean, max, min, p50, p95', () => {
    const a = aggregate([0.5, 0, -0.25, 3]);
    expect(a.mean).toBe(0.8125);
    expect(a.max).toBe(3);
    expect(a.min).toBe(-0.25);
    // Linear interpolation between order statistics (numpy's default):
    // sorted [-0.25, 0, 0.5, 3]; p50 at index 1.5 -> 0.25; p95 at index 2.85 -> 0.5 + 0.85 * 2.5
    expect(a.p50).toBe(0.25);
    expect(a.p95).toBeCloseTo(2.625, 12);
  });

  it('perturbation L2 and Linf per input', () => {
    const seeds = { images: Float32Array.from([0, 0, 1, 1]), count: 2 };
    const gen2 = { images: Float32Array.from([0.3, 0.4, 1, 0.5]), count: 2 };
    const { l2, linf } = perturbationSizes(seeds, gen2);
    expect(l2[0]).toBeCloseTo(0.5, 6);
    expect(l2[1]).toBeCloseTo(0.5, 6);
    expect(linf[0]).toBeCloseTo(0.4, 6);
    expect(linf[1]).toBeCloseTo(0.5, 6);
  });
});
