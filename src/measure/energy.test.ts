import { beforeAll, describe, expect, it } from 'vitest';
import { useCpu } from '../../test/helpers/tf.js';
import { increasedEnergy, measureEnergy, type EnergyProbe } from './energy.js';
import { integratedPowerProbe } from './energy-probe.js';
import { imagesWithGates, quarterGated } from './quarter-gated.fixture.js';

beforeAll(useCpu);

// At tau 0.5: A runs nothing (100 FLOPs), B runs b0 (110), C runs all (160).
// The fake run() charges a meter 0.01 J per FLOP: A 1.0 J, B 1.1 J, C 1.6 J per run.
const images = imagesWithGates([
  [0.25, 0.25, 0.25],
  [0.75, 0.25, 0.25],
  [0.75, 0.75, 0.75],
]);

function meteredNetwork() {
  const meter = { joules: 0 };
  const probe: EnergyProbe = { name: 'fake meter', read: () => meter.joules };
  return { meter, probe, network: quarterGated({ meter, joulesPerFlop: 0.01 }) };
}

describe('measureEnergy with a fake probe', () => {
  it('joules of one run per input, warm-up runs not counted', () => {
    const { meter, probe, network } = meteredNetwork();
    const { joulesPerInput } = measureEnergy(probe, network, images, 0.5, { warmup: 1, repeats: 3 });
    expect(joulesPerInput[0]).toBeCloseTo(1.0, 10);
    expect(joulesPerInput[1]).toBeCloseTo(1.1, 10);
    expect(joulesPerInput[2]).toBeCloseTo(1.6, 10);
    // 4 runs per input (1 warm-up + 3): 4 * (1.0 + 1.1 + 1.6) = 14.8 J on the meter.
    expect(meter.joules).toBeCloseTo(14.8, 10);
    expect(network.calls).toEqual(new Array(12).fill(1));
  });

  it('a longer minimum interval means more runs, not more joules per run', () => {
    const { probe, network } = meteredNetwork();
    const { joulesPerInput } = measureEnergy(probe, network, imagesWithGates([[0.75, 0.75, 0.75]]), 0.5, { warmup: 0, repeats: 1, minMs: 5 });
    expect(network.calls.length).toBeGreaterThan(1);
    expect(joulesPerInput[0]).toBeCloseTo(1.6, 10);
  });

  it('thresholds change the energy: at tau 0.8 every input runs no block, 1.0 J', () => {
    const { probe, network } = meteredNetwork();
    const { joulesPerInput } = measureEnergy(probe, network, images, 0.8, { warmup: 0, repeats: 2 });
    joulesPerInput.forEach((j) => expect(j).toBeCloseTo(1.0, 10));
  });
});

describe('integratedPowerProbe', () => {
  it('trapezoids between samples', () => {
    // samples: t 0 ms 40 W, t 2000 ms 60 W, t 3000 ms 60 W
    // 0-2 s: (40 + 60) / 2 * 2 = 100 J; 2-3 s: 60 * 1 = 60 J -> 160 J
    const watts = [40, 60, 60];
    const times = [0, 2000, 3000];
    let i = 0;
    let j = 0;
    const probe = integratedPowerProbe('fake power', () => watts[i++], () => times[j++], 100);
    expect(probe.read()).toBeCloseTo(100, 10);
    expect(probe.read()).toBeCloseTo(160, 10);
  });
});

describe('increasedEnergy', () => {
  it('(e\' - e) / e per input and its aggregates', () => {
    // seeds [1.0, 1.1, 1.6] J, generated [1.6, 1.1, 1.0] J -> [0.6, 0, -0.375]; mean 0.225 / 3 = 0.075
    const { perInput, stats } = increasedEnergy([1.0, 1.1, 1.6], [1.6, 1.1, 1.0]);
    expect(perInput[0]).toBeCloseTo(0.6, 12);
    expect(perInput[1]).toBe(0);
    expect(perInput[2]).toBeCloseTo(-0.375, 12);
    expect(stats.mean).toBeCloseTo(0.075, 12);
    expect(stats.max).toBeCloseTo(0.6, 12);
  });
});
