import { describe, expect, it } from 'vitest';
import { epsilonLimit, epsilonProblem } from './epsilon-bound.js';

describe('epsilon against the input range', () => {
  it('Linf: 1 is the whole [0, 1] range; L2: the unit cube diagonal, sqrt(28 * 28) = 28', () => {
    expect(epsilonLimit('linf', 784)).toBe(1);
    expect(epsilonLimit('l2', 784)).toBe(28);
    expect(epsilonLimit('l2', 32 * 32 * 3)).toBeCloseTo(55.4256, 4); // sqrt(3072)
  });

  it('budgets inside the range pass, up to the limit itself', () => {
    expect(epsilonProblem('linf', 0.1, 784)).toBeUndefined();
    expect(epsilonProblem('linf', 1, 784)).toBeUndefined();
    expect(epsilonProblem('l2', 2, 784)).toBeUndefined();
    expect(epsilonProblem('l2', 28, 784)).toBeUndefined();
  });

  it('a larger epsilon is refused, saying why', () => {
    expect(epsilonProblem('linf', 8, 784)).toMatch(/^epsilon 8 is larger than the input range allows: .*Linf epsilon of 1/);
    expect(epsilonProblem('linf', 1e9, 784)).toMatch(/^epsilon 1000000000 is larger/);
    expect(epsilonProblem('l2', 28.01, 784)).toMatch(/784 values in \[0, 1\].*sqrt\(784\) = 28 in L2/);
  });
});
