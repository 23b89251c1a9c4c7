import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { patchPixels } from './conv-onnx.js';
import { GraphBuilder } from './ort/graph.js';

const info = (x: [number, number, number, number], k: number, stride: number, pad: 'valid' | 'same') =>
  tf.backend_util.computeConv2DInfo(x, [k, k, x[3], 1], [stride, stride], 1, pad, undefined, false, 'channelsLast');

describe('patchPixels: the pixel of padded x under each output position and tap', () => {
  it('3x3 input, 2x2 kernel, stride 1: the four windows, taps row-major', () => {
    expect(patchPixels(info([1, 3, 3, 8], 2, 1, 'valid'), 3)).toEqual([0, 1, 3, 4, 1, 2, 4, 5, 3, 4, 6, 7, 4, 5, 7, 8]);
  });

  it('4x4 input, 2x2 kernel, stride 2: non-overlapping windows', () => {
    expect(patchPixels(info([1, 4, 4, 8], 2, 2, 'valid'), 4)).toEqual([0, 1, 4, 5, 2, 3, 6, 7, 8, 9, 12, 13, 10, 11, 14, 15]);
  });

  it('counts rows in the padded width: 2x2 input, 3x3 kernel, same padding (padded 4x4)', () => {
    // Output (0,0) reads padded rows 0-2, columns 0-2; output (1,1) rows 1-3, columns 1-3.
    const pixels = patchPixels(info([1, 2, 2, 8], 3, 1, 'same'), 4);
    expect(pixels.slice(0, 9)).toEqual([0, 1, 2, 4, 5, 6, 8, 9, 10]);
    expect(pixels.slice(27)).toEqual([5, 6, 7, 9, 10, 11, 13, 14, 15]);
  });
});

describe('GraphBuilder constants', () => {
  it('shares int64 tables by content at any size (ORT merges equal subgraphs only on the same initializer)', () => {
    const g = new GraphBuilder();
    const big = Array.from({ length: 500 }, (_, i) => i * 3);
    expect(g.int64(big)).toBe(g.int64([...big]));
    expect(g.int64(big)).not.toBe(g.int64([...big.slice(1), 0]));
    // Large float constants (weights) stay separate: comparing them costs more than it saves.
    const w = new Float32Array(500).fill(1);
    expect(g.float(w, [500])).not.toBe(g.float(w.slice(), [500]));
    expect(g.initializers).toHaveLength(4);
  });
});
