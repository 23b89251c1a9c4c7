import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpu } from '../../../../test/helpers/tf.js';
import { flattenState, unflattenState, type RaState } from './state.js';

beforeAll(useCpu);

describe('RaNet state across a stage boundary', () => {
  it('lists each distinct tensor once, in traversal order, and rebuilds the same structure', () => {
    const [a, b, c, d] = [1, 2, 3, 4].map((v) => tf.fill([1, 1, 1, 1], v) as tf.Tensor4D);
    // b is both a feature of the current sub-network and its last output, as after a block with no transition.
    const state: RaState = { inputs: [undefined, a], previous: [[c, d]], current: [[c, b]], x: b, flow: 1 };
    const { tensors, layout } = flattenState(state);
    expect(tensors).toHaveLength(4);
    [a, c, d, b].forEach((t, i) => expect(tensors[i]).toBe(t));
    expect(layout).toEqual({ inputs: [-1, 0], previous: [[1, 2]], current: [[1, 3]], x: 3, flow: 1 });
    const [a2, c2, d2, b2] = [5, 6, 7, 8].map((v) => tf.fill([1, 1, 1, 1], v) as tf.Tensor4D);
    const back = unflattenState(layout, [a2, c2, d2, b2]);
    expect(back.inputs[0]).toBeUndefined();
    expect(back.inputs[1]).toBe(a2);
    expect(back.previous[0][0]).toBe(c2);
    expect(back.previous[0][1]).toBe(d2);
    expect(back.current[0][0]).toBe(c2);
    expect(back.x).toBe(b2);
    expect(back.flow).toBe(1);
    // Sharing survives: the output is the very tensor listed among the features.
    expect(back.x).toBe(back.current[0][1]);
    expect(() => unflattenState(layout, [a2])).toThrow(/tensor 1 missing \(1 given\)/);
    tf.dispose([a, b, c, d, a2, b2, c2, d2]);
  });
});
