/**
 * Schema-driven decoding: XML events straight into typed objects, no generic tree in between.
 *
 * Strict where the schema is definite (a required element missing, a value that is not of its
 * type, a second occurrence of a single element are errors). Nothing is dropped silently:
 *
 * - content the schema does not know (an unknown element, text inside element-only content) is
 *   kept as raw XML in the record's `$unknown` (see UnknownXml in ../schema.ts), with its position among
 *   the known children so that encoding restores the document's order, and reported; with
 *   `strict` it is an error instead;
 * - when an expected element is absent and unknown content stands in its place (a required
 *   element missing, no known element at all, an array wrapper with no known item), that is an
 *   error naming both: a renamed result must never decode as an empty one;
 * - with `openEnums` (responses), a value outside an enumeration is kept as it is and reported;
 *   otherwise (requests, documents) it is an error.
 */
import type { UnknownXml } from '../schema.js';
import { clip } from '../xml/clip.js';
import { escapeText } from '../xml/escape.js';
import type { XmlAttribute, XmlHandler, XmlScope } from '../xml/reader.js';
import { EMPTY_ATTRIBUTES } from '../xml/scanner.js';
import { type CompiledComplex, type ResolvedType, type Slot, type TypeRegistry, XSI_NS } from './compiled.js';
import type { FullElementMeta as ElementMeta } from './defaults.js';
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

/** Something the schema did not expect, kept (or refused, when strict). No content: names only. */
export interface UnknownReport {
  /** An unknown element, text inside element-only content, or a value outside an enumeration. */
  readonly kind: 'element' | 'text' | 'enumeration';
  /** Where, e.g. "PayResponse/PayResult/ResultPaymentInvoiceD" (names cut to 64 characters). */
  readonly path: string;
  /** The element's local name; '#text' for text; the simple type's name for an enumeration. */
  readonly name: string;
  /** The element's namespace ('' for text and enumerations). */
  readonly ns: string;
}

export interface DecodeOptions {
  /** Unknown content and enumeration values outside the list are errors instead of kept. */
  readonly strict?: boolean;
  /** Keep (and report) enumeration values outside the list: the reading side of a response. */
  readonly openEnums?: boolean;
  /** Called for each piece of unknown content kept. */
  readonly onUnknown?: (report: UnknownReport) => void;
}

enum FrameKind {
  Complex,
  Leaf,
  Wrapper,
  /** An xs:anyType value (content kept as $xml) or an xs:any element (kept in $any). */
  Raw,
  /** An element the schema does not know, kept whole in $unknown. */
  Unknown,
  /** SOAP encoding: an accessor whose value is the element it refers to (`href="#id"`). */
  Reference,
}

class Frame {
  kind = FrameKind.Leaf;
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
  /** Complex frames: where in the element sequence the next child is expected. */
  cursor = 0;
  /** Complex and wrapper frames: known child elements so far (the position of unknown content). */
  known = 0;
  /** Complex frames: how many of the type's required elements have a value so far. */
  requiredSeen = 0;
  /** Wrapper frames: the items' type, resolved; leaf frames: their own. */
  resolved: ResolvedType | undefined;
  /** The element's index in its parent's compiled type (-1: an item, the root or unknown). */
  index = -1;
  /** Complex frames: which of the first 30 elements have a value (bit = index), for #assign. */
  assigned = 0;
  /** Complex and wrapper frames: the first unknown content inside, for error messages. */
  firstUnknown = '';
  /** Unknown frames: how many known siblings precede the element. */
  position = 0;
  /** Reference frames: the id referred to. */
  reference = '';
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
    frame.cursor = 0;
    frame.known = 0;
    frame.requiredSeen = 0;
    frame.resolved = undefined;
    frame.index = -1;
    frame.assigned = 0;
    frame.firstUnknown = '';
    frame.position = 0;
    frame.reference = '';
    return frame;
  }

  top(): Frame | undefined {
    return this.length === 0 ? undefined : this.#frames[this.length - 1];
  }

  /** The frame `n` levels below the top (0 = top). */
  below(n: number): Frame | undefined {
    return this.length > n ? this.#frames[this.length - 1 - n] : undefined;
  }

  pop(): void {
    this.length--;
  }

  names(): string[] {
    return this.#frames.slice(0, this.length).map((f) => f.name);
  }
}

/** Stands in a decoded value for the element a SOAP-encoded reference names, until it is decoded. */
export class PendingReference {
  constructor(readonly id: string) {}
}

/**
 * The place a SOAP-encoded reference stands: how the element it names is to be decoded (given
 * to the ElementDecoder that decodes that element, as its root).
 */
export interface ReferenceSlot {
  /** The referencing accessor's local name. */
  readonly name: string;
  /** The names of the elements around the accessor, from the payload down (paths in reports). */
  readonly path: readonly string[];
  readonly element: ElementMeta | undefined;
  readonly isItem: boolean;
  readonly type: string;
  readonly nillable: boolean;
  readonly resolved: ResolvedType;
}

/**
 * Decodes one element (and its subtree) of a known type. Feed it the events from the element's
 * own start tag to its end tag; `result` holds the value afterwards.
 */
export class ElementDecoder implements XmlHandler {
  readonly #registry: TypeRegistry;
  #rootType: string;
  #rootNillable: boolean;
  readonly #options: DecodeOptions;
  readonly #stack = new FrameStack();
  /** The root stands in a reference's place: decoded as that accessor or array item. */
  #rootSlot: ReferenceSlot | undefined;
  /** While openReference runs: the id, and who learns the slot. */
  #referenceId: string | undefined;
  #onSlot: ((slot: ReferenceSlot) => void) | undefined;
  #done = false;
  result: unknown;

  constructor(
    registry: TypeRegistry,
    type: string,
    nillable = false,
    options: DecodeOptions = {},
    rootSlot?: ReferenceSlot,
  ) {
    this.#registry = registry;
    this.#rootType = type;
    this.#rootNillable = nillable;
    this.#options = options;
    this.#rootSlot = rootSlot;
  }

  get done(): boolean {
    return this.#done;
  }

  /** Makes this decoder, once `done`, decode another element: of `type`, in `rootSlot`'s place. */
  restart(type: string, nillable: boolean, rootSlot: ReferenceSlot | undefined): void {
    if (this.#stack.length !== 0) throw new Error('ElementDecoder restarted inside an element');
    this.#rootType = type;
    this.#rootNillable = nillable;
    this.#rootSlot = rootSlot;
    this.#done = false;
    this.result = undefined;
  }

  /** The element just opened is kept as raw XML (xs:anyType, xs:any or unknown). */
  get keepingRaw(): boolean {
    const kind = this.#stack.top()?.kind;
    return kind === FrameKind.Raw || kind === FrameKind.Unknown;
  }

  /**
   * Opens an accessor that refers to element `id` (SOAP encoding): it takes a PendingReference
   * as its value, and `onSlot` learns how that element is to be decoded. False when the
   * accessor's value would be kept as raw XML instead (nothing to decode later).
   */
  openReference(
    ns: string,
    local: string,
    attributes: Record<string, XmlAttribute>,
    scope: XmlScope,
    id: string,
    onSlot: (slot: ReferenceSlot) => void,
  ): boolean {
    this.#referenceId = id;
    this.#onSlot = onSlot;
    try {
      this.open(ns, local, attributes, scope);
    } finally {
      this.#referenceId = undefined;
      this.#onSlot = undefined;
    }
    return this.#stack.top()?.kind === FrameKind.Reference;
  }

  open(ns: string, local: string, attributes: Record<string, XmlAttribute>, scope: XmlScope): void {
    const top = this.#stack.top();
    if (top === undefined) {
      const slot = this.#rootSlot;
      this.#push(
        local,
        slot?.element,
        slot?.isItem ?? false,
        this.#rootType,
        this.#rootNillable,
        attributes,
        scope,
        slot?.resolved,
      );
      return;
    }
    switch (top.kind) {
      case FrameKind.Complex: {
        if (top.text !== '') this.#keepText(top);
        const index = findElement(top, ns, local);
        if (index !== -1) {
          const compiled = top.compiled as CompiledComplex;
          const element = compiled.meta.elements[index] as ElementMeta;
          top.known++;
          const resolved = (compiled.slots[index] as Slot).resolved;
          this.#push(local, element, false, element.type, element.nillable === true, attributes, scope, resolved);
          (this.#stack.top() as Frame).index = index;
        } else if (top.compiled?.meta.any) {
          const raw = new RawXmlWriter(true);
          raw.open(ns, local, attributes, scope);
          this.#stack.push(FrameKind.Raw, local, undefined, false, '', undefined, undefined, false, raw);
        } else {
          this.#unknown(top, ns, local, attributes, scope);
        }
        return;
      }
      case FrameKind.Wrapper: {
        if (top.text !== '') this.#keepText(top);
        const item = top.element?.item;
        // A SOAP-encoded array's items may have any name.
        if (item && (item.encoded || (item.ns === ns && (item.name === local || item.aliases?.includes(local))))) {
          top.known++;
          this.#push(local, top.element, true, top.type, item.nillable === true, attributes, scope, top.resolved);
        } else {
          this.#unknown(top, ns, local, attributes, scope);
        }
        return;
      }
      case FrameKind.Leaf:
        throw this.#violation(`unexpected element <${clip(local)}> inside a simple value`);
      case FrameKind.Reference:
        throw this.#violation(`unexpected element <${clip(local)}> inside a reference`);
      case FrameKind.Raw:
      case FrameKind.Unknown:
        top.raw?.open(ns, local, attributes, scope);
        return;
    }
  }

  text(text: string): void {
    const top = this.#stack.top();
    if (top === undefined) return;
    switch (top.kind) {
      case FrameKind.Leaf:
        top.text += text;
        return;
      case FrameKind.Raw:
      case FrameKind.Unknown:
        top.raw?.text(text);
        return;
      case FrameKind.Reference:
        return; // its value is the referenced element's (the caller refuses content here)
      default:
        // simpleContent text is the value; other text in element-only content is kept unless blank.
        if (top.kind === FrameKind.Complex && top.compiled?.meta.text !== undefined) top.text += text;
        else if (top.text !== '' || !isBlank(text)) top.text += text;
    }
  }

  close(): void {
    const top = this.#stack.top() as Frame;
    if (top.kind === FrameKind.Reference) {
      this.#stack.pop();
      this.#assign(top, new PendingReference(top.reference));
      return;
    }
    if (top.kind === FrameKind.Raw || top.kind === FrameKind.Unknown) {
      const raw = top.raw as RawXmlWriter;
      raw.close();
      if (!raw.complete) return;
      this.#stack.pop();
      if (top.kind === FrameKind.Unknown) this.#keep(top.position, raw.xml);
      else if (top.element || top.isItem || this.#stack.length === 0) {
        // An xs:anyType element: its content is the value.
        this.#assign(top, top.value ? { $xml: raw.xml, ...top.value } : { $xml: raw.xml });
      } else {
        // An element the schema leaves open (xs:any): kept in $any.
        const record = (this.#stack.top() as Frame).value as Record<string, unknown>;
        const extra = (record.$any as unknown[] | undefined) ?? [];
        extra.push({ $xml: raw.xml });
        record.$any = extra;
      }
      return;
    }
    if ((top.kind === FrameKind.Complex || top.kind === FrameKind.Wrapper) && top.text !== '') {
      if (top.kind === FrameKind.Wrapper || top.compiled?.meta.text === undefined) this.#keepText(top);
    }
    const value = this.#finish(top);
    this.#stack.pop();
    this.#assign(top, value);
  }

  /** Starts keeping an unknown child of `parent` (a complex or wrapper frame). */
  #unknown(parent: Frame, ns: string, local: string, attributes: Record<string, XmlAttribute>, scope: XmlScope): void {
    if (this.#options.strict) throw this.#violation(`unknown element <${clip(local)}> (strict decoding)`, local);
    parent.firstUnknown ||= `<${clip(local)}>`;
    const raw = new RawXmlWriter(true);
    raw.open(ns, local, attributes, scope);
    const frame = this.#stack.push(FrameKind.Unknown, local, undefined, false, '', undefined, undefined, false, raw);
    frame.position = parent.known;
    this.#report('element', local, ns);
  }

  /**
   * Keeps the text gathered in an element-only `frame` as unknown content, at its position (in
   * a type open to any content, with the other open content in $any).
   */
  #keepText(frame: Frame): void {
    const text = frame.text;
    frame.text = '';
    if (frame.compiled?.meta.any) {
      const record = frame.value as Record<string, unknown>;
      const extra = (record.$any as unknown[] | undefined) ?? [];
      extra.push({ $xml: escapeText(text) });
      record.$any = extra;
      return;
    }
    if (this.#options.strict) throw this.#violation(`unexpected text in <${frame.name}> (strict decoding)`);
    frame.firstUnknown ||= 'text';
    this.#report('text', '#text', '');
    this.#keep(frame.known, escapeText(text), frame);
  }

  /**
   * Adds unknown content to the record it belongs to: the top frame's, or for content inside an
   * array wrapper, the record holding the wrapper (with `$wrapper` naming it).
   */
  #keep(position: number, xml: string, at: Frame = this.#stack.top() as Frame): void {
    let owner = at;
    const item: { $xml: string; $position: number; $wrapper?: string } = { $xml: xml, $position: position };
    if (at.kind === FrameKind.Wrapper) {
      item.$wrapper = (at.element as ElementMeta).prop;
      owner = this.#ownerOfWrapper(at);
    }
    const record = owner.value as Record<string, unknown>;
    const list = record.$unknown as UnknownXml[] | undefined;
    if (list) list.push(item);
    else record.$unknown = [item];
  }

  #ownerOfWrapper(wrapper: Frame): Frame {
    for (let n = 0; n < this.#stack.length; n++)
      if (this.#stack.below(n) === wrapper) return this.#stack.below(n + 1) as Frame;
    throw new Error('wrapper frame not on the stack');
  }

  #report(kind: UnknownReport['kind'], name: string, ns: string): void {
    const onUnknown = this.#options.onUnknown;
    if (!onUnknown) return;
    const path = this.#names();
    if (kind === 'text') path.push(name);
    onUnknown({ kind, path: path.map((n) => clip(n)).join('/'), name: clip(name), ns: clip(ns) });
  }

  #push(
    name: string,
    element: ElementMeta | undefined,
    isItem: boolean,
    type: string,
    nillable: boolean,
    attributes: Record<string, XmlAttribute>,
    scope: XmlScope,
    /** `type` resolved, when the caller has it at hand (compiled with the parent's type). */
    known?: ResolvedType,
  ): void {
    const nilAttr = hasAttributes(attributes) ? findAttribute(attributes, XSI_NS, 'nil') : undefined;
    if (nilAttr && (nilAttr.value === 'true' || nilAttr.value === '1')) {
      if (!nillable) throw this.#violation(`<${name}> is nil but not nillable`, name);
      this.#stack.push(FrameKind.Leaf, name, element, isItem, type, undefined, undefined, true, undefined);
      return;
    }
    const resolved = known ?? this.#registry.resolve(type);
    const reference = this.#referenceId;
    if (reference !== undefined && resolved.kind !== 'any') {
      const path = this.#names();
      const frame = this.#stack.push(
        FrameKind.Reference,
        name,
        element,
        isItem,
        type,
        undefined,
        undefined,
        false,
        undefined,
      );
      frame.reference = reference;
      this.#onSlot?.({ name, path, element, isItem, type, nillable, resolved });
      return;
    }
    if (element?.item && !isItem) {
      const wrapper = this.#stack.push(FrameKind.Wrapper, name, element, false, type, undefined, [], false, undefined);
      wrapper.resolved = resolved;
      return;
    }
    if (resolved.kind === 'any') {
      const raw = new RawXmlWriter(false);
      raw.open('', name, attributes, scope);
      // Keep the element's own xsi:type (e.g. xs:string for escaped text) as {ns}name.
      const xsiType = hasAttributes(attributes) ? findAttribute(attributes, XSI_NS, 'type') : undefined;
      const typed = xsiType ? { $type: this.#expandQName(xsiType.value, scope, name) } : undefined;
      this.#stack.push(FrameKind.Raw, name, element, isItem, type, undefined, typed, false, raw);
      return;
    }
    if (resolved.kind !== 'complex') {
      const leaf = this.#stack.push(
        FrameKind.Leaf,
        name,
        element,
        isItem,
        type,
        undefined,
        undefined,
        false,
        undefined,
      );
      leaf.resolved = resolved;
      return;
    }
    let actualType = type;
    const xsiType = hasAttributes(attributes) ? findAttribute(attributes, XSI_NS, 'type') : undefined;
    if (xsiType) {
      const { ns, local } = this.#resolveQName(xsiType.value, scope, name);
      const derived = this.#registry.derivedByQName(type, ns, local);
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
        return this.#parseText(top.type, top.text, '', top.resolved);
      case FrameKind.Wrapper: {
        const items = top.value as unknown[];
        if (items.length === 0 && top.firstUnknown) {
          const item = (top.element as ElementMeta).item;
          throw this.#violation(`expected <${item?.name}> items, found ${top.firstUnknown} instead`);
        }
        return items;
      }
      default: {
        const compiled = top.compiled as CompiledComplex;
        const record = top.value as Record<string, unknown>;
        if (compiled.meta.text !== undefined) record.$value = this.#parseText(compiled.meta.text, top.text, '');
        const found = top.firstUnknown ? `, found ${top.firstUnknown} instead` : '';
        // Counted as they arrive (#assign): the search for the missing one is for the error only.
        if (top.requiredSeen !== compiled.required.length) {
          for (const element of compiled.required) {
            if (record[element.prop] === undefined)
              throw this.#violation(`required element <${element.name}> is missing${found}`);
          }
        }
        const elements = compiled.meta.elements;
        if (found && top.known === 0 && elements.length > 0) {
          const expected = elements.slice(0, 3).map((e) => `<${e.name}>`);
          const names = elements.length > 3 ? `${expected.join(', ')}, …` : expected.join(', ');
          throw this.#violation(`expected ${elements.length > 1 ? 'one of ' : ''}${names}${found}`);
        }
        for (const element of compiled.repeated) {
          const list = record[element.prop] as unknown[] | undefined;
          const count = list?.length ?? 0;
          if (count < element.min)
            throw this.#violation(
              `<${element.name}> occurs ${count} time(s), at least ${element.min} required${found}`,
            );
          if (element.max !== -1 && count > element.max) {
            throw this.#violation(`<${element.name}> occurs ${count} times, at most ${element.max} allowed`);
          }
        }
        compiled.meta.choices?.forEach((choice, index) => {
          const present = elements.filter((e) => e.choice === index && record[e.prop] !== undefined);
          if (present.length > 1)
            throw this.#violation(`more than one choice: ${present.map((e) => e.name).join(', ')}`);
          if (present.length === 0 && choice.required) throw this.#violation(`a required choice is missing${found}`);
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
    // The one place a required element gets its value: counted for #finish's check.
    const required = element.min > 0 && element.choice === undefined;
    if (element.max !== 1 && !element.item) {
      const list = record[element.prop] as unknown[] | undefined;
      if (list) list.push(value);
      else {
        record[element.prop] = [value];
        if (required) parent.requiredSeen++;
      }
      return;
    }
    // A second occurrence: the bit of the element's index when it has one, else the record itself.
    const bit = top.index >= 0 && top.index < 30 ? 1 << top.index : 0;
    if (bit !== 0 ? (parent.assigned & bit) !== 0 : record[element.prop] !== undefined)
      throw this.#violation(`<${element.name}> occurs more than once`);
    parent.assigned |= bit;
    record[element.prop] = value;
    if (required) parent.requiredSeen++;
  }

  #parseText(type: string, text: string, at: string, known?: ResolvedType): unknown {
    try {
      const resolved = known ?? this.#registry.resolve(type);
      if (resolved.kind === 'leaf') return parseLeaf(resolved.leaf, text);
      if (resolved.kind === 'simple') {
        const open = this.#options.openEnums === true && this.#options.strict !== true;
        return parseSimple(resolved.meta, text, open ? () => this.#reportValue(type, at) : undefined);
      }
      return text;
    } catch (error) {
      if (error instanceof LeafError) throw this.#violation(error.message, at);
      throw error;
    }
  }

  /** A value outside the enumeration of `type`, kept as it is. */
  #reportValue(type: string, at: string): void {
    const onUnknown = this.#options.onUnknown;
    if (!onUnknown) return;
    const path = this.#names();
    if (at) path.push(at);
    onUnknown({ kind: 'enumeration', path: path.map((n) => clip(n)).join('/'), name: type, ns: '' });
  }

  /** Resolves an xsi:type QName; a prefix the document does not declare is a violation. */
  #resolveQName(value: string, scope: XmlScope, at: string): { ns: string; local: string } {
    const colon = value.indexOf(':');
    const prefix = colon === -1 ? '' : value.slice(0, colon);
    const ns = scope.lookup(prefix);
    if (ns === undefined)
      throw this.#violation(`xsi:type "${clip(value)}" uses an undeclared prefix ${clip(prefix)}`, at);
    return { ns, local: value.slice(colon + 1) };
  }

  #expandQName(value: string, scope: XmlScope, at: string): string {
    const { ns, local } = this.#resolveQName(value, scope, at);
    return `{${ns}}${local}`;
  }

  /** The open elements' names, from the payload down (a referenced element's after its accessor's path). */
  #names(): string[] {
    const names = this.#stack.names();
    const outer = this.#rootSlot?.path;
    return outer === undefined || outer.length === 0 ? names : [...outer, ...names];
  }

  #violation(message: string, extra = ''): SchemaViolation {
    const path = this.#names();
    if (extra && path[path.length - 1] !== extra) path.push(extra);
    return new SchemaViolation(message, path.map((name) => clip(name)).join('/'));
  }
}

/**
 * The particle for a child element, as its index in the type's elements (-1: none): the next
 * one in sequence order, else looked up by name.
 */
function findElement(frame: Frame, ns: string, local: string): number {
  const compiled = frame.compiled as CompiledComplex;
  const elements = compiled.meta.elements;
  const cursor = frame.cursor;
  const expected = elements[cursor];
  if (expected !== undefined && expected.name === local && expected.ns === ns) {
    if (expected.max === 1 || expected.item) frame.cursor++;
    return cursor;
  }
  const candidates = compiled.byLocal.get(local);
  if (candidates === undefined) return -1;
  for (const candidate of candidates) {
    if (candidate.ns !== ns) continue;
    const index = elements.indexOf(candidate);
    frame.cursor = candidate.max === 1 || candidate.item ? index + 1 : index;
    return index;
  }
  return -1;
}

function findAttribute(attributes: Record<string, XmlAttribute>, ns: string, local: string): XmlAttribute | undefined {
  for (const key in attributes) {
    const attribute = attributes[key] as XmlAttribute;
    if (attribute.local === local && attribute.uri === ns) return attribute;
  }
  return undefined;
}

function hasAttributes(attributes: Record<string, XmlAttribute>): boolean {
  if (attributes === EMPTY_ATTRIBUTES) return false; // most elements: no enumeration needed
  for (const _ in attributes) return true;
  return false;
}

/** Only XML whitespace (a character loop: this runs on every indentation text node). */
function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 9 && c !== 13) return false;
  }
  return true;
}
