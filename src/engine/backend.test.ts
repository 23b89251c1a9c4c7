import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
// Starts with no backend chosen: test/setup/backend.ts must not choose one first.
import '../../test/setup/own-backend.js';
import { backendInfo, initBackend } from './backend.js';
import { BackendError, chooseBackend, explicitRequest, parseBackendName, TFJS_NODE_NOTE, type BackendLoaders } from './select.js';
import { wasmConvKernelsRegistered } from './wasm-kernels.js';

function tfjsNodeInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

/** Loaders that record their calls; the named ones fail with a fixed reason. */
function fakeLoaders(failing: string[], calls: string[] = []): BackendLoaders {
  const make = (name: string) => async () => {
    calls.push(name);
    if (failing.includes(name)) throw new Error(`${name} is broken`);
    return { threads: 1 };
  };
  return { tensorflow: make('tensorflow'), wasm: make('wasm'), cpu: make('cpu') };
}

describe('parseBackendName', () => {
  it('maps the accepted spellings', () => {
    expect(parseBackendName('node', 'x')).toBe('tensorflow');
    expect(parseBackendName('TensorFlow', 'x')).toBe('tensorflow');
    expect(parseBackendName(' wasm ', 'x')).toBe('wasm');
    expect(parseBackendName('cpu', 'x')).toBe('cpu');
  });

  it('treats empty, missing and auto as no choice', () => {
    expect(parseBackendName(undefined, 'x')).toBeUndefined();
    expect(parseBackendName('', 'x')).toBeUndefined();
    expect(parseBackendName('auto', 'x')).toBeUndefined();
  });

  it('rejects an unknown name with a BackendError naming the source and the choices', () => {
    expect(() => parseBackendName('webgpu', '--backend')).toThrow(BackendError);
    expect(() => parseBackendName('webgpu', '--backend')).toThrow(/'webgpu' \(from --backend\).*wasm.*cpu.*node \(tfjs-node, opt-in\)/);
  });
});

describe('explicitRequest', () => {
  it('prefers the argument over DEEPPERFORM_BACKEND', () => {
    expect(explicitRequest('cpu', { DEEPPERFORM_BACKEND: 'wasm' })).toEqual({ name: 'cpu', raw: 'cpu' });
  });

  it('reads DEEPPERFORM_BACKEND when there is no argument', () => {
    expect(explicitRequest(undefined, { DEEPPERFORM_BACKEND: 'node' })).toEqual({ name: 'tensorflow', raw: 'node' });
    expect(explicitRequest(undefined, {})).toBeUndefined();
  });

  it('lets an explicit auto argument ignore the variable', () => {
    expect(explicitRequest('auto', { DEEPPERFORM_BACKEND: 'cpu' })).toBeUndefined();
  });

  it('reports a bad variable value as such', () => {
    expect(() => explicitRequest(undefined, { DEEPPERFORM_BACKEND: 'gpu' })).toThrow(/DEEPPERFORM_BACKEND/);
  });
});

describe('chooseBackend', () => {
  it('auto takes wasm first and never tries tfjs-node, even when it would load', async () => {
    const calls: string[] = [];
    const info = await chooseBackend(undefined, fakeLoaders([], calls));
    expect(info).toEqual({ name: 'wasm', fallbackReasons: [], threads: 1 });
    expect(calls).toEqual(['wasm']);
  });

  it('falls back from wasm to cpu and records why, still without tfjs-node', async () => {
    const calls: string[] = [];
    const info = await chooseBackend(undefined, fakeLoaders(['wasm'], calls));
    expect(info.name).toBe('cpu');
    expect(info.fallbackReasons).toEqual(['wasm: wasm is broken']);
    expect(calls).toEqual(['wasm', 'cpu']);
  });

  it('runs tfjs-node only when asked for by name, and records that CI does not cover it', async () => {
    const info = await chooseBackend({ name: 'tensorflow', raw: 'node' }, fakeLoaders([]));
    expect(info.name).toBe('tensorflow');
    expect(info.requested).toBe('node');
    expect(info.fallbackReasons).toEqual([TFJS_NODE_NOTE]);
    expect(TFJS_NODE_NOTE).toMatch(/opt-in and not covered by deepperform's CI/);
  });

  it('never falls back from an explicit choice', async () => {
    const calls: string[] = [];
    const request = { name: 'wasm' as const, raw: 'wasm' };
    await expect(chooseBackend(request, fakeLoaders(['wasm'], calls))).rejects.toThrow(
      /'wasm' was requested but cannot be used: wasm is broken/,
    );
    expect(calls).toEqual(['wasm']);
  });

  it('fails with every reason when nothing loads', async () => {
    const attempt = chooseBackend(undefined, fakeLoaders(['wasm', 'cpu']));
    await expect(attempt).rejects.toThrow(BackendError);
    await expect(chooseBackend(undefined, fakeLoaders(['wasm', 'cpu']))).rejects.toThrow(/wasm is broken; cpu: cpu is broken/);
  });
});

// These run in order against the real packages, in this file's own process.
describe('initBackend with the installed packages', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('picks wasm by default, whether or not tfjs-node is installed', async () => {
    expect(backendInfo()).toBeUndefined();
    const info = await initBackend({ env: {} });
    expect(info.name).toBe('wasm');
    expect(info.requested).toBeUndefined();
    expect(info.fallbackReasons).toEqual([]);
    expect(info.threads).toBe(1);
    expect(tf.getBackend()).toBe('wasm');
    expect(wasmConvKernelsRegistered()).toBe(true);
    expect(backendInfo()).toBe(info);
  });

  it('returns the same info when called again', async () => {
    const first = await initBackend({ backend: 'wasm', env: {} });
    expect(await initBackend({ env: {} })).toBe(first);
    expect(await initBackend({ backend: 'wasm', env: {} })).toBe(first);
  });

  it('honours DEEPPERFORM_BACKEND from the process environment', async () => {
    vi.stubEnv('DEEPPERFORM_BACKEND', 'cpu');
    const info = await initBackend();
    expect(info).toMatchObject({ name: 'cpu', requested: 'cpu', fallbackReasons: [] });
    expect(tf.getBackend()).toBe('cpu');
  });

  it('lets the argument override the environment', async () => {
    const info = await initBackend({ backend: 'wasm', threads: 4, env: { DEEPPERFORM_BACKEND: 'cpu' } });
    expect(info.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    // The multithreaded wasm binary is never chosen in Node; the shortfall is recorded.
    expect(info.threads).toBe(1);
    expect(info.fallbackReasons.join('\n')).toMatch(/4 threads requested, running 1/);
  });

  it.skipIf(tfjsNodeInstalled())('refuses an explicit backend that cannot load, keeping the current one', async () => {
    const attempt = initBackend({ backend: 'node', env: {} });
    await expect(attempt).rejects.toThrow(BackendError);
    await expect(initBackend({ backend: 'node', env: {} })).rejects.toThrow(/'node' was requested.*tfjs-node is not installed/);
    expect(tf.getBackend()).toBe('wasm');
    expect(backendInfo()?.name).toBe('wasm');
  });

  it('refuses an unknown backend name', async () => {
    await expect(initBackend({ backend: 'metal' })).rejects.toThrow(BackendError);
  });

  it('registers gradients, so training code can differentiate', () => {
    const g = tf.grad((x: tf.Tensor) => tf.sum(tf.square(x)))(tf.tensor1d([1, -2, 3]));
    expect(Array.from(g.dataSync())).toEqual([2, -4, 6]);
  });
});
