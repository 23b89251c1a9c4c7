import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../engine/index.js';
import { tempDir } from '../../test/helpers/cli.js';
import { loadUserAdnn, UserModelError } from './user-module.js';
import { UserModuleCallError } from './user-call.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

/**
 * A valid two-block skipping model on 2x2x1 inputs; `patch` replaces parts of
 * the returned object's source (meta fields, methods) to break it on purpose.
 */
function moduleWith(patch: { meta?: string; extra?: string; factory?: string; top?: string } = {}): string {
  const file = join(tempDir(), 'm.mjs');
  const meta = patch.meta ?? `{ name: 'two', kind: 'skipping', input: { height: 2, width: 2, channels: 1, range: [0, 1] }, numClasses: 3, baseFlops: 10, blocks: [{ name: 'a', flops: 5 }, { name: 'b', flops: 5 }] }`;
  writeFileSync(
    file,
    `${patch.top ?? ''}
export default function ({ tf }) {
  ${patch.factory ?? ''}
  return {
    meta: ${meta},
    soft(x) { const b = x.shape[0]; return { logits: tf.zeros([b, 3]), p: tf.fill([b, 2], 0.5) }; },
    run(x) { const b = x.shape[0]; return { predictions: new Int32Array(b), ran: new Uint8Array(b * 2), flops: new Float64Array(b).fill(10) }; },
    ${patch.extra ?? ''}
  };
}
`,
  );
  return file;
}

const FAST = { timeoutMs: 400 };

describe('loadUserAdnn: the contract checked at load, each problem naming the module and the field', () => {
  it('a valid module loads; meta.arch defaults to meta.name and meta is a copy the module cannot change', async () => {
    const net = await loadUserAdnn(moduleWith(), 'default', {}, FAST);
    expect(net.meta.arch).toBe('two');
    expect(net.meta.blocks).toEqual([{ name: 'a', flops: 5 }, { name: 'b', flops: 5 }]);
    const x = tf.zeros([1, 2, 2, 1]) as tf.Tensor4D;
    expect(Array.from(net.run(x, 0.5).flops)).toEqual([10]);
    x.dispose();
  });

  it('lists every bad meta field: NaN and infinite FLOPs, a bad range, an empty name, a non-string arch', async () => {
    const file = moduleWith({
      meta: `{ name: ' ', arch: 7, kind: 'skipping', input: { height: 2, width: 2, channels: 1, range: [0, NaN] }, numClasses: 3, baseFlops: NaN, blocks: [{ name: 'a', flops: Infinity }] }`,
    });
    const load = loadUserAdnn(file, 'default', {}, FAST);
    await expect(load).rejects.toBeInstanceOf(UserModelError);
    const message = await load.catch((e: Error) => e.message);
    expect(message).toContain(`${file}: does not implement the AdNN contract: `);
    expect(message).toContain('meta.name must be a non-empty string, got " "');
    expect(message).toContain('meta.arch (optional) must be a non-empty string, got 7');
    expect(message).toContain('meta.input must be { height, width, channels (positive integers), range: [low, high] (finite, low < high) }');
    expect(message).toContain('meta.baseFlops must be a finite number >= 0, got NaN');
    expect(message).toContain('meta.blocks[0] needs a name (string) and flops (a finite number >= 0), got {"name":"a","flops":null}');
  });

  it('refuses an input too large to test, a non-function optional method, a non-object return', async () => {
    const huge = moduleWith({ meta: `{ name: 'h', kind: 'skipping', input: { height: 100000, width: 100000, channels: 3, range: [0, 1] }, numClasses: 3, baseFlops: 1, blocks: [{ name: 'a', flops: 1 }] }` });
    await expect(loadUserAdnn(huge, 'default', {}, FAST)).rejects.toThrow(/meta\.input is 100000x100000x3 = 30000000000 values per image; at most 16777216/);
    await expect(loadUserAdnn(moduleWith({ extra: 'dispose: 3,' }), 'default', {}, FAST)).rejects.toThrow(/dispose must be a function when given, got number/);
    const nothing = join(tempDir(), 'n.mjs');
    writeFileSync(nothing, 'export default () => 42;\n');
    await expect(loadUserAdnn(nothing, 'default', {}, FAST)).rejects.toThrow(`${nothing}: does not implement the AdNN contract: the export must return an object (or a promise of one), got number`);
  });

  it("run() returning plain arrays instead of typed ones is refused at load, naming what is wrong", async () => {
    const file = moduleWith({ extra: 'run(x) { return { predictions: [0, 0], ran: [0, 0, 0, 0], flops: new Float64Array(2) }; },' });
    await expect(loadUserAdnn(file, 'default', {}, FAST)).rejects.toThrow(/run\(\) must return \{ predictions: Int32Array\(2\), ran: Uint8Array\(4\), flops: Float64Array\(2\) \}.*wrong: predictions, ran$/);
  });
});

describe('loadUserAdnn: every call into the module under a timeout, process.exit refused', () => {
  it('a factory whose promise never settles is stopped, naming the module and the export', async () => {
    const file = moduleWith({ factory: 'return new Promise(() => {});' });
    const started = performance.now();
    await expect(loadUserAdnn(file, 'default', {}, FAST)).rejects.toThrow(`${file}: export "default" did not finish within 0.4 s and was stopped (a longer limit: model.timeout in the suite)`);
    expect(performance.now() - started).toBeLessThan(30_000);
  });

  it('a factory that loops for ever, a getter that loops, and a module whose top-level await never settles are stopped', async () => {
    await expect(loadUserAdnn(moduleWith({ factory: 'for (;;) {}' }), 'default', {}, FAST)).rejects.toThrow(/export "default" did not finish within 0\.4 s/);
    const getter = join(tempDir(), 'g.mjs');
    writeFileSync(getter, 'export default () => ({ get meta() { for (;;) {} } });\n');
    await expect(loadUserAdnn(getter, 'default', {}, FAST)).rejects.toThrow(/reading the returned object did not finish within 0\.4 s/);
    await expect(loadUserAdnn(moduleWith({ top: 'await new Promise(() => {});' }), 'default', {}, FAST)).rejects.toThrow(/loading the module did not finish within 0\.4 s/);
  });

  it('soft() that loops for ever after loading is stopped too, naming soft()', async () => {
    const file = moduleWith({ extra: 'calls: 0, soft(x) { if (++this.calls > 1) for (;;) {} const b = x.shape[0]; return { logits: tf.zeros([b, 3]), p: tf.fill([b, 2], 0.5) }; },' });
    const net = await loadUserAdnn(file, 'default', {}, FAST);
    const x = tf.zeros([1, 2, 2, 1]) as tf.Tensor4D;
    expect(() => net.soft(x)).toThrow(`${file}: soft() did not finish within 0.4 s`);
    x.dispose();
  });

  it('process.exit() inside run() becomes an error naming the call, even when the module catches it', async () => {
    const exits = moduleWith({ extra: 'calls: 0, run(x) { if (++this.calls > 1) { try { process.exit(0); } catch {} } const b = x.shape[0]; return { predictions: new Int32Array(b), ran: new Uint8Array(b * 2), flops: new Float64Array(b) }; },' });
    const net = await loadUserAdnn(exits, 'default', {}, FAST);
    const x = tf.zeros([1, 2, 2, 1]) as tf.Tensor4D;
    expect(() => net.run(x, 0.5)).toThrow(`${exits}: run() called process.exit(0); a model must return or throw, never end the process`);
    expect(typeof process.exit).toBe('function');
    x.dispose();
    // In the factory, too: a configuration error at load.
    await expect(loadUserAdnn(moduleWith({ factory: 'process.exit(3);' }), 'default', {}, FAST)).rejects.toThrow(/export "default" called process\.exit\(3\)/);
  });

  it('an error thrown while loading (a getter, the test batch) is a configuration error naming the call', async () => {
    const getter = join(tempDir(), 'g.mjs');
    writeFileSync(getter, 'export default () => ({ get meta() { throw new Error("no meta today"); } });\n');
    await expect(loadUserAdnn(getter, 'default', {}, FAST)).rejects.toThrow(`${getter}: reading the returned object threw: no meta today`);
    const soft = moduleWith({ extra: 'soft() { throw new TypeError("wrong rank"); },' });
    await expect(loadUserAdnn(soft, 'default', {}, FAST)).rejects.toThrow(`${soft}: failed on a test batch of 2 inputs: soft() threw: wrong rank`);
  });

  it("an error the module's own code throws names the module and the call (a crash of the suite, not a usage error)", async () => {
    const file = moduleWith({ extra: 'calls: 0, run(x) { if (++this.calls > 1) throw new RangeError("bad tau"); const b = x.shape[0]; return { predictions: new Int32Array(b), ran: new Uint8Array(b * 2), flops: new Float64Array(b) }; },' });
    const net = await loadUserAdnn(file, 'default', {}, FAST);
    const x = tf.zeros([1, 2, 2, 1]) as tf.Tensor4D;
    expect(() => net.run(x, 0.5)).toThrow(UserModuleCallError);
    expect(() => net.run(x, 0.5)).toThrow(`${file}: run() threw: bad tau`);
    x.dispose();
  });
});
