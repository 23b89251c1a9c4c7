import * as tf from '@tensorflow/tfjs-core';
await import('@tensorflow/tfjs-backend-wasm');
const own = tf.getKernel('Sum', 'wasm');
const { initBackend } = await import('../../dist/src/engine/index.js');
await initBackend({ backend: 'wasm', threads: 1 });
tf.unregisterKernel('Sum', 'wasm'); tf.registerKernel(own);
const be = tf.backend();
const N = 31;
const cpu = (fn) => { const ts = []; for (let i = 0; i < N; i++) { const s = process.cpuUsage(); const r = tf.tidy(fn); if (r.size < 100000) r.dataSync(); const u = process.cpuUsage(s); r.dispose(); ts.push((u.user + u.system) / 1000); } ts.sort((a, b) => a - b); return ts[N >> 1].toFixed(2); };
for (const shape of [[64, 6, 6, 512], [64, 16, 16, 64], [64, 30, 30, 64]]) {
  const base = tf.randomNormal(shape, 0, 1, 'float32', 1);
  const [b, h, w, c] = shape; const r = b * h * w;
  const fresh = () => tf.add(base, 0);
  const onesRow = tf.ones([1, 1, r]), onesCol = tf.ones([1, r, 1]);
  const js = (x) => { const v = be.typedArrayFromHeap(x); const acc = new Float64Array(c); for (let i = 0; i < r; i++) { const o = i * c; for (let j = 0; j < c; j++) acc[j] += v[o + j]; } return tf.tensor1d(Float32Array.from(acc)); };
  const js32 = (x) => { const v = be.typedArrayFromHeap(x); const acc = new Float32Array(c); for (let i = 0; i < r; i++) { const o = i * c; for (let j = 0; j < c; j++) acc[j] += v[o + j]; } return tf.tensor1d(acc); };
  console.log(JSON.stringify(shape), 'fresh only', cpu(fresh), 'own', cpu(() => tf.sum(fresh(), [0, 1, 2])), 'mm ones.x', cpu(() => tf.matMul(onesRow, tf.reshape(fresh(), [1, r, c]))),
    'mm x^T.ones', cpu(() => tf.matMul(tf.reshape(fresh(), [1, r, c]), onesCol, true, false)), 'js f64', cpu(() => js(fresh())), 'js f32', cpu(() => js32(fresh())));
}
