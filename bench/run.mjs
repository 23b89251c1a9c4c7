#!/usr/bin/env node
/**
 * `npm run bench`: times deepperform's hot paths beside their PyTorch twins
 * (bench/torch, run alternately in the same run), and writes
 * bench/results/latest.json and latest.md. See bench/README.md for the keys.
 *
 *   npm run bench                       # build, then the full bench (~15 min on 2 cores)
 *   node bench/run.mjs --quick          # smoke test: small generator, few repeats -> bench/results/quick.json
 *   node bench/run.mjs [--out=path.json] [--threads=2] [--python=/usr/bin/python3.11; default $DEEPPERFORM_PYTHON, else that] [--no-torch]
 *                      [--skip=gen,adnn,train,train28,ilfo,instr,epoch,default-run] [--backend=wasm]
 *                      [--wait-idle[=seconds]] [--allow-reference-blas]
 *
 * The PyTorch peer must compute with an optimised BLAS (bench/lib/peer.mjs):
 * on the netlib reference BLAS the bench exits 2, or with
 * --allow-reference-blas records every torch ratio as null (not comparable).
 *
 * --wait-idle waits (default up to 600 s) until other processes use under 0.3
 * CPU over 10 s before starting: other processes on a 2-core machine distort
 * both sides, PyTorch's two OpenMP threads most.
 */
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchAdnn } from './lib/adnn-bench.mjs';
import { benchIlfo, benchInstrumentation, loadSdnTinySetting } from './lib/baselines-bench.mjs';
import { benchDefaultRun } from './lib/default-run.mjs';
import { benchEpoch } from './lib/epoch-bench.mjs';
import { benchGeneratorForward, benchTrainLight28, benchTrainStep } from './lib/generator-bench.mjs';
import { cpuSnapshot, othersCpus, ownMappedLibraries } from './lib/machine.mjs';
import { blasLibraries, classifyBlas, notComparableNote, peerDetails, REFERENCE_BLAS_FIX, torchBlasSummary } from './lib/peer.mjs';
import { loadProduct, onnxRuntimeLoaded } from './lib/product.mjs';
import { finalize, renderMarkdown, renderTable, shapeProblems, writeAtomic } from './lib/results.mjs';
import { settingsFor } from './lib/settings.mjs';
import { TorchClient } from './lib/torch-client.mjs';
import { PYTHON } from '../test/helpers/python.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function arg(name) {
  const hit = process.argv.find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (hit === undefined) return undefined;
  return hit.includes('=') ? hit.slice(hit.indexOf('=') + 1) : true;
}

const quick = arg('quick') === true;
const s = settingsFor(quick, Number(arg('threads') ?? Math.min(2, availableParallelism())));
const skip = new Set(String(arg('skip') ?? '').split(',').filter(Boolean));
const out = resolve(String(arg('out') ?? join(ROOT, 'bench', 'results', quick ? 'quick.json' : 'latest.json')));
const log = (msg) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

const values = {};
const notes = {};
const details = { settings: s };

/** Runs one section; a failure nulls its keys with the error as the note. */
async function section(name, keys, fn) {
  if (skip.has(name)) {
    for (const k of keys) notes[k] = `skipped (--skip=${name})`;
    return;
  }
  log(`${name} ...`);
  const started = performance.now();
  try {
    const r = await fn();
    Object.assign(values, r.values);
    for (const [k, n] of Object.entries(r.notes ?? {})) notes[k] = n;
    details[name] = r.details;
  } catch (e) {
    log(`${name} failed: ${e.stack ?? e}`);
    for (const k of keys) notes[k] = `${name} failed: ${e.message ?? e}`;
  }
  log(`${name} done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

function startTorch() {
  if (arg('no-torch') === true) return { client: undefined, reason: 'PyTorch side disabled (--no-torch)' };
  try {
    const client = new TorchClient({ python: String(arg('python') ?? PYTHON), threads: s.threads });
    log(`PyTorch ${client.version}, ${client.threads} threads`);
    return { client, reason: undefined };
  } catch (e) {
    return { client: undefined, reason: `PyTorch unavailable: ${e.message} (the bench installs nothing; Debian: apt-get install python3-torch)` };
  }
}

/** Waits until other processes use under 0.3 CPU over a 10 s window (or the limit passes). */
async function waitIdle(limitS) {
  const until = Date.now() + limitS * 1000;
  while (Date.now() < until) {
    const a = cpuSnapshot();
    await new Promise((r) => setTimeout(r, 10_000));
    const busy = othersCpus(a, cpuSnapshot());
    if (busy === null || busy < 0.3) return;
    log(`other processes use ${busy.toFixed(2)} CPUs: waiting for a quieter machine`);
  }
}

/**
 * Gives the product's process-wide inference engine the same thread budget as
 * PyTorch, through the product's own engine API when this build has one.
 */
async function configureInferenceEngine(p) {
  let api = p.engine;
  if (typeof api.setDefaultInferenceEngine !== 'function') {
    try {
      api = await p.load('engine/ort/index.js');
    } catch {
      return 'tfjs only (no inference engine in this build)';
    }
  }
  const { InferenceEngine, setDefaultInferenceEngine } = api;
  if (typeof InferenceEngine !== 'function' || typeof setDefaultInferenceEngine !== 'function') return 'no configurable inference engine in this build';
  try {
    setDefaultInferenceEngine(new InferenceEngine({ threads: s.threads }));
    return `product default engine replaced by InferenceEngine({ threads: ${s.threads} }) (choice from DEEPPERFORM_ENGINE, else auto)`;
  } catch (e) {
    return `could not configure the inference engine: ${e.message}`;
  }
}

/**
 * The peer check: which BLAS the PyTorch process mapped and its
 * thread settings go into details.peer and torch_blas. On a reference BLAS
 * the bench stops with exit 2 before timing anything, unless
 * --allow-reference-blas, which keeps the times but nulls every ratio.
 */
function checkPeer(torch) {
  if (!torch.client) {
    notes.torch_blas = torch.reason;
    return undefined;
  }
  const peer = torch.client.peer;
  const blas = classifyBlas(peer);
  details.peer = { torch: peerDetails(peer, blas, torch.client.openblasThreadsSetBy) };
  values.torch_blas = torchBlasSummary(peer, blas);
  log(`PyTorch BLAS: ${values.torch_blas}`);
  if (blas.optimised) return undefined;
  if (arg('allow-reference-blas') !== true) {
    process.stderr.write(
      `bench: refusing to compare with a handicapped peer: ${blas.reason}.\n` +
        `  fix: ${REFERENCE_BLAS_FIX}\n` +
        '  or:  --allow-reference-blas (the torch ratios are then null, not comparable), or --no-torch\n',
    );
    torch.client.close();
    process.exit(2);
  }
  notes.torch_blas = `--allow-reference-blas: ${blas.reason}; every torch ratio is null`;
  return notComparableNote(blas);
}

const torch = startTorch();
const torchNotComparable = checkPeer(torch);
if (arg('wait-idle') !== undefined) await waitIdle(arg('wait-idle') === true ? 600 : Number(arg('wait-idle')));
const loadAtStart = loadavg();
const p = await loadProduct(ROOT);
details.inference_engine = await configureInferenceEngine(p);
const info = await p.engine.initBackend({ backend: arg('backend') === undefined ? undefined : String(arg('backend')), threads: s.threads });
log(`tfjs backend ${info.name} (${info.threads ?? '?'} threads)${quick ? ', quick mode' : ''}`);
const torchCpuAtStart = torch.client?.cpuSeconds() ?? 0;
const timingStart = cpuSnapshot();

await section('gen', ['gen_fwd_ms_per_input_32x32x3', 'gen_fwd_ms_per_input_28x28x1', 'gen_fwd_gflops_per_s', 'torch_gen_fwd_ms_per_input_32x32x3'], () =>
  benchGeneratorForward(p, torch, s),
);
await section('adnn', ['adnn_fwd_ms_b64', 'adnn_inputgrad_ms_b64', 'torch_adnn_fwd_ms_b64', 'torch_adnn_inputgrad_ms_b64'], () => benchAdnn(p, torch, s));
await section('train', ['gen_train_step_ms_b64', 'torch_gen_train_step_ms_b64'], () => benchTrainStep(p, torch, s));
await section('train28', ['gen_train_light_28_ms_b32', 'torch_gen_train_light_28_ms_b32'], () => benchTrainLight28(p, torch, s));
let setting;
await section('ilfo', ['ilfo_s_per_input', 'ilfo_ms_per_input', 'torch_ilfo_ms_per_input', 'deepperform_vs_ilfo_speedup'], async () => {
  setting = await loadSdnTinySetting(p, s.ilfoSeeds);
  return benchIlfo(p, torch, setting, s);
});
let torchCpuS = 0;
try {
  torchCpuS = (torch.client?.cpuSeconds() ?? torchCpuAtStart) - torchCpuAtStart;
} catch {
  // the PyTorch side is gone; its share counts as others'
}
torch.client?.close();

await section('instr', ['instrumentation_overhead_pct'], async () => {
  setting ??= await loadSdnTinySetting(p, s.ilfoSeeds);
  return benchInstrumentation(p, setting, s);
});
setting?.network.dispose();
await section('epoch', ['generator_epoch_minutes_fmnist'], () => benchEpoch(p, s));
const others = othersCpus(timingStart, cpuSnapshot(), torchCpuS);
await section('default-run', ['default_run_cold_s', 'default_run_warm_s', 'peak_rss_mb'], () => benchDefaultRun(ROOT, s));

const ort = onnxRuntimeLoaded(ROOT);
values.backend = ort ? `onnxruntime-node (forward paths) + tfjs-${info.name} (gradients)` : `tfjs-${info.name}`;
const convRuns = p.engine.convAccelerator?.runs;
const gradConvs = convRuns ? convRuns.inputGrad + convRuns.filterGrad + convRuns.forward : 0;
notes.backend = ort
  ? 'onnxruntime-node was loaded by the product during the bench' +
    (convRuns
      ? `; inside the tfjs gradient paths, ${gradConvs} convolution kernels (forward ${convRuns.forward}, input gradient ${convRuns.inputGrad}, filter gradient ${convRuns.filterGrad}) ran on onnxruntime-node (DEEPPERFORM_CONV_ENGINE=${p.engine.convAccelerator.choice})`
      : '')
  : `the product did not load onnxruntime-node during the bench; everything ran on tfjs-${info.name}` +
    (info.fallbackReasons.length ? ` (${info.fallbackReasons.join('; ')})` : '');
values.cpu = `${cpus()[0]?.model.trim() ?? 'unknown'} (${availableParallelism()} logical CPUs)`;
values.threads = s.threads;
notes.threads = `threads given to the product (initBackend, and its inference engine: ${details.inference_engine}) and to PyTorch (torch.set_num_threads); tfjs-${info.name} reports ${info.threads ?? 'unknown'}`;
if (others !== null && others > 0.2) {
  notes.load = `other processes kept ${others.toFixed(2)} of ${availableParallelism()} CPUs busy on average while ours and PyTorch were timed (1-min load average ${loadAtStart[0].toFixed(2)} before the start): timings are noisy, PyTorch's OpenMP threads suffer most`;
}
details.peer = {
  ...details.peer,
  ours: {
    backend: values.backend,
    tfjs_threads: info.threads ?? null,
    inference_engine: details.inference_engine,
    // The product's kernels are its own (XNNPACK inside tfjs-wasm, MLAS inside onnxruntime): no system BLAS is expected here.
    blas_libraries_mapped: blasLibraries(ownMappedLibraries()).map((l) => l.path),
    env: Object.fromEntries(['OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'DEEPPERFORM_ENGINE', 'DEEPPERFORM_CONV_ENGINE'].map((k) => [k, process.env[k] ?? null])),
  },
};
if (quick) notes.mode = `quick: generator width ${s.genWidth}, ${s.repeats} repeats, ${s.ilfoSeeds} ILFO seeds, ${s.epochSteps} epoch steps, one default suite; not comparable with latest.json`;

const result = finalize(
  values,
  notes,
  {
    mode: quick ? 'quick' : 'full',
    date: new Date().toISOString(),
    node: process.version,
    torch: torch.client?.version ?? null,
    load_average_before: loadAtStart.map((x) => Number(x.toFixed(2))),
    others_cpus_while_timing: others === null ? null : Number(others.toFixed(2)),
  },
  details,
  { torchNotComparable },
);
const problems = shapeProblems(result);
if (problems.length) log(`result shape problems: ${problems.join('; ')}`);
writeAtomic(out, `${JSON.stringify(result, null, 2)}\n`);
writeAtomic(out.replace(/\.json$/, '.md'), renderMarkdown(result));
process.stdout.write(`${renderTable(result)}\n\nwrote ${out} and ${out.replace(/\.json$/, '.md')}\n`);
process.exit(problems.length ? 1 : 0);
