import { convFlops, denseFlops } from '../../flops.js';
import type { BlockPlan, BottleneckPlan, ConvBasicPlan, ExitPlan, RaNetPlan } from './plan.js';

/**
 * FLOPs of a RaNet from its static plan (2 x MAC of convolutions and the
 * linear layers; BN, ReLU, pooling and the bilinear resizes are free).
 */

export function convBasicFlops(p: ConvBasicPlan): number {
  return convFlops({
    inChannels: p.inChannels,
    outChannels: p.outChannels,
    kernelHeight: p.kernel,
    kernelWidth: p.kernel,
    outHeight: p.output[0],
    outWidth: p.output[1],
  });
}

function bottleneckFlops(b: BottleneckPlan): number {
  return convBasicFlops(b.squeeze) + convBasicFlops(b.conv);
}

export function blockFlops(b: BlockPlan): number {
  let f = 0;
  for (const layer of b.layers) {
    f += bottleneckFlops(layer.main);
    if (layer.kind === 'fusion') f += bottleneckFlops(layer.up);
  }
  if (b.last) f += convBasicFlops(b.last);
  if (b.trans) f += convBasicFlops(b.trans);
  return f;
}

export function exitFlops(e: ExitPlan): number {
  return convBasicFlops(e.convs[0]) + convBasicFlops(e.convs[1]) + denseFlops(e.features, e.classes);
}

/** Cost of each segment (its blocks and its exit); segment 0 also pays the stem. */
export function segmentFlops(plan: RaNetPlan): number[] {
  const stem = plan.stem.reduce((s, c) => s + convBasicFlops(c), 0);
  return plan.segments.map((seg, i) => seg.blocks.reduce((s, b) => s + blockFlops(b), i === 0 ? stem : 0) + exitFlops(seg.exit));
}
