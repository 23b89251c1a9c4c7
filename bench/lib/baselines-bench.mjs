/**
 * On the shipped sdn-tiny and the embedded Fashion-MNIST slice: DeepPerform's
 * online generation against ILFO (same model, seeds, norm, epsilon, tau), and
 * what counting FLOPs costs the real adaptive execution.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { median, pairedOverheadPct } from './stats.mjs';

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

function meanIflops(p, network, seeds, adv) {
  const base = p.adnn.runBatched(network, seeds, ATTACK.tau).flops;
  const got = p.adnn.runBatched(network, adv, ATTACK.tau).flops;
  let sum = 0;
  for (let i = 0; i < seeds.count; i++) sum += (got[i] - base[i]) / base[i];
  return sum / seeds.count;
}

/** ILFO at its defaults (300 iterations) vs generate() with the shipped generator, alternating. */
export async function benchIlfo(p, setting, s) {
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
  try {
    const opts = s.ilfoIterations === undefined ? undefined : { iterations: s.ilfoIterations };
    p.generator.generate(g, seeds, ATTACK); // warm-up: kernels, JIT
    p.baselines.ilfo(network, seeds, ATTACK, SEED, { iterations: 2 });
    const ilfoMs = [];
    const dpMs = [];
    let adv;
    let ilfoAdv;
    for (let r = 0; r < s.ilfoRepeats; r++) {
      ilfoAdv = p.baselines.ilfo(network, seeds, ATTACK, SEED, opts);
      ilfoMs.push(ilfoAdv.msPerInput);
      for (let k = 0; k < 3; k++) {
        adv = p.generator.generate(g, seeds, ATTACK);
        dpMs.push(adv.msPerInput);
      }
    }
    const ilfo = median(ilfoMs);
    const dp = median(dpMs);
    const iterations = s.ilfoIterations ?? p.baselines.ILFO_DEFAULTS.iterations;
    notes.ilfo_s_per_input = `ILFO (${p.baselines.ILFO_DEFAULTS.optimizer}, ${iterations} iterations, batched) on sdn-tiny, ${seeds.count} embedded test seeds (seed ${SEED}), Linf 0.1, tau 0.5`;
    notes.deepperform_vs_ilfo_speedup ??= `ILFO ms per input / generate() ms per input (shipped "${SUITE}" generator, width ${g.width}), same seeds`;
    return {
      values: { ilfo_s_per_input: ilfo === null ? null : ilfo / 1000, deepperform_vs_ilfo_speedup: ilfo && dp ? ilfo / dp : null },
      notes,
      details: {
        seeds: seeds.count,
        ilfo_iterations: iterations,
        generator: dir ? relative(p.root, dir) : 'fresh width-8',
        ilfo_ms_per_input: ilfoMs,
        deepperform_ms_per_input: dpMs,
        mean_iflops: { deepperform: meanIflops(p, network, seeds, adv), ilfo: meanIflops(p, network, seeds, ilfoAdv) },
      },
    };
  } finally {
    g.store.dispose();
  }
}

/**
 * Counting on vs off around the real adaptive execution at batch 1 (the
 * latency path, measureLatency -> run(x, tau)), where counting weighs most.
 * The layers that take a FlopsCounter are wrapped (in both modes, so the
 * wrapper costs both the same); "off" hands them no counter. Rounds alternate
 * the order of the modes; the result is the median of per-round ratios.
 */
export function benchInstrumentation(p, setting, s) {
  const { network, seeds } = setting;
  const layers = [p.nn.Conv2d, p.nn.ConvTranspose2d, p.nn.Dense].filter(Boolean);
  const state = { counting: true, calls: 0 };
  const originals = layers.map((C) => C.prototype.apply);
  layers.forEach((C, i) => {
    const orig = originals[i];
    C.prototype.apply = function (x, counter, ...rest) {
      if (counter) state.calls++;
      return orig.call(this, x, state.counting ? counter : undefined, ...rest);
    };
  });
  const total = () => p.measure.measureLatency(network, seeds, ATTACK.tau, { warmup: 0, repeats: 1 }).msPerInput.reduce((a, b) => a + b, 0);
  try {
    state.counting = false;
    const offFlops = p.adnn.runBatched(network, seeds, ATTACK.tau).flops;
    state.calls = 0;
    state.counting = true;
    const onFlops = p.adnn.runBatched(network, seeds, ATTACK.tau).flops;
    if (state.calls === 0) {
      return {
        values: { instrumentation_overhead_pct: null },
        notes: { instrumentation_overhead_pct: `run(x, tau) of ${network.meta.name} no longer counts through the layers' FlopsCounter (0 counted layer calls), so counting cannot be switched off from outside` },
        details: {},
      };
    }
    // Warm-up of the batch-1 shapes and the JIT, in both modes.
    for (let r = 0; r < s.instrWarmup; r++) {
      state.counting = r % 2 === 0;
      total();
    }
    const on = [];
    const off = [];
    for (let r = 0; r < s.instrRounds; r++) {
      const order = r % 2 ? [false, true] : [true, false];
      for (const counting of order) {
        state.counting = counting;
        (counting ? on : off).push(total());
      }
    }
    const offZero = offFlops.every((f) => f === 0);
    return {
      values: { instrumentation_overhead_pct: pairedOverheadPct(on, off) },
      notes: {
        instrumentation_overhead_pct:
          `measureLatency (run(x, tau), batch 1) of ${network.meta.name} over ${seeds.count} seeds, layers given their FlopsCounter vs none ` +
          `(median of ${s.instrRounds} paired rounds; counting off gave ${offZero ? 'zero' : 'NON-ZERO'} FLOPs, so it was really off); can be slightly negative from noise`,
      },
      details: { on_ms: on, off_ms: off, mean_flops_counted: onFlops.reduce((a, b) => a + b, 0) / onFlops.length },
    };
  } finally {
    layers.forEach((C, i) => {
      C.prototype.apply = originals[i];
    });
    state.counting = true;
  }
}
