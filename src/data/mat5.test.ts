import { describe, expect, it } from 'vitest';
import { concat, element, matFile, matHeader, MI } from '../../test/helpers/mat5-writer.js';
import { DataError } from './errors.js';
import { parseMat5 } from './mat5.js';

const FILE = '/data/vars.mat';

function errorOf(bytes: Uint8Array): DataError {
  try {
    parseMat5(bytes, FILE);
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    expect((e as DataError).file).toBe(FILE);
    return e as DataError;
  }
  throw new Error('parseMat5 did not throw');
}

describe('parseMat5', () => {
  it('reads numeric classes of each supported storage type, with dims and names', () => {
    const bytes = matFile([
      // 2x3 int16 in column-major order: A(1,1)=-1, A(2,1)=2, A(1,2)=-3, ...
      { name: 'A', className: 'int16', dims: [2, 3], values: [-1, 2, -3, 4, -5, 6] },
      { name: 'single_var', className: 'single', dims: [1, 2], values: [0.5, -2.25] },
      { name: 'd', className: 'double', dims: [1, 1], values: [1e10], compress: true },
      // 2 bytes of int8: a small element; 3 uint32 values: 12 bytes padded to 16.
      { name: 'i8', className: 'int8', dims: [2, 1], values: [-128, 127] },
      { name: 'u32', className: 'uint32', dims: [3, 1], values: [0, 1, 4294967295], compress: true },
      { name: 'u16', className: 'uint16', dims: [1, 1], values: [65535] },
      { name: 'i32', className: 'int32', dims: [1, 1], values: [-2147483648] },
    ]);
    const vars = parseMat5(bytes, FILE);
    expect([...vars.keys()]).toEqual(['A', 'single_var', 'd', 'i8', 'u32', 'u16', 'i32']);
    const a = vars.get('A');
    expect([a?.className, a?.dims, a?.complex]).toEqual(['int16', [2, 3], false]);
    expect(a?.real).toBeInstanceOf(Int16Array);
    expect([...(a?.real ?? [])]).toEqual([-1, 2, -3, 4, -5, 6]);
    expect([...(vars.get('single_var')?.real ?? [])]).toEqual([0.5, -2.25]);
    expect(vars.get('d')?.real).toEqual(new Float64Array([1e10]));
    expect([...(vars.get('i8')?.real ?? [])]).toEqual([-128, 127]);
    expect([...(vars.get('u32')?.real ?? [])]).toEqual([0, 1, 4294967295]);
    expect([...(vars.get('u16')?.real ?? [])]).toEqual([65535]);
    expect([...(vars.get('i32')?.real ?? [])]).toEqual([-2147483648]);
  });

  it('reads a file whose only variable comes after non-variable elements', () => {
    // A stray miUINT8 element (MATLAB's subsystem data is one) is skipped.
    const stray = element(MI.UINT8, Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]));
    const v = matFile([{ name: 'z', className: 'uint8', dims: [1, 1], values: [42] }]).subarray(128);
    expect(parseMat5(concat([matHeader(), stray, v]), FILE).get('z')?.real).toEqual(Uint8Array.from([42]));
  });

  it('rejects a variable whose data does not match its dimensions', () => {
    const bytes = matFile([{ name: 'A', className: 'uint8', dims: [2, 3], values: [1, 2, 3, 4, 5] }]);
    expect(errorOf(bytes).message).toMatch(/variable A declares dimensions 2x3 \(6 values\) but holds 5 values/);
  });

  it('rejects a small element that declares more than 4 bytes', () => {
    const bad = new Uint8Array(8);
    new DataView(bad.buffer).setUint32(0, (5 << 16) | MI.UINT8, true);
    expect(errorOf(concat([matHeader(), bad])).message).toMatch(/the data element at byte 128 is a small data element declaring 5 bytes; at most 4 fit/);
  });

  it('rejects a level-5 header with another version', () => {
    const header = matHeader();
    header[124] = 0x00;
    header[125] = 0x02;
    expect(errorOf(header).message).toMatch(/version 0x0200 .* only level-5 files \(version 0x0100\)/);
  });
});
