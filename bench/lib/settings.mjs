/**
 * How much the bench repeats. Full: the figures committed in
 * bench/results/latest.json. Quick: a smoke test of every code path in a few
 * minutes (smaller generator, single repeats, one default suite).
 */
export function settingsFor(quick, threads = 2) {
  if (quick) {
    return {
      threads,
      genWidth: 16,
      trainWidth: 16,
      warmup: 1,
      repeats: 2,
      adnnRepeats: 2,
      gradRepeats: 2,
      trainWarmup: 1,
      trainRepeats: 2,
      train28Warmup: 1,
      train28Repeats: 2,
      ilfoSeeds: 4,
      ilfoRepeats: 1,
      ilfoIterations: undefined, // ILFO's own default (300)
      epochWarmup: 2,
      epochSteps: 20, // a smoke test: too few to hold a validation
      instrWarmup: 4,
      instrRounds: 20,
      defaultRunFilter: '^sdn-tiny, Linf$',
      defaultRunTimeoutMs: 10 * 60_000,
    };
  }
  return {
    threads,
    genWidth: 64, // the full preset (src/suite/types.ts PRESET_WIDTH.full)
    trainWidth: 64,
    warmup: 2,
    repeats: 7,
    adnnRepeats: 15,
    gradRepeats: 7,
    trainWarmup: 2,
    trainRepeats: 5,
    train28Warmup: 4,
    train28Repeats: 15,
    ilfoSeeds: 20,
    ilfoRepeats: 3,
    ilfoIterations: undefined,
    epochWarmup: 10,
    epochSteps: 200, // at least 200 timed steps
    instrWarmup: 150,
    instrRounds: 300,
    defaultRunFilter: undefined,
    defaultRunTimeoutMs: 30 * 60_000,
  };
}
