/**
 * A strict, namespace-aware XML scanner specialised for SOAP payloads, written for speed
 * (indexOf-driven, no per-character state machine) without giving up the safety rules:
 *
 * - DOCTYPE is refused, so only the five predefined entities and numeric character references
 *   exist; any other `&name;` is an error, as is a reference to a character XML forbids;
 * - well-formedness: names, quoting, unique attributes, matching end tags, one root, no text
 *   outside it, no `]]>` in text, no `--` in comments, the XML declaration only at the start;
 * - namespaces: every prefix must be bound; `xml` and `xmlns` are reserved;
 * - limits on nesting depth (and, in the reader, on size).
 *
 * Every cost is linear in the input: namespace scopes share structure (./namespaces.ts), lookup
 * tables fed by the document are Maps or null-prototype objects, and names or values quoted in
 * errors are cut short (./clip.ts).
 *
 * UTF-8 input is scanned as bytes: the caller hands a Latin-1 view of the validated bytes (one
 * character per byte, so markup positions are byte offsets and no whole-document UTF-8 decoding
 * happens), and only the text, values and names that hold non-ASCII bytes are decoded, each
 * from its own byte range. Markup is ASCII, so no multi-byte sequence can be mistaken for it.
 *
 * It works on a whole string and can stop at any token boundary past a given offset, so the
 * caller can yield to the event loop between slices of a large document. A long text run is
 * delivered in pieces of at most TEXT_STEP characters (cut where no reference, CR LF pair,
 * surrogate pair or "]]>" straddles the cut, after whitespace when there is some nearby), so no
 * single step of the scanner grows with the size of one text node.
 * docs/decisions/0002-xml-parser.md records the measurements that chose it over saxes.
 */
import { clip } from './clip.js';
import { intern } from './intern.js';
import { NamespaceScope, XML_NS, XMLNS_NS } from './namespaces.js';
import type { XmlAttribute, XmlHandler } from './reader.js';

/** A well-formedness or safety violation. The codec turns it into a typed DecodeError. */
export class XmlSyntaxError extends Error {}

/** The longest piece of one text run delivered in one step. */
const TEXT_STEP = 32 * 1024;
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters XML forbids.
const FORBIDDEN_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const WHITESPACE_ONLY = /^[ \t\r\n]*$/;
/** Anything in text that needs a closer look: forbidden characters, references, CR, "]". */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters XML forbids.
const TEXT_SPECIAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF&\r\]]/;
const NON_ASCII = /[\u0080-\u00FF]/;
/**
 * A fresh attributes record. Its prototype is an empty object without a prototype, so it
 * inherits nothing (an attribute may be named `__proto__` or `constructor`), yet V8 keeps it a
 * fast object: enumerating `Object.create(null)` costs several times more, on every element.
 */
export function newAttributes(): Record<string, XmlAttribute> {
  return new (AttributeRecord as unknown as new () => Record<string, XmlAttribute>)();
}
function AttributeRecord(): void {}
AttributeRecord.prototype = Object.create(null);

/** The attributes of every element without any: one frozen object, so handlers can test identity. */
export const EMPTY_ATTRIBUTES: Record<string, XmlAttribute> = Object.freeze(Object.create(null)) as Record<
  string,
  XmlAttribute
>;
/** An element name as written (`raw`: the Latin-1 view, for bytes), decoded and split at its colon. */
interface ElementName {
  readonly raw: string;
  readonly qname: string;
  /** The name as quoted in errors (clip). */
  readonly shown: string;
  /** '' when unprefixed. */
  readonly prefix: string;
  readonly local: string;
  /** The prefix's namespace when last looked up, valid while the scope's version is `nsVersion`. */
  ns: string;
  nsVersion: number;
}

/**
 * An attribute name as written, split as namespaces-in-XML reads it: `xmlns` and `xmlns:p`
 * declare (`declares`: the prefix declared), others are prefixed or not.
 */
interface AttributeName {
  readonly raw: string;
  readonly qname: string;
  readonly prefix: string;
  readonly local: string;
  readonly declares: string | undefined;
}

/** An attribute value as written (the Latin-1 view, for bytes) and as read. */
interface AttributeValue {
  readonly raw: string;
  readonly value: string;
}

/** Slots of the name and value caches (a fixed size: a hostile document cannot grow them). */
const NAME_SLOTS = 512;
/** Text runs from bytes up to this long that needed decoding or checking are remembered... */
const MAX_CACHED_TEXT = 64;
/** ...this many per document (a bound: a document of distinct values only fills it once). */
const MAX_CACHED_TEXTS = 4096;
/** Distinct names internalized per document; past it, names are used as cut (correct, compared more slowly). */
const MAX_INTERNED = 1024;

/** The five predefined entities; a switch, so `&constructor;` is no entity at all. */
function predefinedEntity(name: string): string | undefined {
  switch (name) {
    case 'lt':
      return '<';
    case 'gt':
      return '>';
    case 'amp':
      return '&';
    case 'quot':
      return '"';
    case 'apos':
      return "'";
    default:
      return undefined;
  }
}

enum Char {
  Tab = 9,
  LineFeed = 10,
  CarriageReturn = 13,
  Space = 32,
  Quote = 34,
  Apostrophe = 39,
  Dash = 45,
  Dot = 46,
  Slash = 47,
  Zero = 48,
  Nine = 57,
  Colon = 58,
  Semicolon = 59,
  Equals = 61,
  GreaterThan = 62,
  Ampersand = 38,
  RightBracket = 93,
  Question = 63,
  Exclamation = 33,
  Underscore = 95,
}

function isWhitespace(c: number): boolean {
  return c === Char.Space || c === Char.LineFeed || c === Char.Tab || c === Char.CarriageReturn;
}

/** ASCII name characters: 1 = may start a name, 2 = may continue one. */
const NAME_TABLE = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const start = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === Char.Underscore || c === Char.Colon;
  const rest = start || (c >= Char.Zero && c <= Char.Nine) || c === Char.Dash || c === Char.Dot;
  NAME_TABLE[c] = start ? 3 : rest ? 2 : 0;
}

function isNameStart(c: number): boolean {
  return c < 128 ? (NAME_TABLE[c] as number) === 3 : c >= 0xc0;
}

function isNameChar(c: number): boolean {
  return c < 128 ? (NAME_TABLE[c] as number) !== 0 : c >= 0xc0 || c === 0xb7;
}

/**
 * Buffer's own UTF-8 decoder of a range: what `toString('utf8', start, end)` ends in, without
 * its argument handling, which costs more than decoding a short value (Node's typings omit it).
 */
interface Utf8Bytes extends Buffer {
  utf8Slice(start: number, end: number): string;
}

export class XmlScanner {
  readonly #s: string;
  readonly #handler: XmlHandler;
  readonly #maxDepth: number;
  readonly #maxAttributes: number;
  /** Open elements' qualified names. */
  readonly #qnames: string[] = [];
  readonly #scope = new NamespaceScope();
  /**
   * Element names recently seen, by a hash of their length and two characters: a document
   * repeats a few names many times, and a name found here is compared in place, costing no
   * string, no split and no hashing of a new string. A collision only means a miss.
   */
  readonly #names: (ElementName | undefined)[] = new Array(NAME_SLOTS).fill(undefined);
  /** Attribute names recently seen, as #names. */
  readonly #attributeNames: (AttributeName | undefined)[] = new Array(NAME_SLOTS).fill(undefined);
  /** Short attribute values recently seen (xsi:type values, flags, codes repeat), as #names. */
  readonly #attributeValues: (AttributeValue | undefined)[] = new Array(NAME_SLOTS).fill(undefined);
  /** Decoded text of short runs by their bytes' Latin-1 view (see #text). */
  readonly #texts = new Map<string, string>();
  /** Names internalized so far (see ./intern.ts): a slot collision in #names costs a lookup here, not a new copy. */
  readonly #internedNames = new Map<string, string>();
  /**
   * The start tag being read: its attributes' names and values (#tagAttributes of them), and its
   * prefixed attributes (see #open). Reused from tag to tag: no arrays per element.
   */
  readonly #tagNames: AttributeName[] = [];
  readonly #tagValues: string[] = [];
  #tagAttributes = 0;
  readonly #prefixedAttributes: XmlAttribute[] = [];
  /** Whether the name #nameEnd last went over has non-ASCII characters (bytes: needs decoding). */
  #nameHigh = false;
  #pos: number;
  /** Where the text at #pos ends: the next "<" (or the end), found once per text run. */
  #textEnd = -1;
  #sawRoot = false;
  #done = false;
  /** When scanning bytes: the UTF-8 document that `#s` is the Latin-1 view of. */
  readonly #bytes: Utf8Bytes | undefined;
  /** The first code unit that makes text need a closer look: any non-ASCII byte, else U+FFFE. */
  readonly #high: number;

  /**
   * @param text the document, or with `bytes` the Latin-1 view of them (`bytes.latin1Slice()`)
   * @param bytes valid UTF-8 (the caller checks): names, text and values are decoded from them
   */
  constructor(
    text: string,
    handler: XmlHandler,
    limits: { maxDepth: number; maxAttributes: number },
    bytes?: Uint8Array,
  ) {
    this.#s = text;
    this.#handler = handler;
    this.#maxDepth = limits.maxDepth;
    this.#maxAttributes = limits.maxAttributes;
    this.#bytes = bytes && (Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as Utf8Bytes);
    this.#high = bytes ? 0x80 : 0xfffe;
    this.#pos = bytes ? (text.startsWith('\xEF\xBB\xBF') ? 3 : 0) : text.charCodeAt(0) === 0xfeff ? 1 : 0;
    if (this.#s.startsWith('<?xml', this.#pos) && isWhitespaceOrEnd(this.#s.charCodeAt(this.#pos + 5)))
      this.#declaration();
  }

  get done(): boolean {
    return this.#done;
  }

  /** Scans tokens until the position passes `until` (or the end). Returns true when finished. */
  scan(until: number = Number.POSITIVE_INFINITY): boolean {
    const s = this.#s;
    while (this.#pos < until) {
      if (this.#textEnd < this.#pos) {
        const lt = s.indexOf('<', this.#pos);
        this.#textEnd = lt === -1 ? s.length : lt;
      }
      const lt = this.#textEnd;
      if (lt - this.#pos > TEXT_STEP) {
        const cut = textCut(s, this.#pos, this.#bytes !== undefined);
        if (cut !== -1) {
          this.#text(this.#pos, cut);
          this.#pos = cut;
          continue;
        }
      }
      if (lt === s.length) {
        if (lt > this.#pos) this.#text(this.#pos, lt);
        this.#pos = s.length;
        this.#finish();
        return true;
      }
      if (lt > this.#pos) this.#text(this.#pos, lt);
      const next = s.charCodeAt(lt + 1);
      if (next === Char.Slash) this.#endTag(lt);
      else if (next === Char.Exclamation) this.#markup(lt);
      else if (next === Char.Question) this.#instruction(lt);
      else this.#startTag(lt);
    }
    if (this.#pos >= s.length) {
      this.#finish();
      return true;
    }
    return false;
  }

  /** Names and values in `message` must already be cut with clip(). */
  #fail(message: string): never {
    throw new XmlSyntaxError(`${message} (at offset ${this.#pos})`);
  }

  #finish(): void {
    if (this.#done) return;
    if (this.#qnames.length > 0)
      this.#fail(`unclosed element <${clip(this.#shown(this.#qnames[this.#qnames.length - 1] as string))}>`);
    if (!this.#sawRoot) this.#fail('no root element');
    this.#done = true;
  }

  /** A document's raw text as it reads: the Latin-1 view of bytes is decoded back (error messages). */
  #shown(raw: string): string {
    return this.#bytes && NON_ASCII.test(raw) ? Buffer.from(raw, 'latin1').toString('utf8') : raw;
  }

  /** The characters between two positions: from the bytes, decoded, when they hold non-ASCII. */
  #decoded(raw: string, start: number, end: number): string {
    return this.#bytes && NON_ASCII.test(raw) ? this.#bytes.utf8Slice(start, end) : raw;
  }

  #text(start: number, end: number): void {
    if (this.#qnames.length === 0) {
      if (!WHITESPACE_ONLY.test(this.#s.slice(start, end))) this.#fail('text outside the root element');
      return;
    }
    if (isPlainText(this.#s, start, end, this.#high)) {
      this.#handler.text(this.#s.slice(start, end));
      return;
    }
    let raw = this.#s.slice(start, end);
    // Short values from bytes repeat (names of services, units, statuses): the same bytes give
    // the same text, already checked and decoded once.
    const cacheable = this.#bytes !== undefined && end - start <= MAX_CACHED_TEXT;
    if (cacheable) {
      const known = this.#texts.get(raw);
      if (known !== undefined) {
        this.#handler.text(known);
        return;
      }
    }
    const key = raw;
    // Something to look at: for bytes, decode first (ASCII decodes as it is).
    if (this.#bytes) raw = this.#bytes.utf8Slice(start, end);
    if (raw.includes(']]>')) this.#fail('"]]>" in text');
    if (FORBIDDEN_CHARS.test(raw)) this.#fail('a character XML does not allow');
    const normalized = raw.includes('\r') ? normalizeNewlines(raw) : raw;
    const text = normalized.includes('&') ? this.#entities(normalized) : normalized;
    if (cacheable && this.#texts.size < MAX_CACHED_TEXTS) this.#texts.set(key, text);
    this.#handler.text(text);
  }

  /** Expands the predefined entities and character references (after end-of-line handling). */
  #entities(raw: string): string {
    let out = '';
    let from = 0;
    for (let amp = raw.indexOf('&'); amp !== -1; amp = raw.indexOf('&', from)) {
      const semi = raw.indexOf(';', amp + 1);
      if (semi === -1 || semi - amp > 12) this.#fail('"&" must start an entity or character reference');
      out += raw.slice(from, amp);
      const name = raw.slice(amp + 1, semi);
      if (name.charCodeAt(0) === 35 /* # */) {
        const code = name.charCodeAt(1) === 120 /* x */ ? parseRadix(name.slice(2), 16) : parseRadix(name.slice(1), 10);
        if (!isXmlChar(code)) this.#fail(`character reference &${name}; is not an XML character`);
        out += String.fromCodePoint(code);
      } else {
        const value = predefinedEntity(name);
        if (value === undefined) this.#fail(`undefined entity &${name};`);
        out += value;
      }
      from = semi + 1;
    }
    out += raw.slice(from);
    return out;
  }

  #startTag(lt: number): void {
    const s = this.#s;
    if (this.#qnames.length === 0 && this.#sawRoot) this.#fail('content after the root element');
    let i = lt + 1;
    if (!this.#isNameStart(s.charCodeAt(i))) this.#fail('invalid element name');
    i = this.#nameEnd(i);
    const element = this.#elementName(lt + 1, i);
    const shown = element.shown;
    const names = this.#tagNames;
    const values = this.#tagValues;
    let count = 0;
    let seen: Set<string> | undefined; // for elements with many attributes: keeps the check linear
    let selfClosing = false;
    for (;;) {
      const start = i;
      while (isWhitespace(s.charCodeAt(i))) i++;
      const c = s.charCodeAt(i);
      if (c === Char.GreaterThan) {
        i++;
        break;
      }
      if (c === Char.Slash) {
        if (s.charCodeAt(i + 1) !== Char.GreaterThan) this.#fail('"/" must be followed by ">"');
        selfClosing = true;
        i += 2;
        break;
      }
      if (Number.isNaN(c)) this.#fail(`unterminated start tag <${shown}>`);
      if (i === start) this.#fail(`attributes of <${shown}> must be separated by whitespace`);
      const nameStart = i;
      if (!this.#isNameStart(c)) this.#fail(`invalid attribute name in <${shown}>`);
      i = this.#nameEnd(i);
      const attributeName = this.#attributeName(nameStart, i, shown);
      const name = attributeName.qname;
      while (isWhitespace(s.charCodeAt(i))) i++;
      if (s.charCodeAt(i) !== Char.Equals) this.#fail(`attribute ${clip(name)} of <${shown}> has no value`);
      i++;
      while (isWhitespace(s.charCodeAt(i))) i++;
      const quote = s.charCodeAt(i);
      if (quote !== Char.Quote && quote !== Char.Apostrophe)
        this.#fail(`attribute ${clip(name)} of <${shown}> is not quoted`);
      const end = s.indexOf(quote === Char.Quote ? '"' : "'", i + 1);
      if (end === -1) this.#fail(`unterminated attribute ${clip(name)}`);
      const value = this.#attributeValue(i + 1, end, name);
      // One start tag is one step of the scanner: bounding its attributes bounds the step.
      if (count >= this.#maxAttributes) this.#fail(`<${shown}> has more than ${this.#maxAttributes} attributes`);
      if (count >= 8) {
        if (seen === undefined) {
          seen = new Set<string>();
          for (let k = 0; k < count; k++) seen.add((names[k] as AttributeName).qname);
        }
        if (seen.has(name)) this.#fail(`duplicate attribute ${clip(name)} on <${shown}>`);
        seen.add(name);
      } else {
        for (let k = 0; k < count; k++)
          if ((names[k] as AttributeName).qname === name) this.#fail(`duplicate attribute ${clip(name)} on <${shown}>`);
      }
      names[count] = attributeName;
      values[count] = value;
      count++;
      i = end + 1;
    }
    this.#pos = i;
    this.#tagAttributes = count;
    this.#open(element);
    if (selfClosing) this.#close();
  }

  /** The slot of the source range in a name or value cache: its length and three characters, mixed. */
  #slot(start: number, end: number): number {
    const s = this.#s;
    const length = end - start;
    // multiply-xorshift: few collisions among a document's names and short values
    let hash = Math.imul(length, 0x9e3779b1);
    hash = Math.imul(hash ^ s.charCodeAt(end - 1), 0x85ebca6b);
    hash = Math.imul(hash ^ s.charCodeAt(start + (length >> 1)), 0xc2b2ae35);
    hash = Math.imul(hash ^ s.charCodeAt(end - 2), 0x27d4eb2f);
    return (hash ^ (hash >>> 15)) & (NAME_SLOTS - 1);
  }

  /** Whether the source between `start` and `end` is `raw` (a cache entry's key, as written). */
  #writtenAt(raw: string, start: number, end: number): boolean {
    return raw.length === end - start && this.#s.startsWith(raw, start);
  }

  /** The attribute name #nameEnd just went over, from the cache when seen before (as #elementName). */
  #attributeName(start: number, end: number, shown: string): AttributeName {
    const slot = this.#slot(start, end);
    const known = this.#attributeNames[slot];
    if (known !== undefined && this.#writtenAt(known.raw, start, end)) return known;
    const qname = this.#name(start, end) ?? this.#fail(`invalid attribute name in <${shown}>`);
    const raw = this.#nameHigh ? this.#s.slice(start, end) : qname;
    const colon = qname.indexOf(':');
    let name: AttributeName;
    if (qname === 'xmlns' || qname.startsWith('xmlns:')) {
      const declares = colon === -1 ? '' : this.#interned(qname.slice(6));
      name = { raw, qname, prefix: colon === -1 ? '' : 'xmlns', local: colon === -1 ? 'xmlns' : declares, declares };
    } else if (colon !== -1) {
      const prefix = this.#interned(qname.slice(0, colon));
      name = { raw, qname, prefix, local: this.#interned(qname.slice(colon + 1)), declares: undefined };
    } else name = { raw, qname, prefix: '', local: this.#interned(qname), declares: undefined };
    this.#attributeNames[slot] = name;
    return name;
  }

  /**
   * The value of attribute `name` between its quotes, checked, decoded, normalized and its
   * references expanded; short values from the cache when seen before.
   */
  #attributeValue(start: number, end: number, name: string): string {
    const cacheable = end - start >= 2 && end - start <= MAX_CACHED_TEXT;
    const slot = cacheable ? this.#slot(start, end) : -1;
    if (cacheable) {
      const known = this.#attributeValues[slot];
      if (known !== undefined && this.#writtenAt(known.raw, start, end)) return known.value;
    }
    const source = this.#s.slice(start, end);
    const raw = this.#decoded(source, start, end);
    if (raw.includes('<')) this.#fail(`"<" in the value of attribute ${clip(name)}`);
    if (TEXT_SPECIAL.test(raw) && FORBIDDEN_CHARS.test(raw)) this.#fail('a character XML does not allow');
    const normalized = normalizeAttribute(raw);
    const value = normalized.includes('&') ? this.#entities(normalized) : normalized;
    if (cacheable) this.#attributeValues[slot] = { raw: source, value };
    return value;
  }

  /** Mode-aware name characters: for bytes, any byte of a multi-byte sequence (checked once decoded). */
  #isNameStart(c: number): boolean {
    return this.#bytes !== undefined && c >= 0x80 ? c >= 0xc0 : isNameStart(c);
  }

  #isNameChar(c: number): boolean {
    return this.#bytes !== undefined && c >= 0x80 ? true : isNameChar(c);
  }

  /** Where the name starting at `i` ends; notes in #nameHigh whether it has non-ASCII characters. */
  #nameEnd(i: number): number {
    const s = this.#s;
    let high = false;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c < 128) {
        if ((NAME_TABLE[c] as number) === 0) break;
      } else if (this.#isNameChar(c)) high = true;
      else break;
      i++;
    }
    this.#nameHigh = high;
    return i;
  }

  /**
   * The name #nameEnd just went over. Read from bytes with non-ASCII in it, it is decoded, then
   * held to the same character rules as a name in a string document (undefined: it breaks them).
   */
  #name(start: number, end: number): string | undefined {
    const raw = this.#s.slice(start, end);
    if (!this.#nameHigh || this.#bytes === undefined) return raw;
    const name = this.#bytes.utf8Slice(start, end);
    if (!isNameStart(name.charCodeAt(0))) return undefined;
    for (let k = 1; k < name.length; k++) if (!isNameChar(name.charCodeAt(k))) return undefined;
    return name;
  }

  #interned(name: string): string {
    const known = this.#internedNames.get(name);
    if (known !== undefined) return known;
    if (this.#internedNames.size >= MAX_INTERNED) return name;
    const interned = intern(name);
    this.#internedNames.set(interned, interned);
    return interned;
  }

  /** The element name #nameEnd just went over, from the cache when it was seen before. */
  #elementName(start: number, end: number): ElementName {
    const slot = this.#slot(start, end);
    const known = this.#names[slot];
    if (known !== undefined && this.#writtenAt(known.raw, start, end)) return known;
    const qname = this.#name(start, end) ?? this.#fail('invalid element name');
    const colon = qname.indexOf(':');
    const prefix = colon === -1 ? '' : this.#interned(qname.slice(0, colon));
    const local = this.#interned(colon === -1 ? qname : qname.slice(colon + 1));
    if (colon !== -1 && (local.length === 0 || local.includes(':'))) this.#fail(`invalid element name ${clip(qname)}`);
    // Kept as written (the Latin-1 view, for bytes): end tags are matched against it.
    const raw = this.#nameHigh ? this.#s.slice(start, end) : qname;
    const name: ElementName = { raw, qname, shown: clip(qname), prefix, local, ns: '', nsVersion: -1 };
    this.#names[slot] = name;
    return name;
  }

  /** Opens the element whose start tag was just read (its attributes in #tagNames and #tagValues). */
  #open(element: ElementName): void {
    if (this.#qnames.length >= this.#maxDepth) this.#fail(`nesting deeper than ${this.#maxDepth} levels`);
    const scope = this.#scope;
    scope.enter();
    const names = this.#tagNames;
    const values = this.#tagValues;
    const count = this.#tagAttributes;
    if (count > 0) {
      for (let k = 0; k < count; k++) {
        const prefix = (names[k] as AttributeName).declares;
        if (prefix !== undefined) {
          const name = (names[k] as AttributeName).qname;
          const uri = values[k] as string;
          if (prefix === 'xmlns' || uri === XMLNS_NS || (prefix === 'xml') !== (uri === XML_NS)) {
            this.#fail(`reserved namespace binding ${clip(name)}="${clip(uri)}"`);
          }
          if (prefix !== '' && uri === '') this.#fail(`prefix ${clip(prefix)} cannot be unbound`);
          scope.declare(prefix, uri);
        }
      }
    }
    const { prefix: elementPrefix, local } = element;
    let ns: string;
    if (elementPrefix === '') ns = scope.defaultNs;
    else if (element.nsVersion === scope.version) ns = element.ns;
    else {
      const uri = scope.lookup(elementPrefix);
      if (uri === undefined) this.#fail(`unbound namespace prefix ${clip(elementPrefix)}`);
      ns = uri;
      element.ns = uri;
      element.nsVersion = scope.version;
    }
    let attributes = EMPTY_ATTRIBUTES;
    if (count > 0) {
      // Inherits nothing: an attribute named __proto__ or constructor is an ordinary key.
      attributes = newAttributes();
      // Two different names can only mean the same {uri}local when both are prefixed.
      const prefixed = this.#prefixedAttributes;
      let prefixedCount = 0;
      for (let k = 0; k < count; k++) {
        const written = names[k] as AttributeName;
        const name = written.qname;
        const value = values[k] as string;
        const prefix = written.prefix;
        const attributeLocal = written.local;
        let uri = '';
        if (written.declares !== undefined) uri = XMLNS_NS;
        else if (prefix !== '' || name.charCodeAt(0) === 58 /* : */) {
          const bound = scope.lookup(prefix);
          if (bound === undefined) this.#fail(`unbound namespace prefix ${clip(prefix)}`);
          uri = bound;
        }
        const attribute: XmlAttribute = { name, uri, local: attributeLocal, prefix, value };
        if (prefix !== '' && prefix !== 'xmlns' && count > 1) prefixed[prefixedCount++] = attribute;
        attributes[name] = attribute;
      }
      if (prefixedCount > 1) this.#checkExpandedNames(prefixedCount);
    }
    this.#qnames.push(element.raw);
    this.#sawRoot = true;
    scope.prefix = elementPrefix;
    this.#handler.open(ns, local, attributes, scope);
  }

  /** Fails when two prefixed attributes name the same {uri}local (pairs for a few, a set for many). */
  #checkExpandedNames(count: number): void {
    const prefixed = this.#prefixedAttributes;
    const duplicate = (attribute: XmlAttribute): never =>
      this.#fail(`duplicate attribute {${clip(attribute.uri)}}${clip(attribute.local)}`);
    if (count <= 8) {
      for (let k = 1; k < count; k++) {
        const attribute = prefixed[k] as XmlAttribute;
        for (let j = 0; j < k; j++) {
          const other = prefixed[j] as XmlAttribute;
          if (other.local === attribute.local && other.uri === attribute.uri) duplicate(attribute);
        }
      }
      return;
    }
    const expanded = new Set<string>();
    for (let k = 0; k < count; k++) {
      const attribute = prefixed[k] as XmlAttribute;
      const key = `${attribute.uri}|${attribute.local}`;
      if (expanded.has(key)) duplicate(attribute);
      expanded.add(key);
    }
  }

  #close(): void {
    this.#qnames.pop();
    this.#scope.leave();
    this.#handler.close();
  }

  #endTag(lt: number): void {
    const s = this.#s;
    const qname = this.#qnames[this.#qnames.length - 1];
    if (qname === undefined) this.#fail('end tag without a start tag');
    const after = lt + 2 + qname.length;
    if (!s.startsWith(qname, lt + 2) || this.#isNameChar(s.charCodeAt(after))) {
      const end = this.#nameEnd(lt + 2);
      this.#fail(`</${clip(this.#shown(s.slice(lt + 2, end)))}> does not close <${clip(this.#shown(qname))}>`);
    }
    let i = after;
    while (isWhitespace(s.charCodeAt(i))) i++;
    if (s.charCodeAt(i) !== Char.GreaterThan) this.#fail(`malformed end tag </${clip(this.#shown(qname))}>`);
    this.#pos = i + 1;
    this.#close();
  }

  #markup(lt: number): void {
    const s = this.#s;
    if (s.startsWith('<!--', lt)) {
      const end = s.indexOf('-->', lt + 4);
      if (end === -1) this.#fail('unterminated comment');
      const dashes = s.indexOf('--', lt + 4);
      if (dashes !== end) this.#fail('"--" inside a comment');
      this.#pos = end + 3;
      return;
    }
    if (s.startsWith('<![CDATA[', lt)) {
      if (this.#qnames.length === 0) this.#fail('CDATA outside the root element');
      const end = s.indexOf(']]>', lt + 9);
      if (end === -1) this.#fail('unterminated CDATA section');
      const text = this.#decoded(s.slice(lt + 9, end), lt + 9, end);
      if (FORBIDDEN_CHARS.test(text)) this.#fail('a character XML does not allow');
      this.#handler.text(text.includes('\r') ? normalizeNewlines(text) : text);
      this.#pos = end + 3;
      return;
    }
    if (s.startsWith('<!DOCTYPE', lt)) this.#fail('DOCTYPE is not allowed');
    this.#fail('unexpected "<!"');
  }

  #instruction(lt: number): void {
    const s = this.#s;
    const end = s.indexOf('?>', lt + 2);
    if (end === -1) this.#fail('unterminated processing instruction');
    const i = this.#nameEnd(lt + 2);
    const target = s.slice(lt + 2, i);
    if (target.length === 0) this.#fail('processing instruction without a target');
    if (target.toLowerCase() === 'xml') this.#fail('the XML declaration must be at the start of the document');
    this.#pos = end + 2;
  }

  #declaration(): void {
    const s = this.#s;
    const end = s.indexOf('?>', this.#pos);
    if (end === -1) this.#fail('unterminated XML declaration');
    const declaration = s.slice(this.#pos + 5, end);
    const version = /version\s*=\s*["']([^"']*)["']/.exec(declaration)?.[1];
    if (version !== '1.0' && version !== '1.1') this.#fail('the XML declaration needs version="1.0"');
    const encoding = /encoding\s*=\s*["']([^"']*)["']/.exec(declaration)?.[1]?.toLowerCase();
    if (encoding !== undefined && encoding !== 'utf-8' && encoding !== 'utf8') {
      this.#fail(`unsupported encoding ${clip(encoding)}: only UTF-8 is accepted`);
    }
    this.#pos = end + 2;
  }
}

/**
 * Where a text run starting at `from` (longer than TEXT_STEP) may be cut, or -1 for nowhere
 * near TEXT_STEP (then the run goes in one piece). Prefers a cut just after whitespace.
 */
function textCut(s: string, from: number, bytes: boolean): number {
  const target = from + TEXT_STEP;
  let fallback = -1;
  for (let cut = target; cut > target - 64; cut--) {
    if (!isSafeCut(s, from, cut)) continue;
    // In bytes, a UTF-8 continuation byte (10xxxxxx) is in the middle of a character.
    if (bytes && (s.charCodeAt(cut) & 0xc0) === 0x80) continue;
    if (isWhitespace(s.charCodeAt(cut - 1))) return cut;
    if (fallback === -1) fallback = cut;
  }
  return fallback;
}

/** A cut that splits no reference, CR LF pair, surrogate pair or "]]>" (a UTF-8 sequence: see textCut). */
function isSafeCut(s: string, from: number, cut: number): boolean {
  const before = s.charCodeAt(cut - 1);
  const at = s.charCodeAt(cut);
  if (before === Char.CarriageReturn && at === Char.LineFeed) return false;
  if (before >= 0xd800 && before <= 0xdbff && at >= 0xdc00 && at <= 0xdfff) return false;
  if (before === Char.RightBracket && at === Char.RightBracket && s.charCodeAt(cut + 1) === Char.GreaterThan)
    return false;
  if (s.charCodeAt(cut - 2) === Char.RightBracket && before === Char.RightBracket && at === Char.GreaterThan)
    return false;
  // A reference is at most 12 characters long: no "&" shortly before the cut without its ";".
  for (let i = cut - 1; i >= from && i >= cut - 12; i--) {
    const c = s.charCodeAt(i);
    if (c === Char.Semicolon) break;
    if (c === Char.Ampersand) return false;
  }
  return true;
}

/**
 * Whether s[start, end) is text that needs no closer look (what TEXT_SPECIAL finds, or with
 * `high` 0x80 any non-ASCII byte). A loop: most text runs are short values, where starting a
 * regular expression costs more than reading them.
 */
function isPlainText(s: string, start: number, end: number, high: number): boolean {
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < Char.Space) {
      if (c !== Char.Tab && c !== Char.LineFeed) return false;
    } else if (c === Char.Ampersand || c === Char.RightBracket || c >= high) return false;
  }
  return true;
}

function isWhitespaceOrEnd(c: number): boolean {
  return isWhitespace(c) || c === Char.Question;
}

function parseRadix(digits: string, radix: 10 | 16): number {
  if (digits.length === 0 || digits.length > 8) return -1;
  const pattern = radix === 16 ? /^[0-9a-fA-F]+$/ : /^[0-9]+$/;
  return pattern.test(digits) ? Number.parseInt(digits, radix) : -1;
}

function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

/** End-of-line handling (XML 1.0 §2.11): CRLF and lone CR become LF. */
function normalizeNewlines(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/** Attribute-value normalization (§3.3.3) for CDATA attributes: whitespace characters become spaces. */
function normalizeAttribute(value: string): string {
  return /[\t\n\r]/.test(value) ? value.replace(/\r\n|[\t\n\r]/g, ' ') : value;
}
