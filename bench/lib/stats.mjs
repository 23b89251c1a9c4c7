/** Pure helpers of the bench: no timing, no I/O, so a test can check them. */

/** Median of the finite numbers in xs; null when there are none. */
export function median(xs) {
  const s = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return null;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Mean of the finite numbers in xs; null when there are none. */
export function mean(xs) {
  const f = xs.filter((x) => typeof x === 'number' && Number.isFinite(x));
  return f.length ? f.reduce((a, b) => a + b, 0) / f.length : null;
}

/** ours / theirs; null when either is missing, not finite, or theirs is not positive. */
export function ratio(ours, theirs) {
  if (!isNum(ours) || !isNum(theirs) || theirs <= 0) return null;
  return ours / theirs;
}

export function isNum(x) {
  return typeof x === 'number' && Number.isFinite(x);
}

/** Rounds to `digits` significant figures (keeps the JSON readable); null stays null. */
export function sig(x, digits = 4) {
  if (!isNum(x)) return null;
  if (x === 0) return 0;
  return Number(x.toPrecision(digits));
}

/**
 * Percentage overhead of A over B from paired rounds (each round timed both):
 * the median of the per-round ratios, so slow drifts of the machine cancel.
 */
export function pairedOverheadPct(withMs, withoutMs) {
  const ratios = withMs.map((a, i) => ratio(a, withoutMs[i])).filter(isNum);
  const m = median(ratios);
  return m === null ? null : (m - 1) * 100;
}

/**
 * Do two per-seed samples (the same seeds, two implementations) agree? The
 * mean of the paired differences a - b against its standard error: they agree
 * when |mean| <= 2 standard errors (about a 95 % paired test), and, with no
 * spread to judge by (all differences equal, or one seed), only when the
 * difference is 0.
 */
export function pairedAgreement(a, b) {
  const n = Math.min(a.length, b.length);
  if (n === 0) return null;
  const d = Array.from({ length: n }, (_, i) => a[i] - b[i]);
  const avg = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const meanDiff = avg(d);
  const se = n > 1 ? Math.sqrt(d.reduce((s, x) => s + (x - meanDiff) ** 2, 0) / (n - 1) / n) : 0;
  const agree = se > 0 ? Math.abs(meanDiff) <= 2 * se : meanDiff === 0;
  return { n, mean_a: avg(a.slice(0, n)), mean_b: avg(b.slice(0, n)), mean_diff: meanDiff, se_diff: se, differing_seeds: d.filter((x) => x !== 0).length, agree };
}
