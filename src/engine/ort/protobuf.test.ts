import { describe, expect, it } from 'vitest';
import { ProtoWriter } from './protobuf.js';

const bytes = (w: ProtoWriter) => Array.from(w.finish());

describe('ProtoWriter', () => {
  it('writes varints as in the protobuf encoding guide (field 1 = 150 -> 08 96 01)', () => {
    expect(bytes(new ProtoWriter().varint(1, 150))).toEqual([0x08, 0x96, 0x01]);
  });

  it('writes a negative int64 as ten bytes of two’s complement', () => {
    expect(bytes(new ProtoWriter().varint(3, -1))).toEqual([0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
  });

  it('writes strings and nested messages length-delimited, in field order', () => {
    const inner = new ProtoWriter().varint(1, 150);
    // "testing" example of the guide, then the nested message of field 3.
    expect(bytes(new ProtoWriter().string(2, 'testing').message(3, inner))).toEqual([
      0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6e, 0x67, 0x1a, 0x03, 0x08, 0x96, 0x01,
    ]);
  });

  it('packs repeated varints (field 4 = [3, 270, 86942] -> 22 06 03 8E 02 9E A7 05)', () => {
    expect(bytes(new ProtoWriter().packedVarints(4, [3, 270, 86942]))).toEqual([0x22, 0x06, 0x03, 0x8e, 0x02, 0x9e, 0xa7, 0x05]);
  });

  it('writes floats little-endian with wire type 5', () => {
    // 1.0f = 0x3F800000
    expect(bytes(new ProtoWriter().float(2, 1))).toEqual([0x15, 0x00, 0x00, 0x80, 0x3f]);
  });

  it('writes a varint past 32 bits without BigInt the same way (2^40 -> five 0x80, then 0x20)', () => {
    expect(bytes(new ProtoWriter().varint(1, 2 ** 40))).toEqual([0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20]);
  });

  it('writes non-ASCII strings as UTF-8 (é -> C3 A9)', () => {
    expect(bytes(new ProtoWriter().string(2, 'é'))).toEqual([0x12, 0x02, 0xc3, 0xa9]);
  });

  it('keeps field order across small fields, large byte strings and large nested messages', () => {
    const big = Uint8Array.from({ length: 300 }, (_, i) => i % 251);
    // A nested message of 2 + 300 bytes (field 1, length 300 = AC 02), above the inline size.
    const inner = new ProtoWriter().bytes(1, big);
    const out = bytes(new ProtoWriter().varint(1, 1).message(2, inner).string(3, 'ab').bytes(4, big).float(5, 1));
    const expected = [0x08, 0x01, 0x12, 0xaf, 0x02, 0x0a, 0xac, 0x02, ...big, 0x1a, 0x02, 0x61, 0x62, 0x22, 0xac, 0x02, ...big, 0x2d, 0x00, 0x00, 0x80, 0x3f];
    expect(out).toEqual(expected);
  });
});
