import { describe, expect, it } from 'vitest';
import { accuracyAt, rocAuc, separation } from './auc.js';

/** Every expected value is counted by hand over the positive x negative pairs, a tie scoring 1/2. */
describe('rocAuc', () => {
  it('perfect separation is 1, inverted is 0', () => {
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [1, 1, 0, 0])).toBe(0);
  });

  it('all scores equal: every pair is a tie, 1/2', () => {
    expect(rocAuc([3, 3, 3, 3, 3], [0, 1, 1, 0, 1])).toBe(0.5);
  });

  it('mixed: positives 0.3, 0.7, 0.8 against negatives 0.2, 0.4, 0.9 win 1 + 2 + 2 of 9 pairs', () => {
    expect(rocAuc([0.3, 0.2, 0.7, 0.4, 0.8, 0.9], [1, 0, 1, 0, 1, 0])).toBeCloseTo(5 / 9, 15);
  });

  it('ties across classes count half: positives 0.5, 0.9 vs negatives 0.5, 0.1 -> (0.5 + 1 + 1 + 1) / 4', () => {
    expect(rocAuc([0.5, 0.5, 0.9, 0.1], [1, 0, 1, 0])).toBe(0.875);
  });

  it('ties inside a class change nothing: positives 2, 2 vs negatives 1, 2, 3 -> (1 + .5 + 0) * 2 / 6', () => {
    expect(rocAuc([2, 1, 2, 2, 3], [1, 0, 1, 0, 0])).toBeCloseTo(0.5, 15);
  });

  it('does not depend on the input order', () => {
    expect(rocAuc([0.9, 0.1, 0.5, 0.5], [1, 0, 0, 1])).toBe(0.875);
  });

  it('needs both classes, equal lengths, 0/1 labels and no NaN', () => {
    expect(() => rocAuc([1, 2], [1, 1])).toThrow(/both classes; got 2 positive and 0 negative/);
    expect(() => rocAuc([1, 2], [1])).toThrow(/2 scores but 1 labels/);
    expect(() => rocAuc([1, 2], [1, 2])).toThrow(/label 1 is 2/);
    expect(() => rocAuc([Number.NaN, 2], [1, 0])).toThrow(/score 0 is NaN/);
  });
});

describe('accuracyAt', () => {
  it('predicts 1 strictly above the threshold', () => {
    // 0 -> predicted 0 (right), 0.5 -> 1 (right), -1 -> 0 (wrong, label 1), 2 -> 1 (wrong, label 0)
    expect(accuracyAt([0, 0.5, -1, 2], [0, 1, 1, 0])).toBe(0.5);
    // At threshold 1 only 2 is predicted 1: right for input 0 alone.
    expect(accuracyAt([0, 0.5, -1, 2], [0, 1, 1, 0], 1)).toBe(0.25);
    expect(accuracyAt([0, 0.5, -1, 2], [0, 0, 0, 1], 1)).toBe(1);
  });
});

describe('separation (cross-method AUC)', () => {
  it('attack scores all above the seeds: AUC 1, accuracy 1 at threshold 0', () => {
    expect(separation([-2, -1, -0.5], [0.5, 1, 3])).toEqual({ auc: 1, accuracy: 1 });
  });

  it('identical scores: AUC 1/2; at threshold 0 all four scores of 1 say "attack", half right', () => {
    expect(separation([1, 1], [1, 1])).toEqual({ auc: 0.5, accuracy: 0.5 });
  });

  it('by hand: seeds -1, 2 vs attack 1, 3 win 1 + 1 + 0 + 1 of 4 pairs; 3 of 4 right at threshold 0', () => {
    expect(separation([-1, 2], [1, 3])).toEqual({ auc: 0.75, accuracy: 0.75 });
    // At threshold 1.5 only 2 and 3 say "attack": seed -1 and attack 3 right, 2 of 4.
    expect(separation([-1, 2], [1, 3], 1.5).accuracy).toBe(0.5);
  });

  it('needs inputs on both sides', () => {
    expect(() => separation([], [1])).toThrow(/both classes/);
  });
});
