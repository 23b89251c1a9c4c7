import { describe, expect, it } from 'vitest';
import { trainLinearSvm } from './svm.js';
import { fitStandardization, standardizeInPlace } from './standardize.js';

const TIGHT = { tolerance: 1e-12, maxEpochs: 10_000 };

/** Row-major [n, 2] from points. */
function points(...p: [number, number][]): Float32Array {
  return Float32Array.from(p.flat());
}

function norm(w: ArrayLike<number>): number {
  return Math.hypot(...Array.from(w));
}

describe('trainLinearSvm: hand-solved 2-D toys', () => {
  it('symmetric toy: the max-margin line x1 + x2 = 0, w = (1/2, 1/2), b = 0, margin sqrt(2)', () => {
    // Positives (1,1), (2,3); negatives their mirror images. Only (1,1) and (-1,-1) can be
    // support vectors: w . (1,1) = 1 with least norm gives w = (1/2, 1/2); by the mirror
    // symmetry b = 0; w = a (1,1) + a (1,1) gives a = 1/4 for each, 0 for the others.
    const x = points([1, 1], [2, 3], [-1, -1], [-2, -3]);
    const svm = trainLinearSvm(x, [1, 1, 0, 0], 2, { c: 10, ...TIGHT });
    expect(svm.converged).toBe(true);
    expect(svm.weights[0]).toBeCloseTo(0.5, 9);
    expect(svm.weights[1]).toBeCloseTo(0.5, 9);
    expect(svm.bias).toBeCloseTo(0, 9);
    expect(1 / norm(svm.weights)).toBeCloseTo(Math.SQRT2, 9);
    [0.25, 0, 0.25, 0].forEach((a, i) => expect(svm.alpha[i]).toBeCloseTo(a, 9));
    // Primal objective 1/2 (1/4 + 1/4 + 0) with no margin violation.
    expect(svm.objective).toBeCloseTo(0.25, 9);
  });

  it('shifted toy: bisector of (3,3) and (1,1), w = (1/2, 1/2), b = -2', () => {
    // Support vectors (3,3) and (1,1) with both margins active: 6a + b = 1 and
    // -(2a + b) = 1 give a = 1/2, b = -2. With the bias as the weight of a constant
    // feature 1: (1/2, 1/2, -2) = 1.25 (3,3,1) - 3.25 (1,1,1), both multipliers >= 0,
    // so this is also the optimum with the bias regularised. The others have margin 2.5.
    const x = points([3, 3], [4, 5], [1, 1], [0, -1]);
    const svm = trainLinearSvm(x, [1, 1, 0, 0], 2, { c: 10, ...TIGHT });
    expect(svm.weights[0]).toBeCloseTo(0.5, 9);
    expect(svm.weights[1]).toBeCloseTo(0.5, 9);
    expect(svm.bias).toBeCloseTo(-2, 9);
    [1.25, 0, 3.25, 0].forEach((a, i) => expect(svm.alpha[i]).toBeCloseTo(a, 9));
    // Geometric margin: distance of (3,3) from x1 + x2 = 4 is 2 / sqrt(2).
    expect(1 / norm(svm.weights)).toBeCloseTo(Math.SQRT2, 9);
  });

  it('soft margin: (1,1) vs (-1,-1) with C = 0.1 < 1/4 stops at w = 2C (1,1) = (0.2, 0.2)', () => {
    // For w = t(1,1), b = 0: objective t^2 + 2C max(0, 1 - 2t), minimised at t = 2C when
    // 2C < 1/2; both multipliers sit at the bound C. Objective 0.04 + 0.1 * 2 * 0.6 = 0.16.
    const svm = trainLinearSvm(points([1, 1], [-1, -1]), [1, 0], 2, { c: 0.1, ...TIGHT });
    expect(svm.weights[0]).toBeCloseTo(0.2, 9);
    expect(svm.weights[1]).toBeCloseTo(0.2, 9);
    expect(svm.bias).toBeCloseTo(0, 9);
    expect(svm.alpha[0]).toBeCloseTo(0.1, 12);
    expect(svm.alpha[1]).toBeCloseTo(0.1, 12);
    expect(svm.objective).toBeCloseTo(0.16, 9);
  });
});

describe('trainLinearSvm: behaviour', () => {
  // A grid of 36 points labelled by x1 + 2 x2 > 3.5: separable, the boundary not through the origin.
  const grid: [number, number][] = [];
  for (let a = 0; a < 6; a++) for (let b = 0; b < 6; b++) grid.push([a * 0.5, b * 0.5]);
  const gridX = points(...grid);
  const gridY = grid.map(([a, b]) => (a + 2 * b > 3.5 ? 1 : 0));

  it('separates a linearly separable set: every point on its side with margin >= 1 (hard margin)', () => {
    const svm = trainLinearSvm(gridX, gridY, 2, { c: 1000, tolerance: 1e-9, maxEpochs: 50_000 });
    expect(svm.converged).toBe(true);
    grid.forEach(([a, b], i) => {
      const f = svm.weights[0] * a + svm.weights[1] * b + svm.bias;
      expect((gridY[i] === 1 ? 1 : -1) * f).toBeGreaterThan(1 - 1e-6);
    });
  });

  it('is deterministic for a seed, and other seeds reach the same (unique) optimum', () => {
    const a = trainLinearSvm(gridX, gridY, 2, { c: 1, seed: 7 });
    const b = trainLinearSvm(gridX, gridY, 2, { c: 1, seed: 7 });
    expect(Array.from(b.weights)).toEqual(Array.from(a.weights));
    expect(b.bias).toBe(a.bias);
    const tight = (seed: number) => trainLinearSvm(gridX, gridY, 2, { c: 1, seed, ...TIGHT });
    const [s1, s2] = [tight(1), tight(2)];
    expect(s2.weights[0]).toBeCloseTo(s1.weights[0], 6);
    expect(s2.bias).toBeCloseTo(s1.bias, 6);
  });

  it('reports a run that hit maxEpochs as not converged', () => {
    const svm = trainLinearSvm(gridX, gridY, 2, { c: 1000, tolerance: 1e-12, maxEpochs: 2 });
    expect(svm.epochs).toBe(2);
    expect(svm.converged).toBe(false);
  });

  it('refuses bad options, labels and shapes', () => {
    const x = points([1, 1], [-1, -1]);
    expect(() => trainLinearSvm(x, [1, 0], 2, { c: 0 })).toThrow(/C must be a finite number > 0, got 0/);
    expect(() => trainLinearSvm(x, [1, 0], 2, { maxEpochs: 0.5 })).toThrow(/maxEpochs/);
    expect(() => trainLinearSvm(x, [1, -1], 2)).toThrow(/label 1 is -1/);
    expect(() => trainLinearSvm(x, [1, 0, 1], 2)).toThrow(/need 6 values, got 4/);
  });
});

describe('standardisation', () => {
  it('by hand: columns (1, 3, 5) -> mean 3, std sqrt(8/3); a constant column keeps std 1', () => {
    const x = Float32Array.from([1, 2, 3, 2, 5, 2]);
    const s = fitStandardization(x, 3, 2);
    expect(Array.from(s.mean)).toEqual([3, 2]);
    expect(s.std[0]).toBeCloseTo(Math.sqrt(8 / 3), 6);
    expect(s.std[1]).toBe(1);
    standardizeInPlace(x, 3, 2, s);
    const z = Math.sqrt(3 / 2); // 2 / sqrt(8/3)
    [-z, 0, 0, 0, z, 0].forEach((v, i) => expect(x[i]).toBeCloseTo(v, 6));
  });
});
