// A/B of saved programs in one process: each a model and its feeds saved by
//   SAVE=/tmp/x node bench/profile/session-options.mjs   (in each build's tree)
// then, alternating run by run (load hits every variant alike):
//   T=1 N=40 node bench/profile/program-ab.mjs /tmp/base /tmp/new ...
// A variant may name session options after '@': /tmp/base@t1 (one intra-op thread), @spin (workers spin
// while a run lasts and stop at its end), @par (parallel executor, two inter-op threads).
// Prints per variant the median wall and CPU ms of a run and the CPU ratio to the first.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { loadProduct } from '../lib/product.mjs';

const ROOT = new URL('../..', import.meta.url).pathname;
const T = +(process.env.T ?? 1);
const N = +(process.env.N ?? 40);
const p = await loadProduct(ROOT);
const runtime = await p.load('engine/ort/runtime.js');
const ort = createRequire(join(ROOT, 'package.json'))('onnxruntime-node');
const base = runtime.nativeSessionOptions({ threads: T });
const OPTIONS = {
  '': base,
  t1: { ...base, intraOpNumThreads: 1 },
  spin: { ...base, extra: { session: { intra_op: { allow_spinning: '1' }, force_spinning_stop: '1' } } },
  par: { ...base, executionMode: 'parallel', interOpNumThreads: 2 },
};
const variants = [];
for (const arg of process.argv.slice(2)) {
  const [prefix, opt = ''] = arg.split('@');
  const session = await ort.InferenceSession.create(readFileSync(`${prefix}.onnx`), OPTIONS[opt]);
  const saved = JSON.parse(readFileSync(`${prefix}.feeds.json`, 'utf8'));
  const feeds = Object.fromEntries(session.inputNames.map((n) => [n, new ort.Tensor('float32', Float32Array.from(saved[n].data), saved[n].dims)]));
  variants.push({ prefix: arg, session, feeds, rows: [] });
}
for (let i = 0; i < N + 3; i++) {
  for (const v of variants) {
    const t = performance.now();
    const c = process.cpuUsage();
    await v.session.run(v.feeds);
    const u = process.cpuUsage(c);
    if (i >= 3) v.rows.push({ wall: performance.now() - t, cpu: (u.user + u.system) / 1000 });
  }
}
const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const cpu0 = med(variants[0].rows.map((r) => r.cpu));
const wall0 = med(variants[0].rows.map((r) => r.wall));
for (const v of variants) {
  const cpu = med(v.rows.map((r) => r.cpu));
  const wall = med(v.rows.map((r) => r.wall));
  console.log(`T=${T} ${v.prefix}: ${v.session.inputNames.length} inputs; wall ${wall.toFixed(1)} cpu ${cpu.toFixed(1)} ms (medians of ${N}); / first: wall ${(wall / wall0).toFixed(3)} cpu ${(cpu / cpu0).toFixed(3)}`);
}
