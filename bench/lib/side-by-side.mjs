/**
 * Alternates our runs with PyTorch's (A, B, A, B ...) so both see the same
 * machine state, and keeps every sample. PyTorch being absent or failing only
 * nulls its side, with the reason.
 */
import { median, ratio } from './stats.mjs';

/** The PyTorch half of one task: set up (and warmed) now, timed on demand. */
export function torchTask(torch, task, params, warmup) {
  if (!torch.client) return { time: () => null, note: torch.reason, flops: null };
  try {
    const { flops, flop_parts: flopParts } = torch.client.setup(task, params, warmup);
    let failed;
    return {
      flops,
      flopParts,
      get note() {
        return failed;
      },
      time() {
        if (failed) return null;
        try {
          return torch.client.time(task);
        } catch (e) {
          failed = `PyTorch failed: ${e.message}`;
          return null;
        }
      },
      result: () => torch.client.result(task),
      drop: () => torch.client.drop(task),
    };
  } catch (e) {
    return { time: () => null, note: `PyTorch set-up failed: ${e.message}`, flops: null };
  }
}

/**
 * `warmup` runs of ours left out of the medians (first use: kernel set-up,
 * JIT, an engine's export and session creation; kept as `warmup`), then
 * `repeats` rounds of (ours, theirs). Returns both sample lists and their medians.
 */
export function alternate({ repeats, warmup = 0, ours, theirs }) {
  const warm = [];
  for (let i = 0; i < warmup; i++) warm.push(ours());
  const a = [];
  const b = [];
  for (let i = 0; i < repeats; i++) {
    a.push(ours());
    const t = theirs?.();
    if (t !== null && t !== undefined) b.push(t);
  }
  return { warmup: warm, ours: a, theirs: b, oursMedian: median(a), theirsMedian: median(b) };
}

/** Wall time of fn() in ms. */
export function timeMs(fn) {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

/**
 * Spread of both sides' samples, and the ratio of the fastest runs beside the
 * ratio of medians: on a shared machine the minima show each side undisturbed.
 */
export function summarize(ours, theirs) {
  const side = (xs) => (xs.length ? { n: xs.length, min: Math.min(...xs), median: median(xs), max: Math.max(...xs) } : null);
  const a = side(ours);
  const b = side(theirs);
  return { ours: a, torch: b, ratio_of_medians: ratio(a?.median, b?.median), ratio_of_minima: ratio(a?.min, b?.min) };
}
