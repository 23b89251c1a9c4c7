/**
 * ResNet-56 SDN at 32x32x3 (100 classes), batch 64: the soft pass the product
 * uses for FLOPs / coverage / sensitivity (softBatched), and the gradient of
 * the activation probabilities with respect to the input (the gradient ILFO
 * and DeepSloth follow), each beside its PyTorch twin.
 */
import { randomImages } from './product.mjs';
import { alternate, summarize, timeMs, torchTask } from './side-by-side.mjs';

const BATCH = 64;

export function benchAdnn(p, torch, s) {
  const entry = p.adnn.zooEntry('sdn-resnet56');
  const network = entry.build(entry.defaultConfig(), 1);
  const shape = [32, 32, 3];
  const batch = randomImages(BATCH, shape, 21);
  const { tf } = p;
  const values = {};
  const notes = {};
  const details = { arch: 'sdn-resnet56', batch: BATCH, flops_all_exits: p.adnn.totalFlops(network.meta) };
  const x = tf.tensor4d(batch.images, [BATCH, ...shape]);
  try {
    const fwdTwin = torchTask(torch, 'adnn_fwd', { batch: BATCH }, s.warmup);
    const fwd = alternate({
      repeats: s.adnnRepeats,
      warmup: s.warmup,
      ours: () => timeMs(() => p.adnn.softBatched(network, batch, BATCH)),
      theirs: () => fwdTwin.time(),
    });
    fwdTwin.drop?.();
    values.adnn_fwd_ms_b64 = fwd.oursMedian;
    values.torch_adnn_fwd_ms_b64 = fwd.theirsMedian;
    if (fwd.theirsMedian === null) notes.torch_adnn_fwd_ms_b64 = fwdTwin.note ?? 'no PyTorch sample';
    Object.assign(details, { torch_flops_all_exits: fwdTwin.flops, fwd_samples: { warmup: fwd.warmup, ours: fwd.ours, torch: fwd.theirs }, fwd_summary: summarize(fwd.ours, fwd.theirs) });

    // d(sum_i p_i) / dx over the batch, BN in inference mode, read back like any result:
    // the product's activationGradient (one onnxruntime program when it loads), else tf.grad.
    const gradOfP = tf.grad((input) => tf.sum(network.soft(input).p));
    const gradEngines = new Set();
    const gradient = () => {
      if (!p.adnn.activationGradient) return tf.tidy(() => gradOfP(x));
      const r = p.adnn.activationGradient(network, x);
      gradEngines.add(r.engine);
      return r.grad;
    };
    const gradTwin = torchTask(torch, 'adnn_inputgrad', { batch: BATCH }, s.warmup);
    const grad = alternate({
      repeats: s.gradRepeats,
      warmup: s.warmup,
      ours: () =>
        timeMs(() => {
          const g = gradient();
          g.dataSync();
          g.dispose();
        }),
      theirs: () => gradTwin.time(),
    });
    gradTwin.drop?.();
    values.adnn_inputgrad_ms_b64 = grad.oursMedian;
    values.torch_adnn_inputgrad_ms_b64 = grad.theirsMedian;
    notes.adnn_inputgrad_ms_b64 = `gradient of sum(soft(x).p) w.r.t. x (the gradient ILFO / DeepSloth follow): ${gradEngines.size ? `activationGradient on ${[...gradEngines].join(', ')}` : 'tf.grad on tfjs'}`;
    if (grad.theirsMedian === null) notes.torch_adnn_inputgrad_ms_b64 = gradTwin.note ?? 'no PyTorch sample';
    details.inputgrad_samples = { warmup: grad.warmup, ours: grad.ours, torch: grad.theirs };
    details.inputgrad_summary = summarize(grad.ours, grad.theirs);
  } finally {
    x.dispose();
    network.dispose();
  }
  return { values, notes, details };
}
