import { describe, expect, it } from 'vitest';
import { BASELINES } from '../baselines/registry.js';
import { BASELINE_NAMES } from '../suite/schema.js';
import { BASELINE_METHODS } from './methods.js';

describe('BASELINE_METHODS', () => {
  it('names the baselines the suite schema allows and the baselines registry runs, in the same order', () => {
    expect(BASELINE_METHODS).toEqual(BASELINE_NAMES);
    expect(BASELINE_METHODS).toEqual(Object.keys(BASELINES));
  });
});
