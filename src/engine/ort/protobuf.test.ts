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
});
