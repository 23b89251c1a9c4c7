import { describe, expect, it } from 'vitest';
import { mulberry32, shuffledIndices } from './random.js';

describe('mulberry32', () => {
  it('matches the reference C implementation', () => {
    // Outputs of Tommy Ettinger's C mulberry32 (compiled with gcc), divided by 2^32.
    const r42 = mulberry32(42);
    expect([r42(), r42(), r42()]).toEqual([2581720956, 1925393290, 3661312704].map((u) => u / 2 ** 32));
    const r0 = mulberry32(0);
    expect([r0(), r0(), r0()]).toEqual([1144304738, 1416247, 958946056].map((u) => u / 2 ** 32));
  });

  it('refuses non-integer seeds rather than truncating them', () => {
    expect(() => mulberry32(0.5)).toThrow(RangeError);
  });
});

describe('shuffledIndices', () => {
  it('is a permutation when taking all', () => {
    const all = shuffledIndices(50, 50, 7);
    expect([...all].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect([...all]).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('extends a shorter pick with the same seed', () => {
    expect([...shuffledIndices(100, 30, 3)].slice(0, 10)).toEqual([...shuffledIndices(100, 10, 3)]);
  });

  it('rejects picking more than there is', () => {
    expect(() => shuffledIndices(5, 6, 1)).toThrow(RangeError);
  });
});
