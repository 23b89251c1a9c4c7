/**
 * Table 1: each model's FLOPs (min / mean / max over the test split, counted
 * by the real adaptive execution at tau) and its accuracy, beside what every
 * block would cost. Deterministic for the same weights.
 */

export async function table1(product, models, { dataPath, inputs, tau, log }) {
  const { adnn, data } = product;
  const test = await data.loadDataset({ name: 'fashion-mnist', split: 'test', path: dataPath });
  const set = inputs >= test.count ? test : data.subset(test, Array.from({ length: inputs }, (_, i) => i));
  const rows = [];
  for (const [arch, model] of Object.entries(models)) {
    log(`table 1: ${arch} on ${set.count} test images`);
    const { network } = await adnn.loadAdnn(model.dir);
    try {
      const started = performance.now();
      const e = adnn.evaluateAdaptive(network, set, tau);
      const meta = network.meta;
      rows.push({
        arch,
        kind: meta.kind,
        blocks: meta.blocks.length,
        inputs: set.count,
        tau,
        accuracy: e.accuracy,
        minFlops: e.minFlops,
        meanFlops: e.meanFlops,
        maxFlops: e.maxFlops,
        allBlocksFlops: meta.baseFlops + meta.blocks.reduce((a, b) => a + b.flops, 0),
        adaptiveShare: e.adaptiveShare,
        seconds: (performance.now() - started) / 1000,
      });
    } finally {
      network.dispose();
    }
  }
  return { inputs: set.count, tau, rows };
}
