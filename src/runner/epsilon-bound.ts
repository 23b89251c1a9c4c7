/**
 * The largest perturbation budget that still constrains anything: images
 * enter in [0, 1], so under Linf an epsilon of 1 already lets every pixel
 * take any value, and under L2 the longest possible change is the diagonal of
 * the unit cube, sqrt(pixels). A larger epsilon is a typo (e.g. 8 for 8/255),
 * never a budget, and is refused before any suite runs.
 */
export function epsilonLimit(norm: 'linf' | 'l2', pixels: number): number {
  return norm === 'linf' ? 1 : Math.sqrt(pixels);
}

/** The problem with `epsilon` for inputs of `pixels` values in [0, 1], or undefined. */
export function epsilonProblem(norm: 'linf' | 'l2', epsilon: number, pixels: number): string | undefined {
  const limit = epsilonLimit(norm, pixels);
  if (epsilon <= limit) return undefined;
  const why = norm === 'linf' ? 'inputs are in [0, 1], so an Linf epsilon of 1 already allows any image' : `the inputs have ${pixels} values in [0, 1], so no two differ by more than sqrt(${pixels}) = ${+limit.toFixed(4)} in L2`;
  return `epsilon ${epsilon} is larger than the input range allows: ${why} (for the usual 8-bit budget write e.g. "8/255")`;
}
