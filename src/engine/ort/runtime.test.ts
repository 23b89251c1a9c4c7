import { describe, expect, it } from 'vitest';
import { DataType, encodeModel, type OnnxGraph } from './onnx-model.js';
import { loadOnnxruntimeNode, nativeSessionOptions } from './runtime.js';

describe('nativeSessionOptions', () => {
  it('turns intra-op spinning off unless asked for', () => {
    const spin = (o: Record<string, unknown>) => (o.extra as { session: { intra_op: { allow_spinning: string } } }).session.intra_op.allow_spinning;
    expect(spin(nativeSessionOptions({}))).toBe('0');
    expect(spin(nativeSessionOptions({ threads: 2 }))).toBe('0');
    expect(spin(nativeSessionOptions({ spinning: true }))).toBe('1');
  });

  it('gives intra-op threads only when set, and one inter-op thread with them', () => {
    expect(nativeSessionOptions({})).not.toHaveProperty('intraOpNumThreads');
    expect(nativeSessionOptions({ threads: 2 })).toMatchObject({ intraOpNumThreads: 2, interOpNumThreads: 1 });
  });

  it('is accepted by the real runtime, with and without spinning', () => {
    const graph: OnnxGraph = {
      name: 'relu',
      nodes: [{ op: 'Relu', inputs: ['x'], outputs: ['y'] }],
      initializers: [],
      inputs: [{ name: 'x', type: DataType.FLOAT, shape: [3] }],
      outputs: [{ name: 'y', type: DataType.FLOAT, shape: [3] }],
    };
    const runtime = loadOnnxruntimeNode();
    for (const spinning of [false, true]) {
      const session = runtime.createSession(encodeModel(graph), { threads: 2, spinning });
      const out = session.run({ x: { data: Float32Array.from([-1, 0, 2]), dims: [3] } });
      expect([...out.y.data]).toEqual([0, 0, 2]);
      session.dispose();
    }
  });
});
