/** Number formatting for the rendered tables; null, undefined and NaN print as a dash. */

const DASH = '—';

export function isNum(v) {
  return typeof v === 'number' && Number.isFinite(v);
}

export function pct(v, digits = 1) {
  return isNum(v) ? `${(v * 100).toFixed(digits)}%` : DASH;
}

export function mflops(v) {
  return isNum(v) ? (v / 1e6).toFixed(2) : DASH;
}

export function fixed(v, digits = 2) {
  return isNum(v) ? v.toFixed(digits) : DASH;
}

export function int(v) {
  return isNum(v) ? String(Math.round(v)) : DASH;
}

/** Milliseconds with three significant figures (0.412, 4.12, 41.2, 412). */
export function ms(v) {
  if (!isNum(v)) return DASH;
  return v >= 100 ? v.toFixed(0) : v.toPrecision(3);
}

/** Seconds as "42 s", "12.5 min" or "1.3 h". */
export function duration(seconds) {
  if (!isNum(seconds)) return DASH;
  if (seconds < 120) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  if (seconds < 7200) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/** "mean / max" of an Aggregates object as percentages. */
export function meanMax(agg) {
  return agg ? `${pct(agg.mean)} / ${pct(agg.max)}` : DASH;
}

/** A Markdown table; cells are escaped for pipes. */
export function table(header, rows, align) {
  const esc = (c) => String(c ?? DASH).replace(/\|/g, '\\|');
  const sep = header.map((_, i) => (align?.[i] === 'r' ? '---:' : '---'));
  return [header, sep, ...rows].map((r, i) => `| ${(i === 1 ? r : r.map(esc)).join(' | ')} |`).join('\n');
}
