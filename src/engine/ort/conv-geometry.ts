import { OnnxExportError } from './lower-context.js';

/** tfjs's padding argument of convolutions and pooling. */
export type TfPad = 'same' | 'valid' | number | number[][];

export interface Window {
  kernel: [number, number];
  strides: [number, number];
  dilations: [number, number];
  /** ONNX order: top, left, bottom, right. */
  pads: [number, number, number, number];
}

export function pair(v: unknown, what: string): [number, number] {
  if (typeof v === 'number') return [v, v];
  if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number')) return [v[0], v[1]];
  if (v === undefined || v === null) return [1, 1];
  throw new OnnxExportError(`unsupported ${what}: ${JSON.stringify(v)}`);
}

/**
 * The explicit pads that reproduce tfjs's padding of an `in`-sized input
 * (tfjs conv_util: 'same' puts the odd pixel at the end, like SAME_UPPER).
 */
export function windowPads(
  input: [number, number],
  kernel: [number, number],
  strides: [number, number],
  dilations: [number, number],
  pad: TfPad,
): Window {
  const eff = [0, 1].map((i) => kernel[i] + (kernel[i] - 1) * (dilations[i] - 1));
  const along = (i: number): [number, number] => {
    if (pad === 'valid') return [0, 0];
    if (typeof pad === 'number') return [pad, pad];
    if (pad === 'same') {
      const out = Math.ceil(input[i] / strides[i]);
      const total = Math.max(0, (out - 1) * strides[i] + eff[i] - input[i]);
      const before = Math.floor(total / 2);
      return [before, total - before];
    }
    if (Array.isArray(pad) && pad.length === 4) return [pad[i + 1][0], pad[i + 1][1]];
    throw new OnnxExportError(`unsupported padding ${JSON.stringify(pad)}`);
  };
  const [h, w] = [along(0), along(1)];
  return { kernel, strides, dilations, pads: [h[0], w[0], h[1], w[1]] };
}

/** Output size of ONNX Conv / pooling (floor mode) along axis i of the window. */
export function onnxOutLength(input: number, win: Window, i: 0 | 1, ceil = false): number {
  const eff = win.kernel[i] + (win.kernel[i] - 1) * (win.dilations[i] - 1);
  const span = input + win.pads[i] + win.pads[i + 2] - eff;
  return (ceil ? Math.ceil(span / win.strides[i]) : Math.floor(span / win.strides[i])) + 1;
}

/** Checks the ONNX op would give the shape tfjs computed; a mismatch is a bug, not a rounding detail. */
export function checkSpatial(kernel: string, got: [number, number], expected: [number, number]): void {
  if (got[0] !== expected[0] || got[1] !== expected[1]) {
    throw new OnnxExportError(`${kernel}: ONNX would give ${got.join('x')} where tfjs gives ${expected.join('x')}`);
  }
}
