/**
 * Per-feature standardisation, fitted on the training features and stored
 * with the detector: z_j = (f_j - mean_j) / std_j. Without it the SVM would
 * weigh channels by their raw scale, and the dual solver converges slowly on
 * badly scaled features.
 */
export interface Standardization {
  mean: Float32Array;
  std: Float32Array;
}

/** Below this a feature is taken as constant: its std is stored as 1, so it standardises to 0. */
const MIN_STD = 1e-6;

/** Mean and population standard deviation of each of the `dim` columns of the row-major [n, dim] matrix `x`. */
export function fitStandardization(x: Float32Array, n: number, dim: number): Standardization {
  checkShape(x, n, dim);
  if (n < 1) throw new RangeError('fitStandardization: no rows');
  const sum = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let j = 0, o = i * dim; j < dim; j++) sum[j] += x[o + j];
  const mean = sum.map((s) => s / n);
  const squares = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    for (let j = 0, o = i * dim; j < dim; j++) {
      const d = x[o + j] - mean[j];
      squares[j] += d * d;
    }
  }
  const std = squares.map((s) => {
    const v = Math.sqrt(s / n);
    return v < MIN_STD ? 1 : v;
  });
  return { mean: Float32Array.from(mean), std: Float32Array.from(std) };
}

/** Standardises the rows of `x` in place (the training matrix can be large; no copy). */
export function standardizeInPlace(x: Float32Array, n: number, dim: number, s: Standardization): void {
  checkShape(x, n, dim);
  if (s.mean.length !== dim || s.std.length !== dim) throw new RangeError(`standardisation has ${s.mean.length} features, the data ${dim}`);
  for (let i = 0; i < n; i++) for (let j = 0, o = i * dim; j < dim; j++) x[o + j] = (x[o + j] - s.mean[j]) / s.std[j];
}

function checkShape(x: Float32Array, n: number, dim: number): void {
  if (x.length !== n * dim) throw new RangeError(`expected ${n} x ${dim} = ${n * dim} values, got ${x.length}`);
}
