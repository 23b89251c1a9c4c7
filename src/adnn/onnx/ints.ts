import type { IntArray } from './value.js';

/**
 * Slicing and transposing small integer arrays of any rank (PyTorch's
 * export of F.pad reverses and transposes its pads as a [n, 2] tensor).
 */

function strides(dims: number[]): number[] {
  const out = dims.map(() => 1);
  for (let i = dims.length - 2; i >= 0; i--) out[i] = out[i + 1] * dims[i + 1];
  return out;
}

/** Every index of `dims` in row-major order. */
function* indices(dims: number[]): Generator<number[]> {
  const total = dims.reduce((a, b) => a * b, 1);
  const at = dims.map(() => 0);
  for (let n = 0; n < total; n++) {
    yield at;
    for (let i = dims.length - 1; i >= 0; i--) {
      if (++at[i] < dims[i]) break;
      at[i] = 0;
    }
  }
}

/** x[begin:end:step] per axis, begin and end already clamped (end exclusive, -1 allowed for negative steps). */
export function sliceInts(x: IntArray, begin: number[], end: number[], step: number[]): IntArray {
  const dims = begin.map((b, i) => Math.max(0, Math.ceil((end[i] - b) / step[i])));
  const src = strides(x.dims);
  const ints: number[] = [];
  for (const at of indices(dims)) ints.push(x.ints[at.reduce((o, a, i) => o + (begin[i] + a * step[i]) * src[i], 0)]);
  return { ints, dims };
}

export function transposeInts(x: IntArray, perm: number[]): IntArray {
  const dims = perm.map((p) => x.dims[p]);
  const src = strides(x.dims);
  const ints: number[] = [];
  for (const at of indices(dims)) ints.push(x.ints[at.reduce((o, a, i) => o + a * src[perm[i]], 0)]);
  return { ints, dims };
}
