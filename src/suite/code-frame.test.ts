import { describe, expect, it } from 'vitest';
import { codeFrame, tokenLength } from './code-frame.js';

const TEXT = ['a: 1', 'b: 2', 'c: 3', 'd: 4', 'e: 5', 'f: 6', 'g: 7', 'h: 8', 'i: 9', 'steps: many', 'k: 11', ''].join('\n');

describe('codeFrame', () => {
  it('shows the line with one line either side, a gutter as wide as the largest number, and the token underlined', () => {
    expect(codeFrame(TEXT, 10, 8)).toBe(['   9 | i: 9', '> 10 | steps: many', '     |        ^^^^', '  11 | k: 11'].join('\n'));
  });

  it('has no line before the first one, nor an empty line for the final newline', () => {
    expect(codeFrame('name: 3\nnorm: l3\n', 1, 7)).toBe(['> 1 | name: 3', '    |       ^', '  2 | norm: l3'].join('\n'));
    expect(codeFrame('name: 3\nnorm: l3\n', 2, 1)).toBe(['  1 | name: 3', '> 2 | norm: l3', '    | ^^^^'].join('\n'));
  });

  it('underlines a quoted string up to its closing quote, escapes included', () => {
    const text = 'assertions:\n  - "max \\"I\\" < 5%"  # note\n';
    expect(codeFrame(text, 2, 5)).toBe(['  1 | assertions:', '> 2 |   - "max \\"I\\" < 5%"  # note', '    |     ^^^^^^^^^^^^^^^^'].join('\n'));
    expect(tokenLength(`'it''s' x`, 0)).toBe(7);
    expect(tokenLength('"open', 0)).toBe(5);
  });

  it('stops a plain word at YAML punctuation', () => {
    expect(tokenLength('{ iterations: 0, lamda: 3 }', 2)).toBe(10);
    expect(tokenLength('{ iterations: 0, lamda: 3 }', 14)).toBe(1);
    expect(tokenLength('stepz: 400', 0)).toBe(5);
    expect(tokenLength('"max I-FLOPs < 1.5x ilfo"', 20)).toBe(4);
  });

  it('keeps tabs so the caret lines up, and puts a caret past the end of a short line', () => {
    expect(codeFrame('x:\tbad', 1, 4)).toBe(['> 1 | x:\tbad', '    |   \t^^^'].join('\n'));
    expect(codeFrame('model:\n', 1, 7)).toBe(['> 1 | model:', '    |       ^'].join('\n'));
  });

  it('reads CRLF files and shows an empty line without trailing spaces', () => {
    expect(codeFrame('a: 1\r\n\r\nc: x\r\n', 2, 1)).toBe(['  1 | a: 1', '> 2 |', '    | ^', '  3 | c: x'].join('\n'));
  });

  it('is empty for a line outside the text', () => {
    expect(codeFrame('a: 1\n', 5, 1)).toBe('');
    expect(codeFrame('a: 1\n', 0, 1)).toBe('');
  });
});
