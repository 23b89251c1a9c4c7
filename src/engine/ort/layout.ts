/**
 * tfjs keeps images NHWC; ONNX's Conv, pooling and BatchNormalization want
 * NCHW. A 4-D value in the graph is stored in one of the two layouts, and
 * values convert lazily, so a run of convolutions needs no transposes between them.
 */
export type Layout = 'plain' | 'nchw';

/** Transpose permutation that turns NHWC into NCHW, and back. */
export const TO_NCHW = [0, 3, 1, 2] as const;
export const TO_NHWC = [0, 2, 3, 1] as const;

/** Position in an NCHW-stored tensor of the logical (NHWC) axis `axis`. */
export function nchwAxis(axis: number): number {
  return [0, 2, 3, 1][axis];
}

/** Logical axis (possibly negative) of a rank-`rank` value, stored in `layout`. */
export function physicalAxis(axis: number, rank: number, layout: Layout): number {
  const a = axis < 0 ? axis + rank : axis;
  return layout === 'nchw' ? nchwAxis(a) : a;
}

/** Physical shape of a value whose logical shape is `shape`. */
export function physicalShape(shape: readonly number[], layout: Layout): number[] {
  return layout === 'nchw' ? TO_NCHW.map((a) => shape[a]) : [...shape];
}

type Typed = Float32Array | Int32Array | Uint8Array;

/** Transposes a row-major array: out.shape[i] = shape[perm[i]]. */
export function transposeData<T extends Typed>(data: T, shape: readonly number[], perm: readonly number[]): T {
  // Pad to rank 4 with leading unit axes so one quadruple loop serves every case.
  const lead = 4 - shape.length;
  if (lead < 0) throw new RangeError(`transposeData: rank ${shape.length} > 4`);
  const s4 = [...new Array<number>(lead).fill(1), ...shape];
  const p4 = [...Array(lead).keys(), ...perm.map((p) => p + lead)];
  const inStrides = strides(s4);
  const [d0, d1, d2, d3] = p4.map((p) => s4[p]);
  const [t0, t1, t2, t3] = p4.map((p) => inStrides[p]);
  const out = new (data.constructor as new (n: number) => T)(data.length);
  let o = 0;
  for (let a = 0; a < d0; a++) {
    for (let b = 0; b < d1; b++) {
      for (let c = 0; c < d2; c++) {
        let src = a * t0 + b * t1 + c * t2;
        for (let d = 0; d < d3; d++, src += t3) out[o++] = data[src];
      }
    }
  }
  return out;
}

function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1] * shape[i + 1];
  return s;
}
