import * as tf from '@tensorflow/tfjs-core';
import type { AdaptiveNetwork, ImageBatch } from '../adnn/index.js';
import { detectIna3221 } from './energy-ina3221.js';
import { detectNvidia } from './energy-nvidia.js';
import type { EnergyDetection, EnergyProbe } from './energy-probe.js';
import { detectRapl } from './energy-rapl.js';
import { MeasurementError } from './errors.js';
import { relativeIncrease, type IncreaseMeasurement } from './increase.js';
import { singleInputs } from './latency.js';
import { readTextFile, type ReadText } from './sysfs.js';

export type { EnergyDetection, EnergyProbe } from './energy-probe.js';

export interface EnergyDetectOptions {
  /** Where sysfs is mounted; tests point it at a fake tree. Default '/sys'. */
  sysRoot?: string;
  /** How attributes are read; tests use it to simulate root-only files. */
  readText?: ReadText;
  /** PATH searched for nvidia-smi. Default process.env.PATH. */
  path?: string;
  /** Clock in ms for integrating sampled power. Default performance.now. */
  now?: () => number;
}

/**
 * The first usable energy sensor, in order: RAPL (CPU packages), nvidia-smi
 * (GPUs), INA3221 (Jetson boards). When none is usable, `reason` says what was
 * tried and why each failed, for the "skipped" line of an energy assertion.
 */
export function detectEnergyProbe(options: EnergyDetectOptions = {}): EnergyDetection {
  const sysRoot = options.sysRoot ?? '/sys';
  const read = options.readText ?? readTextFile;
  const now = options.now ?? (() => performance.now());
  const attempts: Array<[string, () => EnergyDetection]> = [
    ['RAPL', () => detectRapl(sysRoot, read)],
    ['NVIDIA', () => detectNvidia(options.path ?? process.env.PATH ?? '', now)],
    ['INA3221', () => detectIna3221(sysRoot, read, now)],
  ];
  const reasons: string[] = [];
  for (const [label, attempt] of attempts) {
    const found = attempt();
    if (found.probe) return { probe: found.probe };
    reasons.push(`${label}: ${found.reason}`);
  }
  return { reason: reasons.join('; ') };
}

export interface EnergyOptions {
  /** Untimed runs of each input before its measurement. */
  warmup?: number;
  /** Runs per input at least; the input's energy is the interval's energy / runs. */
  repeats?: number;
  /** Keep running the input until this many ms have passed. Default the probe's minIntervalMs, else 0. */
  minMs?: number;
}

export interface EnergyMeasurement {
  /** Joules of one run(x, tau) at batch size 1, one per input. */
  joulesPerInput: number[];
}

/**
 * Energy of the real adaptive execution per input: the probe's counter across
 * back-to-back runs of one input, divided by the number of runs. The probes
 * measure a whole device (CPU package, GPU, board), so the figure includes its
 * idle draw over the interval; that is the energy a deployed device spends on
 * the input, as the paper's energy measurements are.
 */
export function measureEnergy(probe: EnergyProbe, network: AdaptiveNetwork, images: ImageBatch, tau: number, options: EnergyOptions = {}): EnergyMeasurement {
  const { warmup = 1, repeats = 5 } = options;
  const minMs = options.minMs ?? probe.minIntervalMs ?? 0;
  if (!Number.isInteger(repeats) || repeats < 1) throw new MeasurementError(`energy repeats must be a positive integer, got ${repeats}`);
  if (!Number.isInteger(warmup) || warmup < 0) throw new MeasurementError(`energy warmup must be a non-negative integer, got ${warmup}`);
  const inputs = singleInputs(network, images);
  try {
    return { joulesPerInput: inputs.map((x) => energyOf(probe, () => network.run(x, tau), warmup, repeats, minMs)) };
  } finally {
    tf.dispose(inputs);
  }
}

function energyOf(probe: EnergyProbe, runOnce: () => void, warmup: number, repeats: number, minMs: number): number {
  for (let i = 0; i < warmup; i++) runOnce();
  const before = probe.read();
  const start = performance.now();
  let runs = 0;
  while (runs < repeats || performance.now() - start < minMs) {
    runOnce();
    runs++;
  }
  return (probe.read() - before) / runs;
}

/** I-energy per input, (e' - e) / e, with mean/max/min/p50/p95. */
export function increasedEnergy(seedJ: ArrayLike<number>, generatedJ: ArrayLike<number>): IncreaseMeasurement {
  return relativeIncrease(seedJ, generatedJ, 'I-energy');
}
