import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpu } from '../../../test/helpers/tf.js';
import { loadDataset } from '../../data/index.js';
import { InferenceEngine, type OrtFallbackWarning } from '../../engine/ort/index.js';
import type { AdaptiveNetwork } from '../contract.js';
import { blocksRun, costModel } from '../flops.js';
import { loadAdnn } from '../model-io.js';
import { zooEntry } from '../zoo/index.js';
import { compileStagedOrt, runPlanTfjs } from './index.js';
import { shiftStatistics } from '../../../test/helpers/adnn.js';

beforeAll(useCpu);

/** No p or confidence closer to a tested tau than this, so float noise cannot flip a decision. */
const MARGIN = 1e-4;

/**
 * What the model's rule compares with tau, per input and block: p (skipping)
 * or the confidence 1 - p (early exit), from the soft pass. Only SkipNet's p
 * depend on tau (later gates read what earlier decisions made); memoised.
 */
function ruleValues(net: AdaptiveNetwork, x: tf.Tensor4D): (tau: number) => number[][] {
  const memo = new Map<number, number[][]>();
  return (tau) => {
    const key = net.meta.kind === 'skipping' ? tau : 0;
    let values = memo.get(key);
    if (!values) {
      const soft = net.soft(x, tau);
      const p = soft.p.arraySync();
      tf.dispose([soft.p, soft.logits]);
      memo.set(key, (values = net.meta.kind === 'skipping' ? p : p.map((row) => row.map((v) => 1 - v))));
    }
    return values;
  };
}

/**
 * Thresholds in gaps between observed values near the 30th and 70th
 * percentiles, so the inputs split between decisions, plus the two extremes.
 * SkipNet's p depend on tau (later gates read what earlier decisions made),
 * so each candidate is checked at its own tau.
 */
function spreadTaus(values: (tau: number) => number[][]): number[] {
  const sorted = values(0.5).flat().sort((a, b) => a - b);
  // Midpoints of the gaps wide enough, by position in the sorted values.
  const gaps = sorted.slice(1).flatMap((v, i) => (v - sorted[i] > 2 * MARGIN ? [{ at: i, tau: (v + sorted[i]) / 2 }] : []));
  const taus = new Set<number>();
  for (const q of [0.3, 0.7]) {
    const byDistance = [...gaps].sort((a, b) => Math.abs(a.at - q * sorted.length) - Math.abs(b.at - q * sorted.length));
    const ok = byDistance.find((g) => !taus.has(g.tau) && values(g.tau).flat().every((v) => Math.abs(v - g.tau) > MARGIN));
    if (ok) taus.add(ok.tau);
  }
  return [-0.01, ...[...taus].sort((a, b) => a - b), 1.01];
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

interface Case {
  name: string;
  make: () => Promise<{ net: AdaptiveNetwork; images: Float32Array; count: number }>;
}

const COUNT = 12;

function fixture(arch: string): Case {
  return {
    name: `${arch} (trained fixture, Fashion-MNIST test images)`,
    make: async () => {
      const { network } = await loadAdnn(`fixtures/models/${arch}`);
      const test = await loadDataset({ name: 'fashion-mnist-embedded', split: 'test' });
      return { net: network, images: test.images.slice(0, COUNT * 28 * 28), count: COUNT };
    },
  };
}

function random(
  arch: string,
  label: string,
  config: (base: Record<string, unknown>) => Record<string, unknown>,
  input?: [number, number, number],
): Case {
  return {
    name: `${arch} ${label} (random weights)`,
    make: async () => {
      const entry = zooEntry(arch);
      const spec = input ? { height: input[0], width: input[1], channels: input[2], range: [0, 1] as [number, number] } : undefined;
      const net = entry.build(config(entry.defaultConfig(spec) as Record<string, unknown>), 5);
      shiftStatistics(net, 9);
      const { height, width, channels } = net.meta.input;
      const t = tf.randomUniform([COUNT, height, width, channels], 0, 1, 'float32', 13);
      const images = t.dataSync() as Float32Array;
      t.dispose();
      return { net, images, count: COUNT };
    },
  };
}

const same = (c: Record<string, unknown>) => c;

const narrow = (c: Record<string, unknown>) => ({ ...c, widthMultiplier: 0.25 });

// Every family: the committed tiny models, and random-weight configurations
// covering the other gates, shortcuts and layer kinds (depthwise convs, FFGate, 32x32x3).
const CASES: Case[] = [
  fixture('sdn-tiny'),
  fixture('skipnet-tiny'),
  fixture('blockdrop-tiny'),
  fixture('ranet-tiny'),
  random('sdn-resnet56', 'width x0.25, 32x32x3', narrow),
  random('sdn-mobilenet', 'width x0.25, 32x32x3', narrow),
  random('skipnet-tiny', 'feed-forward gates, 32x32x3', (c) => ({ ...c, gate: { kind: 'feedforward' } }), [32, 32, 3]),
  random('blockdrop-tiny', '32x32x3', same, [32, 32, 3]),
  random('ranet-tiny', '32x32x3', same, [32, 32, 3]),
];

describe('real adaptive execution on onnxruntime, per stage', () => {
  for (const c of CASES) {
    it(`${c.name}: same FLOPs, blocks and predictions as run() on tfjs; logits within float tolerance`, async () => {
      const { net, images, count } = await c.make();
      const { height, width, channels } = net.meta.input;
      const staged = compileStagedOrt(new InferenceEngine({ choice: 'ort' }), net)!;
      const x = tf.tensor4d(images, [count, height, width, channels]);
      const k = net.meta.blocks.length;
      const values = ruleValues(net, x);
      const taus = spreadTaus(values);
      expect(taus.length).toBeGreaterThanOrEqual(4);
      const exitsOrSkips = new Set<string>();
      for (const tau of taus) {
        const ort = staged.run(images, count, tau, { keepLogits: true });
        // The executor on tfjs is what run() does (checked once below); it also hands back the logits.
        const tfjs = runPlanTfjs(net.stages!(), x, tau, { keepLogits: true });
        expect(Array.from(ort.flops)).toEqual(Array.from(tfjs.flops));
        expect(Array.from(ort.ran)).toEqual(Array.from(tfjs.ran));
        expect(Array.from(ort.predictions)).toEqual(Array.from(tfjs.predictions));
        const scale = Math.max(1, ...Array.from(tfjs.logits!, Math.abs));
        expect(maxAbsDiff(ort.logits!, tfjs.logits!)).toBeLessThan(1e-4 * scale);
        // Against the cost model of Eq. 5 from the soft pass, not just against the other engine.
        values(tau).forEach((v, b) => {
          const rule = blocksRun(net.meta.kind, net.meta.kind === 'skipping' ? v : v.map((c) => 1 - c), tau);
          expect(ort.flops[b]).toBe(costModel(net.meta, rule));
          expect(Array.from(ort.ran.subarray(b * k, (b + 1) * k)).map(Boolean)).toEqual(rule);
          exitsOrSkips.add(rule.map(Number).join(''));
        });
      }
      const run = net.run(x, taus[2]);
      expect(Array.from(run.flops)).toEqual(Array.from(staged.run(images, count, taus[2]).flops));
      // The thresholds really sent inputs down different paths.
      expect(exitsOrSkips.size).toBeGreaterThanOrEqual(3);
      x.dispose();
      staged.dispose();
      net.dispose();
    }, 120_000);
  }
});

describe('when onnxruntime is not there', () => {
  it('compileStagedOrt gives undefined after one warning (auto), and never loads it for tfjs', () => {
    const entry = zooEntry('sdn-tiny');
    const net = entry.build(entry.defaultConfig(), 1);
    const warnings: OrtFallbackWarning[] = [];
    const failing = new InferenceEngine({
      loader: () => {
        throw new Error('Cannot find module onnxruntime-node');
      },
      warn: (w) => warnings.push(w),
    });
    expect(compileStagedOrt(failing, net)).toBeUndefined();
    expect(compileStagedOrt(failing, net)).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(compileStagedOrt(new InferenceEngine({ choice: 'tfjs' }), net)).toBeUndefined();
    net.dispose();
  });

  it('a network without stages has no staged execution', () => {
    const entry = zooEntry('sdn-tiny');
    const net = entry.build(entry.defaultConfig(), 1);
    const plain = Object.assign(Object.create(net) as AdaptiveNetwork, { stages: undefined });
    expect(compileStagedOrt(new InferenceEngine({ choice: 'ort' }), plain)).toBeUndefined();
    net.dispose();
  });
});
