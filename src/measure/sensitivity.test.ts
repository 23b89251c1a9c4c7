import { beforeAll, describe, expect, it } from 'vitest';
import { useCpu } from '../../test/helpers/tf.js';
import { loadDataset } from '../data/index.js';
import { loadAdnn } from '../adnn/index.js';
import { imagesWithGates, quarterGated } from './quarter-gated.fixture.js';
import { thresholdSensitivity } from './sensitivity.js';

beforeAll(useCpu);

// Quarter-gated model: FLOPs = 100 + [10, 20, 30] for each gate p_i > tau.
// Gate values sit 0.05 away from every tau, so float32 rounding cannot flip a decision.
//
//               p (gates)            tau 0.3     0.4      0.5      0.6      0.7
// seed 1   (0.45, 0.25, 0.25)   b0 -> 110   b0 110   -  100   -  100   -  100
// gen  1   (0.75, 0.55, 0.35)   all -> 160  b0b1 130 b0b1 130 b0 110   b0 110
// seed 2   (0.65, 0.45, 0.35)   all -> 160  b0b1 130 b0 110   b0 110   -  100
// gen  2   (0.55, 0.35, 0.25)   b0b1 -> 130 b0 110   b0 110   -  100   -  100
// seed 3   (0.25, 0.25, 0.25)   - 100       - 100    - 100    - 100    - 100
// gen  3   (0.35, 0.35, 0.35)   all -> 160  - 100    - 100    - 100    - 100
//
// I-FLOPs = (gen - seed) / seed:
// tau 0.3: 50/110 = 0.454545, -30/160 = -0.1875,   60/100 = 0.6
// tau 0.4: 20/110 = 0.181818, -20/130 = -0.153846,  0
// tau 0.5: 30/100 = 0.3,        0/110 = 0,          0
// tau 0.6: 10/100 = 0.1,      -10/110 = -0.090909,  0
// tau 0.7: 10/100 = 0.1,        0/100 = 0,          0
// success (gen strictly above seed): tau 0.3 inputs 1 and 3 -> 2/3; every other tau input 1 only -> 1/3.
const seeds = imagesWithGates([
  [0.45, 0.25, 0.25],
  [0.65, 0.45, 0.35],
  [0.25, 0.25, 0.25],
]);
const generated = imagesWithGates([
  [0.75, 0.55, 0.35],
  [0.55, 0.35, 0.25],
  [0.35, 0.35, 0.35],
]);

describe('thresholdSensitivity on a model with hand-known gates', () => {
  const points = () => thresholdSensitivity(quarterGated(), seeds, generated);

  it('re-runs the inputs at the paper\'s five thresholds', () => {
    expect(points().map((p) => p.tau)).toEqual([0.3, 0.4, 0.5, 0.6, 0.7]);
  });

  it('max, min and mean I-FLOPs at each tau', () => {
    const expected = [
      { max: 0.6, min: -0.1875, mean: (50 / 110 - 30 / 160 + 0.6) / 3 }, // 0.289015
      { max: 20 / 110, min: -20 / 130, mean: (20 / 110 - 20 / 130) / 3 }, // 0.009324
      { max: 0.3, min: 0, mean: 0.1 },
      { max: 0.1, min: -10 / 110, mean: (0.1 - 10 / 110) / 3 }, // 0.003030
      { max: 0.1, min: 0, mean: 0.1 / 3 },
    ];
    points().forEach((p, i) => {
      expect(p.iflops.max).toBeCloseTo(expected[i].max, 12);
      expect(p.iflops.min).toBeCloseTo(expected[i].min, 12);
      expect(p.iflops.mean).toBeCloseTo(expected[i].mean, 12);
    });
  });

  it('p50 at tau 0.3 is the middle of [-0.1875, 0.4545, 0.6]', () => {
    expect(points()[0].iflops.p50).toBeCloseTo(50 / 110, 12);
  });

  it('success rate at each tau', () => {
    expect(points().map((p) => p.successRate)).toEqual([2 / 3, 1 / 3, 1 / 3, 1 / 3, 1 / 3]);
  });

  it('custom thresholds, and a mismatch of seeds and generated inputs is refused', () => {
    expect(thresholdSensitivity(quarterGated(), seeds, generated, [0.5]).map((p) => p.iflops.max)).toEqual([0.3]);
    expect(() => thresholdSensitivity(quarterGated(), seeds, imagesWithGates([[0.5, 0.5, 0.5]]))).toThrow(/3 seeds but 1 generated/);
  });
});

describe('thresholdSensitivity on the product engine', () => {
  it('skipnet-tiny: the same points on onnxruntime (stage by stage) as on tfjs', async () => {
    const { network } = await loadAdnn('fixtures/models/skipnet-tiny');
    const test = await loadDataset({ name: 'fashion-mnist-embedded', split: 'test' });
    const size = 28 * 28;
    const seedsFm = { images: test.images.slice(0, 8 * size), count: 8 };
    // Stand-in "generated" inputs: the next eight test images.
    const gen = { images: test.images.slice(8 * size, 16 * size), count: 8 };
    const ort = thresholdSensitivity(network, seedsFm, gen, [0.3, 0.5, 0.7], { engine: 'ort' });
    expect(ort).toEqual(thresholdSensitivity(network, seedsFm, gen, [0.3, 0.5, 0.7], { engine: 'tfjs' }));
    // Not a degenerate comparison: the points differ between thresholds.
    expect(new Set(ort.map((p) => p.iflops.mean)).size).toBeGreaterThan(1);
    network.dispose();
  });
});
