const utf8 = new TextEncoder();
const f32 = new Float32Array(1);
const f32Bytes = new Uint8Array(f32.buffer);
/** Byte strings and nested messages up to this size are copied into the pending bytes rather than kept as chunks of their own. */
const INLINE = 256;

/**
 * A minimal protobuf writer, enough for the ONNX ModelProto: varints,
 * length-delimited fields and packed floats. A message is kept as a list of
 * chunks so nesting a 60 MB initializer costs one final copy, not one per
 * level; small fields (names, attributes, dims) go into one pending array,
 * since a graph has thousands of them (a chunk each made the encoding a
 * visible part of compiling a program).
 */
export class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];
  private scratch: number[] = [];
  private length = 0;

  /** Field of wire type 0 (int32, int64, enum, bool); negative values as 64-bit two's complement. */
  varint(field: number, value: number | bigint): this {
    this.tag(field, 0);
    this.rawVarint(value);
    return this;
  }

  /** Field of wire type 5 (float). */
  float(field: number, value: number): this {
    this.tag(field, 5);
    // Little-endian, as the encoding wants (the hosts Node runs on are little-endian).
    f32[0] = value;
    this.scratch.push(f32Bytes[0], f32Bytes[1], f32Bytes[2], f32Bytes[3]);
    return this;
  }

  string(field: number, value: string): this {
    // ASCII (every name the exporter writes) is its own UTF-8.
    for (let i = 0; i < value.length; i++) {
      if (value.charCodeAt(i) > 0x7f) return this.bytes(field, utf8.encode(value));
    }
    this.tag(field, 2);
    this.rawVarint(value.length);
    for (let i = 0; i < value.length; i++) this.scratch.push(value.charCodeAt(i));
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, 2);
    this.rawVarint(value.length);
    if (value.length <= INLINE) {
      for (let i = 0; i < value.length; i++) this.scratch.push(value[i]);
      return this;
    }
    this.flush();
    this.push(value);
    return this;
  }

  message(field: number, inner: ProtoWriter): this {
    this.tag(field, 2);
    this.rawVarint(inner.length + inner.scratch.length);
    if (inner.length === 0 && inner.scratch.length <= INLINE) {
      for (const b of inner.scratch) this.scratch.push(b);
      return this;
    }
    inner.flush();
    this.flush();
    for (const c of inner.chunks) this.push(c);
    return this;
  }

  /** Packed repeated varints (e.g. `ints` of an attribute, `dims` of a tensor). */
  packedVarints(field: number, values: readonly (number | bigint)[]): this {
    const inner = new ProtoWriter();
    for (const v of values) inner.rawVarint(v);
    return this.message(field, inner);
  }

  /** Packed repeated floats. */
  packedFloats(field: number, values: readonly number[]): this {
    const b = new Uint8Array(values.length * 4);
    const view = new DataView(b.buffer);
    values.forEach((v, i) => view.setFloat32(i * 4, v, true));
    return this.bytes(field, b);
  }

  finish(): Uint8Array {
    this.flush();
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }

  private tag(field: number, wire: number): void {
    this.rawVarint(field * 8 + wire);
  }

  private rawVarint(value: number | bigint): void {
    if (typeof value === 'number' && value >= 0 && value <= Number.MAX_SAFE_INTEGER && Number.isInteger(value)) {
      // Without BigInt for the non-negative integers a graph is made of: 7 bits per byte, low first.
      let n = value;
      while (n >= 0x80) {
        this.scratch.push((n % 0x80) | 0x80);
        n = Math.floor(n / 0x80);
      }
      this.scratch.push(n);
      return;
    }
    let v = BigInt.asUintN(64, BigInt(value));
    while (v >= 0x80n) {
      this.scratch.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.scratch.push(Number(v));
  }

  private push(chunk: Uint8Array): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  /** Moves the pending small bytes into a chunk, keeping field order. */
  private flush(): void {
    if (this.scratch.length === 0) return;
    const b = Uint8Array.from(this.scratch);
    this.scratch = [];
    this.push(b);
  }
}
