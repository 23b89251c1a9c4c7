/**
 * Edit distance and "did you mean" suggestions for unknown keys, metric names
 * and enum values. Small enough to keep in-house rather than add a dependency.
 */

/**
 * Edit distance (Levenshtein plus swaps of two neighbouring letters, the
 * "optimal string alignment" variant): insertions, deletions, substitutions
 * and transpositions each cost 1, so the typo "tset" is 1 away from "test".
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}

/**
 * The candidate closest to `word` (case-insensitively), or undefined when
 * none is close enough to be a plausible typo: at most a third of the
 * longer word's letters (at least 1, at most 3) may differ, and not all of
 * them (so "l3" suggests "l2" and "stepz" "steps", but "=" suggests nothing).
 */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase());
    const longer = Math.max(w.length, c.length);
    const limit = Math.min(3, Math.max(1, Math.floor(longer / 3)));
    if (d <= limit && d < longer && d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** ` (did you mean "x"?)`, or '' when there is no plausible suggestion. */
export function suggestion(word: string, candidates: readonly string[]): string {
  const s = didYouMean(word, candidates);
  return s === undefined ? '' : ` (did you mean "${s}"?)`;
}
