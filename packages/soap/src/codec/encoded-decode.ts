/**
 * Decoding SOAP-encoded Bodies (rpc/encoded): multi-references resolved, then decoded by the
 * ordinary schema-driven ElementDecoder.
 *
 * A SOAP 1.1 encoded Body may hold, besides the response, independent elements with an `id`
 * that the response points at with `href="#id"` (anywhere, also before they appear); SOAP 1.2
 * uses `enc:id` and `enc:ref="id"` inside the payload. So the Body is first collected as a small
 * tree, each reference then stands for a copy of the element it names (its attributes and
 * content, under the referencing element's name), and the expanded payload is replayed as parser
 * events into the decoder.
 *
 * Expanding references can cost more than the input (a "billion laughs" fan-out: each element
 * referring twice to the next). Before anything is expanded, the expanded size and depth are
 * computed (once per referenced element, so linear in the input) and the Body is refused when
 * they exceed a budget proportional to the input; a reference cycle is refused too. Decoding
 * therefore stays linear in the input whatever its reference graph.
 */

import type { TypeSource } from '../schema.js';
import { clip } from '../xml/clip.js';
import { XMLNS_NS } from '../xml/namespaces.js';
import type { XmlAttribute, XmlHandler, XmlScope } from '../xml/reader.js';
import { newAttributes } from '../xml/scanner.js';
import { XSI_NS } from './compiled.js';
import { SchemaViolation } from './decode.js';
import { SOAPENC11_NS, SOAPENC12_NS } from './encoding.js';

/** The expanded payload may weigh this many times the collected Body (elements plus characters)... */
export const EXPANSION_FACTOR = 8;
/** ...or this much, whichever is larger: small documents may share small elements freely. */
export const MIN_EXPANSION_BUDGET = 1_000_000;
/** Deepest nesting of the expanded payload (the parser's own default for documents). */
export const MAX_EXPANDED_DEPTH = 256;

/**
 * One collected element. Kept lean (arrays, allocated when needed): a Body is held whole until
 * its end, and what survives the young generation is what collection costs.
 */
export class BodyElement {
  /** Text and child elements, in order. */
  children: (BodyElement | string)[] | undefined;
  /** The id this element carries (SOAP 1.1 `id`, SOAP 1.2 `enc:id`). */
  id: string | undefined;
  /** The id this element refers to (SOAP 1.1 `href="#id"`, SOAP 1.2 `enc:ref`). */
  ref: string | undefined;
  /**
   * Prefixes used in attribute values and text (QName content), resolved when read, as
   * [prefix, uri, prefix, uri...].
   */
  bindings: string[] | undefined;
  /** The xsi:type, shared by every element with the same one (SOAP encoding puts one on each). */
  typed: TypedAs | undefined;

  constructor(
    readonly ns: string,
    readonly local: string,
    readonly prefix: string,
    /** The attributes but xsi:type, namespace declarations and the references (consumed here). */
    readonly attributes: XmlAttribute[] | undefined,
  ) {}
}

/** An xsi:type attribute and the binding of the prefix in its value. */
interface TypedAs {
  readonly attribute: XmlAttribute;
  readonly bindings: string[] | undefined;
}

/** The attributes record of an element without attributes (never written to). */
const NO_ATTRIBUTES: Record<string, XmlAttribute> = Object.freeze(Object.create(null));

/** A namespace declaration or `soapenc:root`: consumed by encoded decoding, never given to the payload decoder. */
export function isEncodingMarker(attribute: XmlAttribute): boolean {
  return attribute.uri === XMLNS_NS || (attribute.uri === SOAPENC11_NS && attribute.local === 'root');
}

/** Expanded weight and height of an element with an id, computed once. */
interface Measure {
  weight: number;
  height: number;
  /** Still being measured: meeting it again is a reference cycle. */
  open: boolean;
}

/** Collects the elements of an encoded Body (fed by the envelope decoder, one Body child at a time). */
export class EncodedBodyCollector implements XmlHandler {
  /** The Body's children, in order. */
  readonly roots: BodyElement[] = [];
  readonly #ids = new Map<string, BodyElement>();
  readonly #stack: BodyElement[] = [];
  /** Elements plus characters of text and attribute values collected. */
  #weight = 0;
  /** The parser's scope at the last element opened: text is delivered within it. */
  #scope: XmlScope | undefined;
  #accessorNs: (ns: string, local: string) => string = (ns) => ns;
  /** Each distinct xsi:type (name, value and the URI its prefix is bound to), once; by value. */
  readonly #types = new Map<string, TypedAs[]>();

  open(ns: string, local: string, attributes: Record<string, XmlAttribute>, scope: XmlScope): void {
    let list: XmlAttribute[] | undefined;
    let id: string | undefined;
    let ref: string | undefined;
    let bindings: string[] | undefined;
    let typed: TypedAs | undefined;
    let weight = 1;
    for (const key in attributes) {
      const attribute = attributes[key] as XmlAttribute;
      const value = attribute.value;
      const uri = attribute.uri;
      weight += value.length;
      if (uri === XSI_NS && attribute.local === 'type') {
        typed = this.#typedAs(attribute, scope);
        continue;
      }
      if (uri === '' || uri === SOAPENC12_NS) {
        if (attribute.local === 'id') {
          id = value;
          continue;
        }
        if (attribute.local === 'href' && uri === '') {
          ref = this.#href(value, local);
          continue;
        }
        if (attribute.local === 'ref' && uri === SOAPENC12_NS) {
          ref = value;
          continue;
        }
      }
      if (isEncodingMarker(attribute)) continue;
      bindings = capturePrefixes(value, scope, bindings);
      if (list) list.push(attribute);
      else list = [attribute];
    }
    this.#weight += weight;
    const node = new BodyElement(ns, local, scope.prefix, list);
    node.id = id;
    node.ref = ref;
    node.bindings = bindings;
    node.typed = typed;
    if (id !== undefined) {
      if (this.#ids.has(id)) throw new SchemaViolation(`the id "${clip(id)}" is used twice`, clip(local));
      this.#ids.set(id, node);
    }
    const parent = this.#stack[this.#stack.length - 1];
    if (!parent) this.roots.push(node);
    else if (parent.children) parent.children.push(node);
    else parent.children = [node];
    this.#stack.push(node);
    this.#scope = scope;
  }

  text(text: string): void {
    const node = this.#stack[this.#stack.length - 1];
    if (!node) return;
    this.#weight += text.length;
    const children = node.children;
    if (!children) node.children = [text];
    else if (typeof children[children.length - 1] === 'string') children[children.length - 1] += text;
    else children.push(text);
    if (this.#scope) node.bindings = capturePrefixes(text, this.#scope, node.bindings);
  }

  close(): void {
    this.#stack.pop();
  }

  #typedAs(attribute: XmlAttribute, scope: XmlScope): TypedAs {
    const value = attribute.value;
    const colon = value.indexOf(':');
    const prefix = colon === -1 ? '' : value.slice(0, colon);
    const uri = scope.lookup(prefix);
    let same = this.#types.get(value);
    if (!same) {
      same = [];
      this.#types.set(value, same);
    }
    for (const typed of same) if (typed.attribute.name === attribute.name && typed.bindings?.[1] === uri) return typed;
    const typed: TypedAs = { attribute, bindings: uri === undefined ? undefined : [prefix, uri] };
    same.push(typed);
    return typed;
  }

  #href(value: string, local: string): string {
    if (!value.startsWith('#'))
      throw new SchemaViolation(`href="${clip(value)}" points outside the message (not supported)`, clip(local));
    return value.slice(1);
  }

  /**
   * Replays `root` with every reference expanded into `handler`, after checking that the
   * expansion has no cycle and stays within the budget. `accessorNs` gives the namespace an
   * element below the root is read in (some peers qualify accessors that are unqualified).
   */
  replay(root: BodyElement, handler: XmlHandler, accessorNs: (ns: string, local: string) => string = (ns) => ns): void {
    const budget = Math.max(MIN_EXPANSION_BUDGET, EXPANSION_FACTOR * this.#weight);
    const measured = this.#measure(root, 0, new Map(), [root.local]);
    if (measured.weight > budget) {
      throw new SchemaViolation(
        `multi-references expand the payload beyond ${budget} (elements and characters; the Body holds ${this.#weight})`,
        clip(root.local),
      );
    }
    const scope = new ReplayScope();
    this.#accessorNs = accessorNs;
    const attributes = record(root, undefined);
    scope.enter(root.prefix, root.ns, attributes, root, root);
    handler.open(root.ns, root.local, attributes, scope);
    for (const child of root.children ?? []) {
      if (typeof child === 'string') handler.text(child);
      else this.#emit(child, handler, scope);
    }
    scope.leave();
    handler.close();
  }

  /** Expanded weight and height of `node`; throws on cycles, unknown ids and too deep nesting. */
  #measure(node: BodyElement, depth: number, measures: Map<BodyElement, Measure>, path: string[]): Measure {
    if (depth >= MAX_EXPANDED_DEPTH)
      throw new SchemaViolation(`the payload nests deeper than ${MAX_EXPANDED_DEPTH} levels`, pathOf(path));
    const target = this.#target(node, path);
    const keyed = target.id !== undefined ? target : undefined;
    const known = keyed && measures.get(keyed);
    if (known) {
      if (known.open)
        throw new SchemaViolation(
          `multi-reference cycle: "#${clip(keyed.id as string)}" contains itself`,
          pathOf(path),
        );
      if (depth + known.height > MAX_EXPANDED_DEPTH)
        throw new SchemaViolation(`the payload nests deeper than ${MAX_EXPANDED_DEPTH} levels`, pathOf(path));
      return target === node ? known : { weight: known.weight + 1, height: known.height, open: false };
    }
    const measure: Measure = { weight: 1, height: 1, open: true };
    if (keyed) measures.set(keyed, measure);
    for (const attribute of target.attributes ?? []) measure.weight += attribute.value.length;
    if (target.typed) measure.weight += target.typed.attribute.value.length;
    for (const child of target.children ?? []) {
      if (typeof child === 'string') {
        measure.weight += child.length;
        continue;
      }
      path.push(child.local);
      const inner = this.#measure(child, depth + 1, measures, path);
      path.pop();
      measure.weight += inner.weight;
      if (inner.height + 1 > measure.height) measure.height = inner.height + 1;
    }
    measure.open = false;
    return target === node ? measure : { weight: measure.weight + 1, height: measure.height, open: false };
  }

  /** The element whose content `node` has: itself, or the one its reference names. */
  #target(node: BodyElement, path: string[]): BodyElement {
    if (node.ref === undefined) return node;
    const target = this.#ids.get(node.ref);
    if (!target) throw new SchemaViolation(`reference to an unknown id "${clip(node.ref)}"`, pathOf(path));
    if (target.ref !== undefined) throw new SchemaViolation(`"#${clip(node.ref)}" is itself a reference`, pathOf(path));
    return target;
  }

  #emit(node: BodyElement, handler: XmlHandler, scope: ReplayScope): void {
    const target = node.ref === undefined ? node : (this.#ids.get(node.ref) as BodyElement);
    const attributes = record(node, target === node ? undefined : target);
    scope.enter(node.prefix, node.ns, attributes, target, node);
    handler.open(this.#accessorNs(node.ns, node.local), node.local, attributes, scope);
    for (const child of target.children ?? []) {
      if (typeof child === 'string') handler.text(child);
      else this.#emit(child, handler, scope);
    }
    scope.leave();
    handler.close();
  }
}

const qualifiedNames = new WeakMap<TypeSource['types'], ReadonlySet<string>>();

/**
 * Reads accessors qualified with the payload's namespace (`ns`) as unqualified, unless the schema
 * declares such a qualified element: node-soap writes rpc parts and struct members that way.
 */
export function unqualifiedAccessors(types: TypeSource['types'], ns: string): (ns: string, local: string) => string {
  let names = qualifiedNames.get(types);
  if (!names) {
    const found = new Set<string>();
    for (const meta of Object.values(types)) {
      if (meta.kind !== 'complex') continue;
      for (const element of meta.elements) {
        // Omitted ns is the default '' (codec/defaults.ts).
        if (element.ns) found.add(`${element.ns}|${element.name}`);
        if (element.item?.ns) found.add(`${element.item.ns}|${element.item.name}`);
      }
    }
    qualifiedNames.set(types, found);
    names = found;
  }
  const known = names;
  return (elementNs, local) => (elementNs === ns && !known.has(`${ns}|${local}`) ? '' : elementNs);
}

/**
 * The attributes of a replayed element as the parser hands them (a record keyed by qualified
 * name, inheriting nothing): its own, and those of the element it refers to (`target`) that it lacks.
 */
function record(node: BodyElement, target: BodyElement | undefined): Record<string, XmlAttribute> {
  if (node.attributes === undefined && node.typed === undefined && target === undefined) return NO_ATTRIBUTES;
  const result = newAttributes();
  for (const from of target ? [node, target] : [node]) {
    const typed = from.typed?.attribute;
    if (typed && !(typed.name in result)) result[typed.name] = typed;
    for (const attribute of from.attributes ?? []) if (!(attribute.name in result)) result[attribute.name] = attribute;
  }
  return result;
}

function pathOf(path: readonly string[]): string {
  return path.map((name) => clip(name)).join('/');
}

/**
 * Resolves the prefixes of `prefix:` words in `value` now (the parser's scope is live) and
 * records them (the raw XML of anyType content declares them).
 */
function capturePrefixes(value: string, scope: XmlScope, bindings: string[] | undefined): string[] | undefined {
  let found = bindings;
  for (let colon = value.indexOf(':'); colon !== -1; colon = value.indexOf(':', colon + 1)) {
    let start = colon;
    while (start > 0 && isNameChar(value.charCodeAt(start - 1))) start--;
    if (start === colon) continue;
    const prefix = value.slice(start, colon);
    const uri = scope.lookup(prefix);
    if (uri === undefined) continue;
    found ??= [];
    found.push(prefix, uri);
  }
  return found;
}

function isNameChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) ||
    (c >= 65 && c <= 90) ||
    (c >= 48 && c <= 57) ||
    c === 95 ||
    c === 45 ||
    c === 46 ||
    c >= 0xc0
  );
}

function recordedUri(bindings: readonly string[] | undefined, prefix: string): string | undefined {
  if (bindings === undefined) return undefined;
  for (let i = 0; i < bindings.length; i += 2) if (bindings[i] === prefix) return bindings[i + 1];
  return undefined;
}

/** The namespace context of replayed events: the open elements' names, attributes and recorded prefixes. */
interface ScopeFrame {
  prefix: string;
  ns: string;
  attributes: Record<string, XmlAttribute>;
  /** The element whose content is replayed, and the element replayed (the same unless a reference). */
  content: BodyElement;
  own: BodyElement;
}

class ReplayScope implements XmlScope {
  readonly #frames: ScopeFrame[] = [];

  get prefix(): string {
    return this.#frames[this.#frames.length - 1]?.prefix ?? '';
  }

  enter(
    prefix: string,
    ns: string,
    attributes: Record<string, XmlAttribute>,
    content: BodyElement,
    own: BodyElement,
  ): void {
    this.#frames.push({ prefix, ns, attributes, content, own });
  }

  leave(): void {
    this.#frames.pop();
  }

  lookup(prefix: string): string | undefined {
    for (let i = this.#frames.length - 1; i >= 0; i--) {
      const frame = this.#frames[i] as ScopeFrame;
      const recorded =
        recordedUri(frame.content.bindings, prefix) ??
        recordedUri(frame.content.typed?.bindings, prefix) ??
        recordedUri(frame.own.bindings, prefix) ??
        recordedUri(frame.own.typed?.bindings, prefix);
      if (recorded !== undefined) return recorded;
      if (frame.prefix === prefix) return frame.ns;
      for (const key in frame.attributes) {
        const attribute = frame.attributes[key] as XmlAttribute;
        if (attribute.prefix === prefix && attribute.prefix !== 'xmlns') return attribute.uri;
      }
    }
    return prefix === '' ? '' : undefined;
  }
}
