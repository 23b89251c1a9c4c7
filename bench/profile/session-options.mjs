// The compiled Eq. 8 step's program at the bench's train28 setting, run under different
// onnxruntime session options, variants alternating run by run: wall and CPU ms per run (medians).
//   VARIANTS=base,par,spin T=2 N=30 node bench/profile/session-options.mjs
// The program and its feeds are those of step 20 of a real trainGenerator run (as prof-program.mjs).
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { loadProduct, randomImages } from '../lib/product.mjs';
import { stepSessionLoader } from './step-session.mjs';

const ROOT = new URL('../..', import.meta.url).pathname;
const T = +(process.env.T ?? 2);
const N = +(process.env.N ?? 30);
const p = await loadProduct(ROOT);
const ort = await p.load('engine/ort/index.js');
const runtime = await p.load('engine/ort/runtime.js');
const { loader, captured } = stepSessionLoader(runtime);
ort.setDefaultInferenceEngine(new ort.InferenceEngine({ threads: T, loader }));
await p.engine.initBackend({ backend: 'wasm', threads: T });
const { network } = await p.adnn.loadAdnn(join(ROOT, 'fixtures', 'models', 'sdn-tiny'));
const shape = [28, 28, 1];
const config = { steps: 30, batchSize: 32, learningRate: 1e-3, alpha: 1, beta: 0.001, gan: true, perfLoss: 'bce', width: 16, validateEvery: 1e9, patience: 1e9, seed: 1 };
const r = await p.generator.trainGenerator({
  network, train: randomImages(128, shape, 11), validation: randomImages(4, shape, 12),
  attack: { norm: 'linf', epsilon: 0.1, tau: 0.5 }, config,
});
r.generator.store.dispose();
network.dispose();

if (process.env.SAVE) {
  // Keep the program and its feeds for program-ab.mjs (A/B of two builds' programs in one process).
  const { writeFileSync } = await import('node:fs');
  writeFileSync(`${process.env.SAVE}.onnx`, captured.value.model);
  const feeds = Object.fromEntries(Object.entries(captured.value.feeds).map(([k, t]) => [k, { dims: t.dims, data: Array.from(t.data) }]));
  writeFileSync(`${process.env.SAVE}.feeds.json`, JSON.stringify(feeds));
  process.exit(0);
}
const ortNode = createRequire(join(ROOT, 'package.json'))('onnxruntime-node');
const base = runtime.nativeSessionOptions({ threads: T });
const spin = (on) => ({ session: { intra_op: { allow_spinning: on ? '1' : '0' }, inter_op: { allow_spinning: on ? '1' : '0' } } });
const ALL = {
  base,
  spin: { ...base, extra: spin(true) },
  // Workers spin while a run lasts (no futex wake per parallel node) and stop at its end.
  spinstop: { ...base, extra: { session: { intra_op: { allow_spinning: '1' }, force_spinning_stop: '1' } } },
  par: { ...base, executionMode: 'parallel', interOpNumThreads: 2, intraOpNumThreads: 1 },
  par2: { ...base, executionMode: 'parallel', interOpNumThreads: 2, intraOpNumThreads: T },
  basic: { ...base, graphOptimizationLevel: 'basic' },
  ext: { ...base, graphOptimizationLevel: 'extended' },
  t1: { ...base, intraOpNumThreads: 1 },
};
const names = (process.env.VARIANTS ?? 'base,spin,par,ext').split(',');
const sessions = [];
for (const n of names) sessions.push([n, await ortNode.InferenceSession.create(captured.value.model, ALL[n])]);
const feeds = Object.fromEntries(sessions[0][1].inputNames.map((n) => [n, new ortNode.Tensor('float32', captured.value.feeds[n].data, captured.value.feeds[n].dims)]));
const rows = Object.fromEntries(names.map((n) => [n, []]));
for (let i = 0; i < N + 3; i++) {
  for (const [n, s] of sessions) {
    const t = performance.now();
    const c = process.cpuUsage();
    await s.run(feeds);
    const u = process.cpuUsage(c);
    if (i >= 3) rows[n].push({ wall: performance.now() - t, cpu: (u.user + u.system) / 1000 });
  }
}
const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
for (const n of names) console.log(`T=${T} ${n.padEnd(6)} wall ${med(rows[n].map((r) => r.wall)).toFixed(1)} (min ${Math.min(...rows[n].map((r) => r.wall)).toFixed(1)}) cpu ${med(rows[n].map((r) => r.cpu)).toFixed(1)} ms`);
