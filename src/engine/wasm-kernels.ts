import * as tf from '@tensorflow/tfjs-core';
import { makeBackpropFilter } from './backprop-filter.js';
import { makeBackpropInput, type InputGradStrategy } from './backprop-input.js';
import { makeConv2D } from './conv-forward.js';
import { convAccelerator, type ConvAccelerator } from './ort-conv.js';

/**
 * Conv2D gradient kernels built from a backend's own forward convolution.
 * Stock tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter at all (training a
 * conv net throws) and a naive-loop Conv2DBackpropInput; its forward Conv2D
 * is XNNPACK. See backprop-filter.ts and backprop-input.ts for the algebra.
 * On wasm all three first offer the layer to onnxruntime (ort-conv.ts).
 */

export interface ConvGradOptions {
  /** Which kernels to replace (default both). */
  kernels?: ReadonlyArray<'Conv2DBackpropFilter' | 'Conv2DBackpropInput'>;
  /** How the input gradient handles strides (default 'phases'). */
  inputStrategy?: InputGradStrategy;
  /** Runs the layers it takes on onnxruntime first (default: the shared one on wasm, none elsewhere). */
  accelerator?: ConvAccelerator | null;
}

const installed = new Map<string, tf.KernelFunc>();

function install(kernelName: string, backendName: string, kernelFunc: tf.KernelFunc, setupFunc?: tf.KernelSetupFunc): void {
  if (tf.getKernel(kernelName, backendName) != null) tf.unregisterKernel(kernelName, backendName);
  tf.registerKernel({ kernelName, backendName, kernelFunc, ...(setupFunc ? { setupFunc } : {}) });
  installed.set(`${backendName}/${kernelName}`, kernelFunc);
}

function defaultAccelerator(backendName: string, opts: ConvGradOptions): ConvAccelerator | undefined {
  if (opts.accelerator !== undefined) return opts.accelerator ?? undefined;
  return backendName === 'wasm' ? convAccelerator : undefined;
}

/** Registers the conv-based gradient kernels for `backendName`, replacing any existing ones. */
export function registerConvGradKernels(backendName: string, opts: ConvGradOptions = {}): void {
  const kernels = opts.kernels ?? ['Conv2DBackpropFilter', 'Conv2DBackpropInput'];
  const accel = defaultAccelerator(backendName, opts);
  if (kernels.includes('Conv2DBackpropFilter')) {
    install('Conv2DBackpropFilter', backendName, makeBackpropFilter(backendName, accel));
  }
  if (kernels.includes('Conv2DBackpropInput')) {
    install('Conv2DBackpropInput', backendName, makeBackpropInput(backendName, opts.inputStrategy, accel));
  }
}

/** True when both of our kernels are the ones `backendName` will run. */
export function convGradKernelsRegistered(backendName: string): boolean {
  return ['Conv2DBackpropFilter', 'Conv2DBackpropInput'].every((name) => isOurs(backendName, name));
}

function isOurs(backendName: string, name: string): boolean {
  const ours = installed.get(`${backendName}/${name}`);
  return ours !== undefined && tf.getKernel(name, backendName)?.kernelFunc === ours;
}

/**
 * Wraps `backendName`'s own Conv2D so the accelerator can take it; the
 * backend's kernel (and its set-up, which runs again if the backend is
 * re-initialised) stays behind it.
 */
export function registerConvForward(backendName: string, accel: ConvAccelerator = convAccelerator): void {
  const own = tf.getKernel('Conv2D', backendName);
  if (own == null) throw new Error(`the ${backendName} backend has no Conv2D kernel to wrap`);
  if (isOurs(backendName, 'Conv2D')) return;
  install('Conv2D', backendName, makeConv2D(own.kernelFunc, accel), own.setupFunc);
}

/** What initBackend does for wasm: the forward wrapper and both gradient kernels, phase strategy. Safe to repeat. */
export function registerWasmConvKernels(): void {
  if (!convGradKernelsRegistered('wasm')) registerConvGradKernels('wasm');
  registerConvForward('wasm');
}

export function wasmConvKernelsRegistered(): boolean {
  return convGradKernelsRegistered('wasm') && isOurs('wasm', 'Conv2D');
}
