/**
 * Escaping for the XML and HTML reports. User strings (suite names, file
 * names, assertion text, error messages) go through here and nowhere else.
 */

/**
 * Characters XML 1.0 forbids (§2.2): C0 controls other than tab, LF and CR,
 * U+FFFE/U+FFFF, and surrogates not part of a pair. With the `u` flag a
 * well-formed pair is one code point, so the surrogate class only matches
 * lone halves.
 */
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDFFF]/gu;

export function stripInvalidXmlChars(text: string): string {
  // A field a result should have but lacks (a user module's meta without arch) is shown empty, not a crash.
  return String(text ?? '').replace(XML_FORBIDDEN, '');
}

/** Element content. `>` is escaped too, so `]]>` can never appear. */
export function xmlText(text: string): string {
  return stripInvalidXmlChars(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Attribute values, for either quote style. Tab, LF and CR are written as
 * character references because a parser normalises literal ones to spaces.
 */
export function xmlAttr(text: string): string {
  return xmlText(text)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

/** HTML text and attribute values (double or single quoted). */
export function html(text: string): string {
  return stripInvalidXmlChars(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * What a terminal would act on rather than print: C0 controls (ESC starts an
 * ANSI sequence, CR and LF move the cursor), DEL, C1 controls (U+009B is a
 * one-byte CSI), the Unicode line and paragraph separators, and the
 * bidirectional overrides and isolates that reorder what is shown.
 */
const TERMINAL_UNSAFE = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g;
const NAMED_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * A user string (suite name, file, assertion text, model name, message) for
 * one line of a terminal: every unsafe character is shown as an escape
 * (`\n`, `\x1b`, `\u202e`), so a name can neither colour, move the cursor
 * nor start a line of its own (a forged "Result PASSED").
 */
export function terminalText(text: string): string {
  return String(text ?? '').replace(TERMINAL_UNSAFE, (ch) => {
    const code = ch.charCodeAt(0);
    return NAMED_ESCAPES[ch] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
  });
}

/** Text of several lines (an error message, a stack, a code frame): each line as terminalText. */
export function terminalLines(text: string): string {
  return String(text ?? '').split('\n').map(terminalText).join('\n');
}

/**
 * A deep copy of a reporter event with every string passed through
 * terminalText, so the console and dot reporters format only safe text
 * whatever field it came from. The fields of an `error` object keep their
 * line breaks (terminalLines): a message or stack is printed line by line.
 */
export function terminalSafe<T>(value: T): T {
  return safeCopy(value, false) as T;
}

function safeCopy(v: unknown, inError: boolean): unknown {
  if (typeof v === 'string') return inError ? terminalLines(v) : terminalText(v);
  if (Array.isArray(v)) return v.map((x) => safeCopy(x, inError));
  if (v === null || typeof v !== 'object' || ArrayBuffer.isView(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = safeCopy(x, inError || k === 'error');
  return out;
}
