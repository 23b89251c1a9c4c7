import { describe, expect, it } from 'vitest';
import type { Dataset } from '../data/index.js';
import { parseSuite } from '../suite/index.js';
import { generatorData, generatorKey } from './generator-source.js';

/** A dataset of `n` 1x1x1 images whose pixel is the index. */
function indexed(n: number): Dataset {
  return {
    name: 'fashion-mnist-embedded',
    split: 'train',
    images: Float32Array.from({ length: n }, (_, i) => i),
    labels: new Int32Array(n),
    count: n,
    height: 1,
    width: 1,
    channels: 1,
    numClasses: 10,
  } as Dataset;
}

function suite(train = '{}') {
  return parseSuite(
    `name: s
model: { arch: sdn-tiny, weights: /w }
data: { dataset: fashion-mnist-embedded }
norm: linf
epsilon: 0.1
generator: { preset: tiny, train: ${train} }
`,
    '/s.perf.yaml',
  );
}

describe('generatorData', () => {
  it('holds out validationInputs of the training split, at most half of it', () => {
    const count = (n: number, train?: string) => {
      const d = generatorData(suite(train), indexed(n));
      return [d.train.count, d.validation.count];
    };
    expect(count(2000)).toEqual([1000, 1000]);
    expect(count(60000)).toEqual([59000, 1000]);
    expect(count(501)).toEqual([251, 250]);
    expect(count(2000, '{ validationInputs: 32 }')).toEqual([1968, 32]);
  });
});

describe('generatorKey', () => {
  const key = (train: string) => generatorKey(suite(train), generatorData(suite(train), indexed(200)), '0.1.0', 'model-hash');

  it('ignores requireConverged, which only judges the generator', () => {
    expect(key('{ requireConverged: true }')).toBe(key('{}'));
  });

  it('changes with every setting that changes the generator', () => {
    const base = key('{}');
    for (const train of ['{ epochs: 10 }', '{ steps: 50 }', '{ lrSchedule: { factor: 0.5 } }', '{ lrSchedule: { type: constant } }', '{ minDelta: 0.01 }', '{ validateEvery: 3 }', '{ validationInputs: 50 }', '{ patience: 3 }']) {
      expect(key(train), train).not.toBe(base);
    }
  });
});
