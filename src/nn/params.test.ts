import { describe, expect, it } from 'vitest';
import { ParamStore } from './params.js';
import { seededNormal, seededUniform } from './random.js';

describe('ParamStore', () => {
  it('seed 0 initialises the same weights every time', () => {
    const init = (seed: number) => seededNormal([64], 0, 1, seed);
    const first = new ParamStore(0);
    const second = new ParamStore(0);
    const a = first.add('w', init).dataSync();
    const b = second.add('w', init).dataSync();
    expect(Array.from(a)).toEqual(Array.from(b));
    first.dispose();
    second.dispose();
  });

  it('hands out consecutive seeds, so the second weight of seed 0 is the first of seed 1', () => {
    const init = (seed: number) => seededUniform([8], 0, 1, seed);
    const zero = new ParamStore(0);
    const one = new ParamStore(1);
    zero.add('a', init);
    const second = zero.add('b', init).dataSync();
    const first = one.add('a', init).dataSync();
    expect(Array.from(second)).toEqual(Array.from(first));
    zero.dispose();
    one.dispose();
  });
});
