/**
 * Runs one folder of the evaluation's suites through the product's public API
 * (`runSuites`, as `deepperform run` does) and keeps the part of each result
 * the tables read.
 */

/** Plain progress lines for the log: the API itself prints nothing. */
export function progressReporter(log) {
  let lastValidation = 0;
  return {
    onSuiteStart: ({ name }) => log(`suite ${name}`),
    onPhase: ({ phase, detail }) => log(`  · ${phase}${detail ? `  ${detail}` : ''}`),
    onTrainingProgress: ({ step, totalSteps, validationIflops }) => {
      // One line per validation, at most every 20 s.
      if (validationIflops === undefined || performance.now() - lastValidation < 20_000) return;
      lastValidation = performance.now();
      log(`    step ${step}/${totalSteps}, validation mean I-FLOPs ${(validationIflops * 100).toFixed(1)}%`);
    },
    onSuiteEnd: (r) => log(`  ${r.status} in ${(r.durationMs / 1000).toFixed(1)} s${r.error ? `: ${r.error.message}` : ''}`),
  };
}

/** Per-input arrays are dropped except I-FLOPs of small sets (Table 6 counts ILFO's successes input by input). */
const KEEP_PER_INPUT = 200;

function compactSet(set) {
  if (!set) return undefined;
  // The per-input arrays other than I-FLOPs are left out of the results file.
  const { flops: _f, latencyMs: _l, energyJ: _e, ilatency: _il, ienergy: _ie, iflops, ...rest } = set;
  return iflops && iflops.length <= KEEP_PER_INPUT ? { ...rest, iflops } : rest;
}

export function compactSuite(r) {
  return {
    file: r.file,
    name: r.name,
    status: r.status,
    durationMs: r.durationMs,
    model: { arch: r.model.arch, kind: r.model.kind, baseFlops: r.model.baseFlops, blocks: r.model.blocks.length },
    config: r.config,
    seeds: compactSet(r.seeds),
    methods: r.methods.map(compactSet),
    training: r.training,
    sensitivity: r.sensitivity,
    correlation: r.correlation,
    assertions: r.assertions.map((a) => ({ source: a.source, status: a.status, actual: a.actual, comparison: a.comparison })),
    error: r.error ? { message: r.error.message } : undefined,
  };
}

/**
 * Runs the suites under `dir` and returns { environment, suites: { [name]: compact result } }.
 * A crashed suite is kept with its error, so the tables can say what is missing.
 */
export async function runSuiteFolder(product, dir, { cwd, cacheDir, retrain, backend, log }) {
  const run = await product.api.runSuites(dir, { cwd, cacheDir, retrain, backend, reporters: [progressReporter(log)] });
  const raw = run.raw;
  const suites = {};
  for (const r of raw.suites) suites[r.name] = compactSuite(r);
  return { environment: raw.environment, durationMs: raw.durationMs, suites };
}
