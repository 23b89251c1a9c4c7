import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import type { SuiteResult } from '../../results/index.js';
import { worstCaseSuite } from '../test-fixtures.js';
import { displayScale, encodePng, imageBytes, perturbationBytes, pixelByte, samplesCaption } from './images.js';

/** A suite whose first method has these I-FLOPs and whose samples are these seed indices. */
function withSamples(iflops: number[], indices: number[]): SuiteResult {
  const [first, ...rest] = worstCaseSuite.methods;
  return {
    ...worstCaseSuite,
    methods: [{ ...first!, iflops }, ...rest],
    samples: { shape: [1, 1, 1], range: [0, 1], indices, seeds: indices.map(() => [0]), generated: [] },
  };
}

describe('samplesCaption', () => {
  it('says "slowed down most" only when every sample was slowed down', () => {
    expect(samplesCaption(withSamples([0.5, 0.2, 0.1], [0, 1, 2]))).toBe('The 3 seeds DeepPerform slowed down most.');
  });

  it('says how many were slowed when only some were', () => {
    expect(samplesCaption(withSamples([0.5, 0, 0, -0.1], [0, 1, 2]))).toBe('The seed DeepPerform slowed down (I-FLOPs above 0), then 2 it did not.');
    expect(samplesCaption(withSamples([0.5, 0.1, 0], [0, 1, 2]))).toBe('The 2 seeds DeepPerform slowed down (I-FLOPs above 0), then 1 it did not.');
  });

  it('says none was slowed when none was', () => {
    expect(samplesCaption(withSamples([0, 0, -0.2], [0, 1, 2]))).toBe('DeepPerform slowed down none of the seeds (no I-FLOPs above 0); here are 3 of them.');
  });
});

describe('pixel mapping', () => {
  it('maps the input range onto bytes, clamped', () => {
    expect([pixelByte(0, 0, 1), pixelByte(0.2, 0, 1), pixelByte(1, 0, 1), pixelByte(1.5, 0, 1), pixelByte(-1, 0, 1)]).toEqual([0, 51, 255, 255, 0]);
    // [-1, 1] models: 0 is 127.5 -> 128
    expect([pixelByte(-1, -1, 1), pixelByte(0, -1, 1), pixelByte(0.6, -1, 1)]).toEqual([0, 128, 204]);
    expect([...imageBytes([0, 0.6], [0, 1])]).toEqual([0, 153]);
  });

  it('draws perturbations signed around grey, the largest change at full intensity', () => {
    // diffs [-0.1, 0.05, 0, 0.025]: largest 0.1 -> 0; 127.5 + 63.75 = 191.25 -> 191; 128; 127.5 + 31.875 -> 159
    const { bytes, maxAbs } = perturbationBytes([0.4, 0.55, 0.5, 0.525], [0.5, 0.5, 0.5, 0.5]);
    expect([...bytes]).toEqual([0, 191, 128, 159]);
    expect(maxAbs).toBeCloseTo(0.1, 12);
    expect([...perturbationBytes([1, 2], [1, 2]).bytes]).toEqual([128, 128]);
  });

  it('scales small images up to about 84 CSS pixels, by whole pixels', () => {
    expect([displayScale([28, 28, 1]), displayScale([32, 32, 3]), displayScale([2, 2, 1]), displayScale([224, 224, 3])]).toEqual([3, 3, 42, 1]);
  });
});

describe('encodePng', () => {
  it('writes grey PNGs for one channel and RGB for three', () => {
    const grey = PNG.sync.read(encodePng(Uint8Array.from([0, 64, 128, 255]), [2, 2, 1]));
    expect([grey.width, grey.height]).toEqual([2, 2]);
    expect([...grey.data]).toEqual([0, 0, 0, 255, 64, 64, 64, 255, 128, 128, 128, 255, 255, 255, 255, 255]);
    const rgb = PNG.sync.read(encodePng(Uint8Array.from([255, 0, 0, 0, 0, 255]), [1, 2, 3]));
    expect([...rgb.data]).toEqual([255, 0, 0, 255, 0, 0, 255, 255]);
  });

  it('shows the first channel of other channel counts as grey', () => {
    const two = PNG.sync.read(encodePng(Uint8Array.from([10, 99, 20, 99]), [1, 2, 2]));
    expect([...two.data]).toEqual([10, 10, 10, 255, 20, 20, 20, 255]);
  });
});
