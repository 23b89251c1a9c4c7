import type { AdaptiveNetwork, ImageBatch } from '../adnn/index.js';
import type { GeneratedInputs } from '../generator/index.js';
import {
  aggregate,
  detectEnergyProbe,
  flopsLatencyCorrelation,
  increasedEnergy,
  increasedLatency,
  measureEnergy,
  measureLatency,
  thresholdSensitivity,
  type EnergyProbe,
} from '../measure/index.js';
import type { Suite } from '../suite/index.js';
import type { InputSetMeasurement, MethodResult, SuiteResult } from '../results/index.js';

type Extras = Pick<SuiteResult, 'sensitivity' | 'correlation' | 'unmeasured'>;

/** The first n inputs of a batch (latency and energy are measured on a prefix of the seeds). */
function prefix(batch: ImageBatch, n: number): ImageBatch {
  const count = Math.min(n, batch.count);
  const size = batch.images.length / Math.max(batch.count, 1);
  return { images: batch.images.subarray(0, count * size), count };
}

let probeCache: { probe?: EnergyProbe; reason?: string } | undefined;

/**
 * Latency, energy, threshold sensitivity and the FLOPs-latency correlation
 * (docs/design.md §2): filled into the seeds' and each method's measurements.
 */
export function measureExtras(
  network: AdaptiveNetwork,
  suite: Suite,
  seeds: ImageBatch,
  produced: [string, GeneratedInputs][],
  seedSet: InputSetMeasurement,
  methods: MethodResult[],
): Extras {
  const m = suite.measure;
  const tau = suite.threshold;
  const extras: Extras = {
    // A method run on the first k seeds is compared with those seeds only.
    sensitivity: produced.map(([method, gen]) => ({ method, points: thresholdSensitivity(network, prefix(seeds, gen.count), gen, m.sensitivity) })),
    unmeasured: {},
  };
  const n = m.latencyInputs;
  if (m.latency) {
    const opts = { repeats: m.repeats };
    // One untimed pass first: the seeds are timed first, and a cold engine
    // (JIT, allocator) would otherwise make them look slower than the rest.
    measureLatency(network, prefix(seeds, n), tau, { repeats: 1, warmup: 0 });
    seedSet.latencyMs = measureLatency(network, prefix(seeds, n), tau, opts).msPerInput;
    seedSet.latencyStats = aggregate(seedSet.latencyMs);
    produced.forEach(([, gen], i) => {
      const ms = measureLatency(network, prefix(gen, n), tau, opts).msPerInput;
      const inc = increasedLatency(seedSet.latencyMs!.slice(0, ms.length), ms);
      Object.assign(methods[i], { latencyMs: ms, latencyStats: aggregate(ms), ilatency: inc.perInput, ilatencyStats: inc.stats });
    });
    extras.correlation = flopsLatencyCorrelation(seedSet.flops.slice(0, seedSet.latencyMs.length), seedSet.latencyMs);
  } else {
    extras.unmeasured!.latency = 'measure.latency is off in this suite';
  }
  if (!m.energy) {
    extras.unmeasured!.energy = 'measure.energy is off in this suite';
    return extras;
  }
  probeCache ??= detectEnergyProbe();
  const probe = probeCache.probe;
  if (!probe) {
    extras.unmeasured!.energy = `no power sensor can be read here (${probeCache.reason})`;
    return extras;
  }
  seedSet.energyJ = measureEnergy(probe, network, prefix(seeds, n), tau, { repeats: m.repeats }).joulesPerInput;
  seedSet.energyStats = aggregate(seedSet.energyJ);
  produced.forEach(([, gen], i) => {
    const j = measureEnergy(probe, network, prefix(gen, n), tau, { repeats: m.repeats }).joulesPerInput;
    const inc = increasedEnergy(seedSet.energyJ!.slice(0, j.length), j);
    Object.assign(methods[i], { energyJ: j, energyStats: aggregate(j), ienergy: inc.perInput, ienergyStats: inc.stats });
  });
  return extras;
}
