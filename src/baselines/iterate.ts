import * as tf from '@tensorflow/tfjs-core';
import type { AdaptiveNetwork } from '../adnn/index.js';
import { defaultInferenceEngine, type EngineName, type InferenceEngine } from '../engine/ort/index.js';

/**
 * The optimisation loop of a per-input attack (ILFO, DeepSloth, refine), written
 * once in tfjs ops as one iteration over state variables, and run either on
 * tfjs or as one compiled onnxruntime program per iteration (the forward
 * pass, tfjs's own backward pass and the update in a single session call
 * instead of hundreds of tfjs kernels). Both run the same code: the program
 * is a trace of `step`.
 */
export interface AttackLoop {
  network: AdaptiveNetwork;
  /** The seeds of this batch. */
  x: tf.Tensor4D;
  /** What the iterations carry (delta, optimiser moments, best iterate ...); updated in place. */
  state: tf.Variable[];
  /** One iteration: reads x, the state and this iteration's scalars, and assigns new state values. */
  step: (x: tf.Tensor4D, scalars: tf.Tensor1D) => void;
  /** Per-iteration numbers (learning rate, bias corrections), as the `scalars` input. */
  scalars: (iteration: number) => Float32Array;
  iterations: number;
  /** Names the attack and every setting `step` bakes in (the compiled program is cached by it). */
  key: string;
  /** Called after each iteration. */
  tick: () => void;
  /**
   * Called after each iteration with the state variables holding its result
   * (e.g. to judge the iterate by a real adaptive execution, outside the
   * program); the compiled path writes the state back only when this is set.
   */
  observe?: (state: tf.Variable[]) => void;
  engine?: InferenceEngine;
}

/** Runs the loop; the state variables hold the result. Returns the engine that ran it. */
export function runAttackLoop(loop: AttackLoop): EngineName {
  const engine = loop.engine ?? defaultInferenceEngine();
  const scalars = tf.zeros([loop.scalars(0).length]);
  const key = `${loop.key} [${loop.x.shape}] state ${loop.state.map((v) => `[${v.shape}]`).join('')}`;
  const program = engine.program(loop.network, key, loop.network.namedWeights().values(), () => ({
    inputs: [loop.x, scalars],
    state: loop.state,
    fn: (x, s) => {
      loop.step(x as tf.Tensor4D, s as tf.Tensor1D);
      return [];
    },
    name: loop.key,
  }));
  scalars.dispose();
  if (!program) {
    for (let i = 0; i < loop.iterations; i++) {
      tf.tidy(() => loop.step(loop.x, tf.tensor1d(loop.scalars(i))));
      loop.observe?.(loop.state);
      loop.tick();
    }
    return 'tfjs';
  }
  const x = loop.x.dataSync() as Float32Array;
  let state = loop.state.map((v) => v.dataSync() as Float32Array);
  for (let i = 0; i < loop.iterations; i++) {
    const next = program.run([x, loop.scalars(i)], state).state;
    state = state.map((s, k) => next[k] ?? s);
    if (loop.observe) {
      writeBack(loop.state, state);
      loop.observe(loop.state);
    }
    loop.tick();
  }
  writeBack(loop.state, state);
  return 'ort';
}

function writeBack(vars: tf.Variable[], values: Float32Array[]): void {
  vars.forEach((v, k) => tf.tidy(() => v.assign(tf.tensor(values[k], v.shape))));
}
