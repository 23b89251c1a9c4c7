import { describe, expect, it } from 'vitest';
import { flopsLatencyCorrelation, pearson } from './correlation.js';

describe('pearson', () => {
  it('a hand example', () => {
    // xs [1,2,3,4] mean 2.5 -> dx [-1.5, -0.5, 0.5, 1.5], sum dx^2 = 5
    // ys [2,4,5,4] mean 3.75 -> dy [-1.75, 0.25, 1.25, 0.25], sum dy^2 = 3.0625 + 0.0625 + 1.5625 + 0.0625 = 4.75
    // sum dx*dy = 2.625 - 0.125 + 0.625 + 0.375 = 3.5
    // r = 3.5 / sqrt(5 * 4.75) = 3.5 / sqrt(23.75) = 3.5 / 4.873397 = 0.718185
    // (numpy.corrcoef agrees: 0.71818485)
    const c = pearson([1, 2, 3, 4], [2, 4, 5, 4]);
    expect(c.r).toBeCloseTo(0.7182, 4);
    expect(c.n).toBe(4);
    expect(c.reason).toBeUndefined();
  });

  it('perfectly linear data gives exactly +1 / -1', () => {
    expect(pearson([1, 2, 3], [10, 30, 50]).r).toBe(1);
    expect(pearson([1, 2, 3], [3, 2, 1]).r).toBe(-1);
  });

  it('undefined cases are NaN with a reason', () => {
    const short = pearson([1, 2], [3, 4]);
    expect(short.r).toBeNaN();
    expect(short.reason).toBe('needs at least 3 pairs, got 2');
    const constant = pearson([5, 5, 5], [1, 2, 3]);
    expect(constant.r).toBeNaN();
    expect(constant.reason).toBe('xs are constant (all 5), so r is undefined');
    expect(pearson([1, 2, 3], [1, NaN, 3]).reason).toBe('ys contain a value that is not a finite number');
  });

  it('refuses unpaired series', () => {
    expect(() => pearson([1, 2, 3], [1, 2])).toThrow(/3 xs but 2 ys/);
  });
});

describe('flopsLatencyCorrelation', () => {
  it('r and n of FLOPs against latency', () => {
    // FLOPs [100, 110, 160], ms [1, 3, 13]: ms = 0.2 * FLOPs - 19 exactly, so r = 1.
    expect(flopsLatencyCorrelation([100, 110, 160], [1, 3, 13])).toEqual({ r: 1, n: 3 });
  });

  it('says why when every seed cost the same FLOPs', () => {
    expect(flopsLatencyCorrelation([100, 100, 100], [1, 2, 3]).reason).toBe('FLOPs are constant (all 100), so r is undefined');
  });
});
