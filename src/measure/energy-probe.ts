/**
 * A source of energy readings. `read()` returns joules from a monotonic
 * counter (any origin; only differences mean anything), so the energy of an
 * interval is read() after minus read() before.
 */
export interface EnergyProbe {
  readonly name: string;
  read(): number;
  /**
   * Shortest interval worth measuring with this probe, in ms: the counter's
   * update period, or for sampled power the span over which two samples
   * describe the interval acceptably. measureEnergy repeats an input until it
   * has run this long.
   */
  readonly minIntervalMs?: number;
}

/** Either a probe, or why none could be used. */
export interface EnergyDetection {
  probe?: EnergyProbe;
  reason?: string;
}

/**
 * A counter made from sampled power (nvidia-smi power.draw, INA3221 rails):
 * each read() takes a sample and adds the trapezoid between it and the
 * previous sample, (P_prev + P_now) / 2 * dt. Between two reads this is the
 * mean of the two end-point powers times the elapsed time, so it is only as
 * good as the power is steady over the interval: use long intervals.
 */
export function integratedPowerProbe(name: string, sampleWatts: () => number, now: () => number, minIntervalMs: number): EnergyProbe {
  let lastWatts = sampleWatts();
  let lastMs = now();
  let joules = 0;
  return {
    name,
    minIntervalMs,
    read() {
      const watts = sampleWatts();
      const ms = now();
      joules += ((lastWatts + watts) / 2) * ((ms - lastMs) / 1000);
      lastWatts = watts;
      lastMs = ms;
      return joules;
    },
  };
}
