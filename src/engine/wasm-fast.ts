import { cast, identity, slice } from './heap-kernels.js';
import { fusedBatchNorm, leakyRelu, mean, sum } from './composite-kernels.js';
import { isWrapped, wrapKernels, type KernelWrapper } from './kernel-wrap.js';
import { avgPoolGrad, maxPoolGrad } from './pool-grad-kernels.js';

/**
 * Kernels of tfjs-backend-wasm replaced where its own ones are slow or copy
 * needlessly (each file says how much it saves); every replacement falls
 * back to the backend's own kernel for the cases it does not cover.
 */
const WASM_KERNELS: Record<string, KernelWrapper> = {
  Identity: identity,
  Cast: cast,
  Slice: slice,
  MaxPoolGrad: maxPoolGrad,
  AvgPoolGrad: avgPoolGrad,
  Sum: sum,
  Mean: mean,
  FusedBatchNorm: fusedBatchNorm,
  LeakyRelu: leakyRelu,
};

/** Installs the replacements on the wasm backend. Safe to repeat. */
export function registerWasmFastKernels(backendName = 'wasm'): void {
  wrapKernels(backendName, WASM_KERNELS);
}

export function wasmFastKernelsRegistered(backendName = 'wasm'): boolean {
  return Object.keys(WASM_KERNELS).every((k) => isWrapped(backendName, k));
}
