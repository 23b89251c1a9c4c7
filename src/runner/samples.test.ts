import { describe, expect, it } from 'vitest';
import type { GeneratedInputs } from '../generator/index.js';
import type { MethodResult } from '../results/index.js';
import { pickSamples } from './samples.js';

const input = { height: 1, width: 2, channels: 1, range: [0, 1] as [number, number] };
const seeds = { images: Float32Array.from([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]), count: 3 };
const made = (images: number[]): GeneratedInputs => ({ images: Float32Array.from(images), count: 3, msPerInput: 1 });

describe('pickSamples', () => {
  it('takes the seeds with the largest DeepPerform I-FLOPs, ties by index, with every method\'s inputs', () => {
    const methods = [{ iflops: [0.5, 2, 0.5] }] as MethodResult[];
    const produced = [
      ['deepperform', made([0.11, 0.21, 0.31, 0.41, 0.51, 0.61])],
      ['random', made([0, 0, 1, 1, 0.123456, 0])],
    ] as const;
    const s = pickSamples(input, seeds, produced, methods, 2);
    expect(s.indices).toEqual([1, 0]);
    expect(s.shape).toEqual([1, 2, 1]);
    expect(s.seeds.map((p) => p.map((v) => v.toFixed(4)))).toEqual([['0.3000', '0.4000'], ['0.1000', '0.2000']]);
    expect(s.generated[1]).toEqual({ method: 'random', images: [[1, 1], [0, 0]] });
  });

  it('rounds pixels to 4 decimals and takes no more samples than seeds', () => {
    const s = pickSamples(input, seeds, [['random', made([0.123456, 0, 0, 0, 0, 0])]], [{ iflops: [0, 0, 0] }] as MethodResult[], 8);
    expect(s.indices).toEqual([0, 1, 2]);
    expect(s.generated[0].images[0]).toEqual([0.1235, 0]);
  });

  it('a method run on the first seeds only has an empty image for the others', () => {
    const methods = [{ iflops: [0, 2, 1] }] as MethodResult[];
    const ilfo: GeneratedInputs = { images: Float32Array.from([0.9, 0.9]), count: 1, msPerInput: 1 };
    const s = pickSamples(input, seeds, [['deepperform', made([0, 0, 0, 0, 0, 0])], ['ilfo', ilfo]], methods, 3);
    expect(s.indices).toEqual([1, 2, 0]);
    expect(s.generated[1]).toEqual({ method: 'ilfo', images: [[], [], [0.9, 0.9]] });
  });
});
