import { DataType, type AttrValue, type DataTypeCode, type OnnxNode, type OnnxTensor } from './onnx-model.js';

type Typed = Float32Array | Int32Array | Uint8Array | BigInt64Array;

/** Constants up to this size are shared by content (shapes, axes, scalars, per-channel vectors). */
const SMALL_BYTES = 1024;

/** Collects nodes and initializers with fresh value names. */
export class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  private next = 0;
  /** Small constants by content: equal values share one name, so ORT can merge equal subgraphs. */
  private readonly small = new Map<string, string>();

  fresh(hint: string): string {
    return `${hint}_${this.next++}`;
  }

  /** Adds a node; returns its output names. */
  node(op: string, inputs: string[], attrs?: Record<string, AttrValue>, outputs = 1): string[] {
    const names = Array.from({ length: outputs }, () => this.fresh(op.toLowerCase()));
    this.nodes.push({ op, inputs, outputs: names, ...(attrs ? { attrs } : {}) });
    return names;
  }

  /** Single-output node. */
  op(op: string, inputs: string[], attrs?: Record<string, AttrValue>): string {
    return this.node(op, inputs, attrs)[0];
  }

  /** `share`: share by content whatever the size (index tables that equal subgraphs repeat). */
  tensor(data: Typed, dims: readonly number[], type: DataTypeCode, hint = 'const', share = false): string {
    // A view, not a copy: constants are snapshots nobody writes to.
    const raw = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    const key = share || raw.byteLength <= SMALL_BYTES ? `${type}:${dims.join(',')}:${Buffer.from(raw).toString('base64')}` : undefined;
    const known = key === undefined ? undefined : this.small.get(key);
    if (known) return known;
    const name = this.fresh(hint);
    this.initializers.push({ name, dims: [...dims], type, raw });
    if (key !== undefined) this.small.set(key, name);
    return name;
  }

  float(data: Float32Array, dims: readonly number[], hint?: string): string {
    return this.tensor(data, dims, DataType.FLOAT, hint);
  }

  /**
   * A 1-D int64 tensor (shapes, axes, pads, split sizes, gather indices),
   * shared by content at any size: ORT merges equal subgraphs only when
   * they read the same initializer (e.g. the generator's forward, traced in
   * both the D and the G step, gathers its patches with the same indices).
   */
  int64(values: readonly number[], hint = 'ints'): string {
    return this.tensor(BigInt64Array.from(values.map((v) => BigInt(v))), [values.length], DataType.INT64, hint, true);
  }
}
