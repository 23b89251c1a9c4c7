// Profile one Eq. 8 training step (trainGenerator, width W, batch 64, sdn-tiny at 32x32x3) on wasm.
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, } from '../../dist/src/engine/index.js';
import { zooEntry } from '../../dist/src/adnn/index.js';
import { trainGenerator } from '../../dist/src/generator/index.js';
await initBackend({ backend: process.env.BK ?? 'wasm', threads: +(process.env.T ?? 2), convEngine: process.env.ENGINE ?? 'tfjs' });
if (process.env.PROFCPU) { const be = tf.backend(); be.time = async (f) => { const c = process.cpuUsage(); f(); const u = process.cpuUsage(c); return { kernelMs: (u.user + u.system) / 1000 }; }; }
const W = +(process.env.W ?? 64);
const B = 64;
const _shape = [32, 32, 3];
const spec = { height: 32, width: 32, channels: 3, range: [0, 1] };
const entry = zooEntry('sdn-tiny');
const network = entry.build(entry.defaultConfig(spec, 10), 1);
const rnd = (n, seed) => { let s = seed; const a = new Float32Array(n * 32 * 32 * 3); for (let i = 0; i < a.length; i++) { s = (s * 1103515245 + 12345) >>> 0; a[i] = s / 2 ** 32; } return { images: a, count: n, labels: new Int32Array(n) }; };
const steps = +(process.env.STEPS ?? 3);
const cfg = { steps, batchSize: B, learningRate: 1e-4, alpha: 1, beta: 0.001, gan: true, perfLoss: 'bce', width: W, validateEvery: 1e9, patience: 1e9, seed: 1 };
const times = [];
let last = performance.now();
const go = async () => {
  last = performance.now();
  const r = await trainGenerator({ network, train: rnd(4 * B, 11), validation: rnd(4, 12), attack: { norm: 'linf', epsilon: 0.1, tau: 0.5 }, config: cfg,
    onProgress: () => { times.push(performance.now() - last); last = performance.now(); } });
  r.generator.store.dispose();
};
await go();
console.log('step ms', times.map((t) => t.toFixed(0)).join(' '));
if (process.env.PROF) {
  times.length = 0;
  cfg.steps = 1;
  const prof = await tf.profile(go);
  const by = new Map();
  for (const k of prof.kernels) { const e = by.get(k.name) ?? { n: 0, ms: 0 }; e.n++; e.ms += k.kernelTimeMs; by.set(k.name, e); }
  const total = [...by.values()].reduce((a, b) => a + b.ms, 0);
  console.log('profiled 1 step (incl. final validation) kernel total ms', total.toFixed(0));
  for (const [k, e] of [...by.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) console.log(k.padEnd(24), String(e.n).padStart(5), e.ms.toFixed(1).padStart(9));
  const bs = new Map();
  for (const k of prof.kernels) { const key = `${k.name} ${JSON.stringify(k.inputShapes)}`; const e = bs.get(key) ?? { n: 0, ms: 0 }; e.n++; e.ms += k.kernelTimeMs; bs.set(key, e); }
  for (const [k, e] of [...bs.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, +(process.env.SHAPES ?? 40))) console.log(e.ms.toFixed(1).padStart(8), String(e.n).padStart(4), k);
}
