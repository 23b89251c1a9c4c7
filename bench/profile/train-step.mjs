// Times Eq. 8 training steps through trainGenerator (the built package), sdn-tiny, any shape/width/batch.
// SHAPE=28x28x1 W=16 B=32 LR=1e-3 STEPS=20 T=2 [ENGINE=auto|tfjs|ort] [PROFCPU=1 PROF=1] node bench/profile/train-step.mjs
// Prints per-step wall ms and CPU ms (user + system of the process, all threads); medians over steps 5..STEPS-1.
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../dist/src/engine/index.js';
import { zooEntry } from '../../dist/src/adnn/index.js';
import { trainGenerator } from '../../dist/src/generator/index.js';
import { InferenceEngine, setDefaultInferenceEngine } from '../../dist/src/engine/ort/index.js';
const T = +(process.env.T ?? 2);
await initBackend({ backend: process.env.BK ?? 'wasm', threads: T, convEngine: process.env.ENGINE ?? 'auto' });
setDefaultInferenceEngine(new InferenceEngine({ threads: T }));
if (process.env.PROFCPU) { const be = tf.backend(); be.time = async (f) => { const c = process.cpuUsage(); f(); const u = process.cpuUsage(c); return { kernelMs: (u.user + u.system) / 1000 }; }; }
const [H, Wd, C] = (process.env.SHAPE ?? '28x28x1').split('x').map(Number);
const W = +(process.env.W ?? 16);
const B = +(process.env.B ?? 32);
const spec = { height: H, width: Wd, channels: C, range: [0, 1] };
const entry = zooEntry(process.env.MODEL ?? 'sdn-tiny');
const network = entry.build(entry.defaultConfig(spec, 10), 1);
const rnd = (n, seed) => { let s = seed; const a = new Float32Array(n * H * Wd * C); for (let i = 0; i < a.length; i++) { s = (s * 1103515245 + 12345) >>> 0; a[i] = s / 2 ** 32; } return { images: a, count: n, labels: new Int32Array(n) }; };
const steps = +(process.env.STEPS ?? 20);
const cfg = { steps, batchSize: B, learningRate: +(process.env.LR ?? 1e-3), alpha: 1, beta: 0.001, gan: process.env.GAN !== '0', perfLoss: 'bce', width: W, validateEvery: 1e9, patience: 1e9, seed: 1 };
const wall = [], cpu = [], faults = [];
let lastFaults = process.resourceUsage().minorPageFault;
let last = performance.now(), lastCpu = process.cpuUsage();
const go = async () => {
  last = performance.now(); lastCpu = process.cpuUsage(); lastFaults = process.resourceUsage().minorPageFault;
  const r = await trainGenerator({ network, train: rnd(4 * B, 11), validation: rnd(4, 12), attack: { norm: 'linf', epsilon: 0.1, tau: 0.5 }, config: cfg,
    onProgress: () => { const u = process.cpuUsage(lastCpu); wall.push(performance.now() - last); cpu.push((u.user + u.system) / 1000); const f = process.resourceUsage().minorPageFault; faults.push(f - lastFaults); lastFaults = f; last = performance.now(); lastCpu = process.cpuUsage(); } });
  r.generator.store.dispose();
  return r;
};
const r = await go();
const med = (a) => { const s = [...a].sort((x, y) => x - y); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const timed = (a) => a.slice(4, -1);
console.log(`shape ${H}x${Wd}x${C} width ${W} batch ${B} T=${T}: step wall ms`, wall.map((t) => t.toFixed(0)).join(' '));
console.log(`first step wall ${wall[0].toFixed(0)} ms, cpu ${cpu[0].toFixed(0)} ms; median wall ${med(timed(wall)).toFixed(1)} ms, cpu ${med(timed(cpu)).toFixed(1)} ms, minor page faults ${med(timed(faults))}; final losses ${JSON.stringify(r.finalLosses)}`);
if (process.env.PROF) {
  cfg.steps = 1;
  const prof = await tf.profile(go);
  const by = new Map();
  for (const k of prof.kernels) { const e = by.get(k.name) ?? { n: 0, ms: 0 }; e.n++; e.ms += k.kernelTimeMs; by.set(k.name, e); }
  const total = [...by.values()].reduce((a, b) => a + b.ms, 0);
  console.log(`profiled 1 step (incl. final validation): ${prof.kernels.length} kernel calls, kernel total ms ${total.toFixed(0)}`);
  for (const [k, e] of [...by.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 30)) console.log(k.padEnd(24), String(e.n).padStart(5), e.ms.toFixed(1).padStart(9));
}
