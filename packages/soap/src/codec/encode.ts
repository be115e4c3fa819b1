/**
 * Schema-driven encoding: a typed value to XML text, in schema order, validating as it goes.
 * Builds strings directly (no intermediate tree); every problem found is collected and reported
 * at once as field issues, so nothing is sent with half-checked input.
 */
import type { FieldIssue } from '../errors.js';
import type { AnyXml, ElementMeta } from '../schema.js';
import { leafOf } from '../schema.js';
import { escapeAttribute, escapeText, hasInvalidXmlChar } from '../xml/escape.js';
import { type CompiledComplex, type TypeRegistry, XSI_NS } from './compiled.js';
import { formatLeaf, formatSimple, LeafError } from './leaf.js';

export interface EncodeResult {
  xml: string;
  issues: FieldIssue[];
}

/**
 * Encodes `value` as the element `name` in `ns` of type `type`. The element declares every
 * namespace prefix of the registry, so the fragment is self-contained.
 */
export function encodeRootElement(
  registry: TypeRegistry,
  element: { name: string; ns: string; type: string },
  value: unknown,
): EncodeResult {
  const encoder = new Encoder(registry);
  let declarations = '';
  for (const [ns, prefix] of registry.prefixes) declarations += ` xmlns:${prefix}="${escapeAttribute(ns)}"`;
  declarations += ` xmlns:xsi="${XSI_NS}"`;
  encoder.element(
    { prop: '', name: element.name, ns: element.ns, type: element.type, min: 1, max: 1 },
    value,
    '',
    declarations,
  );
  return { xml: encoder.out, issues: encoder.issues };
}

class Encoder {
  out = '';
  readonly issues: FieldIssue[] = [];
  readonly #registry: TypeRegistry;

  constructor(registry: TypeRegistry) {
    this.#registry = registry;
  }

  #qname(name: string, ns: string): string {
    if (ns === '') return name;
    const prefix = this.#registry.prefixes.get(ns);
    return prefix === undefined ? name : `${prefix}:${name}`;
  }

  #issue(field: string, message: string): void {
    this.issues.push({ field: field || '(root)', message });
  }

  /** Encodes one element particle with its occurrence rules (absent, null, arrays, wrappers). */
  element(meta: ElementMeta, value: unknown, path: string, declarations = ''): void {
    if (value === undefined) {
      if (meta.min > 0 && meta.choice === undefined) this.#issue(path, 'is required');
      return;
    }
    if (meta.item) {
      this.#wrapper(meta, value, path, declarations);
      return;
    }
    if (meta.max !== 1) {
      if (!Array.isArray(value)) {
        this.#issue(path, 'must be an array');
        return;
      }
      if (value.length < meta.min) this.#issue(path, `needs at least ${meta.min} item(s), got ${value.length}`);
      if (meta.max !== -1 && value.length > meta.max) {
        this.#issue(path, `allows at most ${meta.max} item(s), got ${value.length}`);
      }
      for (let i = 0; i < value.length; i++) {
        this.#single(meta.name, meta.ns, meta.type, meta.nillable === true, value[i], `${path}[${i}]`, declarations);
      }
      return;
    }
    this.#single(meta.name, meta.ns, meta.type, meta.nillable === true, value, path, declarations);
  }

  #wrapper(meta: ElementMeta, value: unknown, path: string, declarations: string): void {
    const item = meta.item as NonNullable<ElementMeta['item']>;
    const tag = this.#qname(meta.name, meta.ns);
    if (value === null) {
      if (meta.nillable) this.out += `<${tag}${declarations} xsi:nil="true"/>`;
      else this.#issue(path, 'must not be null');
      return;
    }
    if (!Array.isArray(value)) {
      this.#issue(path, 'must be an array');
      return;
    }
    this.out += `<${tag}${declarations}>`;
    for (let i = 0; i < value.length; i++) {
      this.#single(item.name, item.ns, meta.type, item.nillable === true, value[i], `${path}[${i}]`, '');
    }
    this.out += `</${tag}>`;
  }

  #single(
    name: string,
    ns: string,
    type: string,
    nillable: boolean,
    value: unknown,
    path: string,
    declarations: string,
  ): void {
    const tag = this.#qname(name, ns);
    if (value === null) {
      if (nillable) this.out += `<${tag}${declarations} xsi:nil="true"/>`;
      else this.#issue(path, 'must not be null');
      return;
    }
    if (value === undefined) {
      this.#issue(path, 'must not be undefined');
      return;
    }
    const leaf = leafOf(type);
    if (leaf === 'anyType') {
      this.out += `<${tag}${declarations}>${anyXml(value, path, this)}</${tag}>`;
      return;
    }
    if (leaf !== undefined || this.#registry.simple(type)) {
      const text = this.#text(type, value, path);
      if (text !== undefined) this.out += `<${tag}${declarations}>${escapeText(text)}</${tag}>`;
      return;
    }
    this.#complex(tag, type, value, path, declarations);
  }

  /** Formats a leaf or simple-typed value; reports and returns undefined when invalid. */
  #text(type: string, value: unknown, path: string): string | undefined {
    try {
      const leaf = leafOf(type);
      const text = leaf !== undefined ? formatLeaf(leaf, value) : formatSimple(this.#registry.simple(type)!, value);
      if (hasInvalidXmlChar(text)) {
        this.#issue(path, 'contains a control character that XML cannot carry');
        return undefined;
      }
      return text;
    } catch (error) {
      if (error instanceof LeafError) {
        this.#issue(path, error.message);
        return undefined;
      }
      throw error;
    }
  }

  #complex(tag: string, type: string, value: unknown, path: string, declarations: string): void {
    if (typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) {
      this.#issue(path, 'must be an object');
      return;
    }
    const record = value as Record<string, unknown>;
    let compiled = this.#registry.complex(type);
    let xsiType = '';
    const declared = record.$type;
    if (typeof declared === 'string' && declared !== type) {
      if (!compiled.meta.derived?.includes(declared)) {
        this.#issue(`${path}.$type`, `${declared} does not extend ${type}`);
        return;
      }
      compiled = this.#registry.complex(declared);
      const qname = compiled.meta.qname;
      if (qname) xsiType = ` xsi:type="${this.#qname(qname.name, qname.ns)}"`;
    }
    for (const key in record) {
      if (!compiled.knownProps.has(key) && record[key] !== undefined)
        this.#issue(join(path, key), 'is not a field of this type');
    }
    this.out += `<${tag}${declarations}${xsiType}${this.#attributes(compiled, record, path)}>`;
    const meta = compiled.meta;
    if (meta.text !== undefined) {
      const text = this.#text(meta.text, record.$value, join(path, '$value'));
      if (text !== undefined) this.out += escapeText(text);
    }
    for (const element of meta.elements) this.element(element, record[element.prop], join(path, element.prop));
    this.#checkChoices(compiled, record, path);
    if (meta.any && record.$any !== undefined) {
      const extra = record.$any;
      if (Array.isArray(extra)) for (const fragment of extra) this.out += anyXml(fragment, join(path, '$any'), this);
    }
    this.out += `</${tag}>`;
  }

  #attributes(compiled: CompiledComplex, record: Record<string, unknown>, path: string): string {
    let out = '';
    for (const attribute of compiled.attributes) {
      const value = record[attribute.prop];
      if (value === undefined || value === null) {
        if (attribute.required) this.#issue(join(path, attribute.prop), 'is required');
        continue;
      }
      const text = this.#text(attribute.type, value, join(path, attribute.prop));
      if (text !== undefined) out += ` ${this.#qname(attribute.name, attribute.ns)}="${escapeAttribute(text)}"`;
    }
    return out;
  }

  #checkChoices(compiled: CompiledComplex, record: Record<string, unknown>, path: string): void {
    const choices = compiled.meta.choices;
    if (!choices) return;
    choices.forEach((choice, index) => {
      const present = compiled.meta.elements.filter((e) => e.choice === index && record[e.prop] !== undefined);
      if (present.length > 1) {
        this.#issue(path, `only one of ${present.map((e) => e.prop).join(', ')} may be set`);
      } else if (present.length === 0 && choice.required) {
        const members = compiled.meta.elements.filter((e) => e.choice === index).map((e) => e.prop);
        this.#issue(path, `one of ${members.join(', ')} is required`);
      }
    });
  }

  report(field: string, message: string): void {
    this.#issue(field, message);
  }
}

function anyXml(value: unknown, path: string, encoder: Encoder): string {
  if (typeof value === 'object' && value !== null && typeof (value as AnyXml).$xml === 'string') {
    return (value as AnyXml).$xml;
  }
  encoder.report(path, 'must be raw XML: { $xml: string }');
  return '';
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}
