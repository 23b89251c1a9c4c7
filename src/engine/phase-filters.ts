/**
 * Builds the small filters of the input-gradient convolutions in plain JS.
 * Filters are small (a 3x3x256x128 one is 295k values), and the wasm
 * backend's Reverse and StridedSlice are slow enough (tens of ms for such a
 * filter) that composing them would cost more than the convolutions.
 */

/** Filter taps along one axis: rotated-filter indices first, first+step, ... */
export interface TapRun {
  first: number;
  count: number;
  step: number;
}

/** Column taps placed in a shared window from position `at`. */
export interface PlacedTapRun extends TapRun {
  at: number;
}

/**
 * From a [kh,kw,Cin,Cout] forward filter, the filter of one row phase of the
 * input gradient: rotated by 180 degrees, in/out channels swapped, rows
 * `rows`, and one output-channel block of Cin per entry of `blocks` (the
 * column phases; undefined = all zeros), each block's column taps placed in a
 * window of `width`. Shape [rows.count, width, Cout, blocks.length * Cin].
 */
export function phaseFilter(
  w: Float32Array,
  shape: readonly number[],
  rows: TapRun,
  blocks: (PlacedTapRun | undefined)[],
  width: number,
): { values: Float32Array; shape: number[] } {
  const [kh, kw, cin, cout] = shape;
  const depth = blocks.length * cin;
  const out = new Float32Array(rows.count * width * cout * depth);
  for (let a = 0; a < rows.count; a++) {
    const p = kh - 1 - (rows.first + rows.step * a);
    blocks.forEach((cols, block) => {
      if (cols === undefined) return;
      for (let j = 0; j < cols.count; j++) {
        const q = kw - 1 - (cols.first + cols.step * j);
        const src = (p * kw + q) * cin * cout;
        const dst = (a * width + cols.at + j) * cout * depth + block * cin;
        for (let co = 0; co < cout; co++) {
          for (let ci = 0; ci < cin; ci++) out[dst + co * depth + ci] = w[src + ci * cout + co];
        }
      }
    });
  }
  return { values: out, shape: [rows.count, width, cout, depth] };
}

/** The whole filter rotated by 180 degrees with in/out channels swapped: [kh,kw,Cout,Cin]. */
export function rotatedFilter(w: Float32Array, shape: readonly number[]): { values: Float32Array; shape: number[] } {
  const [kh, kw] = shape;
  return phaseFilter(w, shape, { first: 0, count: kh, step: 1 }, [{ first: 0, count: kw, step: 1, at: 0 }], kw);
}
