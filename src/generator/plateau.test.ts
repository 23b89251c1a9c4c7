import { describe, expect, it } from 'vitest';
import { Plateau, type PlateauSettings } from './plateau.js';

const SCHEDULE: PlateauSettings['schedule'] = { type: 'plateau', factor: 0.1, patience: 2, minLearningRate: 1e-5 };

/** Feeds (mean, standard error) pairs; returns what each validation decided. */
function run(settings: PlateauSettings, scores: [number, number][]) {
  const p = new Plateau(settings);
  return scores.map(([m, se]) => p.observe(m, se));
}

describe('Plateau: gains judged against the standard error', () => {
  it('counts a rise as a gain only when it beats the last gain by more than that gain\'s standard error', () => {
    // Reference after v1: 0.20 (se 0.02), so the bar is 0.22.
    // v2 0.21: best, no gain. v3 0.225 > 0.22: gain (bar 0.225 + 0.01 = 0.235).
    // v4 0.23: best, no gain. v5 0.236 > 0.235: gain. v6 0.10: neither.
    const v = run({ learningRate: 1e-3, schedule: { type: 'constant' }, patience: 10 }, [
      [0.2, 0.02],
      [0.21, 0.02],
      [0.225, 0.01],
      [0.23, 0.01],
      [0.236, 0.01],
      [0.1, 0.01],
    ]);
    expect(v.map((x) => x.gain)).toEqual([true, false, true, false, true, false]);
    expect(v.map((x) => x.best)).toEqual([true, true, true, true, true, false]);
  });

  it('adds creeping improvements up: each is compared with the last gain, not the latest best', () => {
    // Bar 0.30 + 0.01 = 0.31: 0.306 is under it (a new best, no gain), 0.312 over it (a gain), though each rise is only 0.006.
    const v = run({ learningRate: 1e-3, schedule: { type: 'constant' }, patience: 10 }, [
      [0.3, 0.01],
      [0.306, 0.01],
      [0.312, 0.01],
    ]);
    expect(v.map((x) => x.gain)).toEqual([true, false, true]);
  });

  it('uses minDelta instead of the standard error when it is set', () => {
    const v = run({ learningRate: 1e-3, schedule: { type: 'constant' }, patience: 10, minDelta: 0 }, [
      [0.3, 0.05],
      [0.3001, 0.05],
      [0.3001, 0.05],
    ]);
    expect(v.map((x) => x.gain)).toEqual([true, true, false]);
  });

  it('treats an unknown standard error (one validation input) as no margin', () => {
    const v = run({ learningRate: 1e-3, schedule: { type: 'constant' }, patience: 10 }, [
      [0.3, NaN],
      [0.31, NaN],
    ]);
    expect(v.map((x) => x.gain)).toEqual([true, true]);
  });
});

describe('Plateau: learning-rate schedule and early stopping', () => {
  it('lowers the rate x0.1 after 2 validations without a gain, down to 1e-5, and stops after 5', () => {
    // A flat curve: v1 sets the reference; v2..v6 are no gains.
    // v3: 2 since the change -> 1e-4; v5: 2 more -> 1e-5; v6: 5 without a gain -> stop.
    const v = run({ learningRate: 1e-3, schedule: SCHEDULE, patience: 5 }, Array.from({ length: 6 }, () => [0.4, 0.01] as [number, number]));
    const rates = v.map((x) => x.learningRate);
    const expected = [1e-3, 1e-3, 1e-4, 1e-4, 1e-5, 1e-5];
    rates.forEach((r, i) => expect(r).toBeCloseTo(expected[i], 12));
    expect(v.map((x) => x.stop)).toEqual([false, false, false, false, false, true]);
  });

  it('restarts both counts at a gain', () => {
    // v1 ref 0.4; v2 flat; v3 flat -> 1e-4; v4 gain (0.5 > 0.41): counts reset; v5, v6 flat -> 1e-5 at v6.
    const v = run({ learningRate: 1e-3, schedule: SCHEDULE, patience: 3 }, [
      [0.4, 0.01],
      [0.4, 0.01],
      [0.4, 0.01],
      [0.5, 0.01],
      [0.5, 0.01],
      [0.5, 0.01],
      [0.5, 0.01],
    ]);
    const expected = [1e-3, 1e-3, 1e-4, 1e-4, 1e-4, 1e-5, 1e-5];
    v.forEach((x, i) => expect(x.learningRate).toBeCloseTo(expected[i], 12));
    expect(v.map((x) => x.stop)).toEqual([false, false, false, false, false, false, true]);
  });

  it('never goes below the minimum, and a constant schedule never changes the rate', () => {
    const flat = Array.from({ length: 9 }, () => [0.4, 0.01] as [number, number]);
    const plateau = run({ learningRate: 1e-3, schedule: { ...SCHEDULE, patience: 1 }, patience: 20 }, flat);
    expect(plateau.map((x) => x.learningRate).at(-1)).toBe(1e-5);
    expect(Math.min(...plateau.map((x) => x.learningRate))).toBe(1e-5);
    const constant = run({ learningRate: 1e-3, schedule: { type: 'constant' }, patience: 20 }, flat);
    expect(constant.every((x) => x.learningRate === 1e-3)).toBe(true);
  });
});
