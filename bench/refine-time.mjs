#!/usr/bin/env node
/**
 * deepperform-refine's time per input against ILFO's (300 Adam iterations),
 * one eval model and norm per process, for A/B runs of two builds in
 * alternating processes. Seeds: 100 of the embedded Fashion-MNIST test split
 * (seed 2022); refine starts from seed + 0.05 sin(i) (inside both balls) so no
 * generator is needed. Refine runs twice: the first call compiles its program
 * (trace + onnxruntime sessions), the second reuses it, so their difference is
 * the compile cost. Prints one JSON line: CPU ms per input (process.cpuUsage:
 * every thread of the process) and wall ms per input per call, refine's mean
 * I-FLOPs by the real execution, and how busy other processes kept the CPUs.
 * --ilfo runs ILFO after refine in the same process (its compile counted, not
 * the process's first use of onnxruntime and the worker threads); --ilfo=first
 * runs ILFO alone as the first call of this fresh process, exactly as refine's
 * first call is timed. --seeds=N (default 100, at most the split's 1,000).
 * --as-run first runs the model's real execution on the seeds, untimed, as
 * `deepperform run` does before any method (src/runner/run-suite.ts): that
 * loads onnxruntime and opens the model's stage sessions, which otherwise
 * the first timed call pays (refine's, whose costliest iterate is settled
 * by the real execution; ILFO never runs it).
 *
 *   npm run build && nice -n 10 node bench/refine-time.mjs --model=sdn-tiny --norm=linf [--ilfo[=first]] [--seeds=100] [--as-run] [--dist=<root with dist/>]
 */
import { join } from 'node:path';
import { cpuSnapshot, othersCpus } from './lib/machine.mjs';

const arg = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const root = arg('dist', new URL('..', import.meta.url).pathname);
const load = (m) => import(join(root, 'dist/src', m, 'index.js'));
const { initBackend } = await load('engine');
const { loadAdnn, runBatched } = await load('adnn');
const { loadDataset, takeSeeded } = await load('data');
const { ilfo, refine } = await load('baselines');

await initBackend({ backend: 'wasm' });
const model = arg('model', 'sdn-tiny');
const norm = arg('norm', 'linf');
const { network } = await loadAdnn(join(new URL('..', import.meta.url).pathname, 'eval/models', model));
const ds = takeSeeded(await loadDataset({ name: 'fashion-mnist-embedded', split: 'test' }), Number(arg('seeds', '100')), 2022);
const seeds = { images: ds.images, count: ds.count };
const attack = { norm, epsilon: norm === 'linf' ? 0.1 : 2, tau: 0.5 };
const start = { images: Float32Array.from(ds.images, (v, i) => Math.min(1, Math.max(0, v + 0.05 * Math.sin(i)))), count: ds.count, msPerInput: 0 };

const before = cpuSnapshot();
function time(f) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const out = f();
  const c = process.cpuUsage(c0);
  return { out, cpuMs: (c.user + c.system) / 1000 / seeds.count, wallMs: (performance.now() - t0) / seeds.count };
}
const meanIflops = (images) => {
  const { flops } = runBatched(network, { images, count: seeds.count }, attack.tau);
  const base = runBatched(network, seeds, attack.tau).flops;
  // Eq. 9 per input, averaged.
  let s = 0;
  for (let i = 0; i < flops.length; i++) s += (flops[i] - base[i]) / base[i];
  return s / flops.length;
};
const row = { model, norm, seeds: seeds.count, dist: root, asRun: process.argv.includes('--as-run') };
if (row.asRun) runBatched(network, seeds, attack.tau);
if (process.argv.includes('--ilfo=first')) {
  const r = time(() => ilfo(network, seeds, attack, 0, {}));
  row.ilfoFirst = { cpuMs: r.cpuMs, wallMs: r.wallMs, meanIflops: meanIflops(r.out.images) };
} else {
  const first = time(() => refine(network, seeds, start, attack, {}));
  const second = time(() => refine(network, seeds, start, attack, {}));
  Object.assign(row, {
    refineFirst: { cpuMs: first.cpuMs, wallMs: first.wallMs },
    refineWarm: { cpuMs: second.cpuMs, wallMs: second.wallMs },
    refineMeanIflops: meanIflops(second.out.images),
    sameAsFirst: second.out.images.every((v, i) => v === first.out.images[i]),
  });
}
if (process.argv.includes('--ilfo')) {
  const r = time(() => ilfo(network, seeds, attack, 0, {}));
  row.ilfo = { cpuMs: r.cpuMs, wallMs: r.wallMs, meanIflops: meanIflops(r.out.images) };
}
row.othersCpus = othersCpus(before, cpuSnapshot());
console.log(JSON.stringify(row));
