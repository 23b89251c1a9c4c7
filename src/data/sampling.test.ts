import { describe, expect, it } from 'vitest';
import type { Dataset } from './dataset.js';
import { DataError } from './errors.js';
import { batchOf, splitHoldOut, splitTrainValidation, takeSeeded } from './sampling.js';

/** 20 one-pixel-by-two images: image i holds pixels (i, 100 + i), label i % 3. */
function tiny(count = 20): Dataset {
  const images = new Float32Array(count * 2);
  for (let i = 0; i < count; i++) {
    images[2 * i] = i;
    images[2 * i + 1] = 100 + i;
  }
  return {
    name: 'tiny', split: 'train', images, labels: Int32Array.from({ length: count }, (_, i) => i % 3),
    count, height: 1, width: 2, channels: 1, numClasses: 3,
  };
}

/** Which source images a derived dataset holds (the first pixel is the index). */
const ids = (ds: Dataset) => Array.from({ length: ds.count }, (_, k) => ds.images[2 * k]);

describe('batchOf', () => {
  it('copies images and labels in the order given', () => {
    const b = batchOf(tiny(), [4, 0, 4]);
    expect(b.count).toBe(3);
    expect([...b.images]).toEqual([4, 104, 0, 100, 4, 104]);
    expect([...b.labels]).toEqual([1, 0, 1]);
  });

  it('rejects indices outside the dataset', () => {
    expect(() => batchOf(tiny(), [20])).toThrow(RangeError);
    expect(() => batchOf(tiny(), [-1])).toThrow(RangeError);
  });
});

describe('takeSeeded', () => {
  it('gives the same subset for the same seed', () => {
    expect(ids(takeSeeded(tiny(), 8, 11))).toEqual(ids(takeSeeded(tiny(), 8, 11)));
  });

  it('gives distinct inputs, with labels and pixels kept together', () => {
    const s = takeSeeded(tiny(), 20, 5);
    const picked = ids(s);
    expect(new Set(picked).size).toBe(20);
    for (let k = 0; k < s.count; k++) {
      expect(s.images[2 * k + 1]).toBe(100 + picked[k]);
      expect(s.labels[k]).toBe(picked[k] % 3);
    }
    expect(s.name).toBe('tiny');
  });

  it('gives different subsets for different seeds', () => {
    expect(ids(takeSeeded(tiny(), 8, 1))).not.toEqual(ids(takeSeeded(tiny(), 8, 2)));
  });

  it('raises a DataError when asked for more inputs than there are', () => {
    expect(() => takeSeeded(tiny(), 21, 1)).toThrow(DataError);
    expect(() => takeSeeded(tiny(), 21, 1)).toThrow(/asked for 21 inputs but tiny \(train\) has only 20/);
  });
});

describe('splitTrainValidation', () => {
  it('splits into disjoint parts covering everything', () => {
    const { train, validation } = splitTrainValidation(tiny(), 0.25, 9);
    expect([train.count, validation.count]).toEqual([15, 5]);
    const all = [...ids(train), ...ids(validation)].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('is deterministic for a seed and changes with it', () => {
    expect(ids(splitTrainValidation(tiny(), 0.25, 9).validation)).toEqual(ids(splitTrainValidation(tiny(), 0.25, 9).validation));
    expect(ids(splitTrainValidation(tiny(), 0.25, 9).validation)).not.toEqual(ids(splitTrainValidation(tiny(), 0.25, 10).validation));
  });

  it('keeps at least one input on each side', () => {
    expect(splitTrainValidation(tiny(), 0.01, 1).validation.count).toBe(1);
    expect(splitTrainValidation(tiny(), 0.99, 1).train.count).toBe(1);
    expect(() => splitTrainValidation(tiny(), 0, 1)).toThrow(RangeError);
    expect(() => splitTrainValidation(tiny(1), 0.5, 1)).toThrow(DataError);
  });
});

describe('splitHoldOut', () => {
  it('holds out exactly the count asked for, disjoint from training', () => {
    const { train, validation } = splitHoldOut(tiny(), 7, 3);
    expect([train.count, validation.count]).toEqual([13, 7]);
    expect([...ids(train), ...ids(validation)].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('a larger count extends a smaller one with the same seed', () => {
    expect(ids(splitHoldOut(tiny(), 8, 3).validation).slice(0, 5)).toEqual(ids(splitHoldOut(tiny(), 5, 3).validation));
  });

  it('clamps to leave one input on each side', () => {
    expect(splitHoldOut(tiny(), 1000, 1).train.count).toBe(1);
    expect(splitHoldOut(tiny(), 0, 1).validation.count).toBe(1);
    expect(() => splitHoldOut(tiny(1), 1, 1)).toThrow(DataError);
  });
});
