import { describe, expect, it } from 'vitest';
import { onnxOutLength, windowPads } from './conv-geometry.js';
import { physicalAxis, transposeData } from './layout.js';

describe('windowPads (tfjs padding as explicit ONNX pads)', () => {
  it("'same' with an odd total puts the extra row at the end", () => {
    // in 4, k 3, s 2: out 2, total (2-1)*2 + 3 - 4 = 1
    const w = windowPads([4, 4], [3, 3], [2, 2], [1, 1], 'same');
    expect(w.pads).toEqual([0, 0, 1, 1]);
    expect(onnxOutLength(4, w, 0)).toBe(2);
  });

  it("'same' with an even total splits it", () => {
    const w = windowPads([3, 5], [3, 3], [2, 1], [1, 1], 'same');
    expect(w.pads).toEqual([1, 1, 1, 1]);
    expect([onnxOutLength(3, w, 0), onnxOutLength(5, w, 1)]).toEqual([2, 5]);
  });

  it("'same' with dilation uses the effective kernel", () => {
    // k 3, d 2 -> effective 5; in 6, s 1: total 4
    expect(windowPads([6, 6], [3, 3], [1, 1], [2, 2], 'same').pads).toEqual([2, 2, 2, 2]);
  });

  it('numbers and explicit NHWC paddings', () => {
    expect(windowPads([8, 8], [3, 3], [1, 1], [1, 1], 1).pads).toEqual([1, 1, 1, 1]);
    expect(windowPads([8, 8], [3, 3], [1, 1], [1, 1], [[0, 0], [1, 2], [3, 4], [0, 0]]).pads).toEqual([1, 3, 2, 4]);
    expect(windowPads([8, 8], [3, 3], [2, 2], [1, 1], 'valid').pads).toEqual([0, 0, 0, 0]);
  });
});

describe('layout helpers', () => {
  it('transposes NHWC data to NCHW', () => {
    // [1, 2, 2, 2]: pixel p has channels (p, 10 + p)
    const nhwc = Float32Array.from([0, 10, 1, 11, 2, 12, 3, 13]);
    expect(Array.from(transposeData(nhwc, [1, 2, 2, 2], [0, 3, 1, 2]))).toEqual([0, 1, 2, 3, 10, 11, 12, 13]);
  });

  it('transposes a matrix and a rank-3 array', () => {
    expect(Array.from(transposeData(Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3], [1, 0]))).toEqual([1, 4, 2, 5, 3, 6]);
    expect(Array.from(transposeData(Int32Array.from([1, 2, 3, 4, 5, 6, 7, 8]), [2, 2, 2], [2, 0, 1]))).toEqual([1, 3, 5, 7, 2, 4, 6, 8]);
  });

  it('maps logical NHWC axes into NCHW storage', () => {
    expect([0, 1, 2, 3, -1].map((a) => physicalAxis(a, 4, 'nchw'))).toEqual([0, 2, 3, 1, 1]);
    expect(physicalAxis(-1, 2, 'plain')).toBe(1);
  });
});
