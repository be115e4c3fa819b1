/**
 * Schema-driven decoding: XML events straight into typed objects, no generic tree in between.
 *
 * Strict where the schema is definite (a required element missing, a value that is not of its
 * type, an enumeration value outside the list, a second occurrence of a single element are
 * errors), lenient where forward compatibility needs it (unknown elements are skipped).
 */
import type { ElementMeta } from '../schema.js';
import type { XmlAttribute, XmlHandler } from '../xml/reader.js';
import { type CompiledComplex, type TypeRegistry, XSI_NS } from './compiled.js';
import { LeafError, parseLeaf, parseSimple } from './leaf.js';
import { RawXmlWriter } from './raw.js';

/** A schema violation in the document; the caller turns it into a DecodeError with the path. */
export class SchemaViolation extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

enum FrameKind {
  Complex,
  Leaf,
  Wrapper,
  Skip,
  Raw,
}

class Frame {
  kind = FrameKind.Skip;
  /** The XML local name, for error paths. */
  name = '';
  /** The particle this element fills in its parent (undefined for the root). */
  element: ElementMeta | undefined;
  /** For wrapper items: the value is pushed to the parent wrapper's array. */
  isItem = false;
  type = '';
  compiled: CompiledComplex | undefined;
  value: Record<string, unknown> | unknown[] | undefined;
  nil = false;
  raw: RawXmlWriter | undefined;
  text = '';
  skipDepth = 0;
  /** Complex frames: where in the element sequence the next child is expected. */
  cursor = 0;
}

/** The open elements. Frames are reused across elements: decoding allocates one per depth level. */
class FrameStack {
  readonly #frames: Frame[] = [];
  length = 0;

  push(
    kind: FrameKind,
    name: string,
    element: ElementMeta | undefined,
    isItem: boolean,
    type: string,
    compiled: CompiledComplex | undefined,
    value: Record<string, unknown> | unknown[] | undefined,
    nil: boolean,
    raw: RawXmlWriter | undefined,
  ): Frame {
    let frame = this.#frames[this.length];
    if (frame === undefined) {
      frame = new Frame();
      this.#frames[this.length] = frame;
    }
    this.length++;
    frame.kind = kind;
    frame.name = name;
    frame.element = element;
    frame.isItem = isItem;
    frame.type = type;
    frame.compiled = compiled;
    frame.value = value;
    frame.nil = nil;
    frame.raw = raw;
    frame.text = '';
    frame.skipDepth = kind === FrameKind.Skip ? 1 : 0;
    frame.cursor = 0;
    return frame;
  }

  top(): Frame | undefined {
    return this.length === 0 ? undefined : this.#frames[this.length - 1];
  }

  pop(): void {
    this.length--;
  }

  names(): string[] {
    return this.#frames.slice(0, this.length).map((f) => f.name);
  }
}

/**
 * Decodes one element (and its subtree) of a known type. Feed it the events from the element's
 * own start tag to its end tag; `result` holds the value afterwards.
 */
export class ElementDecoder implements XmlHandler {
  readonly #registry: TypeRegistry;
  readonly #rootType: string;
  readonly #rootNillable: boolean;
  readonly #stack = new FrameStack();
  #done = false;
  result: unknown;

  constructor(registry: TypeRegistry, type: string, nillable = false) {
    this.#registry = registry;
    this.#rootType = type;
    this.#rootNillable = nillable;
  }

  get done(): boolean {
    return this.#done;
  }

  open(
    ns: string,
    local: string,
    attributes: Record<string, XmlAttribute>,
    bindings: Readonly<Record<string, string>>,
  ): void {
    const top = this.#stack.top();
    if (top === undefined) {
      this.#push(local, undefined, false, this.#rootType, this.#rootNillable, attributes, bindings);
      return;
    }
    switch (top.kind) {
      case FrameKind.Complex: {
        const element = findElement(top, ns, local);
        if (element) {
          this.#push(local, element, false, element.type, element.nillable === true, attributes, bindings);
        } else if (top.compiled?.meta.any) {
          const raw = new RawXmlWriter(true);
          raw.open(ns, local, attributes, bindings);
          this.#stack.push(FrameKind.Raw, local, undefined, false, '', undefined, undefined, false, raw);
        } else {
          this.#stack.push(FrameKind.Skip, local, undefined, false, '', undefined, undefined, false, undefined);
        }
        return;
      }
      case FrameKind.Wrapper: {
        const item = top.element?.item;
        if (item && item.ns === ns && (item.name === local || item.aliases?.includes(local))) {
          this.#push(local, top.element, true, top.type, item.nillable === true, attributes, bindings);
        } else {
          this.#stack.push(FrameKind.Skip, local, undefined, false, '', undefined, undefined, false, undefined);
        }
        return;
      }
      case FrameKind.Leaf:
        throw this.#violation(`unexpected element <${local}> inside a simple value`);
      case FrameKind.Skip:
        top.skipDepth++;
        return;
      case FrameKind.Raw:
        top.raw?.open(ns, local, attributes, bindings);
        return;
    }
  }

  text(text: string): void {
    const top = this.#stack.top();
    if (top === undefined) return;
    if (top.kind === FrameKind.Leaf) top.text += text;
    else if (top.kind === FrameKind.Complex && top.compiled?.meta.text !== undefined) top.text += text;
    else if (top.kind === FrameKind.Raw) top.raw?.text(text);
  }

  close(): void {
    const top = this.#stack.top() as Frame;
    if (top.kind === FrameKind.Skip) {
      if (--top.skipDepth > 0) return;
      this.#stack.pop();
      return;
    }
    if (top.kind === FrameKind.Raw) {
      const raw = top.raw as RawXmlWriter;
      raw.close();
      if (!raw.complete) return;
      this.#stack.pop();
      if (top.element || top.isItem || this.#stack.length === 0) {
        // An xs:anyType element: its content is the value.
        this.#assign(top, top.value ? { $xml: raw.xml, ...top.value } : { $xml: raw.xml });
        return;
      }
      // An element the schema leaves open (xs:any): kept in $any.
      const parent = this.#stack.top() as Frame;
      const record = parent.value as Record<string, unknown>;
      const extra = (record.$any as unknown[] | undefined) ?? [];
      extra.push({ $xml: raw.xml });
      record.$any = extra;
      return;
    }
    const value = this.#finish(top);
    this.#stack.pop();
    this.#assign(top, value);
  }

  #push(
    name: string,
    element: ElementMeta | undefined,
    isItem: boolean,
    type: string,
    nillable: boolean,
    attributes: Record<string, XmlAttribute>,
    bindings: Readonly<Record<string, string>>,
  ): void {
    const nilAttr = hasAttributes(attributes) ? findAttribute(attributes, XSI_NS, 'nil') : undefined;
    if (nilAttr && (nilAttr.value === 'true' || nilAttr.value === '1')) {
      if (!nillable) throw this.#violation(`<${name}> is nil but not nillable`, name);
      this.#stack.push(FrameKind.Leaf, name, element, isItem, type, undefined, undefined, true, undefined);
      return;
    }
    if (element?.item && !isItem) {
      this.#stack.push(FrameKind.Wrapper, name, element, false, type, undefined, [], false, undefined);
      return;
    }
    const resolved = this.#registry.resolve(type);
    if (resolved.kind === 'any') {
      const raw = new RawXmlWriter(false);
      raw.open('', name, attributes, bindings);
      // Keep the element's own xsi:type (e.g. xs:string for escaped text) as {ns}name.
      const xsiType = hasAttributes(attributes) ? findAttribute(attributes, XSI_NS, 'type') : undefined;
      const typed = xsiType ? { $type: expandQName(xsiType.value, bindings) } : undefined;
      this.#stack.push(FrameKind.Raw, name, element, isItem, type, undefined, typed, false, raw);
      return;
    }
    if (resolved.kind !== 'complex') {
      this.#stack.push(FrameKind.Leaf, name, element, isItem, type, undefined, undefined, false, undefined);
      return;
    }
    let actualType = type;
    const xsiType = hasAttributes(attributes) ? findAttribute(attributes, XSI_NS, 'type') : undefined;
    if (xsiType) {
      const [prefix, local] = xsiType.value.includes(':') ? xsiType.value.split(':', 2) : ['', xsiType.value];
      const ns = bindings[prefix as string] ?? '';
      const derived = this.#registry.derivedByQName(type, ns, local as string);
      if (derived) actualType = derived;
    }
    const compiled = this.#registry.complex(actualType);
    const record: Record<string, unknown> = {};
    if (actualType !== type) record.$type = actualType;
    for (const attribute of compiled.attributes) {
      const found = findAttribute(attributes, attribute.ns, attribute.name);
      if (!found) {
        if (attribute.required) throw this.#violation(`attribute ${attribute.name} is required`, name);
        continue;
      }
      record[attribute.prop] = this.#parseText(attribute.type, found.value, `${name}/@${attribute.name}`);
    }
    this.#stack.push(FrameKind.Complex, name, element, isItem, actualType, compiled, record, false, undefined);
  }

  #finish(top: Frame): unknown {
    if (top.nil) {
      if (top.text.trim() !== '') throw this.#violation(`<${top.name}> is nil but has content`);
      return null;
    }
    switch (top.kind) {
      case FrameKind.Leaf:
        return this.#parseText(top.type, top.text, '');
      case FrameKind.Wrapper:
        return top.value;
      default: {
        const compiled = top.compiled as CompiledComplex;
        const record = top.value as Record<string, unknown>;
        if (compiled.meta.text !== undefined) record.$value = this.#parseText(compiled.meta.text, top.text, '');
        for (const element of compiled.required) {
          if (record[element.prop] === undefined)
            throw this.#violation(`required element <${element.name}> is missing`);
        }
        for (const element of compiled.repeated) {
          const list = record[element.prop] as unknown[] | undefined;
          const count = list?.length ?? 0;
          if (count < element.min)
            throw this.#violation(`<${element.name}> occurs ${count} time(s), at least ${element.min} required`);
          if (element.max !== -1 && count > element.max) {
            throw this.#violation(`<${element.name}> occurs ${count} times, at most ${element.max} allowed`);
          }
        }
        compiled.meta.choices?.forEach((choice, index) => {
          const present = compiled.meta.elements.filter((e) => e.choice === index && record[e.prop] !== undefined);
          if (present.length > 1)
            throw this.#violation(`more than one choice: ${present.map((e) => e.name).join(', ')}`);
          if (present.length === 0 && choice.required) throw this.#violation('a required choice is missing');
        });
        return record;
      }
    }
  }

  #assign(top: Frame, value: unknown): void {
    const parent = this.#stack.top();
    if (parent === undefined) {
      this.result = value;
      this.#done = true;
      return;
    }
    if (top.isItem) {
      (parent.value as unknown[]).push(value);
      return;
    }
    const element = top.element as ElementMeta;
    const record = parent.value as Record<string, unknown>;
    if (element.max !== 1 && !element.item) {
      const list = record[element.prop] as unknown[] | undefined;
      if (list) list.push(value);
      else record[element.prop] = [value];
      return;
    }
    if (record[element.prop] !== undefined) throw this.#violation(`<${element.name}> occurs more than once`);
    record[element.prop] = value;
  }

  #parseText(type: string, text: string, at: string): unknown {
    try {
      const resolved = this.#registry.resolve(type);
      if (resolved.kind === 'leaf') return parseLeaf(resolved.leaf, text);
      if (resolved.kind === 'simple') return parseSimple(resolved.meta, text);
      return text;
    } catch (error) {
      if (error instanceof LeafError) throw this.#violation(error.message, at);
      throw error;
    }
  }

  #violation(message: string, extra = ''): SchemaViolation {
    const path = this.#stack.names();
    if (extra && path[path.length - 1] !== extra) path.push(extra);
    return new SchemaViolation(message, path.join('/'));
  }
}

/** The particle for a child element: the next one in sequence order, else looked up by name. */
function findElement(frame: Frame, ns: string, local: string): ElementMeta | undefined {
  const compiled = frame.compiled as CompiledComplex;
  const elements = compiled.meta.elements;
  const expected = elements[frame.cursor];
  if (expected !== undefined && expected.name === local && expected.ns === ns) {
    if (expected.max === 1 || expected.item) frame.cursor++;
    return expected;
  }
  const candidates = compiled.byLocal.get(local);
  if (candidates === undefined) return undefined;
  for (const candidate of candidates) {
    if (candidate.ns !== ns) continue;
    const index = elements.indexOf(candidate);
    frame.cursor = candidate.max === 1 || candidate.item ? index + 1 : index;
    return candidate;
  }
  return undefined;
}

function findAttribute(attributes: Record<string, XmlAttribute>, ns: string, local: string): XmlAttribute | undefined {
  for (const key in attributes) {
    const attribute = attributes[key] as XmlAttribute;
    if (attribute.local === local && attribute.uri === ns) return attribute;
  }
  return undefined;
}

function expandQName(value: string, bindings: Readonly<Record<string, string>>): string {
  const colon = value.indexOf(':');
  const prefix = colon === -1 ? '' : value.slice(0, colon);
  return `{${bindings[prefix] ?? ''}}${value.slice(colon + 1)}`;
}

function hasAttributes(attributes: Record<string, XmlAttribute>): boolean {
  for (const _ in attributes) return true;
  return false;
}
