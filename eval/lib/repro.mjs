import { method } from './render-common.mjs';

/**
 * Does a generator of the evaluation reproduce? One suite of eval/suites run
 * again from an empty cache, its result compared with the same suite's in
 * eval/results/latest.json: the validation curve and every method's
 * FLOPs-based numbers, value for value.
 */

/** Every suite result under `results` (a JSON report or latest.json), by name. */
export function suitesByName(results) {
  const found = new Map();
  const walk = (x) => {
    if (!x || typeof x !== 'object') return;
    if (typeof x.name === 'string' && Array.isArray(x.methods)) found.set(x.name, x);
    for (const v of Object.values(x)) walk(v);
  };
  walk(results);
  return found;
}

/**
 * What FLOPs decide, so a rerun on the same machine and build must match it
 * exactly (latency and times vary; latest.json keeps these summaries, not the
 * per-seed lists).
 */
export const FLOPS_FIELDS = ['flopsStats', 'iflopsStats', 'fullDepthRate', 'successCount', 'coverage', 'blockActivation'];

/** The differences between two results of one suite; empty when they agree to the last bit. */
export function differences(again, before) {
  const out = [];
  const curve = (s) => s.training?.record?.curve ?? [];
  const [a, b] = [curve(again), curve(before)];
  if (a.length !== b.length) out.push(`validation curve: ${a.length} points, was ${b.length}`);
  a.slice(0, b.length).forEach((p, i) => {
    if (p.step !== b[i].step || p.iflops !== b[i].iflops) out.push(`validation at step ${p.step}: ${p.iflops}, was ${b[i].iflops} at step ${b[i].step}`);
  });
  for (const m of before.methods) {
    const n = method(again, m.method);
    if (!n) {
      out.push(`${m.method}: missing`);
      continue;
    }
    for (const field of FLOPS_FIELDS) {
      const [x, y] = [JSON.stringify(n[field]), JSON.stringify(m[field])];
      if (x !== y) out.push(`${m.method} ${field}: ${x}, was ${y}`);
    }
  }
  for (const n of again.methods) {
    if (!method(before, n.method)) out.push(`${n.method}: new`);
  }
  return out;
}
