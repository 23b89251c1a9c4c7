import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import chalk from 'chalk';
import { saveAdnn, zooArchs, zooEntry, type AdnnFileMetadata, type ZooFamily } from '../../adnn/index.js';
import { importTorchWeights, readSafetensors, stripDataParallelPrefix, type RawTensor, type TorchMapping } from '../../adnn/import/index.js';
import type { AdaptiveNetwork } from '../../adnn/index.js';
import { BLOCKDROP_NORMALIZATION } from '../../adnn/zoo/blockdrop/index.js';
import { RANET_NORMALIZATION } from '../../adnn/zoo/ranet/index.js';
import { ResNetConfigError } from '../../adnn/zoo/resnet/config.js';
import { SDN_NORMALIZATION, type ChannelNorm } from '../../adnn/zoo/sdn/config.js';
import { SKIPNET_NORMALIZATION } from '../../adnn/zoo/skipnet/index.js';
import { initBackend } from '../../engine/index.js';
import { UsageError } from '../../util/errors.js';
import { parseInput } from './model-info.js';
import { processIO, type CommandIO } from '../io.js';

export interface ImportWeightsOptions {
  arch: string;
  from: string;
  out: string;
  classes?: number;
  input?: string;
  normalize?: string;
  backend?: string;
}

/**
 * The per-channel normalisation each family's original code applies in its
 * data loaders, by the dataset the weights were trained on. Our models fold
 * it in (`config.normalize`), so imported weights need the matching one.
 */
const NORMALIZATION_PRESETS: Partial<Record<ZooFamily, Record<string, ChannelNorm | null>>> = {
  sdn: SDN_NORMALIZATION,
  skipnet: SKIPNET_NORMALIZATION,
  blockdrop: BLOCKDROP_NORMALIZATION,
  ranet: RANET_NORMALIZATION,
};

/** Families whose configuration always normalises (RANet-pytorch's loaders always do): no "none". */
const ALWAYS_NORMALISED: ReadonlySet<ZooFamily> = new Set(['ranet']);

/** Where imported weights came from, kept in model.json beside the architecture. */
export interface ImportRecord {
  from: string;
  sha256: string;
  format: 'safetensors (PyTorch state_dict)';
  /** The --normalize preset, or "default" (the architecture's own default). */
  normalize: string;
  command: string;
}

/**
 * `deepperform import-weights`: builds a zoo architecture, fills it from a
 * PyTorch state_dict saved as .safetensors (the original code's names), and
 * saves it like `train-model` does, so a suite can use it as
 * `model: { arch, weights: <out> }`. Nothing is evaluated.
 */
export async function importWeightsCommand(opts: ImportWeightsOptions, argv: string[], io: CommandIO = processIO()): Promise<number> {
  const log = (line: string) => io.stdout.write(`${line}\n`);
  // Paths as typed are relative to the working directory; messages and model.json keep them as typed.
  const from = resolve(io.cwd, opts.from);
  const out = resolve(io.cwd, opts.out);
  const entry = zooEntry(opts.arch);
  if (!entry.torchMapping) {
    const able = zooArchs().filter((e) => e.torchMapping).map((e) => e.arch);
    throw new UsageError(`${opts.arch} has no PyTorch import; architectures that have one: ${able.join(', ')}`);
  }
  await initBackend({ backend: opts.backend, env: io.env });
  const config = entry.defaultConfig(opts.input ? parseInput(opts.input) : undefined, opts.classes);
  if (opts.normalize) setNormalization(config, entry.family, opts.arch, opts.normalize);
  const { tensors, stripped } = stripDataParallelPrefix(await readSafetensors(from, opts.from));
  const network = entry.build(config, 0);
  try {
    const mapping = mappingFor(entry.torchMapping, network);
    try {
      importTorchWeights(network, tensors, mapping, opts.from);
    } catch (e) {
      const classes = fileClasses(network, tensors, mapping);
      if (classes !== undefined && !opts.classes) io.stderr.write(`hint: the file's classifiers have ${classes} classes; pass --classes ${classes}\n`);
      throw e;
    }
    const imported: ImportRecord = {
      from: opts.from,
      sha256: createHash('sha256').update(await readFile(from)).digest('hex'),
      format: 'safetensors (PyTorch state_dict)',
      normalize: opts.normalize ?? 'default',
      command: `deepperform ${argv.join(' ')}`,
    };
    // model.json's metadata is open-ended; `imported` sits beside arch and config.
    const metadata: AdnnFileMetadata & { imported: ImportRecord } = { arch: opts.arch, config, seed: 0, imported };
    await saveAdnn(out, network, metadata);
    const { input, numClasses } = network.meta;
    log(
      `${chalk.bold('deepperform import-weights')} ${opts.arch} (${input.height}x${input.width}x${input.channels}, ${numClasses} classes, ` +
        `normalisation ${opts.normalize ?? 'default'}): ${network.namedWeights().size} weights filled from ${opts.from} (sha256 ${imported.sha256.slice(0, 12)}…)`,
    );
    if (stripped) log(`note: every key had nn.DataParallel's "module." prefix, which was dropped`);
    if (!opts.normalize) log(`note: no --normalize given; the architecture's default input normalisation is used`);
    log(`saved ${relative(io.cwd, out) || '.'}/model.json`);
  } finally {
    network.dispose();
  }
  return 0;
}

/** The architecture's mapping; a configuration it cannot import into (e.g. another input size) is a usage error. */
function mappingFor(torchMapping: (n: AdaptiveNetwork) => TorchMapping, network: AdaptiveNetwork): TorchMapping {
  try {
    return torchMapping(network);
  } catch (e) {
    if (e instanceof ResNetConfigError) throw new UsageError(e.message);
    throw e;
  }
}

/** Replaces the configuration's `normalize` with a named preset ("none": raw inputs). */
function setNormalization(config: unknown, family: ZooFamily, arch: string, name: string): void {
  if (typeof config !== 'object' || config === null || !('normalize' in config)) {
    throw new UsageError(`--normalize: ${arch} has no input normalisation setting`);
  }
  const presets = NORMALIZATION_PRESETS[family] ?? {};
  const names = [...Object.keys(presets), ...(ALWAYS_NORMALISED.has(family) ? [] : ['none'])];
  if (!names.includes(name)) throw new UsageError(`--normalize ${name}: expected one of ${names.join(', ')} for ${arch}`);
  (config as { normalize: ChannelNorm | null }).normalize = name === 'none' ? null : presets[name];
}

/**
 * The class count of the file's classifiers when it differs from the
 * network's: every bias of ours with one entry per class whose tensor in the
 * file has another length, all agreeing (the common slip: no --classes).
 */
function fileClasses(network: AdaptiveNetwork, tensors: Map<string, RawTensor>, mapping: TorchMapping): number | undefined {
  const k = network.meta.numClasses;
  const found = new Set<number>();
  for (const [name, v] of network.namedWeights()) {
    const raw = name.endsWith('.bias') && v.shape.join() === String(k) ? tensors.get(mapping.get(name)?.torch ?? '') : undefined;
    if (raw?.shape.length === 1 && raw.shape[0] !== k) found.add(raw.shape[0]);
  }
  return found.size === 1 ? [...found][0] : undefined;
}
