import * as tf from '@tensorflow/tfjs-core';

/** What a kernel function receives. */
export type KernelArgs = Parameters<tf.KernelFunc>[0];

/** Builds a replacement kernel from the backend's own one (undefined when it has none). */
export type KernelWrapper = (own: tf.KernelFunc | undefined) => tf.KernelFunc;

const ours = new Map<string, tf.KernelFunc>();

/**
 * Replaces kernels of `backendName` by wrappers of its own ones (which they
 * call for the cases they do not handle). The backend's set-up function is
 * kept, so a re-initialised backend still sets up its own kernels. Safe to
 * repeat: a kernel already wrapped is left alone.
 */
export function wrapKernels(backendName: string, wrappers: Record<string, KernelWrapper>): void {
  for (const [kernelName, wrap] of Object.entries(wrappers)) {
    if (isWrapped(backendName, kernelName)) continue;
    const own = tf.getKernel(kernelName, backendName);
    const kernelFunc = wrap(own?.kernelFunc);
    if (own != null) tf.unregisterKernel(kernelName, backendName);
    tf.registerKernel({ kernelName, backendName, kernelFunc, ...(own?.setupFunc ? { setupFunc: own.setupFunc } : {}) });
    ours.set(`${backendName}/${kernelName}`, kernelFunc);
  }
}

/** True when the kernel `backendName` runs for `kernelName` is a wrapper installed here. */
export function isWrapped(backendName: string, kernelName: string): boolean {
  const f = ours.get(`${backendName}/${kernelName}`);
  return f !== undefined && tf.getKernel(kernelName, backendName)?.kernelFunc === f;
}

/** The backend's own kernel, or an error naming the case no wrapper handles. */
export function orOwn(own: tf.KernelFunc | undefined, kernelName: string): tf.KernelFunc {
  return (
    own ??
    (() => {
      throw new Error(`${kernelName}: this case needs the backend's own kernel, which is not registered`);
    })
  );
}
