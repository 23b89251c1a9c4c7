import * as tf from '@tensorflow/tfjs-core';
import type { BackendLoaders } from './select.js';
import { registerConvGradKernels, registerWasmConvKernels } from './wasm-kernels.js';
import { registerWasmFastKernels } from './wasm-fast.js';

/**
 * The real loaders. Each imports its package lazily, so a missing or broken
 * one only fails its own branch, and registers on the tfjs-core instance the
 * project imports (npm dedupes @tensorflow/tfjs-core; a mismatch is detected).
 */

function firstLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n')[0] ?? text;
}

async function activate(name: string): Promise<void> {
  if (tf.findBackendFactory(name) == null) {
    throw new Error(
      `the ${name} backend registered on a different copy of @tensorflow/tfjs-core; ` +
        `install versions matching @tensorflow/tfjs-core ${tf.version_core}`,
    );
  }
  if (!(await tf.setBackend(name))) throw new Error(`the ${name} backend failed to initialise`);
}

/**
 * Registered is not the same as working: a native binding built for another
 * libtensorflow can register and then fail on the first kernel. One small
 * product with a known answer proves the backend computes.
 */
function checkComputes(name: string): void {
  let got: number | undefined;
  try {
    const dot = tf.tidy(() => tf.sum(tf.mul(tf.tensor1d([1, 2, 3]), tf.tensor1d([4, 5, 6]))));
    got = dot.dataSync()[0];
    dot.dispose();
  } catch (e) {
    throw new Error(`the ${name} backend loaded but failed its first computation (${firstLine(e)})`);
  }
  if (got !== 32) throw new Error(`the ${name} backend loaded but computed 1*4+2*5+3*6 = ${got}, not 32`);
}

async function loadTensorflow(): Promise<{ threads?: number }> {
  // A variable specifier: the package is optional, so TypeScript must not resolve it.
  const specifier = '@tensorflow/tfjs-node';
  try {
    await import(specifier);
  } catch (e) {
    throw new Error(`@tensorflow/tfjs-node is not installed (npm install @tensorflow/tfjs-node) or its native binding failed to load (${firstLine(e)})`);
  }
  await activate('tensorflow');
  checkComputes('tensorflow');
  return {}; // libtensorflow sizes its own thread pools
}

async function loadWasm(threads: number | undefined): Promise<{ threads?: number; notes?: string[] }> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  // Only honoured by the multithreaded binary, which tfjs-backend-wasm 4.22
  // never selects in Node (WASM_HAS_MULTITHREAD_SUPPORT is false there).
  if (threads !== undefined) wasm.setThreadsCount(threads);
  await activate('wasm');
  registerWasmConvKernels();
  registerWasmFastKernels();
  const actual = wasm.getThreadsCount();
  const notes =
    threads !== undefined && threads > actual
      ? [
          `wasm: ${threads} threads requested, running ${actual}: tfjs-backend-wasm does not use threads in Node ` +
            `(its convolutions use ${threads} on onnxruntime-node, when it loads: DEEPPERFORM_CONV_ENGINE)`,
        ]
      : [];
  return { threads: actual, notes };
}

async function loadCpu(): Promise<{ threads?: number }> {
  await import('@tensorflow/tfjs-backend-cpu');
  await activate('cpu');
  // The cpu backend's own Conv2DBackpropFilter reads every element through
  // index arithmetic (17 s of a 17.5 s training step in bench/train-step.mjs);
  // as one forward convolution it is 40x faster. Its Conv2DBackpropInput is
  // fine and stays.
  registerConvGradKernels('cpu', { kernels: ['Conv2DBackpropFilter'] });
  // We chose cpu knowingly (and recorded why); skip its "install tfjs-node" banner.
  (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
  return { threads: 1 };
}

export const realLoaders: BackendLoaders = {
  tensorflow: loadTensorflow,
  wasm: loadWasm,
  cpu: loadCpu,
};
