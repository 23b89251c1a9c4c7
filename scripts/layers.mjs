/**
 * The layers of docs/design.md §7, bottom first: each folder and the folders
 * its files may import (besides themselves, node: modules and packages).
 * scripts/check-imports.mjs enforces it; a folder may only name folders
 * listed before it, so the table itself has no cycle. Tests (*.test.ts)
 * may import anything; test/, examples/ and bench/ sit above the product.
 */

/** @type {Record<string, { mayImport: string[], what: string }>} */
export const layers = {
  // The bottom: plain data, the Reporter interface, small helpers.
  'src/util': { mayImport: [], what: 'helpers: UserError and exit codes, files, atomic writes, random numbers, versions' },
  'src/results': { mayImport: ['src/util'], what: 'the result model, the metric registry, the Reporter interface and its events' },
  // Building blocks.
  'src/nn': { mayImport: ['src/util'], what: 'layers, parameters, weights files, the FLOPs conventions' },
  'src/engine': { mayImport: ['src/util'], what: 'tfjs and onnxruntime backends, kernels, gradients' },
  // The pipeline's stages, in its order; the assert stage comes first since suite/ parses a suite's assertions with it.
  'src/assert': { mayImport: ['src/results', 'src/util'], what: 'the assertion grammar and the evaluation of assertions' },
  'src/suite': { mayImport: ['src/results', 'src/util', 'src/assert'], what: 'the suite format, loading and validation' },
  'src/adnn': { mayImport: ['src/util', 'src/nn', 'src/engine'], what: 'the AdNN contract, zoo, ONNX and user models, adaptive execution' },
  'src/data': { mayImport: ['src/util'], what: 'datasets and seed sampling' },
  'src/generator': {
    mayImport: ['src/results', 'src/util', 'src/nn', 'src/engine', 'src/adnn'],
    what: 'the generator G, its losses (Eq. 4 to 8), training and cache',
  },
  'src/baselines': {
    mayImport: ['src/util', 'src/nn', 'src/engine', 'src/adnn', 'src/data', 'src/generator'],
    what: 'random noise, ILFO, DeepSloth, deepperform-refine',
  },
  'src/measure': { mayImport: ['src/results', 'src/util', 'src/engine', 'src/adnn'], what: 'I-FLOPs, latency, energy, coverage' },
  'src/mitigation': {
    mayImport: ['src/results', 'src/util', 'src/suite', 'src/adnn', 'src/data', 'src/generator', 'src/measure'],
    what: 'the §6 remedies: detector and adversarial retraining',
  },
  // Runs the stages; receives its reporters.
  'src/runner': {
    mayImport: [
      'src/results', 'src/util', 'src/nn', 'src/engine', 'src/assert', 'src/suite', 'src/adnn', 'src/data',
      'src/generator', 'src/baselines', 'src/measure', 'src/mitigation',
    ],
    what: 'runs suites through the pipeline into the result model',
  },
  'src/reporters': { mayImport: ['src/results', 'src/util'], what: 'console, dot, junit, html, json' },
  // Entry points: they build the reporters and hand them to the runner.
  'src/config': { mayImport: ['src/util'], what: 'deepperform.config.* files' },
  'src/settings': {
    mayImport: ['src/util', 'src/engine', 'src/suite', 'src/reporters', 'src/config'],
    what: 'one resolution of flags, config files and defaults for the CLI, the API and vitest',
  },
  'src/api': {
    mayImport: ['src/results', 'src/util', 'src/assert', 'src/suite', 'src/adnn', 'src/generator', 'src/runner', 'src/reporters', 'src/config', 'src/settings'],
    what: 'the programmatic API (`deepperform`)',
  },
  'src/cli': {
    mayImport: [
      'src/results', 'src/util', 'src/nn', 'src/engine', 'src/assert', 'src/suite', 'src/adnn', 'src/data', 'src/generator',
      'src/baselines', 'src/measure', 'src/mitigation', 'src/runner', 'src/reporters', 'src/config', 'src/settings', 'src/api',
    ],
    what: 'the deepperform command',
  },
  'src/vitest': {
    mayImport: ['src/results', 'src/util', 'src/assert', 'src/suite', 'src/runner', 'src/reporters', 'src/config', 'src/api'],
    what: 'matchers for vitest (`deepperform/vitest`)',
  },
};

const product = Object.keys(layers);
// Above the product: they may import every layer of it, and nothing imports them.
for (const outside of ['examples', 'test', 'bench']) {
  layers[outside] = { mayImport: [...product], what: 'outside the product' };
}
