/**
 * Re-serializes a subtree from parser events, for xs:anyType / xs:any content and fault details.
 * Each element declares exactly the namespace bindings it needs that are not yet declared in
 * the fragment, so the fragment stands on its own without dragging the envelope's bindings in.
 */
import { escapeAttribute, escapeText } from '../xml/escape.js';
import type { XmlAttribute } from '../xml/reader.js';

const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

export class RawXmlWriter {
  xml = '';
  complete = false;
  readonly #includeRoot: boolean;
  readonly #names: string[] = [];
  /** Bindings declared so far in the output, per open element. */
  readonly #declared: Readonly<Record<string, string>>[] = [{}];
  #depth = 0;

  /** @param includeRoot true to keep the first element itself, false to keep only its content. */
  constructor(includeRoot: boolean) {
    this.#includeRoot = includeRoot;
  }

  open(
    ns: string,
    local: string,
    attributes: Record<string, XmlAttribute>,
    bindings: Readonly<Record<string, string>>,
  ): void {
    this.#depth++;
    if (!this.#includeRoot && this.#depth === 1) return;
    const declared = { ...(this.#declared[this.#declared.length - 1] as Record<string, string>) };
    let declarations = '';
    const need = (prefix: string, uri: string): void => {
      if (prefix === 'xml' || declared[prefix] === uri || (prefix === '' && uri === '' && !declared[''])) return;
      declared[prefix] = uri;
      declarations += prefix === '' ? ` xmlns="${escapeAttribute(uri)}"` : ` xmlns:${prefix}="${escapeAttribute(uri)}"`;
    };
    const prefix = prefixFor(ns, bindings);
    need(prefix, ns);
    let attributeText = '';
    for (const key in attributes) {
      const attribute = attributes[key] as XmlAttribute;
      if (attribute.prefix === 'xmlns' || attribute.name === 'xmlns') continue;
      if (attribute.prefix) need(attribute.prefix, attribute.uri);
      // QName-valued attributes (xsi:type="tns:Foo") need the value's prefix too.
      if (attribute.uri === XSI && attribute.local === 'type' && attribute.value.includes(':')) {
        const valuePrefix = attribute.value.slice(0, attribute.value.indexOf(':'));
        const uri = bindings[valuePrefix];
        if (uri !== undefined) need(valuePrefix, uri);
      }
      attributeText += ` ${attribute.name}="${escapeAttribute(attribute.value)}"`;
    }
    this.#declared.push(declared);
    const name = prefix ? `${prefix}:${local}` : local;
    this.#names.push(name);
    this.xml += `<${name}${declarations}${attributeText}>`;
  }

  text(text: string): void {
    // In content mode text directly inside the container (depth 1) is content too.
    this.xml += escapeText(text);
  }

  close(): void {
    if (this.#includeRoot || this.#depth > 1) {
      this.#declared.pop();
      this.xml += `</${this.#names.pop()}>`;
    }
    if (--this.#depth === 0) this.complete = true;
  }
}

function prefixFor(ns: string, bindings: Readonly<Record<string, string>>): string {
  if (ns === '' || bindings[''] === ns) return '';
  for (const prefix in bindings) if (prefix !== '' && bindings[prefix] === ns) return prefix;
  return '';
}
