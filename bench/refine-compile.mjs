#!/usr/bin/env node
/**
 * Where the first call of deepperform-refine spends its CPU time beyond a warm
 * call, on one eval model (100 seeds of the embedded test split, seed 2022,
 * Linf 0.1, tau 0.5, refine's defaults from seed + 0.05 sin(i)): building the
 * split program (the trace and its lowering, then the onnxruntime sessions,
 * here and on the worker thread), and the rest of the first call (the
 * sessions' first runs). The real execution's stages are compiled before, so
 * they are not counted. CPU ms of the whole process (every thread).
 *
 *   npm run build && nice -n 10 node bench/refine-compile.mjs --model=ranet-tiny
 */
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const load = (m) => import(join(root, 'dist/src', m, 'index.js'));
const { initBackend } = await load('engine');
const ort = await load('engine/ort');
const { loadAdnn, runBatched } = await load('adnn');
const { loadDataset, takeSeeded } = await load('data');
const { refine } = await load('baselines');

const cpu = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};
const sessions = { ms: 0 };
const loader = () => {
  const rt = ort.loadOnnxruntimeNode();
  const timed = (f) => (...a) => {
    const c = cpu();
    try {
      return f(...a);
    } finally {
      sessions.ms += cpu() - c;
    }
  };
  return {
    ...rt,
    createSession: timed(rt.createSession),
    loadRemote: rt.loadRemote && ((...a) => {
      const r = timed(rt.loadRemote)(...a);
      return { ...r, finish: timed(r.finish) };
    }),
  };
};
ort.setDefaultInferenceEngine(new ort.InferenceEngine({ loader }));
const builds = [];
const build = ort.InferenceEngine.prototype.build;
ort.InferenceEngine.prototype.build = function (owner, key, ...rest) {
  const c = cpu();
  sessions.ms = 0;
  const out = build.call(this, owner, key, ...rest);
  if (key.includes('program')) builds.push({ key, cpuMs: cpu() - c, sessionsCpuMs: sessions.ms });
  return out;
};

await initBackend({ backend: 'wasm' });
const model = process.argv.find((a) => a.startsWith('--model='))?.slice(8) ?? 'ranet-tiny';
const { network } = await loadAdnn(join(root, 'eval/models', model));
const ds = takeSeeded(await loadDataset({ name: 'fashion-mnist-embedded', split: 'test' }), 100, 2022);
const seeds = { images: ds.images, count: ds.count };
runBatched(network, seeds, 0.5);
const start = { images: Float32Array.from(ds.images, (v, i) => Math.min(1, Math.max(0, v + 0.05 * Math.sin(i)))), count: ds.count, msPerInput: 0 };
const call = () => {
  const c = cpu();
  refine(network, seeds, start, { norm: 'linf', epsilon: 0.1, tau: 0.5 }, {});
  return cpu() - c;
};
const first = call();
const warm = call();
const b = builds[0];
console.log(
  JSON.stringify({
    model,
    program: b.key,
    firstCallCpuMs: Math.round(first),
    warmCallCpuMs: Math.round(warm),
    buildCpuMs: Math.round(b.cpuMs),
    traceAndLowerCpuMs: Math.round(b.cpuMs - b.sessionsCpuMs),
    sessionsCpuMs: Math.round(b.sessionsCpuMs),
    restOfFirstCallCpuMs: Math.round(first - warm - b.cpuMs),
  }),
);
