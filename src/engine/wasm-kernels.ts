import * as tf from '@tensorflow/tfjs-core';
import { makeBackpropFilter } from './backprop-filter.js';
import { makeBackpropInput, type InputGradStrategy } from './backprop-input.js';

/**
 * Conv2D gradient kernels built from a backend's own forward convolution.
 * Stock tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter at all (training a
 * conv net throws) and a naive-loop Conv2DBackpropInput; its forward Conv2D
 * is XNNPACK. See backprop-filter.ts and backprop-input.ts for the algebra.
 */

export interface ConvGradOptions {
  /** Which kernels to replace (default both). */
  kernels?: ReadonlyArray<'Conv2DBackpropFilter' | 'Conv2DBackpropInput'>;
  /** How the input gradient handles strides (default 'phases'). */
  inputStrategy?: InputGradStrategy;
}

const installed = new Map<string, tf.KernelFunc>();

function install(kernelName: string, backendName: string, kernelFunc: tf.KernelFunc): void {
  if (tf.getKernel(kernelName, backendName) != null) tf.unregisterKernel(kernelName, backendName);
  tf.registerKernel({ kernelName, backendName, kernelFunc });
  installed.set(`${backendName}/${kernelName}`, kernelFunc);
}

/** Registers the conv-based gradient kernels for `backendName`, replacing any existing ones. */
export function registerConvGradKernels(backendName: string, opts: ConvGradOptions = {}): void {
  const kernels = opts.kernels ?? ['Conv2DBackpropFilter', 'Conv2DBackpropInput'];
  if (kernels.includes('Conv2DBackpropFilter')) {
    install('Conv2DBackpropFilter', backendName, makeBackpropFilter(backendName));
  }
  if (kernels.includes('Conv2DBackpropInput')) {
    install('Conv2DBackpropInput', backendName, makeBackpropInput(backendName, opts.inputStrategy));
  }
}

/** True when both of our kernels are the ones `backendName` will run. */
export function convGradKernelsRegistered(backendName: string): boolean {
  return ['Conv2DBackpropFilter', 'Conv2DBackpropInput'].every((name) => {
    const ours = installed.get(`${backendName}/${name}`);
    return ours !== undefined && tf.getKernel(name, backendName)?.kernelFunc === ours;
  });
}

/** What initBackend does for wasm: both kernels, phase strategy. Safe to repeat. */
export function registerWasmConvKernels(): void {
  if (!convGradKernelsRegistered('wasm')) registerConvGradKernels('wasm');
}

export function wasmConvKernelsRegistered(): boolean {
  return convGradKernelsRegistered('wasm');
}
