/**
 * A code frame in the style of babel and vitest: the offending line with a
 * line of context either side, line numbers in a gutter and the offending
 * token underlined. Plain text on purpose: the error message must read the
 * same in a log file; a terminal front end may colour it.
 */

/** Lines shown before and after the offending one. */
const CONTEXT = 1;

/** Longer lines are shown as a window of this many characters around the column, cut with "…". */
const MAX_WIDTH = 120;

/**
 * The frame for `line`:`column` (both 1-based) of `text` (or of its lines, as
 * sourceLines splits them), or '' when the position is outside the text.
 *
 *     2 | model: { arch: a, weights: w }
 *   > 3 | data: { dataset: d, seeds: 0 }
 *       |                            ^
 *     4 | norm: l3
 */
export function codeFrame(text: string | readonly string[], line: number, column: number): string {
  const lines = typeof text === 'string' ? sourceLines(text) : text;
  if (line < 1 || line > lines.length) return '';
  const first = Math.max(1, line - CONTEXT);
  const last = Math.min(lines.length, line + CONTEXT);
  const width = String(last).length;
  const gutter = (n: number | ''): string => String(n).padStart(width);
  const target = lines[line - 1];
  const at = Math.max(0, Math.min(column - 1, target.length));
  const win = windowAround(target, at);
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const src = cut(lines[n - 1], win);
    out.push(`${n === line ? '>' : ' '} ${gutter(n)} |${src === '' ? '' : ` ${src}`}`);
    if (n === line) out.push(`  ${gutter('')} | ${underline(target, at, win)}`);
  }
  return out.join('\n');
}

/** The text's lines without line ends; a final newline does not open another line. */
export function sourceLines(text: string): string[] {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

interface Window {
  start: number;
  end: number;
}

/** The part of a long line shown: MAX_WIDTH characters, the column a third of the way in. */
function windowAround(src: string, at: number): Window {
  if (src.length <= MAX_WIDTH) return { start: 0, end: Number.POSITIVE_INFINITY };
  const start = Math.max(0, Math.min(at - Math.floor(MAX_WIDTH / 3), src.length - MAX_WIDTH));
  return { start, end: start + MAX_WIDTH };
}

/** A line as shown: whole when short, else the window's part of it (context lines too, so columns agree). */
function cut(src: string, w: Window): string {
  if (src.length <= MAX_WIDTH) return src;
  const start = Math.min(w.start, src.length - MAX_WIDTH);
  const end = start + MAX_WIDTH;
  return `${start > 0 ? '…' : ''}${src.slice(start, end)}${src.length > end ? '…' : ''}`;
}

/** Spaces up to the column (tabs kept, so the carets line up), then one caret per character of the token. */
function underline(src: string, at: number, w: Window): string {
  const lead = w.start > 0 ? ' ' : '';
  const pad = src.slice(w.start, at).replace(/[^\t]/g, ' ');
  const length = Math.max(1, Math.min(tokenLength(src, at), w.end - at));
  return `${lead}${pad}${'^'.repeat(length)}`;
}

/** Characters that end a plain YAML word: spaces and flow punctuation. */
const WORD_END = /[\s,:{}[\]#]/;

/**
 * Length of the token starting at `at`: a quoted string up to its closing
 * quote, else a run of characters up to a space, a quote or YAML punctuation; at
 * least 1, so an empty value or the end of a line still gets a caret.
 */
export function tokenLength(src: string, at: number): number {
  const ch = src[at];
  if (ch === undefined || WORD_END.test(ch)) return 1;
  if (ch === '"' || ch === "'") {
    const close = closingQuote(src, at);
    return close < 0 ? src.length - at : close - at + 1;
  }
  // A quote ends a word too: the word is then the last one inside a quoted string.
  let end = at;
  while (end < src.length && !WORD_END.test(src[end]) && src[end] !== '"' && src[end] !== "'") end++;
  return end - at;
}

function closingQuote(src: string, open: number): number {
  const quote = src[open];
  for (let i = open + 1; i < src.length; i++) {
    // Double quotes escape with a backslash; single quotes by doubling.
    if (quote === '"' && src[i] === '\\') i++;
    else if (src[i] === quote && quote === "'" && src[i + 1] === "'") i++;
    else if (src[i] === quote) return i;
  }
  return -1;
}
