import { mulberry32 } from '../../util/random.js';

/**
 * A linear support vector machine: L2-regularised hinge loss,
 *   min_w,b  1/2 (||w||^2 + (b / B)^2) + C sum_i max(0, 1 - y_i (w . x_i + b)),
 * trained by dual coordinate descent (Hsieh, Chang, Lin, Keerthi, Sathiyakeerthi:
 * "A Dual Coordinate Descent Method for Large-scale Linear SVM", ICML 2008;
 * the solver of LIBLINEAR's L1-loss SVM). The dual is
 *   min_a 1/2 a^T Q a - sum a,  0 <= a_i <= C,  Q_ij = y_i y_j x~_i . x~_j,
 * with x~ = [x, B]: the bias is the weight of a constant feature B, as in
 * LIBLINEAR and scikit-learn's LinearSVC, so it is lightly regularised (less
 * as B grows). On separable data with C large enough the solution is the
 * maximum-margin hyperplane of the augmented points.
 *
 * Each step solves one a_i exactly with the others fixed, keeping w = sum a_i
 * y_i x~_i up to date, so an epoch costs O(n d). The visiting order is a
 * seeded shuffle per epoch: same data and seed, same weights.
 */
export interface SvmOptions {
  /** Cost of a margin violation (larger: harder margin). Default 1. */
  c?: number;
  /** Value B of the constant feature that carries the bias. Default 1. */
  biasScale?: number;
  /** Stop when the projected gradients of an epoch span less than this (LIBLINEAR's criterion and default). Default 0.1. */
  tolerance?: number;
  /** Upper bound on passes over the data. Default 1000. */
  maxEpochs?: number;
  /** Seed of the visiting order. Default 0. */
  seed?: number;
}

export interface LinearSvm {
  weights: Float64Array;
  bias: number;
  /** Dual variables, one per training row (0 < a_i: support vector; a_i = C: margin violator). */
  alpha: Float64Array;
  epochs: number;
  /** The stopping criterion was met before maxEpochs. */
  converged: boolean;
  /** Primal objective at the solution. */
  objective: number;
}

export const SVM_DEFAULTS: Required<SvmOptions> = { c: 1, biasScale: 1, tolerance: 0.1, maxEpochs: 1000, seed: 0 };

/** Trains on the row-major [n, dim] matrix `x`; labels are 0 (y = -1) or 1 (y = +1). */
export function trainLinearSvm(x: Float32Array, labels: ArrayLike<number>, dim: number, options: SvmOptions = {}): LinearSvm {
  const o = { ...SVM_DEFAULTS, ...options };
  checkOptions(o);
  const n = labels.length;
  if (x.length !== n * dim) throw new RangeError(`trainLinearSvm: ${n} labels and ${dim} features need ${n * dim} values, got ${x.length}`);
  const y = Float64Array.from(labels, (l, i) => {
    if (l !== 0 && l !== 1) throw new RangeError(`trainLinearSvm: label ${i} is ${l}; labels are 0 or 1`);
    return l === 1 ? 1 : -1;
  });
  const state = { w: new Float64Array(dim), wb: 0, alpha: new Float64Array(n) };
  const diag = Float64Array.from({ length: n }, (_, i) => squaredNorm(x, i * dim, dim) + o.biasScale * o.biasScale);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const rand = mulberry32(o.seed);
  let epochs = 0;
  let converged = false;
  while (epochs < o.maxEpochs && !converged) {
    shuffle(order, rand);
    converged = epoch(x, y, dim, diag, order, state, o) < o.tolerance;
    epochs++;
  }
  const bias = state.wb * o.biasScale;
  return { weights: state.w, bias, alpha: state.alpha, epochs, converged, objective: primal(x, y, dim, state.w, bias, o) };
}

/** One pass of coordinate steps; returns the span max - min of the projected gradients it saw. */
function epoch(
  x: Float32Array,
  y: Float64Array,
  dim: number,
  diag: Float64Array,
  order: Int32Array,
  s: { w: Float64Array; wb: number; alpha: Float64Array },
  o: Required<SvmOptions>,
): number {
  let maxPg = -Infinity;
  let minPg = Infinity;
  for (const i of order) {
    if (diag[i] === 0) continue;
    const offset = i * dim;
    const g = y[i] * (dotW(s.w, x, offset, dim) + s.wb * o.biasScale) - 1;
    const a = s.alpha[i];
    // The gradient projected on the box [0, C]: zero where the bound stops the step.
    const pg = a === 0 ? Math.min(g, 0) : a === o.c ? Math.max(g, 0) : g;
    maxPg = Math.max(maxPg, pg);
    minPg = Math.min(minPg, pg);
    if (pg === 0) continue;
    const next = Math.min(Math.max(a - g / diag[i], 0), o.c);
    const step = (next - a) * y[i];
    s.alpha[i] = next;
    for (let j = 0; j < dim; j++) s.w[j] += step * x[offset + j];
    s.wb += step * o.biasScale;
  }
  return maxPg === -Infinity ? 0 : maxPg - minPg;
}

function primal(x: Float32Array, y: Float64Array, dim: number, w: Float64Array, bias: number, o: Required<SvmOptions>): number {
  let hinge = 0;
  for (let i = 0; i < y.length; i++) hinge += Math.max(0, 1 - y[i] * (dotW(w, x, i * dim, dim) + bias));
  let norm = 0;
  for (let j = 0; j < dim; j++) norm += w[j] * w[j];
  const wb = bias / o.biasScale;
  return 0.5 * (norm + wb * wb) + o.c * hinge;
}

/** x_i . x_i for the row at `offset`. */
function squaredNorm(x: Float32Array, offset: number, dim: number): number {
  let s = 0;
  for (let j = 0; j < dim; j++) s += x[offset + j] * x[offset + j];
  return s;
}

/** start + w . x_i for the row at `offset` (summed from `start`, so scores add the bias first). */
function dotW(w: ArrayLike<number>, x: Float32Array, offset: number, dim: number, start = 0): number {
  let s = start;
  for (let j = 0; j < dim; j++) s += w[j] * x[offset + j];
  return s;
}

/** w . x_i + bias for each of the `out.length` rows of `x` (row-major, `dim` features each), into `out`. */
export function linearScores<T extends Float32Array | Float64Array>(x: Float32Array, dim: number, w: ArrayLike<number>, bias: number, out: T): T {
  for (let i = 0; i < out.length; i++) out[i] = dotW(w, x, i * dim, dim, bias);
  return out;
}

function shuffle(order: Int32Array, rand: () => number): void {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
}

function checkOptions(o: Required<SvmOptions>): void {
  const bad = (what: string) => {
    throw new RangeError(`linear SVM: ${what}`);
  };
  if (!(o.c > 0) || !Number.isFinite(o.c)) bad(`C must be a finite number > 0, got ${o.c}`);
  if (!(o.biasScale >= 0) || !Number.isFinite(o.biasScale)) bad(`biasScale must be a finite number >= 0, got ${o.biasScale}`);
  if (!(o.tolerance > 0)) bad(`tolerance must be > 0, got ${o.tolerance}`);
  if (!Number.isInteger(o.maxEpochs) || o.maxEpochs < 1) bad(`maxEpochs must be a whole number >= 1, got ${o.maxEpochs}`);
  if (!Number.isInteger(o.seed)) bad(`seed must be an integer, got ${o.seed}`);
}
