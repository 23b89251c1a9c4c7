/**
 * Area under the ROC curve as the Mann-Whitney statistic: the probability
 * that a randomly drawn positive (label 1) scores higher than a randomly
 * drawn negative (label 0), a tie counting one half. Computed from mid-ranks
 * in O(n log n): AUC = (R1 - n1 (n1 + 1) / 2) / (n1 n0), where R1 is the sum
 * of the positives' ranks and tied scores share the mean of their ranks.
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  if (scores.length !== labels.length) {
    throw new RangeError(`rocAuc: ${scores.length} scores but ${labels.length} labels`);
  }
  let positives = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 0 && labels[i] !== 1) throw new RangeError(`rocAuc: label ${i} is ${labels[i]}; labels are 0 or 1`);
    if (Number.isNaN(scores[i])) throw new RangeError(`rocAuc: score ${i} is NaN`);
    positives += labels[i];
  }
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) {
    throw new RangeError(`rocAuc needs both classes; got ${positives} positive and ${negatives} negative`);
  }
  return (positiveRankSum(scores, labels) - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Sum of the 1-based mid-ranks of the positives in ascending score order. */
function positiveRankSum(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let sum = 0;
  for (let start = 0; start < order.length; ) {
    let end = start + 1;
    while (end < order.length && scores[order[end]] === scores[order[start]]) end++;
    // Ranks start+1 .. end share their mean.
    const midRank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) sum += labels[order[k]] * midRank;
    start = end;
  }
  return sum;
}

/** Share of inputs whose prediction 1[score > threshold] equals the label. */
export function accuracyAt(scores: ArrayLike<number>, labels: ArrayLike<number>, threshold = 0): number {
  if (scores.length !== labels.length) throw new RangeError(`accuracyAt: ${scores.length} scores but ${labels.length} labels`);
  if (scores.length === 0) throw new RangeError('accuracyAt: no scores');
  let right = 0;
  for (let i = 0; i < scores.length; i++) if ((scores[i] > threshold ? 1 : 0) === labels[i]) right++;
  return right / scores.length;
}

/** How well scores tell one attack's inputs (positives) from their seeds (negatives). */
export interface Separation {
  auc: number;
  accuracy: number;
}

/**
 * AUC and accuracy at `threshold` of seed scores against an attack's scores:
 * the cross-method test of a detector trained on another attack's inputs.
 */
export function separation(seedScores: ArrayLike<number>, attackScores: ArrayLike<number>, threshold = 0): Separation {
  const scores = Float64Array.from([...Array.from(seedScores), ...Array.from(attackScores)]);
  const labels = new Uint8Array(scores.length).fill(1, seedScores.length);
  return { auc: rocAuc(scores, labels), accuracy: accuracyAt(scores, labels, threshold) };
}
