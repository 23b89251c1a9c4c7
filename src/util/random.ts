/**
 * Seeded sampling. mulberry32 is a tiny 32-bit generator: plenty for picking
 * subsets reproducibly, not for cryptography.
 */

/** Returns a function yielding uniform floats in [0, 1); the same seed gives the same stream. */
export function mulberry32(seed: number): () => number {
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The first `n` entries of a seeded Fisher-Yates shuffle of 0..count-1.
 * The shuffle runs front to back, so the first k picks do not depend on n:
 * asking for more seeds extends the earlier list instead of reshuffling it.
 */
export function shuffledIndices(count: number, n: number, seed: number): Int32Array {
  if (!Number.isInteger(n) || n < 0 || n > count) {
    throw new RangeError(`cannot pick ${n} of ${count} indices`);
  }
  const rand = mulberry32(seed);
  const all = new Int32Array(count);
  for (let i = 0; i < count; i++) all[i] = i;
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(rand() * (count - i));
    const t = all[i];
    all[i] = all[j];
    all[j] = t;
  }
  return all.slice(0, n);
}
