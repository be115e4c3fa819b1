/**
 * Schema-driven encoding: a typed value to XML text, in schema order, validating as it goes.
 * Builds one string directly (no intermediate tree) from precompiled tags; every problem found
 * is collected and reported at once as field issues, so nothing is sent with half-checked input.
 * Field paths for issues are built only when there is an issue.
 */
import type { FieldIssue } from '../errors.js';
import type { AnyXml, UnknownXml } from '../schema.js';
import { escapeAttribute, escapeText, hasInvalidXmlChar } from '../xml/escape.js';
import { type CompiledComplex, type ResolvedType, type Slot, type TypeRegistry, XSI_NS } from './compiled.js';
import type { FullElementMeta as ElementMeta } from './defaults.js';
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
  declarations += ` xmlns:xsi="${XSI_NS}"${registry.rootAttributes}`;
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

/**
 * The `$unknown` content of one record (see UnknownXml), written back where it was found:
 * before the known child element (or wrapper item) that followed it in the document.
 */
class UnknownContent {
  /** Direct children, by position; items found inside wrappers, by wrapper property. */
  readonly #direct: UnknownXml[] = [];
  readonly #inWrappers = new Map<string, UnknownXml[]>();
  #next = 0;
  #written = 0;

  constructor(items: readonly UnknownXml[]) {
    for (const item of items) {
      if (item.$wrapper === undefined) this.#direct.push(item);
      else {
        const list = this.#inWrappers.get(item.$wrapper);
        if (list) list.push(item);
        else this.#inWrappers.set(item.$wrapper, [item]);
      }
    }
    const byPosition = (a: UnknownXml, b: UnknownXml) => a.$position - b.$position;
    this.#direct.sort(byPosition);
    for (const list of this.#inWrappers.values()) list.sort(byPosition);
  }

  /** What goes before the next known child element; counts that element. */
  beforeChild(): string {
    return this.#upTo(this.#written++);
  }

  /** What goes after the last known child element. */
  rest(): string {
    return this.#upTo(Number.POSITIVE_INFINITY);
  }

  /** The content found inside the wrapper `prop`, in order, each with its item position. */
  inWrapper(prop: string): readonly UnknownXml[] | undefined {
    return this.#inWrappers.get(prop);
  }

  #upTo(position: number): string {
    let out = '';
    while (this.#next < this.#direct.length && (this.#direct[this.#next] as UnknownXml).$position <= position) {
      out += (this.#direct[this.#next] as UnknownXml).$xml;
      this.#next++;
    }
    return out;
  }
}

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

  /**
   * One element particle with its occurrence rules (absent, null, arrays, wrappers), and the
   * record's unknown content interleaved where the document had it.
   */
  #particle(
    meta: ElementMeta,
    slot: Slot,
    itemSlot: Slot | undefined,
    value: unknown,
    unknown: UnknownContent | undefined,
  ): void {
    if (value === undefined) {
      if (meta.min > 0 && meta.choice === undefined) this.#issue('is required');
      return;
    }
    if (itemSlot !== undefined) {
      if (unknown) this.out += unknown.beforeChild();
      this.#wrapper(meta, slot, itemSlot, value, unknown?.inWrapper(meta.prop));
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
        if (unknown) this.out += unknown.beforeChild();
        this.single(slot, nillable, value[i]);
        this.#path.pop();
      }
      return;
    }
    if (unknown) this.out += unknown.beforeChild();
    this.single(slot, meta.nillable === true, value);
  }

  #wrapper(
    meta: ElementMeta,
    slot: Slot,
    itemSlot: Slot,
    value: unknown,
    unknown: readonly UnknownXml[] | undefined,
  ): void {
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
    this.out += slot.openArray ? slot.openArray(value.length) : slot.open;
    let next = 0;
    for (let i = 0; i < value.length; i++) {
      while (unknown && next < unknown.length && (unknown[next] as UnknownXml).$position <= i)
        this.out += (unknown[next++] as UnknownXml).$xml;
      this.#path.push(i);
      this.single(itemSlot, nillable, value[i]);
      this.#path.pop();
    }
    while (unknown && next < unknown.length) this.out += (unknown[next++] as UnknownXml).$xml;
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
    else this.out += `<${slot.tag}${slot.declarations}${xsiType || slot.xsiType}${this.#attributes(compiled, record)}>`;
    const meta = compiled.meta;
    if (meta.text !== undefined) {
      const text = this.#text(this.#registry.resolve(meta.text), record.$value, '$value');
      if (text !== undefined) this.out += this.#escaped(text, '$value');
    }
    const unknown = record.$unknown === undefined ? undefined : this.#unknownContent(compiled, record.$unknown);
    const elements = meta.elements;
    const slots = compiled.slots;
    const itemSlots = compiled.itemSlots;
    for (let i = 0; i < elements.length; i++) {
      const element = elements[i] as ElementMeta;
      this.#path.push(element.prop);
      this.#particle(element, slots[i] as Slot, itemSlots[i], record[element.prop], unknown);
      this.#path.pop();
    }
    if (unknown) this.out += unknown.rest();
    if (meta.choices) this.#checkChoices(compiled, record);
    if (meta.any && Array.isArray(record.$any))
      for (const fragment of record.$any) this.out += this.#anyXml(fragment, '$any');
    this.out += slot.close;
  }

  /** Checks a record's `$unknown` (as the decoder builds it) and prepares it for writing. */
  #unknownContent(compiled: CompiledComplex, value: unknown): UnknownContent | undefined {
    if (!Array.isArray(value)) {
      this.#issue('must be an array of { $xml, $position, $wrapper? }', '$unknown');
      return undefined;
    }
    const items: UnknownXml[] = [];
    for (let i = 0; i < value.length; i++) {
      const item = value[i] as Partial<UnknownXml> | null;
      const wrapper = item?.$wrapper;
      const valid =
        typeof item === 'object' &&
        item !== null &&
        typeof item.$xml === 'string' &&
        Number.isInteger(item.$position) &&
        (item.$position as number) >= 0 &&
        (wrapper === undefined || compiled.meta.elements.some((e) => e.prop === wrapper && e.item !== undefined));
      if (valid) items.push(item as UnknownXml);
      else
        this.#issue('must be { $xml: string, $position: integer >= 0, $wrapper?: a wrapper field }', `$unknown[${i}]`);
    }
    return new UnknownContent(items);
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
