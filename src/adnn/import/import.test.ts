
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeSafetensors } from '../../../test/helpers/safetensors-writer.js';
import { tinyImportNet as tinyNet, TINY_IMPORT_MAPPING as mapping } from '../../../test/helpers/import-tiny-net.js';
import { useCpu } from '../../../test/helpers/tf.js';
import { Dense, ParamStore } from '../../nn/index.js';
import type { AdaptiveNetwork } from '../contract.js';
import { convert, importTorchWeights, parseSafetensors, readSafetensors, stripDataParallelPrefix, type TorchMapping } from './index.js';

beforeAll(useCpu);

describe('safetensors reader', () => {
  it('decodes F32, F16 and I64 tensors with their shapes', () => {
    const bytes = encodeSafetensors({
      'a.weight': { dtype: 'F32', shape: [2, 2], values: [1, -2, 0.5, 4] },
      'h': { dtype: 'F16', shape: [2], values: [0x3e00, 0xc000] }, // 1.5, -2
      'bn.num_batches_tracked': { dtype: 'I64', shape: [], values: [7] },
    });
    const t = parseSafetensors(bytes, 'x.safetensors');
    expect(Array.from(t.get('a.weight')!.values)).toEqual([1, -2, 0.5, 4]);
    expect(t.get('a.weight')!.shape).toEqual([2, 2]);
    expect(Array.from(t.get('h')!.values)).toEqual([1.5, -2]);
    expect(Array.from(t.get('bn.num_batches_tracked')!.values)).toEqual([7]);
  });

  it('a truncated file or an out-of-range tensor is an error naming the file', async () => {
    const bytes = encodeSafetensors({ w: { dtype: 'F32', shape: [4], values: [1, 2, 3, 4] } });
    expect(() => parseSafetensors(bytes.subarray(0, bytes.length - 4), 'cut.safetensors')).toThrow(/cut\.safetensors: tensor w .* does not fit/);
    expect(() => parseSafetensors(bytes.subarray(0, 12), 'cut.safetensors')).toThrow(/cut\.safetensors: header says/);
    await expect(readSafetensors('/nonexistent/x.safetensors')).rejects.toThrow(/x\.safetensors: does not exist/);
  });
});

describe('PyTorch layouts, by hand', () => {
  it('conv [out, in, kh, kw] -> [kh, kw, in, out]', () => {
    // torch w[o][i][0][j] = 10 * o + j for out 2, in 1, kernel 1x2
    const t = convert({ shape: [2, 1, 1, 2], values: Float32Array.from([0, 1, 10, 11]) }, { kind: 'conv' });
    expect(t.shape).toEqual([1, 2, 1, 2]);
    // ours[0][j][0][o]: j = 0 -> (o0, o1) = (0, 10); j = 1 -> (1, 11)
    expect(Array.from(t.dataSync())).toEqual([0, 10, 1, 11]);
  });

  it('linear after flatten: PyTorch C,H,W order -> our H,W,C order', () => {
    // one output; torch input features ordered (c, w) for C 2, H 1, W 2: [c0w0, c0w1, c1w0, c1w1] = [1, 2, 3, 4]
    const t = convert({ shape: [1, 4], values: Float32Array.from([1, 2, 3, 4]) }, { kind: 'linear', flattenedFrom: [2, 1, 2] });
    // ours ordered (w, c): [w0c0, w0c1, w1c0, w1c1] = [1, 3, 2, 4], as a column [4, 1]
    expect(t.shape).toEqual([4, 1]);
    expect(Array.from(t.dataSync())).toEqual([1, 3, 2, 4]);
  });

  it('same with a shape reshapes a [1] tensor to a scalar; a size that does not fit is left for the shape check', () => {
    const alpha = convert({ shape: [1], values: Float32Array.from([0.25]) }, { kind: 'same', shape: [] });
    expect(alpha.shape).toEqual([]);
    expect(alpha.dataSync()[0]).toBe(0.25);
    expect(convert({ shape: [2], values: Float32Array.from([1, 2]) }, { kind: 'same', shape: [] }).shape).toEqual([2]);
  });
});

describe('importTorchWeights', () => {
  it('lists missing, unexpected and mis-shaped tensors in one error', () => {
    const { net } = tinyNet();
    const bytes = encodeSafetensors({
      'conv.weight': { dtype: 'F32', shape: [4, 3, 3, 1], values: new Array(36).fill(0) },
      'fc.weight': { dtype: 'F32', shape: [5, 144], values: new Array(720).fill(0) },
      'fc.bias': { dtype: 'F32', shape: [5], values: new Array(5).fill(0) },
      'extra.weight': { dtype: 'F32', shape: [1], values: [0] },
    });
    expect(() => importTorchWeights(net, parseSafetensors(bytes, 'm.safetensors'), mapping, 'm.safetensors')).toThrow(
      /m\.safetensors: does not fit tiny-import-check: missing: conv\.bias; unexpected: extra\.weight; wrong shape: conv\.weight \[4,3,3,1\] -> \[3,1,3,4\], expected \[3,3,3,4\]/,
    );
  });

  it("an 'unused' entry marks a state_dict tensor as expected without filling any parameter", () => {
    const { net } = tinyNet();
    const tensors = parseSafetensors(
      encodeSafetensors({
        'conv.weight': { dtype: 'F32', shape: [4, 3, 3, 3], values: new Array(108).fill(1) },
        'conv.bias': { dtype: 'F32', shape: [4], values: [1, 2, 3, 4] },
        'fc.weight': { dtype: 'F32', shape: [5, 144], values: new Array(720).fill(0) },
        'fc.bias': { dtype: 'F32', shape: [5], values: [0, 0, 0, 0, 7] },
        'idle.alpha': { dtype: 'F32', shape: [1], values: [0.3] },
      }),
      'm.safetensors',
    );
    const withIdle: TorchMapping = new Map([...mapping, ['unused:idle.alpha', { torch: 'idle.alpha', layout: { kind: 'unused', why: 'test' } }]]);
    importTorchWeights(net, tensors, withIdle, 'm.safetensors');
    expect(Array.from(net.namedWeights().get('fc.bias')!.dataSync())).toEqual([0, 0, 0, 0, 7]);
    // Without the entry the same file has one unexpected tensor.
    expect(() => importTorchWeights(net, tensors, mapping, 'm.safetensors')).toThrow(/unexpected: idle\.alpha$/);
    // A parameter of ours mapped to an 'unused' entry is missing, not silently skipped.
    const wrong: TorchMapping = new Map([...mapping, ['fc.bias', { torch: 'fc.bias', layout: { kind: 'unused', why: 'test' } }]]);
    expect(() => importTorchWeights(net, tensors, wrong, 'm.safetensors')).toThrow(/missing: \(no mapping for fc\.bias\)/);
  });
});

describe('aliases, summed tensors, 1x1 convs as dense layers, wrong ranks and the DataParallel prefix', () => {
  /** One dense layer fc [in 2, out 3] and one bias b [3]. */
  function denseNet(): AdaptiveNetwork {
    const store = new ParamStore(0);
    new Dense(store, 'fc', 2, 3);
    return { meta: { arch: 'alias-check' }, namedWeights: () => store.named() } as unknown as AdaptiveNetwork;
  }
  const raw = (shape: number[], values: number[]) => ({ shape, values: Float32Array.from(values) });

  it("dense-from-conv1x1: [out 3, in 2, 1, 1] -> [in, out]; 'plus' adds tensors before the layout", () => {
    // torch w[o][i] = 10 * o + i -> ours [i][o]: row i = (i, 10 + i, 20 + i)
    const t = convert(raw([3, 2, 1, 1], [0, 1, 10, 11, 20, 21]), { kind: 'dense-from-conv1x1' });
    expect(t.shape).toEqual([2, 3]);
    expect(Array.from(t.dataSync())).toEqual([0, 10, 20, 1, 11, 21]);
    const net = denseNet();
    const m: TorchMapping = new Map([
      ['fc.weight', { torch: 'w', layout: { kind: 'dense-from-conv1x1' } }],
      ['fc.bias', { torch: 'b_ih', plus: ['b_hh'], layout: { kind: 'same' } }],
    ]);
    const tensors = new Map([['w', raw([3, 2, 1, 1], [0, 1, 10, 11, 20, 21])], ['b_ih', raw([3], [1, 2, 3])], ['b_hh', raw([3], [0.5, 0.25, -3])]]);
    importTorchWeights(net, tensors, m, 'x.safetensors');
    expect(Array.from(net.namedWeights().get('fc.bias')!.dataSync())).toEqual([1.5, 2.25, 0]);
    // A missing or wrongly shaped addend is reported like any other tensor.
    tensors.set('b_hh', raw([4], [0, 0, 0, 0]));
    expect(() => importTorchWeights(net, tensors, m, 'x.safetensors')).toThrow(/wrong shape: b_hh \[4\], expected \[3\] as b_ih, which it is added to$/);
    tensors.delete('b_hh');
    expect(() => importTorchWeights(net, tensors, m, 'x.safetensors')).toThrow(/missing: b_hh$/);
  });

  it('aliases: either name is read, both are accepted when equal, and differing copies are an error', () => {
    const net = denseNet();
    const m: TorchMapping = new Map([
      ['fc.weight', { torch: 'a.weight', aliases: ['b.weight'], layout: { kind: 'linear' } }],
      ['fc.bias', { torch: 'a.bias', aliases: ['b.bias'], layout: { kind: 'same' } }],
    ]);
    const w = raw([3, 2], [1, 2, 3, 4, 5, 6]);
    importTorchWeights(net, new Map([['b.weight', w], ['b.bias', raw([3], [7, 8, 9])]]), m, 'x.safetensors');
    expect(Array.from(net.namedWeights().get('fc.weight')!.dataSync())).toEqual([1, 3, 5, 2, 4, 6]);
    importTorchWeights(net, new Map([['a.weight', w], ['b.weight', w], ['a.bias', raw([3], [0, 0, 1])]]), m, 'x.safetensors');
    expect(Array.from(net.namedWeights().get('fc.bias')!.dataSync())).toEqual([0, 0, 1]);
    expect(() => importTorchWeights(net, new Map([['a.weight', w], ['b.weight', raw([3, 2], [1, 2, 3, 4, 5, 0])]]), m, 'x.safetensors')).toThrow(
      /missing: a\.bias \(or b\.bias\); conflicting: a\.weight and b\.weight \(one tensor under two names\) differ$/,
    );
  });

  it('a tensor of the wrong rank is reported with its shape, not a tfjs failure', () => {
    const net = denseNet();
    const m: TorchMapping = new Map([
      ['fc.weight', { torch: 'w', layout: { kind: 'linear' } }],
      ['fc.bias', { torch: 'b', layout: { kind: 'same' } }],
    ]);
    expect(() => importTorchWeights(net, new Map([['w', raw([6], [1, 2, 3, 4, 5, 6])], ['b', raw([3], [0, 0, 0])]]), m, 'x.safetensors')).toThrow(
      /wrong shape: w \[6\] -> \[6\], expected \[2,3\]$/,
    );
    expect(convert(raw([2, 3], [1, 2, 3, 4, 5, 6]), { kind: 'conv' }).shape).toEqual([2, 3]);
    expect(convert(raw([1, 5], [1, 2, 3, 4, 5]), { kind: 'linear', flattenedFrom: [2, 1, 2] }).shape).toEqual([1, 5]);
  });

  it('stripDataParallelPrefix drops "module." only when every key has it', () => {
    const t = raw([1], [1]);
    const both = stripDataParallelPrefix(new Map([['module.fc.weight', t], ['module.fc.bias', t]]));
    expect(both.stripped).toBe(true);
    expect([...both.tensors.keys()]).toEqual(['fc.weight', 'fc.bias']);
    const mixed = stripDataParallelPrefix(new Map([['module.fc.weight', t], ['fc.bias', t]]));
    expect(mixed.stripped).toBe(false);
    expect([...mixed.tensors.keys()]).toEqual(['module.fc.weight', 'fc.bias']);
  });
});
