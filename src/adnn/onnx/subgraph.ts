import { ProtoWriter } from '../../engine/ort/protobuf.js';
import type { StageGraph } from '../stages/index.js';
import type { PreparedGraph } from './graph.js';
import type { OnnxNode } from './model.js';
import type { Stage } from './partition.js';

/**
 * A stage as its own ONNX model for onnxruntime: the original NodeProto and
 * TensorProto bytes of its nodes and the initializers they read, the carried
 * values as inputs and outputs with a symbolic batch dimension.
 */
export function stageGraph(g: PreparedGraph, stage: Stage): StageGraph {
  const nodes = stage.nodes.length > 0 ? stage.nodes : [identity(stage)];
  const graph = new ProtoWriter();
  for (const n of nodes) graph.bytes(1, n.bytes);
  graph.string(2, stage.name);
  const read = new Set(nodes.flatMap((n) => n.inputs));
  for (const [name, t] of g.initializers) if (read.has(name)) graph.bytes(5, t.bytes);
  for (const name of stage.inputs) graph.message(11, valueInfo(name, perInput(g, name)));
  for (const name of stage.outputs) graph.message(12, valueInfo(name, perInput(g, name)));
  const model = new ProtoWriter().varint(1, Math.max(g.model.irVersion, 7)).string(2, 'deepperform').message(7, graph);
  for (const o of g.model.opsetBytes) model.bytes(8, o);
  return { bytes: model.finish(), inputNames: stage.inputs, outputNames: stage.outputs, outputShapes: stage.outputs.map((o) => perInput(g, o)), flops: stage.flops };
}

function perInput(g: PreparedGraph, name: string): number[] {
  return g.values.get(name)!.shape.slice(1);
}

/** A stage with no nodes passes its one input on (a skipped block's shortcut). */
function identity(stage: Stage): OnnxNode {
  const [input] = stage.inputs;
  const [output] = stage.outputs;
  const bytes = new ProtoWriter().string(1, input).string(2, output).string(3, `${stage.name}/Identity`).string(4, 'Identity').finish();
  return { name: `${stage.name}/Identity`, op: 'Identity', domain: '', inputs: [input], outputs: [output], attrs: new Map(), bytes };
}

/** ValueInfoProto of a float tensor [batch, ...dims]. */
function valueInfo(name: string, dims: number[]): ProtoWriter {
  const shape = new ProtoWriter().message(1, new ProtoWriter().string(2, 'batch'));
  for (const d of dims) shape.message(1, new ProtoWriter().varint(1, d));
  const tensorType = new ProtoWriter().varint(1, 1).message(2, shape);
  return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
}
