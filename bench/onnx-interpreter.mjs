#!/usr/bin/env node
/**
 * What interpreting an exported graph costs against the zoo's own tfjs code:
 * the zoo's sdn-tiny and the same model exported to ONNX by its PyTorch twin
 * (fixtures/onnx/export_sdn_tiny.py, needs $DEEPPERFORM_PYTHON, default /usr/bin/python3.11, with torch),
 * timed as the generator's training signal uses them: the soft pass with its
 * input gradient, batch 32, on the wasm backend. CPU time of this process
 * (process.cpuUsage), alternating zoo and ONNX rounds; median per round.
 *
 *   npm run build && node bench/onnx-interpreter.mjs [--rounds=7] [--steps=10]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PYTHON } from '../test/helpers/python.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const arg = (name, fallback) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);
const rounds = arg('rounds', 7);
const steps = arg('steps', 10);

const file = join(mkdtempSync(join(tmpdir(), 'onnx-bench-')), 'sdn-tiny.onnx');
const exported = spawnSync(PYTHON, [join(root, 'fixtures/onnx/export_sdn_tiny.py'), join(root, 'fixtures/models/sdn-tiny'), file], {
  encoding: 'utf8',
  env: { ...process.env, OPENBLAS_NUM_THREADS: '1' },
});
if (exported.status !== 0) throw new Error(`export failed: ${exported.stderr}`);

const tf = await import('@tensorflow/tfjs-core');
const { initBackend } = await import(join(root, 'dist/src/engine/index.js'));
const { loadAdnn, loadOnnxAdnn } = await import(join(root, 'dist/src/adnn/index.js'));
const info = await initBackend({ backend: 'wasm', threads: 1 });
const zoo = (await loadAdnn(join(root, 'fixtures/models/sdn-tiny'))).network;
const onnx = loadOnnxAdnn({ file, structure: { kind: 'early-exit', exits: ['exit0', 'exit1', 'exit2', 'exit3'] }, input: { layout: 'NCHW' } });
const x = tf.randomUniform([32, 28, 28, 1], 0, 1, 'float32', 1);

function cpuMsPerStep(net) {
  const start = process.cpuUsage();
  for (let i = 0; i < steps; i++) {
    const g = tf.grad((y) => tf.sum(net.soft(y).p))(x);
    g.dataSync();
    g.dispose();
  }
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / steps;
}

cpuMsPerStep(zoo);
cpuMsPerStep(onnx);
const times = { zoo: [], onnx: [] };
for (let r = 0; r < rounds; r++) {
  times.zoo.push(cpuMsPerStep(zoo));
  times.onnx.push(cpuMsPerStep(onnx));
}
const median = (a) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)];
const ratios = times.onnx.map((t, i) => t / times.zoo[i]);
console.log(JSON.stringify({
  backend: info.name,
  batch: 32,
  steps,
  rounds,
  zooCpuMsPerStep: median(times.zoo),
  onnxCpuMsPerStep: median(times.onnx),
  medianRatio: median(ratios),
}, null, 1));
