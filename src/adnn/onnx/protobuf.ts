/**
 * A minimal protobuf reader, enough for an ONNX ModelProto (the counterpart
 * of src/engine/ort/protobuf.ts, which writes one). No dependency parses
 * protobuf here, and ONNX needs only the four wire types below.
 */

/** A field as read: its number, wire type and value (varint, fixed bits or the bytes of a length-delimited field). */
export type ProtoField =
  | { field: number; wire: 0; value: bigint }
  | { field: number; wire: 1 | 5; value: DataView }
  | { field: number; wire: 2; value: Uint8Array };

/** The bytes do not form a valid protobuf message. */
export class ProtoDecodeError extends Error {
  override readonly name = 'ProtoDecodeError';
}

/** Every field of one message, in order. Nested messages are left as bytes for the caller to read. */
export function readFields(buf: Uint8Array): ProtoField[] {
  const out: ProtoField[] = [];
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (pos >= buf.length) throw new ProtoDecodeError('truncated varint');
      const b = buf[pos++];
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 63n) throw new ProtoDecodeError('varint longer than 10 bytes');
    }
  };
  const take = (n: number): Uint8Array => {
    if (n < 0 || pos + n > buf.length) throw new ProtoDecodeError(`field runs ${pos + n - buf.length} bytes past the end`);
    const b = buf.subarray(pos, pos + n);
    pos += n;
    return b;
  };
  while (pos < buf.length) {
    const key = Number(varint());
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (field === 0) throw new ProtoDecodeError('field number 0');
    if (wire === 0) out.push({ field, wire, value: varint() });
    else if (wire === 2) out.push({ field, wire, value: take(Number(varint())) });
    else if (wire === 1 || wire === 5) {
      const b = take(wire === 1 ? 8 : 4);
      out.push({ field, wire, value: new DataView(b.buffer, b.byteOffset, b.byteLength) });
    } else throw new ProtoDecodeError(`unsupported wire type ${wire} (field ${field})`);
  }
  return out;
}

/** A varint as a signed 64-bit integer (negative int64 values use ten bytes). */
export function int64(v: bigint): number {
  return Number(BigInt.asIntN(64, v));
}

export function utf8(b: Uint8Array): string {
  return new TextDecoder().decode(b);
}

/** A packed repeated varint field (or one unpacked element). */
export function packedInt64(f: ProtoField): number[] {
  if (f.wire === 0) return [int64(f.value)];
  if (f.wire !== 2) throw new ProtoDecodeError(`field ${f.field}: expected varints`);
  const out: number[] = [];
  let v = 0n;
  let shift = 0n;
  for (const b of f.value) {
    v |= BigInt(b & 0x7f) << shift;
    shift += 7n;
    if ((b & 0x80) === 0) {
      out.push(int64(v));
      v = 0n;
      shift = 0n;
    }
  }
  return out;
}

/** A packed repeated float field (or one unpacked element). */
export function packedFloat32(f: ProtoField): number[] {
  if (f.wire === 5) return [f.value.getFloat32(0, true)];
  if (f.wire !== 2) throw new ProtoDecodeError(`field ${f.field}: expected floats`);
  const view = new DataView(f.value.buffer, f.value.byteOffset, f.value.byteLength);
  return Array.from({ length: f.value.byteLength >> 2 }, (_, i) => view.getFloat32(i * 4, true));
}
