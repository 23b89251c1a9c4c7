import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance } from './did-you-mean.js';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['kitten', 'sitting', 3],
    ['stepz', 'steps', 1],
    ['tset', 'test', 1], // one swap
    ['flaw', 'lawn', 2],
  ])('%s / %s = %d', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('didYouMean', () => {
  const keys = ['steps', 'batchSize', 'learningRate', 'alpha', 'beta', 'gan', 'width'];
  it('suggests the closest key, ignoring case', () => {
    expect(didYouMean('stepz', keys)).toBe('steps');
    expect(didYouMean('batchsize', keys)).toBe('batchSize');
    expect(didYouMean('learning_rate', keys)).toBe('learningRate');
  });
  it('suggests nothing for unrelated words', () => {
    expect(didYouMean('colour', keys)).toBeUndefined();
    expect(didYouMean('=', ['<', '>'])).toBeUndefined();
  });
});
