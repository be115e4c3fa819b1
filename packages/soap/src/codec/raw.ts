/**
 * Re-serializes a subtree from parser events, for xs:anyType / xs:any content, unknown elements
 * and fault details.
 *
 * The fragment stands on its own without dragging the envelope's bindings in: it declares only
 * the prefixes it uses, each on the outermost element that needs it (unless an enclosing element
 * of the fragment already declares the same binding). "Uses" means: the prefix of an element or
 * attribute name, and any `prefix:` in an attribute value or in text whose prefix is bound at that
 * point (QName content such as xsi:type="tns:Foo" or <faultcode>soap:Server</faultcode>; a word
 * that only looks like one costs a harmless extra declaration). Elements keep the prefixes they
 * were written with, so QName content keeps its meaning.
 *
 * Cost is linear in the fragment, whatever the number of prefixes in scope in the document: each
 * needed prefix is one O(1) lookup, the output's own declarations are a scope with an undo log,
 * and text is scanned once for colons. Text delivered directly inside an anyType value (not inside
 * an element of the fragment) has no element to carry declarations, so its prefixes are not declared.
 */
import { escapeAttribute, escapeText } from '../xml/escape.js';
import { NamespaceScope } from '../xml/namespaces.js';
import type { XmlAttribute, XmlScope } from '../xml/reader.js';

export class RawXmlWriter {
  complete = false;
  readonly #includeRoot: boolean;
  /** The output so far (see OutputBuffer). */
  readonly #out = new OutputBuffer();
  readonly #names: string[] = [];
  /** Per open output element: where in #out more declarations go (after those of its start tag). */
  readonly #declarationAt: number[] = [];
  /** Declarations found after their element's start tag was written (prefixes in text). */
  readonly #late: { at: number; text: string }[] = [];
  /** Declarations of the start tag being written. */
  #declarations = '';
  #writingStartTag = false;
  /** The bindings the output itself declares so far. */
  readonly #declared = new NamespaceScope();
  /** The document's scope (live), for prefixes found in text. */
  #scope: XmlScope | undefined;
  #depth = 0;

  /** @param includeRoot true to keep the first element itself, false to keep only its content. */
  constructor(includeRoot: boolean) {
    this.#includeRoot = includeRoot;
  }

  /** The fragment's XML (complete once the root element has closed). */
  get xml(): string {
    const out = this.#out.text();
    if (this.#late.length === 0) return out;
    // Rare: insert the late declarations, each at its element's start tag, in one pass.
    const late = this.#late.sort((a, b) => a.at - b.at);
    let xml = '';
    let from = 0;
    for (const { at, text } of late) {
      xml += out.slice(from, at) + text;
      from = at;
    }
    xml += out.slice(from);
    this.#late.length = 0;
    this.#out.replace(xml);
    return xml;
  }

  open(ns: string, local: string, attributes: Record<string, XmlAttribute>, scope: XmlScope): void {
    this.#depth++;
    this.#scope = scope;
    if (!this.#includeRoot && this.#depth === 1) return;
    this.#declared.enter();
    const prefix = scope.prefix;
    const name = prefix ? `${prefix}:${local}` : local;
    this.#names.push(name);
    this.#writingStartTag = true;
    this.#declarations = '';
    this.#need(prefix, ns);
    let attributeText = '';
    for (const key in attributes) {
      const attribute = attributes[key] as XmlAttribute;
      if (attribute.prefix === 'xmlns' || attribute.name === 'xmlns') continue;
      if (attribute.prefix) this.#need(attribute.prefix, attribute.uri);
      this.#prefixesIn(attribute.value);
      attributeText += ` ${attribute.name}="${escapeAttribute(attribute.value)}"`;
    }
    this.#writingStartTag = false;
    this.#out.add(`<${name}${this.#declarations}`);
    this.#declarationAt.push(this.#out.length);
    this.#out.add(`${attributeText}>`);
  }

  text(text: string): void {
    // In content mode text directly inside the container (depth 1) is content too.
    if (this.#names.length > 0) this.#prefixesIn(text);
    this.#out.add(escapeText(text));
  }

  close(): void {
    if (this.#includeRoot || this.#depth > 1) {
      this.#declared.leave();
      this.#declarationAt.pop();
      this.#out.add(`</${this.#names.pop()}>`);
    }
    if (--this.#depth === 0) this.complete = true;
  }

  /** Declares prefix -> uri on the current output element unless the output already has it. */
  #need(prefix: string, uri: string): void {
    if (prefix === 'xml' || this.#declared.lookup(prefix) === uri) return;
    this.#declared.declare(prefix, uri);
    const declaration =
      prefix === '' ? ` xmlns="${escapeAttribute(uri)}"` : ` xmlns:${prefix}="${escapeAttribute(uri)}"`;
    if (this.#writingStartTag) this.#declarations += declaration;
    else this.#late.push({ at: this.#declarationAt[this.#declarationAt.length - 1] as number, text: declaration });
  }

  /** Declares the bound prefixes of `prefix:` words in a value; one pass, no backtracking. */
  #prefixesIn(value: string): void {
    const scope = this.#scope;
    if (scope === undefined) return;
    for (let colon = value.indexOf(':'); colon !== -1; colon = value.indexOf(':', colon + 1)) {
      let start = colon;
      while (start > 0 && isNcNameChar(value.charCodeAt(start - 1))) start--;
      if (start === colon || !isNcNameStart(value.charCodeAt(start))) continue;
      const prefix = value.slice(start, colon);
      const uri = scope.lookup(prefix);
      if (uri !== undefined) this.#need(prefix, uri);
    }
  }
}

/**
 * A string builder: pieces are joined into flat chunks every few hundred, so a large capture
 * is a few long strings, not a rope of a million small ones (which the young-generation GC
 * copies again and again: measured pauses over 100 ms on a 1 MB capture).
 */
class OutputBuffer {
  length = 0;
  readonly #chunks: string[] = [];
  readonly #pieces: string[] = [];

  add(piece: string): void {
    this.length += piece.length;
    this.#pieces.push(piece);
    if (this.#pieces.length >= 512) {
      this.#chunks.push(this.#pieces.join(''));
      this.#pieces.length = 0;
    }
  }

  text(): string {
    if (this.#pieces.length > 0) {
      this.#chunks.push(this.#pieces.join(''));
      this.#pieces.length = 0;
    }
    if (this.#chunks.length > 1) this.replace(this.#chunks.join(''));
    return this.#chunks[0] ?? '';
  }

  replace(text: string): void {
    this.#chunks.length = 0;
    this.#pieces.length = 0;
    this.#chunks.push(text);
    this.length = text.length;
  }
}

function isNcNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c >= 0xc0;
}

function isNcNameChar(c: number): boolean {
  return isNcNameStart(c) || (c >= 48 && c <= 57) || c === 45 || c === 46 || c === 0xb7;
}
