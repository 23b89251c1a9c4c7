import type { AdnnKind, AdnnMeta } from './contract.js';

// The per-layer conventions live in nn/ (the layers count themselves); re-exported for the zoo.
export { convFlops, denseFlops, FlopsCounter, type ConvShape } from '../nn/flops.js';

/**
 * Whether block i runs, by the model's own rule at threshold tau.
 * Skipping models: p_i > tau. Early-exit models: p_i = 1 - confidence of the
 * exit before block i, and block i runs iff no earlier exit was confident,
 * i.e. every earlier confidence < tau (docs/design.md §2: the rule, not 1[p > tau]).
 */
export function blocksRun(kind: AdnnKind, p: ArrayLike<number>, tau: number): boolean[] {
  const out: boolean[] = [];
  let stillGoing = true;
  for (let i = 0; i < p.length; i++) {
    if (kind === 'skipping') {
      out.push(p[i] > tau);
    } else {
      stillGoing = stillGoing && 1 - p[i] < tau;
      out.push(stillGoing);
    }
  }
  return out;
}

/**
 * The p a block needs to run at threshold tau. Skipping models run block i iff
 * p_i > tau. Early-exit models run it iff the earlier exit's confidence
 * 1 - p_i stays below tau, i.e. p_i > 1 - tau (the rule of blocksRun; both
 * are 0.5 at tau 0.5).
 */
export function activationTarget(kind: AdnnKind, tau: number): number {
  return kind === 'skipping' ? tau : 1 - tau;
}

/** Eq. 5: f(x) = base + sum_i FLOPs_i * 1[block i runs]. */
export function costModel(meta: AdnnMeta, ran: ArrayLike<boolean | number>): number {
  let f = meta.baseFlops;
  meta.blocks.forEach((b, i) => {
    if (ran[i]) f += b.flops;
  });
  return f;
}

export function totalFlops(meta: AdnnMeta): number {
  return meta.blocks.reduce((s, b) => s + b.flops, meta.baseFlops);
}
