/**
 * FLOPs conventions (docs/design.md §3): 2 x multiply-accumulates of convolutions
 * (groups counted) and dense layers; batch norm, activations and pooling are free.
 * Here, beside the layers that count themselves; the cost model over blocks
 * (Eq. 5) is adnn/flops.ts.
 */

export interface ConvShape {
  inChannels: number;
  outChannels: number;
  kernelHeight: number;
  kernelWidth: number;
  outHeight: number;
  outWidth: number;
  groups?: number;
}

export function convFlops(c: ConvShape): number {
  const groups = c.groups ?? 1;
  const macs = (c.inChannels / groups) * c.outChannels * c.kernelHeight * c.kernelWidth * c.outHeight * c.outWidth;
  return 2 * macs;
}

export function denseFlops(inFeatures: number, outFeatures: number): number {
  return 2 * inFeatures * outFeatures;
}

/**
 * Accumulates the FLOPs of the layers that actually execute. Layers add their
 * per-input cost for the shape they really received; the adaptive execution
 * reads the counter between blocks to attribute cost to the inputs that ran them.
 */
export class FlopsCounter {
  private total = 0;
  add(perInput: number): void {
    this.total += perInput;
  }
  get value(): number {
    return this.total;
  }
}
