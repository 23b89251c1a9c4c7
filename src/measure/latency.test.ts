import { beforeAll, describe, expect, it } from 'vitest';
import { useCpu } from '../../test/helpers/tf.js';
import { zooEntry, type AdaptiveNetwork } from '../adnn/index.js';
import { InferenceEngine } from '../engine/ort/index.js';
import { increasedLatency, measureLatency } from './latency.js';
import { imagesWithGates, quarterGated } from './quarter-gated.fixture.js';

beforeAll(useCpu);

// At tau 0.5: input A runs no block (100 FLOPs), B runs b0 (110), C runs all (160).
// The fake run() busy-waits until a deadline: A 2 ms, B 30 ms, C 90 ms. Waiting for a
// deadline absorbs preemption shorter than the wait, and the wide gaps keep the order
// on a loaded machine; only the order is checked, never absolute times.
const images = imagesWithGates([
  [0.25, 0.25, 0.25],
  [0.75, 0.25, 0.25],
  [0.75, 0.75, 0.75],
]);
const WAIT_MS: Record<number, number> = { 100: 2, 110: 30, 160: 90 };
const spinMs = (flops: number) => WAIT_MS[flops];

describe('measureLatency', () => {
  it('one median per input, ordered as the work each input triggers', () => {
    const { msPerInput } = measureLatency(quarterGated({ spinMs }), images, 0.5, { warmup: 1, repeats: 5 });
    expect(msPerInput).toHaveLength(3);
    // The timer surrounds the busy wait, so each time is at least the wait itself.
    expect(msPerInput[0]).toBeGreaterThanOrEqual(2);
    expect(msPerInput[1]).toBeGreaterThanOrEqual(30);
    expect(msPerInput[2]).toBeGreaterThanOrEqual(90);
    expect(msPerInput[0]).toBeLessThan(msPerInput[1]);
    expect(msPerInput[1]).toBeLessThan(msPerInput[2]);
  });

  it('runs each input alone, warm-up plus repeats times (run() on tfjs for a network without stages)', () => {
    const network = quarterGated();
    const m = measureLatency(network, images, 0.5); // defaults: warmup 2, repeats 5
    expect(network.calls).toEqual(new Array(3 * (2 + 5)).fill(1));
    expect(m.engine).toBe('tfjs');
  });

  it('a network with stages is timed stage by stage on onnxruntime, one input at a time, never through run()', () => {
    const entry = zooEntry('sdn-tiny');
    const net = entry.build(entry.defaultConfig(), 3);
    // run() is the tfjs path: on onnxruntime the stages run instead.
    const guarded = Object.assign(Object.create(net) as AdaptiveNetwork, {
      run: () => {
        throw new Error('run() on tfjs was timed');
      },
    });
    const three = { images: new Float32Array(3 * 28 * 28).fill(0.5), count: 3 };
    const m = measureLatency(guarded, three, 0.5, { warmup: 1, repeats: 3, engine: new InferenceEngine({ choice: 'ort' }) });
    expect(m.engine).toBe('ort');
    expect(m.msPerInput).toHaveLength(3);
    expect(m.msPerInput.every((ms) => ms > 0)).toBe(true);
    expect(() => measureLatency(guarded, three, 0.5, { engine: 'tfjs' })).toThrow(/run\(\) on tfjs was timed/);
    net.dispose();
  });

  it('refuses zero repeats and images of the wrong size', () => {
    expect(() => measureLatency(quarterGated(), images, 0.5, { repeats: 0 })).toThrow(/repeats must be a positive integer/);
    expect(() => measureLatency(quarterGated(), { images: new Float32Array(7), count: 1 }, 0.5)).toThrow(/expected 1 x 2x4x1 = 8/);
  });
});

describe('increasedLatency', () => {
  it('(l\' - l) / l per input and its aggregates', () => {
    // seeds [2, 4, 10] ms, generated [3, 4, 5] ms -> [1/2, 0, -1/2]; mean 0, max 0.5, min -0.5, p50 0
    const { perInput, stats } = increasedLatency([2, 4, 10], [3, 4, 5]);
    expect(perInput).toEqual([0.5, 0, -0.5]);
    expect(stats).toMatchObject({ mean: 0, max: 0.5, min: -0.5, p50: 0 });
  });

  it('refuses unpaired samples', () => {
    expect(() => increasedLatency([1, 2], [1])).toThrow(/2 seed values but 1 generated/);
  });
});
