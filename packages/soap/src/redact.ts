/**
 * Removes secret values from text bound for logs, hooks and error messages, in every form a
 * secret takes on the wire: raw; XML-escaped once or several times (`&amp;amp;lt;`), with named
 * or numeric character references; JSON-escaped (`\"`, `\u0441`); percent- or form-encoded; and
 * base64, alone or inside a longer base64 text (HTTP Basic's `user:password`). A server echoing a
 * request back may mix these per character, so each character of a secret is matched in any of
 * its forms. Redaction runs on the text before any cut: `redact(text, secrets, maxChars)` returns
 * the start of the redacted text, so a secret across the cut point cannot leave a part behind.
 */
import { boundText } from './errors.js';

/** What a secret (or a credential header's whole value) is replaced with in hook payloads, logs and errors. */
export const REDACTED = '***';

/** XML escaping levels recognised: `&amp;amp;amp;amp;lt;` is five. */
const XML_LEVELS = 5;
/**
 * Upper bound of the length of one character in any recognised form: four UTF-8 bytes as %XX
 * with each % itself a nested reference (`&amp;amp;amp;amp;#00000037;`), about 4 x 28.
 */
const MAX_FORM_PER_CHAR = 128;
/** Header values shorter than this are not treated as secrets (they would redact ordinary text). */
const MIN_HEADER_SECRET = 4;

interface Matcher {
  /** Finds the next occurrence (global). */
  readonly next: RegExp;
  /** Tests for an occurrence at a given index (sticky), to merge overlapping ones. */
  readonly at: RegExp;
  /** No occurrence is longer than this. */
  readonly longest: number;
}

/**
 * Replaces every occurrence of each secret, in any of its forms, with ***. Overlapping occurrences
 * become one ***. With `maxChars`, returns at most that much of the redacted text (plus the end
 * of a *** cut in half) followed by `…[cut N chars]`, N counting characters of `text`; its cost
 * is that of the excerpt, not of the whole text.
 */
export function redact(text: string, secrets: readonly string[], maxChars?: number): string {
  const matcher = matcherFor(secrets);
  if (maxChars === undefined) return matcher ? scan(text, matcher, text.length, Number.POSITIVE_INFINITY).out : text;
  if (!matcher) return boundText(text, maxChars);
  // Redact a growing prefix until the excerpt is decided by characters entirely inside it.
  for (let end = Math.min(text.length, 2 * maxChars + matcher.longest); ; end = Math.min(text.length, 2 * end)) {
    const { out, stop } = scan(text, matcher, end, maxChars);
    if (end === text.length || (out.length >= maxChars && stop + matcher.longest <= end)) {
      return stop < text.length ? `${out}…[cut ${text.length - stop} chars]` : out;
    }
  }
}

/**
 * Redacts `text.slice(0, end)` until the output reaches `max` characters. Returns the output and
 * the index in `text` where it stopped.
 */
function scan(text: string, matcher: Matcher, end: number, max: number): { out: string; stop: number } {
  const region = end === text.length ? text : text.slice(0, end);
  const { next, at } = matcher;
  next.lastIndex = 0;
  let out = '';
  let pos = 0;
  for (;;) {
    const match = next.exec(region);
    const start = match ? match.index : region.length;
    if (out.length + (start - pos) >= max) {
      const take = max - out.length;
      return { out: out + region.slice(pos, pos + take), stop: pos + take };
    }
    out += region.slice(pos, start);
    if (!match) return { out, stop: region.length };
    let stop = start + Math.max(1, match[0].length);
    // An occurrence starting inside this one and running past it is merged into one ***.
    for (let q = start + 1; q < stop; q++) {
      at.lastIndex = q;
      const overlap = at.exec(region);
      if (overlap && q + overlap[0].length > stop) stop = q + overlap[0].length;
    }
    out += REDACTED;
    pos = stop;
    next.lastIndex = stop;
    if (out.length >= max) return { out, stop };
  }
}

// The last few matchers: a client redacts several texts per call with the same secrets.
const matchers = new Map<string, Matcher | undefined>();

function matcherFor(secrets: readonly string[]): Matcher | undefined {
  const key = secrets.join('\u0000');
  if (matchers.has(key)) return matchers.get(key);
  const distinct = [...new Set(secrets)].filter((s) => s !== '').sort((a, b) => b.length - a.length);
  let matcher: Matcher | undefined;
  if (distinct.length > 0) {
    const base64 = [...new Set(distinct.flatMap(base64Forms))].sort((a, b) => b.length - a.length);
    const source = [...distinct.map(textualPattern), ...base64.map(escapeRegExp)].join('|');
    matcher = {
      next: new RegExp(source, 'g'),
      at: new RegExp(source, 'y'),
      longest: Math.max(...distinct.map((s) => s.length * MAX_FORM_PER_CHAR)),
    };
  }
  if (matchers.size >= 8) matchers.delete(matchers.keys().next().value as string);
  matchers.set(key, matcher);
  return matcher;
}

/**
 * One alternation per character: the secret in any mix of raw, XML, JSON and percent forms. A
 * character that an encoding turns into several (`"` -> `\"`, `<` -> `%3C`, `с` -> `\u0441`) is
 * matched one level deeper too, each character of its escape in any form itself: a JSON escape
 * sent percent-encoded (`%5C%22`) or JSON-escaped again (`\\\"`) is still the secret.
 */
function textualPattern(secret: string): string {
  return [...secret].map((char) => charPattern(char, PLAIN.test(char) ? 1 : 2)).join('');
}

/** Characters no encoding but a deliberate one (numeric reference, \u, %XX) changes. */
const PLAIN = /^[A-Za-z0-9._~-]$/;

const ENTITY_NAMES = new Map([
  ['&', 'amp'],
  ['<', 'lt'],
  ['>', 'gt'],
  ['"', 'quot'],
  ["'", 'apos'],
]);
/** JSON's two-character escapes: the character after the backslash. */
const JSON_SHORT = new Map([
  ['"', '"'],
  ['\\', '\\'],
  ['/', '/'],
  ['\b', 'b'],
  ['\f', 'f'],
  ['\n', 'n'],
  ['\r', 'r'],
  ['\t', 't'],
]);

/** A piece of an escape sequence: a character (itself encodable one level less) or a fixed pattern. */
type Piece = string | { readonly pattern: string };

/** The forms of one character, `depth` levels of encoding deep. */
function charPattern(char: string, depth: number): string {
  const forms = [escapeRegExp(char)];
  if (depth > 0) {
    forms.push(xmlReference(char));
    for (const sequence of escapes(char)) {
      forms.push(
        sequence.map((piece) => (typeof piece === 'string' ? charPattern(piece, depth - 1) : piece.pattern)).join(''),
      );
    }
  }
  return forms.length === 1 ? (forms[0] as string) : `(?:${forms.join('|')})`;
}

/** The multi-character escapes of a character: JSON's (\" or \uXXXX), percent-encoding's, form-encoding's. */
function escapes(char: string): Piece[][] {
  const out: Piece[][] = [];
  const short = JSON_SHORT.get(char);
  if (short !== undefined) out.push(['\\', short]);
  // JSON quoted in JSON again and again: \" then \\\" then \\\\\\\" (any run of backslashes).
  if (char === '"' || char === '/') out.push([{ pattern: `\\\\+${escapeRegExp(char)}` }]);
  if (char === '\\') out.push([{ pattern: '\\\\+' }]);
  const units = Array.from({ length: char.length }, (_, i) => char.charCodeAt(i));
  out.push(units.flatMap((unit): Piece[] => ['\\', { pattern: `u${hexPattern(unit, 4)}` }]));
  out.push([...Buffer.from(char, 'utf8')].flatMap((byte): Piece[] => ['%', { pattern: hexPattern(byte, 2) }]));
  if (char === ' ') out.push(['+']);
  return out;
}

/** A character reference (named, decimal or hex) behind any number of `&amp;` levels. */
function xmlReference(char: string): string {
  const code = char.codePointAt(0) as number;
  const name = ENTITY_NAMES.get(char);
  const numeric = `#0{0,8}${code}|#[xX]0{0,8}${hexPattern(code)}`;
  return `&(?:amp;){0,${XML_LEVELS - 1}}(?:${name ? `${name}|` : ''}${numeric});`;
}

/** Hex digits of `value` matching either case. */
function hexPattern(value: number, width = 1): string {
  return [...value.toString(16).padStart(width, '0')]
    .map((d) => (/[a-f]/.test(d) ? `[${d}${d.toUpperCase()}]` : d))
    .join('');
}

/**
 * The secret's base64 (standard and URL alphabets), and the part of its encoding that is the same
 * wherever it sits inside a longer base64 text (three alignments), for the raw and the
 * XML-escaped secret: `Basic base64(user:password)` contains one of them.
 */
function base64Forms(secret: string): string[] {
  const forms: string[] = [];
  for (const variant of new Set([secret, secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')])) {
    const bytes = Buffer.from(variant, 'utf8');
    forms.push(bytes.toString('base64'), bytes.toString('base64url'));
    for (let offset = 0; offset < 3; offset++) {
      const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
      // Characters wholly inside the secret's bits: from ceil(8*offset/6) to floor(8*(offset+n)/6) - 1.
      const core = encoded.slice(Math.ceil((8 * offset) / 6), Math.floor((8 * (offset + bytes.length)) / 6));
      if (core.length >= 4) forms.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
    }
  }
  return forms;
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

const CREDENTIAL_HEADER = /authorization|cookie|token|secret|passw|pwd|api-?key|access-?key|session|credential/i;

/** Whether a header's value is a credential (masked whole in hook payloads). */
export function isCredentialHeader(name: string): boolean {
  return CREDENTIAL_HEADER.test(name);
}

/**
 * The secret values in headers a caller hands over: the token of Authorization (Basic: also the
 * decoded `user:password` and the password), cookie values, and the values of headers named like
 * a credential (x-api-key, x-auth-token, ...).
 */
export function credentialSecrets(headers: Readonly<Record<string, string | string[] | undefined>> = {}): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || !isCredentialHeader(name)) continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      if (/authorization/i.test(name)) out.push(...authorizationSecrets(item));
      else if (/cookie/i.test(name)) {
        for (const pair of item.split(';')) {
          const cookie = pair.slice(pair.indexOf('=') + 1).trim();
          if (cookie.length >= MIN_HEADER_SECRET) out.push(cookie);
        }
      } else if (item.trim().length >= MIN_HEADER_SECRET) out.push(item.trim());
    }
  }
  return [...new Set(out)];
}

function authorizationSecrets(value: string): string[] {
  const [, scheme, credentials] = /^\s*(\S+)\s+(\S.*?)\s*$/.exec(value) ?? [];
  if (!scheme || !credentials) return value.trim() ? [value.trim()] : [];
  const out = [credentials];
  if (/^basic$/i.test(scheme)) {
    const decoded = Buffer.from(credentials, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon >= 0) out.push(decoded, ...(colon + 1 < decoded.length ? [decoded.slice(colon + 1)] : []));
  }
  return out;
}

/** Copies headers with credential headers replaced by *** and secrets removed from the others. */
export function redactHeaders(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  secrets: readonly string[],
): Record<string, string> {
  const out: [string, string][] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    out.push([name, isCredentialHeader(name) ? REDACTED : redact(text, secrets)]);
  }
  // fromEntries defines keys: a header named __proto__ stays a header.
  return Object.fromEntries(out);
}
