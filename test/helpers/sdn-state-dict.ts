/**
 * The state_dict keys and PyTorch shapes of the SDN code's models
 * (yigitcankaya/Shallow-Deep-Networks, architectures/SDNs/*_SDN.py), listed
 * by hand from its module structure, for a square input side and a width
 * multiplier (1 = the original). Test helper: an independent listing to
 * check the import mappings against, and to write files without PyTorch.
 */
export type StateDictShapes = Map<string, number[]>;

export interface SdnListing {
  classes: number;
  side?: number;
  widthMultiplier?: number;
}

const width = (w: number, m: number) => Math.max(1, Math.round(w * m));

function batchNorm(sd: StateDictShapes, key: string, channels: number): void {
  for (const t of ['weight', 'bias', 'running_mean', 'running_var']) sd.set(`${key}.${t}`, [channels]);
  sd.set(`${key}.num_batches_tracked`, []);
}

/** aux_funcs.InternalClassifier: alpha [1] and pooling when the side is at least 4, then linear. */
function internalClassifier(sd: StateDictShapes, key: string, side: number, channels: number, classes: number): void {
  const kernel = side >= 4 ? Math.floor(side / 4) : 0;
  if (kernel) sd.set(`${key}.alpha`, [1]);
  const pooled = kernel ? Math.floor(side / kernel) : side;
  sd.set(`${key}.linear.weight`, [classes, channels * pooled * pooled]);
  sd.set(`${key}.linear.bias`, [classes]);
}

/** ResNet_SDN with create_resnet56's blocks [9, 9, 9] and IC positions. */
export function resnet56StateDict({ classes, side = 32, widthMultiplier: m = 1 }: SdnListing): StateDictShapes {
  const sd: StateDictShapes = new Map();
  const icAt = [[0, 0, 0, 1, 0, 0, 0, 1, 0], [0, 0, 1, 0, 0, 0, 1, 0, 0], [0, 1, 0, 0, 0, 1, 0, 0, 0]];
  const widths = [16, 32, 64].map((w) => width(w, m));
  sd.set('init_conv.0.weight', [widths[0], 3, 3, 3]);
  batchNorm(sd, 'init_conv.1', widths[0]);
  let [inC, s, layer] = [widths[0], side, 0];
  icAt.forEach((stage, st) => {
    stage.forEach((ic, b) => {
      const c = widths[st];
      const key = `layers.${layer++}`;
      const down = st > 0 && b === 0;
      if (down) s = Math.ceil(s / 2);
      sd.set(`${key}.layers.0.0.weight`, [c, inC, 3, 3]);
      batchNorm(sd, `${key}.layers.0.1`, c);
      sd.set(`${key}.layers.0.3.weight`, [c, c, 3, 3]);
      batchNorm(sd, `${key}.layers.0.4`, c);
      if (down) {
        sd.set(`${key}.layers.1.0.weight`, [c, inC, 1, 1]);
        batchNorm(sd, `${key}.layers.1.1`, c);
      }
      if (ic) internalClassifier(sd, `${key}.output`, s, c, classes);
      inC = c;
    });
  });
  sd.set('end_layers.2.weight', [classes, widths[2]]);
  sd.set('end_layers.2.bias', [classes]);
  return sd;
}

/** VGG_SDN of create_vgg16bn (batch norm, fc_layers [512, 512]). */
export function vgg16StateDict({ classes, side = 32, widthMultiplier: m = 1 }: SdnListing): StateDictShapes {
  const sd: StateDictShapes = new Map();
  const channels = [64, 64, 128, 128, 256, 256, 256, 512, 512, 512, 512, 512, 512];
  const pool = [1, 2, 1, 2, 1, 1, 2, 1, 1, 2, 1, 1, 2];
  const icAt = [0, 1, 0, 1, 0, 1, 1, 0, 1, 1, 0, 0, 0];
  let [inC, s] = [3, side];
  channels.forEach((w, i) => {
    const c = width(w, m);
    sd.set(`layers.${i}.layers.0.weight`, [c, inC, 3, 3]);
    sd.set(`layers.${i}.layers.0.bias`, [c]);
    batchNorm(sd, `layers.${i}.layers.1`, c);
    if (pool[i] === 2) s = Math.floor(s / 2);
    if (icAt[i]) internalClassifier(sd, `layers.${i}.output`, s, c, classes);
    inC = c;
  });
  const hidden = width(512, m);
  sd.set('layers.13.layers.1.weight', [hidden, inC * s * s]);
  sd.set('layers.13.layers.1.bias', [hidden]);
  sd.set('end_layers.0.weight', [hidden, hidden]);
  sd.set('end_layers.0.bias', [hidden]);
  sd.set('end_layers.2.weight', [classes, hidden]);
  sd.set('end_layers.2.bias', [classes]);
  return sd;
}

/** MobileNet_SDN of create_mobilenet. */
export function mobilenetStateDict({ classes, side = 32, widthMultiplier: m = 1 }: SdnListing): StateDictShapes {
  const sd: StateDictShapes = new Map();
  const cfg: [number, number][] = [[64, 1], [128, 2], [128, 1], [256, 2], [256, 1], [512, 2], [512, 1], [512, 1], [512, 1], [512, 1], [512, 1], [1024, 2], [1024, 1]];
  const icAt = [0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 1, 0];
  let [inC, s] = [width(32, m), side];
  sd.set('init_conv.0.weight', [inC, 3, 3, 3]);
  batchNorm(sd, 'init_conv.1', inC);
  cfg.forEach(([w, stride], i) => {
    const c = width(w, m);
    if (stride === 2) s = Math.ceil(s / 2);
    sd.set(`layers.${i}.layers.0.weight`, [inC, 1, 3, 3]);
    batchNorm(sd, `layers.${i}.layers.1`, inC);
    sd.set(`layers.${i}.layers.3.weight`, [c, inC, 1, 1]);
    batchNorm(sd, `layers.${i}.layers.4`, c);
    if (icAt[i]) internalClassifier(sd, `layers.${i}.output`, s, c, classes);
    inC = c;
  });
  sd.set('end_layers.2.weight', [classes, inC]);
  sd.set('end_layers.2.bias', [classes]);
  return sd;
}

/** Deterministic values for a listing: entry i of tensor j is a small, distinct number. */
export function fillStateDict(shapes: StateDictShapes, seed = 1): Map<string, { shape: number[]; values: Float32Array }> {
  let state = seed >>> 0;
  const next = () => {
    // xorshift32: repeatable and fast enough for a few million values.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  const out = new Map<string, { shape: number[]; values: Float32Array }>();
  for (const [key, shape] of shapes) {
    const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
    // BN variances must be positive; everything else in [-0.5, 0.5).
    for (let i = 0; i < values.length; i++) values[i] = key.endsWith('running_var') ? 0.5 + next() : next() - 0.5;
    out.set(key, { shape, values });
  }
  return out;
}
