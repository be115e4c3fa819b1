/**
 * Schema-driven encoding: a typed value to XML text, in schema order, validating as it goes.
 * Builds one string directly (no intermediate tree) from precompiled tags; every problem found
 * is collected and reported at once as field issues, so nothing is sent with half-checked input.
 * Field paths for issues are built only when there is an issue.
 */
import type { FieldIssue } from '../errors.js';
import type { AnyXml, ElementMeta } from '../schema.js';
import { escapeAttribute, escapeText, hasInvalidXmlChar } from '../xml/escape.js';
import { type CompiledComplex, type ResolvedType, type Slot, type TypeRegistry, XSI_NS } from './compiled.js';
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
  encoder.single(registry.slot(registry.qualify(element.name, element.ns), element.type, declarations), false, value);
  return { xml: encoder.out, issues: encoder.issues };
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters must be refused.
const ATTENTION = /[&<>\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

/** True when text needs escaping or holds a character XML cannot carry. */
function needsAttention(text: string): boolean {
  return ATTENTION.test(text);
}

/** Path segments of the value being encoded: property names and [index]. */
type Segment = string | number;

class Encoder {
  out = '';
  readonly issues: FieldIssue[] = [];
  readonly #registry: TypeRegistry;
  readonly #path: Segment[] = [];

  constructor(registry: TypeRegistry) {
    this.#registry = registry;
  }

  #issue(message: string, extra?: Segment): void {
    const segments = extra === undefined ? this.#path : [...this.#path, extra];
    let field = '';
    for (const segment of segments)
      field += typeof segment === 'number' ? `[${segment}]` : field ? `.${segment}` : segment;
    this.issues.push({ field: field || '(root)', message });
  }

  /** One element particle with its occurrence rules (absent, null, arrays, wrappers). */
  #particle(meta: ElementMeta, slot: Slot, itemSlot: Slot | undefined, value: unknown): void {
    if (value === undefined) {
      if (meta.min > 0 && meta.choice === undefined) this.#issue('is required');
      return;
    }
    if (itemSlot !== undefined) {
      this.#wrapper(meta, slot, itemSlot, value);
      return;
    }
    if (meta.max !== 1) {
      if (!Array.isArray(value)) {
        this.#issue('must be an array');
        return;
      }
      if (value.length < meta.min) this.#issue(`needs at least ${meta.min} item(s), got ${value.length}`);
      if (meta.max !== -1 && value.length > meta.max)
        this.#issue(`allows at most ${meta.max} item(s), got ${value.length}`);
      const nillable = meta.nillable === true;
      for (let i = 0; i < value.length; i++) {
        this.#path.push(i);
        this.single(slot, nillable, value[i]);
        this.#path.pop();
      }
      return;
    }
    this.single(slot, meta.nillable === true, value);
  }

  #wrapper(meta: ElementMeta, slot: Slot, itemSlot: Slot, value: unknown): void {
    if (value === null) {
      if (meta.nillable) this.out += slot.nil;
      else this.#issue('must not be null');
      return;
    }
    if (!Array.isArray(value)) {
      this.#issue('must be an array');
      return;
    }
    const nillable = meta.item?.nillable === true;
    this.out += slot.open;
    for (let i = 0; i < value.length; i++) {
      this.#path.push(i);
      this.single(itemSlot, nillable, value[i]);
      this.#path.pop();
    }
    this.out += slot.close;
  }

  single(slot: Slot, nillable: boolean, value: unknown): void {
    if (value === null) {
      if (nillable) this.out += slot.nil;
      else this.#issue('must not be null');
      return;
    }
    if (value === undefined) {
      this.#issue('must not be undefined');
      return;
    }
    const resolved = slot.resolved;
    if (resolved.kind === 'complex') {
      this.#complex(slot, resolved.name, value);
      return;
    }
    if (resolved.kind === 'any') {
      this.out += this.#anyOpen(slot, value);
      this.out += this.#anyXml(value);
      this.out += slot.close;
      return;
    }
    // Fast path: a plain string with nothing to escape or refuse.
    const text =
      resolved.kind === 'leaf' && resolved.leaf === 'string' && typeof value === 'string'
        ? value
        : this.#text(resolved, value);
    if (text === undefined) return;
    this.out += slot.open;
    // CDATA keeps the text as written; "]]>" cannot be inside one and a CR would be normalized
    // away, so such text (and control characters, refused either way) is escaped as usual.
    if (slot.cdata && !text.includes(']]>') && !text.includes('\r') && !hasInvalidXmlChar(text)) {
      this.out += `<![CDATA[${text}]]>`;
    } else {
      this.out += needsAttention(text) ? this.#escaped(text) : text;
    }
    this.out += slot.close;
  }

  /** Escapes text, or reports it when it holds a character XML cannot carry. */
  #escaped(text: string, extra?: Segment): string {
    if (hasInvalidXmlChar(text)) {
      this.#issue('contains a control character that XML cannot carry', extra);
      return '';
    }
    return escapeText(text);
  }

  /** Formats a leaf or simple-typed value; reports and returns undefined when invalid. */
  #text(resolved: ResolvedType, value: unknown, extra?: Segment): string | undefined {
    try {
      return resolved.kind === 'leaf'
        ? formatLeaf(resolved.leaf, value)
        : formatSimple((resolved as Extract<ResolvedType, { kind: 'simple' }>).meta, value);
    } catch (error) {
      if (error instanceof LeafError) {
        this.#issue(error.message, extra);
        return undefined;
      }
      throw error;
    }
  }

  #complex(slot: Slot, type: string, value: unknown): void {
    if (typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) {
      this.#issue('must be an object');
      return;
    }
    const record = value as Record<string, unknown>;
    let compiled = this.#registry.complex(type);
    let xsiType = '';
    const declared = record.$type;
    if (typeof declared === 'string' && declared !== type) {
      if (!compiled.meta.derived?.includes(declared)) {
        this.#issue(`${declared} does not extend ${type}`, '$type');
        return;
      }
      compiled = this.#registry.complex(declared);
      const qname = compiled.meta.qname;
      if (qname) xsiType = ` xsi:type="${this.#registry.qualify(qname.name, qname.ns)}"`;
    }
    for (const key in record) {
      if (!compiled.knownProps.has(key) && record[key] !== undefined) this.#issue('is not a field of this type', key);
    }
    if (xsiType === '' && compiled.attributes.length === 0) this.out += slot.open;
    else this.out += `<${slot.tag}${slot.declarations}${xsiType}${this.#attributes(compiled, record)}>`;
    const meta = compiled.meta;
    if (meta.text !== undefined) {
      const text = this.#text(this.#registry.resolve(meta.text), record.$value, '$value');
      if (text !== undefined) this.out += this.#escaped(text, '$value');
    }
    const elements = meta.elements;
    const slots = compiled.slots;
    const itemSlots = compiled.itemSlots;
    for (let i = 0; i < elements.length; i++) {
      const element = elements[i] as ElementMeta;
      this.#path.push(element.prop);
      this.#particle(element, slots[i] as Slot, itemSlots[i], record[element.prop]);
      this.#path.pop();
    }
    if (meta.choices) this.#checkChoices(compiled, record);
    if (meta.any && Array.isArray(record.$any))
      for (const fragment of record.$any) this.out += this.#anyXml(fragment, '$any');
    this.out += slot.close;
  }

  #attributes(compiled: CompiledComplex, record: Record<string, unknown>): string {
    let out = '';
    for (const attribute of compiled.attributes) {
      const value = record[attribute.prop];
      if (value === undefined || value === null) {
        if (attribute.required) this.#issue('is required', attribute.prop);
        continue;
      }
      const text = this.#text(this.#registry.resolve(attribute.type), value, attribute.prop);
      if (text === undefined) continue;
      if (hasInvalidXmlChar(text)) this.#issue('contains a control character that XML cannot carry', attribute.prop);
      else out += ` ${this.#registry.qualify(attribute.name, attribute.ns)}="${escapeAttribute(text)}"`;
    }
    return out;
  }

  #checkChoices(compiled: CompiledComplex, record: Record<string, unknown>): void {
    compiled.meta.choices?.forEach((choice, index) => {
      const present = compiled.meta.elements.filter((e) => e.choice === index && record[e.prop] !== undefined);
      if (present.length > 1) {
        this.#issue(`only one of ${present.map((e) => e.prop).join(', ')} may be set`);
      } else if (present.length === 0 && choice.required) {
        const members = compiled.meta.elements.filter((e) => e.choice === index).map((e) => e.prop);
        this.#issue(`one of ${members.join(', ')} is required`);
      }
    });
  }

  /** The start tag of an anyType element, with its xsi:type when the value carries one. */
  #anyOpen(slot: Slot, value: unknown): string {
    const type = typeof value === 'object' && value !== null ? (value as AnyXml).$type : undefined;
    if (type === undefined) return slot.open;
    const match = /^\{([^}]*)\}(.+)$/.exec(type);
    if (!match) {
      this.#issue('must be {namespace}name', '$type');
      return slot.open;
    }
    const [, ns, name] = match;
    const declaration = ns ? ` xmlns:kzt="${escapeAttribute(ns)}"` : '';
    return `<${slot.tag}${slot.declarations}${declaration} xsi:type="${ns ? 'kzt:' : ''}${name}">`;
  }

  #anyXml(value: unknown, extra?: Segment): string {
    if (typeof value === 'object' && value !== null && typeof (value as AnyXml).$xml === 'string') {
      return (value as AnyXml).$xml;
    }
    this.#issue('must be raw XML: { $xml: string }', extra);
    return '';
  }
}
