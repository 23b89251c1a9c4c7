/**
 * On the shipped sdn-tiny and the embedded Fashion-MNIST slice: DeepPerform's
 * online generation against ILFO (same model, seeds, norm, epsilon, tau), ILFO
 * against its PyTorch twin, and what counting FLOPs costs the real adaptive
 * execution.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { summarize, torchTask } from './side-by-side.mjs';
import { mean, median, pairedAgreement, pairedOverheadPct } from './stats.mjs';

const ATTACK = { norm: 'linf', epsilon: 0.1, tau: 0.5 };
const SEED = 333; // the default suites' seed
const SUITE = 'sdn-tiny, Linf';

/** The generator shipped for the default "sdn-tiny, Linf" suite, found by its recorded suite name. */
export function findShippedGenerator(root, suite = SUITE) {
  const base = join(root, 'fixtures', 'generators');
  for (const entry of readdirSync(base, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    try {
      const model = JSON.parse(readFileSync(join(base, entry.name, 'model.json'), 'utf8'));
      if (model?.metadata?.info?.suite === suite) return join(base, entry.name);
    } catch {
      // not a generator entry
    }
  }
  return undefined;
}

export async function loadSdnTinySetting(p, seedCount) {
  const { network } = await p.adnn.loadAdnn(join(p.root, 'fixtures', 'models', 'sdn-tiny'));
  const ds = p.data.takeSeeded(await p.data.loadDataset({ name: 'fashion-mnist-embedded', split: 'test' }), seedCount, SEED);
  return { network, seeds: { images: ds.images, count: ds.count } };
}

/** I-FLOPs (Eq. 9) of each generated input against its seed, by the product's real adaptive execution. */
function perSeedIflops(p, network, seeds, adv) {
  const base = p.adnn.runBatched(network, seeds, ATTACK.tau).flops;
  const got = p.adnn.runBatched(network, adv, ATTACK.tau).flops;
  return Array.from({ length: seeds.count }, (_, i) => (got[i] - base[i]) / base[i]);
}

/**
 * ILFO's published Adam setting, which src/baselines/ilfo.ts resolves 'auto'
 * to; passed explicitly to both sides so the PyTorch twin cannot drift from ours.
 */
const ILFO_ADAM = { optimizer: 'adam', learningRate: 5e-4, lambda: 1e5 };

function ilfoTwin(p, torch, network, seeds, iterations) {
  const { height, width, channels } = network.meta.input;
  const params = {
    model_dir: join(p.root, 'fixtures', 'models', 'sdn-tiny'),
    images: Array.from(seeds.images),
    shape: [height, width, channels],
    iterations,
    lr: ILFO_ADAM.learningRate,
    lam: ILFO_ADAM.lambda,
    tau: ATTACK.tau,
    epsilon: ATTACK.epsilon,
    batch: p.baselines.ILFO_DEFAULTS.batchSize,
  };
  return torchTask(torch, 'ilfo', params, 1);
}

/**
 * ILFO (Adam, 300 iterations, batched) beside its PyTorch twin on the same
 * model and seeds, alternating, and generate() with the shipped generator.
 * Both attacks' inputs are measured by our real adaptive execution: the twin
 * must reach the same mean I-FLOPs within noise for its time to compare.
 */
export async function benchIlfo(p, torch, setting, s) {
  const { network, seeds } = setting;
  const notes = {};
  const dir = findShippedGenerator(p.root);
  let g;
  if (dir) {
    g = (await p.generator.loadGenerator(dir)).generator;
  } else {
    g = new p.generator.Generator(network.meta.input, 8, SEED);
    notes.deepperform_vs_ilfo_speedup = `no shipped "${SUITE}" generator found; timed a fresh width-8 generator (same cost)`;
  }
  const iterations = s.ilfoIterations ?? p.baselines.ILFO_DEFAULTS.iterations;
  const batch = Math.min(p.baselines.ILFO_DEFAULTS.batchSize, seeds.count);
  const { defaultInferenceEngine } = await p.load('engine/ort/index.js');
  // How many threads each batch's loop was split across (1: one session for the whole batch).
  const parts = defaultInferenceEngine().programParts?.(batch) ?? 1;
  const opts = { ...ILFO_ADAM, iterations };
  const twin = ilfoTwin(p, torch, network, seeds, iterations);
  try {
    p.generator.generate(g, seeds, ATTACK); // warm-up: kernels, JIT
    p.baselines.ilfo(network, seeds, ATTACK, SEED, { ...opts, iterations: 2 });
    const ilfoMs = [];
    const torchMs = [];
    const dpMs = [];
    let adv;
    let ilfoAdv;
    for (let r = 0; r < s.ilfoRepeats; r++) {
      ilfoAdv = p.baselines.ilfo(network, seeds, ATTACK, SEED, opts);
      ilfoMs.push(ilfoAdv.msPerInput);
      const t = twin.time();
      if (t !== null) torchMs.push(t / seeds.count);
      for (let k = 0; k < 3; k++) {
        adv = p.generator.generate(g, seeds, ATTACK);
        dpMs.push(adv.msPerInput);
      }
    }
    const ilfo = median(ilfoMs);
    const dp = median(dpMs);
    const ours = perSeedIflops(p, network, seeds, ilfoAdv);
    const { theirs, agreement, problem } = torchMs.length ? checkTwin(p, network, seeds, twin, ours) : {};
    if (problem) notes.ilfo_vs_torch = problem;
    const what = `ILFO (Adam lr ${ILFO_ADAM.learningRate}, lambda ${ILFO_ADAM.lambda}, ${iterations} iterations, batches of ${p.baselines.ILFO_DEFAULTS.batchSize}) on the shipped sdn-tiny, ${seeds.count} embedded test seeds (seed ${SEED}), Linf 0.1, tau 0.5`;
    notes.ilfo_s_per_input = what;
    notes.ilfo_ms_per_input = `${what}; median of ${s.ilfoRepeats} whole attacks / seeds; each batch's loop split across ${parts} thread(s), one onnxruntime session each`;
    if (torchMs.length === 0) notes.torch_ilfo_ms_per_input = twin.note ?? 'no PyTorch sample';
    else notes.torch_ilfo_ms_per_input = 'PyTorch twin bench/torch/ilfo.py: same loss, projection, Adam (tfjs epsilon 1e-7) and batching, the same weights';
    if (agreement && !agreement.agree) {
      notes.ilfo_vs_torch = `the twins disagree: mean I-FLOPs ${fmtPct(agreement.mean_a)} (ours) vs ${fmtPct(agreement.mean_b)} (PyTorch) on the same seeds, beyond 2 standard errors of the paired difference: their times do not compare`;
    }
    notes.deepperform_vs_ilfo_speedup ??= `ILFO ms per input / generate() ms per input (shipped "${SUITE}" generator, width ${g.width}), same seeds`;
    return {
      values: {
        ilfo_s_per_input: ilfo === null ? null : ilfo / 1000,
        ilfo_ms_per_input: ilfo,
        torch_ilfo_ms_per_input: median(torchMs),
        // Refused (finalize keeps an explicit null) when the twins do not reach the same I-FLOPs.
        ...(agreement && !agreement.agree ? { ilfo_vs_torch: null } : {}),
        deepperform_vs_ilfo_speedup: ilfo && dp ? ilfo / dp : null,
      },
      notes,
      details: {
        seeds: seeds.count,
        ilfo_iterations: iterations,
        ilfo_options: opts,
        ilfo_defaults: p.baselines.ILFO_DEFAULTS,
        ilfo_batch: batch,
        ilfo_program_parts: parts,
        generator: dir ? relative(p.root, dir) : 'fresh width-8',
        ilfo_ms_per_input: ilfoMs,
        torch_ilfo_ms_per_input: torchMs,
        torch_flops_per_input: twin.flops,
        ours_flops_per_input: p.adnn.totalFlops(network.meta),
        summary: summarize(ilfoMs, torchMs),
        deepperform_ms_per_input: dpMs,
        mean_iflops: { deepperform: mean(perSeedIflops(p, network, seeds, adv)), ilfo: mean(ours), torch_ilfo: theirs ? mean(theirs) : null },
        ilfo_twin_agreement: agreement ?? null,
        iflops_per_seed: { ilfo: ours, torch_ilfo: theirs ?? null },
      },
    };
  } finally {
    twin.drop?.();
    g.store.dispose();
  }
}

/**
 * The twin's last inputs, measured by our real adaptive execution beside ours:
 * per-seed I-FLOPs and whether the two means agree within noise.
 */
function checkTwin(p, network, seeds, twin, ours) {
  let images;
  try {
    images = twin.result().images;
  } catch (e) {
    return { problem: `the PyTorch twin's inputs could not be read back, so its I-FLOPs are unchecked: ${e.message}` };
  }
  const theirs = perSeedIflops(p, network, seeds, { images: Float32Array.from(images), count: seeds.count });
  return { theirs, agreement: pairedAgreement(ours, theirs) };
}

function fmtPct(x) {
  return `${(100 * x).toFixed(1)} %`;
}

/**
 * Counting on vs off around the real adaptive execution at batch 1 (the
 * latency path, measureLatency -> run(x, tau)), where counting weighs most.
 * The layers that take a FlopsCounter are wrapped (in both modes, so the
 * wrapper costs both the same); "off" hands them no counter. Rounds alternate
 * the order of the modes; the result is the median of per-round ratios.
 */
export async function benchInstrumentation(p, setting, s) {
  const { network, seeds } = setting;
  const ort = await import(pathToFileURL(join(p.dist, 'engine', 'ort', 'index.js')).href);
  const engine = ort.defaultInferenceEngine();
  // The engine latency and runBatched use: the stages on onnxruntime, one intra-op thread at batch 1.
  const staged = p.adnn.compileStagedOrt(engine, network, { threads: 1 });
  if (!staged) {
    return {
      values: { instrumentation_overhead_pct: null },
      notes: { instrumentation_overhead_pct: `${network.meta.name} has no stage plan or onnxruntime did not load, so its adaptive execution cannot be timed with counting switched off` },
      details: {},
    };
  }
  const size = seeds.images.length / seeds.count;
  const inputs = Array.from({ length: seeds.count }, (_, i) => seeds.images.slice(i * size, (i + 1) * size));
  const total = (instrument) => {
    const start = performance.now();
    for (const x of inputs) staged.run(x, 1, ATTACK.tau, { instrument });
    return performance.now() - start;
  };
  try {
    const offFlops = inputs.map((x) => staged.run(x, 1, ATTACK.tau, { instrument: false }).flops[0]);
    const onFlops = inputs.map((x) => staged.run(x, 1, ATTACK.tau).flops[0]);
    for (let r = 0; r < s.instrWarmup; r++) total(r % 2 === 0);
    const on = [];
    const off = [];
    for (let r = 0; r < s.instrRounds; r++) {
      const order = r % 2 ? [false, true] : [true, false];
      for (const counting of order) (counting ? on : off).push(total(counting));
    }
    const offZero = offFlops.every((f) => f === 0);
    return {
      values: { instrumentation_overhead_pct: pairedOverheadPct(on, off) },
      notes: {
        instrumentation_overhead_pct:
          `real adaptive execution of ${network.meta.name} on onnxruntime (one session per stage, batch 1, 1 intra-op thread) over ${seeds.count} seeds, ` +
          `FLOPs counting on vs off (median of ${s.instrRounds} paired rounds; counting off gave ${offZero ? 'zero' : 'NON-ZERO'} FLOPs, so it was really off); can be slightly negative from noise`,
      },
      details: { on_ms: on, off_ms: off, mean_flops_counted: onFlops.reduce((a, b) => a + b, 0) / onFlops.length },
    };
  } finally {
    staged.dispose();
  }
}
