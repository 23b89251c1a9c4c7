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
  return text.replace(XML_FORBIDDEN, '');
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
