// Profile: tf.grad of sum(soft(x).p) wrt x for ResNet-56 SDN, batch 64, wasm.
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, } from '../../dist/src/engine/index.js';
import { zooEntry } from '../../dist/src/adnn/index.js';
await initBackend({ backend: process.env.BK ?? 'wasm', threads: +(process.env.T ?? 2), convEngine: process.env.ENGINE ?? 'tfjs' });
if (process.env.PROFCPU) { const be = tf.backend(); be.time = async (f) => { const c = process.cpuUsage(); f(); const u = process.cpuUsage(c); return { kernelMs: (u.user + u.system) / 1000 }; }; }
const entry = zooEntry('sdn-resnet56');
const net = entry.build(entry.defaultConfig(), 1);
const B = +(process.env.B ?? 64);
const x = tf.randomUniform([B, 32, 32, 3], 0, 1, 'float32', 3);
const gradOfP = tf.grad((input) => tf.sum(net.soft(input).p));
const run = () => { const g = tf.tidy(() => gradOfP(x)); g.dataSync(); g.dispose(); };
const time = (fn) => { const c = process.cpuUsage(); const t = performance.now(); fn(); const u = process.cpuUsage(c); if (process.env.CPU) return (u.user + u.system) / 1000; return performance.now() - t; };
run();
const ts = [];
for (let i = 0; i < +(process.env.N ?? 3); i++) ts.push(time(run));
console.log('inputgrad ms', ts.map((t) => t.toFixed(0)).join(' '));
const fwd = () => { const p = tf.tidy(() => net.soft(x).p); p.dataSync(); p.dispose(); };
fwd();
console.log('fwd ms', [time(fwd), time(fwd)].map((t) => t.toFixed(0)).join(' '));
const prof = await tf.profile(run);
const by = new Map();
for (const k of prof.kernels) {
  const key = k.name;
  const e = by.get(key) ?? { n: 0, ms: 0 };
  e.n++; e.ms += k.kernelTimeMs; by.set(key, e);
}
const total = [...by.values()].reduce((a, b) => a + b.ms, 0);
console.log('profiled kernel total ms', total.toFixed(0));
for (const [k, e] of [...by.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) console.log(k.padEnd(24), String(e.n).padStart(5), e.ms.toFixed(1).padStart(9));
if (process.env.SHAPES) {
  const bs = new Map();
  for (const k of prof.kernels) {
    const key = `${k.name} ${JSON.stringify(k.inputShapes)}`;
    const e = bs.get(key) ?? { n: 0, ms: 0 }; e.n++; e.ms += k.kernelTimeMs; bs.set(key, e);
  }
  for (const [k, e] of [...bs.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, +process.env.SHAPES)) console.log(e.ms.toFixed(1).padStart(8), String(e.n).padStart(4), k);
}
