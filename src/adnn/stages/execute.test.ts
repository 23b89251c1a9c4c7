import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpu } from '../../../test/helpers/tf.js';
import { InferenceEngine } from '../../engine/ort/index.js';
import type { AdaptiveNetwork } from '../contract.js';
import { compileStagedOrt, INPUT_REGISTER, runPlanTfjs, softmaxTop, StagePlanError, validatePlan, type CallStep, type StagePlan } from './index.js';

beforeAll(useCpu);

/**
 * A toy plan on inputs (a, b) of shape [1, 1, 2], FLOPs chosen by hand:
 *   stem (10): h = x;  gate (1): p = a;  block 0 if p > tau: h = h + 1 (100),
 *   else the shortcut: h unchanged, or h * 0.5 (3) when `withSkip`;
 *   head0 (5): logits (h_a, h_b), exit when max softmax >= tau;
 *   block 1 (50): logits 2 * (h_a, h_b), every input leaves.
 */
function toyPlan(withSkip: boolean): StagePlan {
  const call = (name: string, inputs: string[], outputs: string[], flops: number, f: (h: tf.Tensor) => tf.Tensor, block?: number): CallStep => ({
    op: 'call',
    name,
    inputs,
    outputs,
    ...(block !== undefined ? { block } : {}),
    fn: ([[h]], counter) => {
      counter?.add(flops);
      return [[f(h)]];
    },
  });
  const logits = (h: tf.Tensor) => tf.reshape(h, [-1, 2]);
  return {
    blocks: 2,
    steps: [
      call('stem', [INPUT_REGISTER], ['h'], 10, (x) => tf.mul(x, 1)),
      call('gate', ['h'], ['p'], 1, (h) => tf.reshape(tf.slice(h, [0, 0, 0, 0], [-1, 1, 1, 1]), [-1])),
      {
        op: 'branch',
        p: 'p',
        block: 0,
        run: call('block0', ['h'], ['h'], 100, (h) => tf.add(h, 1)),
        ...(withSkip ? { skip: call('shortcut0', ['h'], ['h'], 3, (h) => tf.mul(h, 0.5)) } : {}),
      },
      call('head0', ['h'], ['logits'], 5, logits),
      { op: 'exit', logits: 'logits', always: false },
      call('block1', ['h'], ['logits'], 50, (h) => logits(tf.mul(h, 2)), 1),
      { op: 'exit', logits: 'logits', always: true },
    ],
  };
}

// tau 0.7. Exit 0's confidence is sigmoid(|h_a - h_b|).
// (0.9, 0):   p 0.9 runs block 0 -> (1.9, 1.0), sigmoid(0.9) = 0.711 leaves at exit 0, label 0: 10+1+100+5 = 116
// (0.2, 0):   p 0.2 skips -> (0.2, 0) [or (0.1, 0)], sigmoid(0.2) = 0.550 goes on: logits (0.4, 0) [(0.2, 0)], label 0: 10+1+5+50 = 66 [+3 = 69]
// (0.8, 3):   runs -> (1.8, 4.0), sigmoid(2.2) = 0.900 leaves, label 1: 116
// (0.75, 0.5): runs -> (1.75, 1.5), sigmoid(0.25) = 0.562 goes on: logits (3.5, 3.0), label 0: 166
const IMAGES = Float32Array.from([0.9, 0, 0.2, 0, 0.8, 3, 0.75, 0.5]);
const TAU = 0.7;
const EXPECTED = {
  predictions: [0, 0, 1, 0],
  ran: [1, 0, 0, 1, 1, 0, 1, 1],
  flops: { identity: [116, 66, 116, 166], skip: [116, 69, 116, 166] },
  logits: { identity: [1.9, 1, 0.4, 0, 1.8, 4, 3.5, 3], skip: [1.9, 1, 0.2, 0, 1.8, 4, 3.5, 3] },
};

function toyNetwork(plan: StagePlan): AdaptiveNetwork {
  // Just what compileStagedOrt reads: the input shape, a name, the weights, the plan.
  return { meta: { name: 'toy', input: { height: 1, width: 1, channels: 2, range: [0, 3] } }, namedWeights: () => new Map(), stages: () => plan } as unknown as AdaptiveNetwork;
}

describe('executePlan on a hand-made plan', () => {
  for (const variant of ['identity', 'skip'] as const) {
    const plan = toyPlan(variant === 'skip');

    it(`tfjs, ${variant} shortcut: exits, skips and FLOPs as worked out by hand`, () => {
      const x = tf.tensor4d(IMAGES, [4, 1, 1, 2]);
      const before = tf.memory().numTensors;
      const exec = runPlanTfjs(plan, x, TAU, { keepLogits: true });
      expect(tf.memory().numTensors).toBe(before);
      expect(Array.from(exec.predictions)).toEqual(EXPECTED.predictions);
      expect(Array.from(exec.ran)).toEqual(EXPECTED.ran);
      expect(Array.from(exec.flops)).toEqual(EXPECTED.flops[variant]);
      expect(Array.from(exec.logits!)).toEqual(EXPECTED.logits[variant].map((v) => expect.closeTo(v, 6)));
      x.dispose();
    });

    it(`onnxruntime, ${variant} shortcut: the same`, () => {
      const staged = compileStagedOrt(new InferenceEngine({ choice: 'ort' }), toyNetwork(plan))!;
      const exec = staged.run(IMAGES, 4, TAU, { keepLogits: true });
      expect(Array.from(exec.predictions)).toEqual(EXPECTED.predictions);
      expect(Array.from(exec.ran)).toEqual(EXPECTED.ran);
      expect(Array.from(exec.flops)).toEqual(EXPECTED.flops[variant]);
      expect(Array.from(exec.logits!)).toEqual(EXPECTED.logits[variant].map((v) => expect.closeTo(v, 6)));
      // What the trace counted for each stage is what the executor adds.
      expect(Object.fromEntries(staged.stageFlops())).toMatchObject({ stem: 10, gate: 1, block0: 100, head0: 5, block1: 50 });
      staged.dispose();
    });
  }

  it('without instrumentation: the same decisions, nothing counted', () => {
    const x = tf.tensor4d(IMAGES, [4, 1, 1, 2]);
    const exec = runPlanTfjs(toyPlan(false), x, TAU, { instrument: false });
    expect(Array.from(exec.predictions)).toEqual(EXPECTED.predictions);
    expect(Array.from(exec.flops)).toEqual([0, 0, 0, 0]);
    expect(Array.from(exec.ran)).toEqual(new Array(8).fill(0));
    x.dispose();
  });

  it('one tau for both rules: above every p and confidence no block 0 but every exit; below, block 0 and out at exit 0', () => {
    const x = tf.tensor4d(IMAGES, [4, 1, 1, 2]);
    // 10 + 1 + 5 + 50, and 10 + 1 + 100 + 5.
    expect(Array.from(runPlanTfjs(toyPlan(false), x, 1.01).flops)).toEqual([66, 66, 66, 66]);
    expect(Array.from(runPlanTfjs(toyPlan(false), x, -0.01).flops)).toEqual([116, 116, 116, 116]);
    x.dispose();
  });
});

describe('softmaxTop', () => {
  it('max softmax and the first argmax', () => {
    // softmax(0, ln 3) = (1/4, 3/4)
    expect(softmaxTop([0, Math.log(3)], 0, 2).confidence).toBeCloseTo(0.75, 12);
    expect(softmaxTop([9, 2, 5, 5], 2, 2)).toEqual({ confidence: 0.5, label: 0 });
  });
});

describe('validatePlan', () => {
  const exit = { op: 'exit', logits: 'logits', always: true } as const;
  const head: CallStep = { op: 'call', name: 'head', inputs: ['x'], outputs: ['logits'], fn: () => [] };

  it('refuses reading a register nothing wrote, a plan without a final exit, and blocks out of range', () => {
    expect(() => validatePlan({ blocks: 0, steps: [{ ...head, inputs: ['h'] }, exit] })).toThrow(/reads register 'h' before anything writes it/);
    expect(() => validatePlan({ blocks: 0, steps: [head] })).toThrow(StagePlanError);
    expect(() => validatePlan({ blocks: 1, steps: [{ ...head, block: 1 }, exit] })).toThrow(/block 1 is outside the plan's 1 blocks/);
    expect(() => validatePlan({ blocks: 0, steps: [head, exit] })).not.toThrow();
  });
});
