#!/usr/bin/env node
/**
 * The markdown table of an A/B run of bench/refine-time.mjs (JSON lines, two
 * builds: the one whose --dist path starts with --base is "before"): per
 * (model, norm) the mean over that side's processes of refine's CPU and wall
 * ms per input, first call (compile included) and warm, ILFO's (every
 * process that ran it, either build: its code is the same), refine's share of
 * ILFO's time, and refine's mean I-FLOPs (Eq. 9) on each side. Where the
 * file has ILFO timed as the first call of a fresh process (--ilfo=first,
 * bench/refine-cold-ab.sh), those are ILFO's figures; otherwise ILFO's run
 * after refine in the same process (--ilfo). --ilfo-from=FILE takes ILFO's
 * rows from another such file instead (e.g. refine at 1,000 seeds against
 * ILFO at 100, per input).
 *
 *   node bench/refine-time-table.mjs bench/results/refine-time-ab2.jsonl --base=/tmp/refine-base
 */
import { readFileSync } from 'node:fs';

const file = process.argv[2];
const base = process.argv.find((a) => a.startsWith('--base='))?.slice(7) ?? '/tmp/refine-base';
const rows = readFileSync(file, 'utf8')
  .split('\n')
  .filter((l) => l.includes('"model"'))
  .map((l) => JSON.parse(l));
const ilfoFrom = process.argv.find((a) => a.startsWith('--ilfo-from='))?.slice(12);
const ilfoRows = ilfoFrom
  ? readFileSync(ilfoFrom, 'utf8')
      .split('\n')
      .filter((l) => l.includes('"model"'))
      .map((l) => JSON.parse(l))
  : undefined;
const mean = (xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);
const pairs = new Map();
for (const r of rows) {
  const key = `${r.model} ${r.norm}`;
  if (!pairs.has(key)) pairs.set(key, { model: r.model, norm: r.norm, before: [], after: [] });
  pairs.get(key)[r.dist.startsWith(base) ? 'before' : 'after'].push(r);
}
const f1 = (x) => x.toFixed(1);
const pct = (x) => `${(100 * x).toFixed(1)} %`;
const head = [
  'model',
  'norm',
  'ILFO CPU / wall ms per input',
  'refine first call CPU before / after',
  'refine first call wall before / after',
  'refine warm CPU before / after',
  'share of ILFO, first call, CPU before / after',
  'share, first call, wall before / after',
  'share, warm, CPU before / after',
  'refine mean I-FLOPs before / after',
  'ILFO mean I-FLOPs',
  'refine processes before / after, ILFO processes',
  "others' CPUs busy",
];
console.log(`| ${head.join(' | ')} |`);
console.log(`|${head.map(() => ' --- |').join('')}`);
for (const p of pairs.values()) {
  const all = [...p.before, ...p.after];
  const source = ilfoRows ? ilfoRows.filter((r) => r.model === p.model && r.norm === p.norm) : all;
  const fresh = source.filter((r) => r.ilfoFirst).map((r) => r.ilfoFirst);
  const ilfo = fresh.length ? fresh : source.filter((r) => r.ilfo).map((r) => r.ilfo);
  // Refine's processes (an ILFO-only process has no refine call).
  p.before = p.before.filter((r) => r.refineFirst);
  p.after = p.after.filter((r) => r.refineFirst);
  const icpu = mean(ilfo.map((i) => i.cpuMs));
  const iwall = mean(ilfo.map((i) => i.wallMs));
  const m = (side, call, what) => mean(p[side].map((r) => r[call][what]));
  const [fcB, fcA, fwB, fwA, wcB, wcA] = [m('before', 'refineFirst', 'cpuMs'), m('after', 'refineFirst', 'cpuMs'), m('before', 'refineFirst', 'wallMs'), m('after', 'refineFirst', 'wallMs'), m('before', 'refineWarm', 'cpuMs'), m('after', 'refineWarm', 'cpuMs')];
  const iflops = (side) => [...new Set(p[side].map((r) => (100 * r.refineMeanIflops).toFixed(2)))].join(', ');
  console.log(
    `| ${[
      p.model,
      p.norm,
      `${f1(icpu)} / ${f1(iwall)}`,
      `${f1(fcB)} / ${f1(fcA)}`,
      `${f1(fwB)} / ${f1(fwA)}`,
      `${f1(wcB)} / ${f1(wcA)}`,
      `${pct(fcB / icpu)} / ${pct(fcA / icpu)}`,
      `${pct(fwB / iwall)} / ${pct(fwA / iwall)}`,
      `${pct(wcB / icpu)} / ${pct(wcA / icpu)}`,
      `${iflops('before')} % / ${iflops('after')} %`,
      `${(100 * mean(ilfo.map((i) => i.meanIflops))).toFixed(2)} %`,
      `${p.before.length} / ${p.after.length}, ${ilfo.length}${fresh.length ? ' (fresh)' : ''}`,
      mean(all.map((r) => r.othersCpus)).toFixed(2),
    ].join(' | ')} |`,
  );
}
