import { describe, expect, it } from 'vitest';
import { ProtoWriter } from '../../engine/ort/protobuf.js';
import { packedFloat32, packedInt64, ProtoDecodeError, readFields, utf8 } from './protobuf.js';

describe('protobuf reader', () => {
  it('reads varint, length-delimited and fixed32 fields, by hand', () => {
    // field 1 varint 150 (0x96 0x01), field 2 string "hi", field 3 fixed32 float 1.5 (0x3fc00000 little-endian)
    const bytes = Uint8Array.from([0x08, 0x96, 0x01, 0x12, 0x02, 0x68, 0x69, 0x1d, 0x00, 0x00, 0xc0, 0x3f]);
    const [a, b, c] = readFields(bytes);
    expect(a).toEqual({ field: 1, wire: 0, value: 150n });
    expect(b.field === 2 && b.wire === 2 && utf8(b.value)).toBe('hi');
    expect(packedFloat32(c)).toEqual([1.5]);
  });

  it('reads negative int64s (ten-byte varints) and packed lists as the writer writes them', () => {
    const bytes = new ProtoWriter().packedVarints(8, [3, -1, 2 ** 40]).packedFloats(7, [0.5, -2]).finish();
    const [ints, floats] = readFields(bytes);
    expect(packedInt64(ints)).toEqual([3, -1, 2 ** 40]);
    expect(packedFloat32(floats)).toEqual([0.5, -2]);
  });

  it('refuses truncated input with a message', () => {
    expect(() => readFields(Uint8Array.from([0x12, 0x05, 0x68]))).toThrow(ProtoDecodeError);
    expect(() => readFields(Uint8Array.from([0x08, 0x96]))).toThrow(/truncated varint/);
    expect(() => readFields(Uint8Array.from([0x0b]))).toThrow(/wire type 3/);
  });
});
