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
  /** Output pieces; each open element owns a slot (an index here) for its declarations. */
  readonly #parts: string[] = [];
  readonly #names: string[] = [];
  readonly #slots: number[] = [];
  /** The bindings the output itself declares so far. */
  readonly #declared = new NamespaceScope();
  /** The document's scope (live), for prefixes found in text. */
  #scope: XmlScope | undefined;
  #depth = 0;
  #xml: string | undefined;

  /** @param includeRoot true to keep the first element itself, false to keep only its content. */
  constructor(includeRoot: boolean) {
    this.#includeRoot = includeRoot;
  }

  /** The fragment's XML (complete once the root element has closed). */
  get xml(): string {
    this.#xml ??= this.#parts.join('');
    return this.#xml;
  }

  open(ns: string, local: string, attributes: Record<string, XmlAttribute>, scope: XmlScope): void {
    this.#depth++;
    this.#scope = scope;
    if (!this.#includeRoot && this.#depth === 1) return;
    this.#xml = undefined;
    this.#declared.enter();
    const prefix = scope.prefix;
    const name = prefix ? `${prefix}:${local}` : local;
    this.#names.push(name);
    this.#parts.push(`<${name}`);
    const slot = this.#parts.push('') - 1;
    this.#slots.push(slot);
    this.#need(prefix, ns);
    let attributeText = '';
    for (const key in attributes) {
      const attribute = attributes[key] as XmlAttribute;
      if (attribute.prefix === 'xmlns' || attribute.name === 'xmlns') continue;
      if (attribute.prefix) this.#need(attribute.prefix, attribute.uri);
      this.#prefixesIn(attribute.value);
      attributeText += ` ${attribute.name}="${escapeAttribute(attribute.value)}"`;
    }
    this.#parts.push(`${attributeText}>`);
  }

  text(text: string): void {
    // In content mode text directly inside the container (depth 1) is content too.
    this.#xml = undefined;
    if (this.#slots.length > 0) this.#prefixesIn(text);
    this.#parts.push(escapeText(text));
  }

  close(): void {
    if (this.#includeRoot || this.#depth > 1) {
      this.#declared.leave();
      this.#slots.pop();
      this.#parts.push(`</${this.#names.pop()}>`);
    }
    this.#xml = undefined;
    if (--this.#depth === 0) this.complete = true;
  }

  /** Declares prefix -> uri on the current output element unless the output already has it. */
  #need(prefix: string, uri: string): void {
    if (prefix === 'xml' || this.#declared.lookup(prefix) === uri) return;
    this.#declared.declare(prefix, uri);
    const declaration =
      prefix === '' ? ` xmlns="${escapeAttribute(uri)}"` : ` xmlns:${prefix}="${escapeAttribute(uri)}"`;
    const slot = this.#slots[this.#slots.length - 1] as number;
    this.#parts[slot] += declaration;
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

function isNcNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c >= 0xc0;
}

function isNcNameChar(c: number): boolean {
  return isNcNameStart(c) || (c >= 48 && c <= 57) || c === 45 || c === 46 || c === 0xb7;
}
