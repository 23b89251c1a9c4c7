/** Pure helpers of the bench: no timing, no I/O, so a test can check them. */

/** Median of the finite numbers in xs; null when there are none. */
export function median(xs) {
  const s = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return null;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
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
