/** XML escaping for text content and attribute values (double-quoted). */

const TEXT_SPECIAL = /[&<>\r]/;
const ATTR_SPECIAL = /[&<>"\r\n\t]/;
/** Characters XML 1.0 cannot carry at all, even escaped. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const INVALID_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

/**
 * `text` safe as XML element content: escapes `&`, `<`, `>` and CR (as `&#13;`, so a parser keeps
 * it). Characters XML 1.0 cannot carry at all are not removed or checked here.
 */
export function escapeText(text: string): string {
  if (!TEXT_SPECIAL.test(text)) return text;
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

/**
 * `text` safe inside a double-quoted XML attribute value: escapes `&`, `<`, `>`, `"` and CR, LF
 * and tab as character references, so attribute normalization keeps them.
 */
export function escapeAttribute(text: string): string {
  if (!ATTR_SPECIAL.test(text)) return text;
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\r/g, '&#13;')
    .replace(/\n/g, '&#10;')
    .replace(/\t/g, '&#9;');
}

/** True when the string holds a character that no XML 1.0 document may contain. */
export function hasInvalidXmlChar(text: string): boolean {
  return INVALID_CHARS.test(text);
}
