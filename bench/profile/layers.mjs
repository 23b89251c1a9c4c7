// Per layer shape and kernel: tfjs-wasm vs onnxruntime, alternating; CPU ms (T=1) or wall ms (T=2).
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, convAccelerator } from '../../dist/src/engine/index.js';
const T = +(process.env.T ?? 1);
await initBackend({ backend: 'wasm', threads: T, convEngine: 'tfjs' });
const B = 64;
// [name, H, W, Cin, Cout, k, stride, pad]
const all = [
  ['r56 16', 32, 32, 16, 16, 3, 1, 'same'], ['r56 32', 16, 16, 32, 32, 3, 1, 'same'], ['r56 64', 8, 8, 64, 64, 3, 1, 'same'],
  ['r56 16->32 s2', 32, 32, 16, 32, 3, 2, 'same'], ['r56 32->64 s2', 16, 16, 32, 64, 3, 2, 'same'],
  ['g enc0', 32, 32, 3, 64, 3, 1, 'valid'], ['g enc1', 30, 30, 64, 128, 3, 2, 'valid'], ['g enc2', 14, 14, 128, 256, 3, 2, 'valid'],
  ['g res 256->512', 8, 8, 256, 512, 3, 1, 'valid'], ['g res 512', 8, 8, 512, 512, 3, 1, 'valid'], ['g res 512->256', 8, 8, 512, 256, 3, 1, 'valid'], ['g res 256', 8, 8, 256, 256, 3, 1, 'valid'],
  ['g sc 256->512', 6, 6, 256, 512, 1, 1, 'valid'], ['g sc 512->256', 6, 6, 512, 256, 1, 1, 'valid'],
  ['g dec0', 13, 13, 128, 256, 3, 2, 'valid'], ['g dec1', 27, 27, 64, 128, 3, 2, 'valid'], ['g dec2', 32, 32, 3, 64, 6, 1, 'valid'],
  ['d conv1', 16, 16, 8, 16, 4, 2, 1], ['d conv2', 8, 8, 16, 32, 4, 2, 1],
];
const only = process.env.ONLY ? new RegExp(process.env.ONLY) : null;
const layers = all.filter((l) => !only || only.test(l[0]));
const N = +(process.env.N ?? 5);
const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const measure = (fn) => { const c = process.cpuUsage(); const t = performance.now(); const r = fn(); r.dataSync(); const u = process.cpuUsage(c); const w = performance.now() - t; r.dispose(); return T === 1 ? (u.user + u.system) / 1000 : w; };
console.log(`${T === 1 ? 'CPU' : 'wall'} ms, T=${T}, batch ${B}, median of ${N}; columns: fwd tfjs/ort, inputGrad tfjs/ort, filterGrad tfjs/ort`);
for (const [name, h, w, ci, co, k, s, pad] of layers) {
  const x = tf.randomUniform([B, h, w, ci], -1, 1, 'float32', 1), f = tf.randomUniform([k, k, ci, co], -0.1, 0.1, 'float32', 2);
  const p = typeof pad === 'number' ? [[0, 0], [pad, pad], [pad, pad], [0, 0]] : pad;
  const y0 = tf.conv2d(x, f, s, p);
  const dy = tf.randomUniform(y0.shape, -1, 1, 'float32', 3);
  const attrs = { strides: s, pad: p, dataFormat: 'NHWC' };
  const kinds = {
    fwd: () => tf.conv2d(x, f, s, p),
    bpi: () => tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: f }, { ...attrs, inputShape: x.shape }),
    bpf: () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { ...attrs, filterShape: f.shape }),
  };
  const row = [];
  for (const fn of Object.values(kinds)) {
    const r = { tfjs: [], ort: [] };
    for (const e of ['tfjs', 'ort']) { convAccelerator.configure({ engine: e }); measure(fn); }
    for (let i = 0; i < N; i++) for (const e of ['tfjs', 'ort']) { convAccelerator.configure({ engine: e }); r[e].push(measure(fn)); }
    row.push(`${med(r.tfjs).toFixed(1).padStart(7)} ${med(r.ort).toFixed(1).padStart(7)}`);
  }
  const gflop = (2 * y0.size * k * k * ci) / 1e9;
  console.log(name.padEnd(16), gflop.toFixed(2).padStart(6), 'GF |', row.join(' |'));
  tf.dispose([x, f, y0, dy]);
}
