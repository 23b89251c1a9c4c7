/** Writes a .safetensors file (test helper): header length, JSON header, little-endian data. */
export function encodeSafetensors(tensors: Record<string, { dtype: 'F32' | 'F16' | 'I64'; shape: number[]; values: number[] }>): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    const width = t.dtype === 'F32' ? 4 : t.dtype === 'F16' ? 2 : 8;
    const buf = new DataView(new ArrayBuffer(t.values.length * width));
    t.values.forEach((v, i) => {
      if (t.dtype === 'F32') buf.setFloat32(i * width, v, true);
      else if (t.dtype === 'F16') buf.setUint16(i * width, v, true); // raw half bits
      else buf.setBigInt64(i * width, BigInt(v), true);
    });
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + buf.byteLength] };
    chunks.push(new Uint8Array(buf.buffer));
    offset += buf.byteLength;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
