import type * as tf from '@tensorflow/tfjs-core';
import { GraphBuilder } from './graph.js';
import { TO_NCHW, TO_NHWC, transposeData, type Layout } from './layout.js';
import { DataType, type DataTypeCode } from './onnx-model.js';
import type { ConstValue, DynRef, KernelCall, TraceInput } from './trace.js';

/** The traced network uses something the exporter cannot express; the message says what. */
export class OnnxExportError extends Error {
  override readonly name = 'OnnxExportError';
}

/** Writes the ONNX nodes for one traced kernel call. */
export type Lowering = (call: KernelCall, ctx: LowerContext) => void;

/** A value in the graph being written: its name, logical (tfjs) shape and storage layout. */
export interface GraphValue {
  name: string;
  shape: number[];
  dtype: tf.DataType;
  layout: Layout;
}

export function onnxType(dtype: tf.DataType): DataTypeCode {
  if (dtype === 'float32') return DataType.FLOAT;
  if (dtype === 'int32') return DataType.INT32;
  if (dtype === 'bool') return DataType.BOOL;
  throw new OnnxExportError(`tensors of type ${dtype} are not supported`);
}

/**
 * State of the lowering from a tfjs kernel trace to ONNX nodes: where each
 * traced tensor lives in the graph, layout conversions done once per value,
 * constants written once per form.
 */
export class LowerContext {
  readonly g = new GraphBuilder();
  private readonly values = new Map<number, GraphValue>();
  private readonly converted = new Map<string, string>();
  private readonly constNames = new Map<ConstValue, Map<string, string>>();
  private readonly memos = new Map<string, string>();
  private unbatchedDepth = 0;

  /**
   * `batch` is the batch size of the trace; the graph's batch dimension is
   * symbolic. With `fixedShapes`, every shape is the traced one (a training
   * step or gradient program compiled per batch size): values need not keep
   * the batch first, and ops may reduce, slice or join along it.
   */
  constructor(
    readonly batch: number,
    private readonly fixedShapes = false,
  ) {}

  /** Whether the ops being lowered have their traced shapes (a fixed-shape graph, or inside unbatched()). */
  get fixed(): boolean {
    return this.fixedShapes || this.unbatchedDepth > 0;
  }

  /**
   * Lowers ops on values without a batch axis (e.g. a program's per-run
   * scalars) inside a graph whose batch is symbolic: their shapes are the
   * traced ones, whatever the batch.
   */
  unbatched<T>(lower: () => T): T {
    this.unbatchedDepth++;
    try {
      return lower();
    } finally {
      this.unbatchedDepth--;
    }
  }

  /** A value built once per key (e.g. the patch matrix of an input, shared by a convolution and its filter gradient). */
  memo(key: string, make: () => string): string {
    let name = this.memos.get(key);
    if (name === undefined) this.memos.set(key, (name = make()));
    return name;
  }

  /** Refuses an op across the batch axis, which only a fixed-shape graph can express. */
  batchAxis(what: string): void {
    if (!this.fixed) throw new OnnxExportError(`${what} cannot be exported`);
  }

  define(ref: DynRef, name: string, layout: Layout): void {
    if (!this.fixed && (ref.shape.length === 0 || ref.shape[0] !== this.batch)) {
      throw new OnnxExportError(`a traced value of shape [${ref.shape}] does not keep the batch as its first dimension`);
    }
    this.values.set(ref.id, { name, shape: ref.shape, dtype: ref.dtype, layout: ref.shape.length === 4 ? layout : 'plain' });
  }

  value(ref: DynRef): GraphValue {
    const v = this.values.get(ref.id);
    if (!v) throw new OnnxExportError(`internal: tensor ${ref.id} used before it was defined`);
    return v;
  }

  /** The value stored in `layout` (4-D values only change; others are always plain). */
  as(v: GraphValue, layout: Layout): string {
    if (v.shape.length !== 4 || v.layout === layout) return v.name;
    const key = `${v.name}->${layout}`;
    let name = this.converted.get(key);
    if (!name) {
      name = this.g.op('Transpose', [v.name], { perm: layout === 'nchw' ? [...TO_NCHW] : [...TO_NHWC] });
      this.converted.set(key, name);
    }
    return name;
  }

  /**
   * Any operand, computed or constant, stored in `layout` (a gradient's dy
   * is a constant whenever the loss is linear in the op's output).
   */
  operand(v: DynRef | ConstValue, layout: Layout): string {
    if (v.kind === 'dyn') return this.as(this.value(v), layout);
    if (v.shape.length !== 4 || layout === 'plain') return this.raw(v);
    return this.constant(v, 'nchw', () => ({ data: transposeData(v.data, v.shape, TO_NCHW), dims: TO_NCHW.map((a) => v.shape[a]) }));
  }

  plain(ref: DynRef): string {
    return this.as(this.value(ref), 'plain');
  }

  nchw(ref: DynRef): string {
    return this.as(this.value(ref), 'nchw');
  }

  /** A constant as an initializer, written once per (value, form). */
  constant(c: ConstValue, form: string, make: () => { data: ConstValue['data']; dims: number[] }): string {
    let forms = this.constNames.get(c);
    if (!forms) this.constNames.set(c, (forms = new Map()));
    let name = forms.get(form);
    if (!name) {
      const { data, dims } = make();
      name = this.g.tensor(data, dims, onnxType(c.dtype));
      forms.set(form, name);
    }
    return name;
  }

  /**
   * A weight permuted (and reshaped) into the layout an ONNX op wants. The
   * Transpose is left in the graph: ORT folds constants when it loads the
   * model, natively and much faster than a permutation in JS.
   */
  permuted(c: ConstValue, perm: readonly number[], reshape?: readonly number[]): string {
    const key = `perm${perm.join()}:${reshape?.join() ?? ''}`;
    let forms = this.constNames.get(c);
    if (!forms) this.constNames.set(c, (forms = new Map()));
    let name = forms.get(key);
    if (!name) {
      name = this.g.op('Transpose', [this.raw(c)], { perm: [...perm] });
      if (reshape) name = this.g.op('Reshape', [name, this.g.int64(reshape)]);
      forms.set(key, name);
    }
    return name;
  }

  /**
   * A filter (constant or computed) permuted into the layout an ONNX op
   * wants: constants as initializers ORT folds, computed ones by a Transpose
   * in the graph, once per value and permutation.
   */
  weight(w: ConstValue | DynRef, perm: readonly number[], reshape?: readonly number[]): string {
    if (w.kind === 'const') return this.permuted(w, perm, reshape);
    const v = this.value(w);
    const key = `${v.name}->perm${perm.join()}:${reshape?.join() ?? ''}`;
    let name = this.converted.get(key);
    if (!name) {
      name = this.g.op('Transpose', [this.as(v, 'plain')], { perm: [...perm] });
      if (reshape) name = this.g.op('Reshape', [name, this.g.int64(reshape)]);
      this.converted.set(key, name);
    }
    return name;
  }

  /** A constant exactly as tfjs holds it. */
  raw(c: ConstValue): string {
    return this.constant(c, 'raw', () => ({ data: c.data, dims: c.shape }));
  }

  /**
   * Operands of an elementwise op, broadcast the numpy way as tfjs does. 4-D
   * operands go NCHW when any dynamic one already is; constants are reshaped
   * to match. A constant whose first dimension is the trace batch was built
   * for that batch (e.g. tf.zeros([batch, n])): it is kept as one row when all
   * its rows agree, since the graph's batch size is free.
   */
  broadcast(operands: TraceInput[], outRank: number): { names: string[]; layout: Layout } {
    const dyn = operands.filter((o): o is DynRef => o?.kind === 'dyn');
    const nchw = outRank === 4 && dyn.every((d) => d.shape.length === 4) && dyn.some((d) => this.value(d).layout === 'nchw');
    const layout: Layout = nchw ? 'nchw' : 'plain';
    const names = operands.map((o) => {
      if (o === undefined) throw new OnnxExportError('internal: missing elementwise operand');
      if (o.kind === 'dyn') return this.as(this.value(o), layout);
      return this.broadcastConst(o, outRank, layout);
    });
    return { names, layout };
  }

  private broadcastConst(c: ConstValue, outRank: number, layout: Layout): string {
    const perBatch = !this.fixed && c.shape.length === outRank && outRank > 0 && c.shape[0] === this.batch && this.batch > 1;
    return this.constant(c, `bcast${outRank}${layout}${perBatch}`, () => {
      let data = c.data;
      let shape = [...c.shape];
      if (perBatch) ({ data, shape } = oneRow(c, this.batch));
      if (layout === 'nchw') {
        shape = [...new Array<number>(4 - shape.length).fill(1), ...shape];
        data = transposeData(data, shape, TO_NCHW);
        shape = TO_NCHW.map((a) => shape[a]);
      }
      return { data, dims: shape };
    });
  }
}

function oneRow(c: ConstValue, batch: number): { data: ConstValue['data']; shape: number[] } {
  const row = c.data.length / batch;
  for (let b = 1; b < batch; b++) {
    for (let i = 0; i < row; i++) {
      if (c.data[b * row + i] !== c.data[i]) {
        throw new OnnxExportError(`a constant of shape [${c.shape}] differs between the rows of the batch; the graph would depend on the batch size`);
      }
    }
  }
  return { data: c.data.slice(0, row), shape: [1, ...c.shape.slice(1)] };
}

/** The named input of a call, which must be present. */
export function input(call: KernelCall, name: string): ConstValue | DynRef {
  const entry = call.inputs.find(([k]) => k === name);
  if (!entry?.[1]) throw new OnnxExportError(`${call.kernel}: missing input ${name}`);
  return entry[1];
}

export function dynInput(call: KernelCall, name: string): DynRef {
  const v = input(call, name);
  if (v.kind !== 'dyn') throw new OnnxExportError(`internal: ${call.kernel}.${name} is constant`);
  return v;
}

export function constInput(call: KernelCall, name: string): ConstValue {
  const v = input(call, name);
  if (v.kind !== 'const') {
    throw new OnnxExportError(`${call.kernel}: input ${name} depends on the network input; only constant ${name}s are supported`);
  }
  return v;
}

export function floatData(c: ConstValue): Float32Array {
  return c.data instanceof Float32Array ? c.data : Float32Array.from(c.data);
}
