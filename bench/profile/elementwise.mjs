// CPU ms per call of wasm elementwise kernels on [64,16,16,64] (1M floats), vs plain JS loops over the heap.
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../dist/src/engine/index.js';
await initBackend({ backend: 'wasm', threads: 1 });
const shape = [64, 16, 16, 64];
const x = tf.randomNormal(shape, 0, 1, 'float32', 1), y = tf.randomNormal(shape, 0, 1, 'float32', 2), c = tf.randomNormal([64], 1, 0.1, 'float32', 3);
const be = tf.backend();
const N = 15;
const cpu = (fn) => { const ts = []; for (let i = 0; i < N; i++) { const s = process.cpuUsage(); const r = fn(); const u = process.cpuUsage(s); if (r?.dispose) r.dispose(); ts.push((u.user + u.system) / 1000); } ts.sort((a, b) => a - b); return ts[N >> 1]; };
const ops = {
  'Multiply same': () => tf.mul(x, y), 'Multiply [C]': () => tf.mul(x, c), 'Add same': () => tf.add(x, y), 'Sub [C]': () => tf.sub(x, c),
  'Relu': () => tf.relu(x), 'LeakyRelu': () => tf.leakyRelu(x, 0.2), 'Greater scalar': () => tf.greater(x, 0), 'Step': () => tf.step(x),
  'Select': () => tf.where(tf.greater(x, 0), x, y), 'Mean [1,2]': () => tf.mean(x, [1, 2], true), 'Sum [0,1,2]': () => tf.sum(x, [0, 1, 2]),
  'FusedBatchNorm': () => tf.batchNorm(x, c, c, c, c, 1e-5), 'MirrorPad': () => tf.mirrorPad(x, [[0, 0], [1, 1], [1, 1], [0, 0]], 'reflect'),
  'Slice inner': () => tf.slice(x, [0, 1, 1, 0], [64, 14, 14, 64]), 'Transpose': () => tf.transpose(x, [0, 3, 1, 2]), 'Tanh': () => tf.tanh(x), 'Square': () => tf.square(x),
};
for (const [k, f] of Object.entries(ops)) console.log(k.padEnd(16), cpu(f).toFixed(2));
const jsMul = () => { const a = be.typedArrayFromHeap(x), b = be.typedArrayFromHeap(y); const out = be.makeOutput(shape, 'float32'); const o = be.typedArrayFromHeap(out); for (let i = 0; i < o.length; i++) o[i] = a[i] * b[i]; be.disposeData(out.dataId); };
const jsMulC = () => { const a = be.typedArrayFromHeap(x), b = be.typedArrayFromHeap(c); const out = be.makeOutput(shape, 'float32'); const o = be.typedArrayFromHeap(out); const C = b.length; for (let i = 0; i < o.length; i += C) for (let j = 0; j < C; j++) o[i + j] = a[i + j] * b[j]; be.disposeData(out.dataId); };
const jsMean12 = () => { const a = be.typedArrayFromHeap(x); const [B, H, W, C] = shape; const out = new Float32Array(B * C); for (let b = 0; b < B; b++) { const acc = new Float64Array(C); for (let r = 0; r < H * W; r++) { const base = (b * H * W + r) * C; for (let j = 0; j < C; j++) acc[j] += a[base + j]; } for (let j = 0; j < C; j++) out[b * C + j] = acc[j] / (H * W); } };
console.log('JS mul same', cpu(jsMul).toFixed(2), 'JS mul [C]', cpu(jsMulC).toFixed(2), 'JS mean [1,2]', cpu(jsMean12).toFixed(2));
const ones = tf.ones([1, 64 * 16 * 16]);
const x2 = tf.reshape(x, [64 * 16 * 16, 64]);
const onesB = tf.ones([64, 1, 256]);
const x3 = tf.reshape(x, [64, 256, 64]);
console.log('matMul sum[0,1,2]', cpu(() => tf.matMul(ones, x2)).toFixed(2), 'batchMatMul mean[1,2]', cpu(() => tf.matMul(onesB, x3)).toFixed(2));
console.log('Maximum', cpu(() => tf.maximum(x, y)).toFixed(2), 'Prelu', cpu(() => tf.prelu(x, tf.scalar(0.2))).toFixed(2), 'Step alpha', cpu(() => tf.step(x, 0.2)).toFixed(2), 'Cast f32', cpu(() => tf.cast(x, 'float32')).toFixed(2));
const m = tf.greater(x, 0);
console.log('Select only', cpu(() => tf.where(m, x, y)).toFixed(2), 'Sigmoid', cpu(() => tf.sigmoid(x)).toFixed(2), 'Exp', cpu(() => tf.exp(x)).toFixed(2), 'Abs', cpu(() => tf.abs(x)).toFixed(2), 'Sqrt', cpu(() => tf.sqrt(tf.abs(x))).toFixed(2), 'RealDiv', cpu(() => tf.div(x, y)).toFixed(2), 'ClipByValue', cpu(() => tf.clipByValue(x, -0.5, 0.5)).toFixed(2));
