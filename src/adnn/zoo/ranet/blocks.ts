import * as tf from '@tensorflow/tfjs-core';
import { Dense, type ParamStore } from '../../../nn/index.js';
import { Bottleneck, ConvBasic, resizeTo, type RunContext } from './layers.js';
import type { BlockPlan, ExitPlan, LayerPlan } from './plan.js';

/** A block's output and the features the next sub-network fuses (input and every layer's output). */
export interface BlockResult {
  output: tf.Tensor4D;
  features: tf.Tensor4D[];
}

/**
 * One layer of a block. Dense (ConvNormal): [x, f(x)]. Fusion (ConvUpNormal):
 * [resize(x), resize(up(low)), f(x)] at f(x)'s resolution, so features of the
 * coarser sub-network are reused, not recomputed.
 */
class RaLayer {
  private readonly main: Bottleneck;
  private readonly up?: Bottleneck;

  constructor(store: ParamStore, name: string, p: LayerPlan) {
    this.main = new Bottleneck(store, `${name}.main`, p.main);
    if (p.kind === 'fusion') this.up = new Bottleneck(store, `${name}.up`, p.up);
  }

  apply(x: tf.Tensor4D, low: tf.Tensor4D | undefined, ctx: RunContext): tf.Tensor4D {
    const res = this.main.apply(x, ctx);
    if (!this.up || !low) return tf.concat([x, res], 3);
    const [h, w] = [res.shape[1], res.shape[2]];
    return tf.concat([resizeTo(x, h, w), resizeTo(this.up.apply(low, ctx), h, w), res], 3);
  }
}

/** _BlockNormal / _BlockUpNormal: `step` layers, the fusion block's last 1x1, an optional transition. */
export class RaBlock {
  private readonly layers: RaLayer[];
  private readonly last?: ConvBasic;
  private readonly trans?: ConvBasic;

  constructor(store: ParamStore, name: string, readonly plan: BlockPlan) {
    this.layers = plan.layers.map((l, i) => new RaLayer(store, `${name}.layer${i}`, l));
    if (plan.last) this.last = new ConvBasic(store, `${name}.last`, plan.last);
    if (plan.trans) this.trans = new ConvBasic(store, `${name}.trans`, plan.trans);
  }

  /** `low`: the coarser sub-network's features of the block with the same number (fusion blocks). */
  apply(x: tf.Tensor4D, low: tf.Tensor4D[] | undefined, ctx: RunContext): BlockResult {
    const features = [x];
    let h = x;
    this.layers.forEach((layer, i) => {
      h = layer.apply(h, low?.[i], ctx);
      features.push(h);
    });
    if (this.last && low) {
      const fromLow = this.last.apply(low[this.layers.length], ctx);
      h = tf.concat([h, resizeTo(fromLow, h.shape[1], h.shape[2])], 3);
    }
    if (this.trans) h = this.trans.apply(h, ctx);
    return { output: h, features };
  }
}

/**
 * The original's CIFAR classifier: two stride-2 3x3 ConvBasic layers, average
 * pooling, a linear layer. The original's AvgPool2d(2) sees a 2x2 map on CIFAR
 * (8x8 in); global average pooling is the same there and fits any input size.
 */
export class RaExit {
  private readonly convs: [ConvBasic, ConvBasic];
  private readonly linear: Dense;

  constructor(store: ParamStore, name: string, p: ExitPlan) {
    this.convs = [new ConvBasic(store, `${name}.conv0`, p.convs[0]), new ConvBasic(store, `${name}.conv1`, p.convs[1])];
    this.linear = new Dense(store, `${name}.linear`, p.features, p.classes);
  }

  apply(x: tf.Tensor4D, ctx: RunContext): tf.Tensor2D {
    const h = this.convs[1].apply(this.convs[0].apply(x, ctx), ctx);
    return this.linear.apply(tf.mean(h, [1, 2]) as tf.Tensor2D, ctx.counter);
  }
}
