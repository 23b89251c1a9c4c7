import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { applyAugmentation, drawAugmentation } from './augment.js';

describe('applyAugmentation', () => {
  it('crops each image from the zero-padded one at its offset and mirrors it when drawn', () => {
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20, 30, 40, 50, 60, 70, 80, 90], [2, 3, 3, 1]);
    const y = applyAugmentation(x, 1, { dy: [0, 1], dx: [2, 1], flip: [false, true] });
    expect(y.shape).toEqual([2, 3, 3, 1]);
    expect(y.reshape([2, 3, 3]).arraySync()).toEqual([
      // Padded rows 0-2, columns 2-4: the top row is padding, the right column too.
      [
        [0, 0, 0],
        [2, 3, 0],
        [5, 6, 0],
      ],
      // Offset (1, 1) is the original image, mirrored left-right.
      [
        [30, 20, 10],
        [60, 50, 40],
        [90, 80, 70],
      ],
    ]);
    tf.dispose([x, y]);
  });

  it('keeps every channel of a pixel together', () => {
    const x = tf.tensor4d([1, -1, 2, -2, 3, -3, 4, -4], [1, 2, 2, 2]);
    const y = applyAugmentation(x, 1, { dy: [1], dx: [0], flip: [false] });
    // Window rows 1-2, columns 0-1 of the padded 4x4: [[pad, (1,-1)], [pad, (3,-3)]].
    expect(Array.from(y.dataSync())).toEqual([0, 0, 1, -1, 0, 0, 3, -3]);
    tf.dispose([x, y]);
  });
});

describe('drawAugmentation', () => {
  it('draws offsets in [0, 2 pad] and no mirroring when flip is off, the same for the same seed', () => {
    const a = drawAugmentation(200, { pad: 2, flip: false }, 7);
    expect([...a.dy, ...a.dx].every((o) => Number.isInteger(o) && o >= 0 && o <= 4)).toBe(true);
    // 400 draws from 5 values: every offset turns up.
    expect(new Set([...a.dy, ...a.dx]).size).toBe(5);
    expect(a.flip.every((f) => !f)).toBe(true);
    expect(drawAugmentation(200, { pad: 2, flip: false }, 7)).toEqual(a);
    expect(drawAugmentation(200, { pad: 2, flip: false }, 8)).not.toEqual(a);
  });

  it('mirrors about half the images when flip is on; pad 0 never shifts', () => {
    const d = drawAugmentation(400, { pad: 0, flip: true }, 3);
    expect([...d.dy, ...d.dx].every((o) => o === 0)).toBe(true);
    const mirrored = d.flip.filter((f) => f).length;
    expect(mirrored).toBeGreaterThan(150);
    expect(mirrored).toBeLessThan(250);
  });
});
