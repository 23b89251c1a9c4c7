/** The files `deepperform init` writes: a starter suite and a config, commented for a first-time user. */
import { DEFAULT_CACHE_DIR } from '../../config/index.js';

/** A suite against the tiny SDN shipped with deepperform; `weights` is filled in by init. */
export function starterSuite(weights: string): string {
  return `# A deepperform performance-test suite: does any small perturbation of an
# input make this adaptive neural network (AdNN) spend much more computation?
# Run it with:  npx deepperform run
name: example, sdn-tiny Linf

# The AdNN under test. This one is the tiny Shallow-Deep Network shipped with
# deepperform, trained on the embedded Fashion-MNIST slice. For your own model:
#   model: { module: ./my-adnn.mjs }   (see deepperform's fixtures/example-adnn)
model:
  arch: sdn-tiny
  weights: ${JSON.stringify(weights)}

# Seed inputs (test split) and the generator's training inputs (train split).
data:
  dataset: fashion-mnist-embedded
  seeds: 100

# Perturbation budget: ||delta||_inf <= epsilon, on inputs in [0, 1].
# Write "8/255" for the usual image budget; l2 is the other norm.
norm: linf
epsilon: 0.1
# The AdNN's own threshold: an exit is taken when its confidence passes it.
threshold: 0.5
# Every random choice (seed sampling, initialisation) follows this seed.
seed: 333

# The DeepPerform generator. "tiny" trains for up to 30 epochs and stops
# early once validation stops improving; "full" is the paper's architecture.
# Trained generators are cached; with these settings the run loads the one
# deepperform ships for this model instead of training (change any and it
# trains its own, a few minutes). requireConverged: true would fail the
# suite when training ends at its budget instead.
generator:
  preset: tiny
  train:
    batchSize: 32
    learningRate: 0.001
  # Then 15 gradient steps per seed from the generator's output (deepperform-refine).
  refine: 15

# Reported beside DeepPerform, on the same seeds and budget: random noise,
# ILFO (per-input optimisation, at its published 300 iterations) and
# DeepSloth (the attack made for early exits). The two attacks take a second
# or so per input, so they run on the first 50 seeds only.
baselines:
  - random
  - ilfo: { seeds: 50 }
  - deepsloth: { seeds: 50 }

# Each assertion is "<aggregate> <metric> [of <method>] <op> <value><unit>";
# a failed error-level assertion makes the run exit with code 1, a failed
# warning is reported only. worst-case is, per seed, the costliest input any
# method above made.
assertions:
  # This demonstration model is not robust: known attacks push many of its
  # seeds to the last exit. Its accepted budget, as errors:
  - "mean I-FLOPs of worst-case < 325%"
  - "full-depth rate of worst-case < 90%"
  # The seeds must still be classified well.
  - "seed accuracy > 0.5"
  # What a robust early-exit model passes (on average the worst input costs
  # at most 1.5x its seed's FLOPs; fewer than 1 seed in 10 reaches the last
  # exit). Warnings here; for your own model drop "level: warn" and set your
  # real budget.
  - { assert: "mean I-FLOPs of worst-case < 50%", level: warn }
  - { assert: "full-depth rate of worst-case < 10%", level: warn }
`;
}

export const STARTER_CONFIG = `// deepperform's configuration. Every key is optional; a command-line flag
// given for the same setting wins. Relative paths are relative to this file.
import { defineConfig } from 'deepperform/config';

export default defineConfig({
  // Suite files, folders or globs to run when \`deepperform run\` gets no paths.
  include: ['perf'],
  // console (live on a terminal, plain lines in CI), dot, junit, html, json.
  reporters: ['console', 'junit', 'html'],
  // Where junit.xml, index.html and report.json are written.
  outputDir: 'reports',
  // A file per reporter instead of outputDir/<default name>:
  // outputFiles: { junit: 'test-results/perf.xml' },
  // Trained generators are cached here, keyed by everything that determines them.
  cacheDir: '${DEFAULT_CACHE_DIR}',
  // backend: 'wasm',  // wasm, cpu or auto (default: wasm, else cpu); node = tfjs-node, opt-in
  // seed: 0,          // overrides every suite's seed
  // bail: 1,          // stop after this many failed suites
  // retrain: false,   // ignore cached generators and train anew
});
`;
