/** What `model-info` shows of any model, zoo or ONNX: its blocks and their FLOPs (2 x MAC). */
import { totalFlops, type AdnnMeta, type InputSpec } from '../../adnn/index.js';

/** What `model-info --json` prints. */
export interface ModelInfoJson {
  arch: string;
  kind: AdnnMeta['kind'];
  input: InputSpec;
  numClasses: number;
  baseFlops: number;
  blocks: { name: string; flops: number }[];
  totalFlops: number;
  /** Early-exit models: FLOPs spent when leaving at each exit, in order. */
  cumulativeExitFlops?: number[];
}

export function describe(meta: AdnnMeta): ModelInfoJson {
  const info: ModelInfoJson = {
    arch: meta.arch,
    kind: meta.kind,
    input: meta.input,
    numClasses: meta.numClasses,
    baseFlops: meta.baseFlops,
    blocks: meta.blocks.map((b) => ({ name: b.name, flops: b.flops })),
    totalFlops: totalFlops(meta),
  };
  if (meta.kind === 'early-exit') info.cumulativeExitFlops = meta.exitFlops ?? cumulativeExitFlops(meta);
  return info;
}

/** Leaving at exit i costs the base (first segment and exit) plus blocks 1..i, each with its exit. */
export function cumulativeExitFlops(meta: AdnnMeta): number[] {
  const out = [meta.baseFlops];
  for (const b of meta.blocks) out.push(out[out.length - 1] + b.flops);
  return out;
}
