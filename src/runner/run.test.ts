import { describe, expect, it } from 'vitest';
import { shardSlice } from './run.js';

const items = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];

describe('shardSlice (Playwright split: contiguous, sizes differ by at most 1, the first shards larger)', () => {
  it('7 suites in 3 shards: 3, 2, 2', () => {
    expect(shardSlice(items, { index: 1, total: 3 })).toEqual(['a', 'b', 'c']);
    expect(shardSlice(items, { index: 2, total: 3 })).toEqual(['d', 'e']);
    expect(shardSlice(items, { index: 3, total: 3 })).toEqual(['f', 'g']);
  });

  it('more shards than suites: the last shards are empty', () => {
    expect(shardSlice(['a', 'b'], { index: 2, total: 4 })).toEqual(['b']);
    expect(shardSlice(['a', 'b'], { index: 3, total: 4 })).toEqual([]);
  });

  it('every suite lands in exactly one shard', () => {
    for (let total = 1; total <= 9; total++) {
      const all = Array.from({ length: total }, (_, i) => shardSlice(items, { index: i + 1, total })).flat();
      expect(all).toEqual(items);
    }
  });

  it('refuses an index outside 1..total', () => {
    expect(() => shardSlice(items, { index: 0, total: 2 })).toThrow(RangeError);
    expect(() => shardSlice(items, { index: 3, total: 2 })).toThrow(/1 <= index <= total/);
  });
});
