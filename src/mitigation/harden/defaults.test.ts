import { describe, expect, it } from 'vitest';
import { suiteSchema } from '../../suite/index.js';
import { RETRAIN_DEFAULTS } from './section.js';

// The suite section (defaults from the schema) and `deepperform harden` (RETRAIN_DEFAULTS) must retrain alike.
describe('retraining defaults', () => {
  it('the schema of mitigation.retrain states the same defaults as the harden command', () => {
    const props = (suiteSchema as any).properties.mitigation.properties.retrain.properties as Record<string, { default?: unknown }>;
    for (const key of ['epochs', 'trainSeeds', 'flopsWeight', 'learningRate', 'batchSize', 'holdSeeds'] as const) {
      expect([key, props[key].default]).toEqual([key, RETRAIN_DEFAULTS[key]]);
    }
  });
});
