import { describe, expect, it } from 'vitest';
import { formatDuration, formatEta, formatFlops, formatMs, formatNorm, formatPercent } from './format.js';
import { seconds, junitTimestamp } from './junit.js';
import { formatEpsilon } from './html.js';

describe('number formats', () => {
  it('FLOPs in three significant digits', () => {
    expect(formatFlops(9_437_184)).toBe('9.44M');
    expect(formatFlops(38_680_000)).toBe('38.7M');
    expect(formatFlops(505_800_000)).toBe('506M');
    expect(formatFlops(1_200_000_000)).toBe('1.20G');
    expect(formatFlops(999)).toBe('999');
    expect(formatFlops(1500)).toBe('1.50K');
    expect(formatFlops(Number.NaN)).toBe('—');
  });

  it('percentages, norms, milliseconds', () => {
    expect(formatPercent(0.3724)).toBe('37.2%');
    expect(formatPercent(1)).toBe('100.0%');
    expect(formatPercent(null)).toBe('—');
    expect(formatNorm(0.031372549)).toBe('0.0314');
    expect(formatNorm(0)).toBe('0');
    expect(formatMs(0.42)).toBe('0.42 ms');
    expect(formatMs(12.34)).toBe('12.3 ms');
    expect(formatMs(512.4)).toBe('512 ms');
  });

  it('durations', () => {
    expect(formatDuration(850)).toBe('850ms');
    expect(formatDuration(12_345)).toBe('12.3s');
    expect(formatDuration(123_000)).toBe('2m 03s');
    expect(formatDuration(3_720_000)).toBe('1h 02m');
  });

  it('ETA in whole seconds under a minute, rounded up', () => {
    expect(formatEta(12_001)).toBe('13s');
    expect(formatEta(400)).toBe('1s');
    expect(formatEta(125_000)).toBe('2m 05s');
    expect(formatEta(Number.NaN)).toBe('—');
  });

  it('JUnit seconds have at most three decimals', () => {
    expect(seconds(12_345.6789)).toBe('12.346');
    expect(seconds(1500)).toBe('1.5');
    expect(seconds(0.2)).toBe('0');
    expect(seconds(-5)).toBe('0');
    expect(seconds(Number.NaN)).toBe('0');
  });

  it('JUnit timestamps drop fraction and zone', () => {
    expect(junitTimestamp('2025-03-04T05:06:07.890Z')).toBe('2025-03-04T05:06:07');
    expect(junitTimestamp('not a date')).toBeUndefined();
  });

  it('epsilon shown as k/255 when it is one', () => {
    expect(formatEpsilon(8 / 255)).toBe('0.03137 (8/255)');
    expect(formatEpsilon(0.5)).toBe('0.5');
  });
});
