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
  // Three rows of the table suffice (the swap looks two rows back); typed, so nothing is allocated per cell.
  let back2 = new Uint32Array(b.length + 1);
  let back1 = Uint32Array.from({ length: b.length + 1 }, (_, j) => j);
  let row = new Uint32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(back1[j] + 1, row[j - 1] + 1, back1[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        row[j] = Math.min(row[j], back2[j - 2] + 1);
      }
    }
    [back2, back1, row] = [back1, row, back2];
  }
  return back1[b.length];
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
    // The distance is at least the difference in length, and at most 3 is close enough: skip the table.
    if (Math.abs(w.length - c.length) > 3) continue;
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
