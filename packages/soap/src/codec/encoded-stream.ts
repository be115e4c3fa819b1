/**
 * Decoding SOAP-encoded Bodies in one pass, for the shape services send: the response first,
 * then each multi-referenced element (`<multiRef id="…">`) after the one reference to it.
 *
 * The response is decoded as it streams in; an accessor holding only `href="#id"` takes a
 * placeholder and records which type the element it names must be read as, so that element is
 * decoded straight into a value when it arrives. At the end each placeholder is replaced by its
 * value. Nothing is held as a tree, which is what the collecting decoder (encoded-decode.ts)
 * costs.
 *
 * Whatever this path does not take exactly as the collecting decoder would throws
 * CollectInstead, and the caller decodes the message again with the collecting decoder: an
 * element met before its reference, an id referenced twice (copies), an id inside the payload
 * (SOAP 1.2 `enc:id`/`enc:ref`), a reference with attributes or content of its own, content
 * kept as raw XML, nesting at the expansion limit, and every schema violation (so its error is
 * the collecting decoder's, word for word). Each id is used at most once here, so the expanded
 * payload is no larger than the input and no budget check is needed.
 */

import type { PayloadElement } from '../envelope.js';
import type { XmlAttribute, XmlHandler, XmlScope } from '../xml/reader.js';
import { EMPTY_ATTRIBUTES, newAttributes } from '../xml/scanner.js';
import type { TypeRegistry } from './compiled.js';
import {
  type DecodeOptions,
  ElementDecoder,
  PendingReference,
  type ReferenceSlot,
  type UnknownReport,
} from './decode.js';
import { isEncodingMarker, MAX_EXPANDED_DEPTH, unqualifiedAccessors } from './encoded-decode.js';
import { SOAPENC12_NS } from './encoding.js';

/** This message needs the collecting decoder (see the module comment); not an error in the message. */
export class CollectInstead extends Error {
  constructor(reason: string) {
    super(`SOAP-encoded Body needs the collecting decoder: ${reason}`);
  }
}

/** A reference met, waiting for the element it names: where its value goes and how deep. */
interface Awaited {
  readonly slot: ReferenceSlot;
  readonly depth: number;
}

export class EncodedBodyStream implements XmlHandler {
  readonly #registry: TypeRegistry;
  readonly #match: (ns: string, local: string) => PayloadElement | undefined;
  /** The namespace an accessor below a root is read in (see unqualifiedAccessors). */
  #accessorNs: (ns: string, local: string) => string = (ns) => ns;
  #element: PayloadElement | undefined;
  readonly #options: DecodeOptions;
  /** Reports of unknown content, handed on only when this path succeeds (no duplicates). */
  readonly #reports: UnknownReport[] = [];
  readonly #onUnknown: DecodeOptions['onUnknown'];
  #payload: ElementDecoder | undefined;
  /** Ids referenced and not met yet. */
  readonly #awaited = new Map<string, Awaited>();
  /** Ids referenced (each once at most). */
  readonly #referenced = new Set<string>();
  /** The values of the elements met, by id: each decoded as its reference's slot says. */
  readonly #values = new Map<string, unknown>();
  /** Decodes the referenced elements, one after the other. */
  #referencedDecoder: ElementDecoder | undefined;
  /** The Body child being decoded, its id, its depth below it, and the expanded depth of its root. */
  #current: ElementDecoder | undefined;
  #currentId: string | undefined;
  #depth = 0;
  #base = 0;
  /** Inside an accessor that is a reference (which must stay empty). */
  #inReference = false;
  /** The markers of the element being opened (#readMarkers). */
  #id: string | undefined;
  #href: string | undefined;
  /** Its attributes other than the markers and namespace declarations. */
  #others = 0;

  constructor(
    registry: TypeRegistry,
    match: (ns: string, local: string) => PayloadElement | undefined,
    options: DecodeOptions,
  ) {
    this.#registry = registry;
    this.#match = match;
    this.#onUnknown = options.onUnknown;
    this.#options = options.onUnknown ? { ...options, onUnknown: (report) => this.#reports.push(report) } : options;
  }

  /** Whether a Body child was met (a Fault after it is a second element). */
  get started(): boolean {
    return this.#payload !== undefined;
  }

  /** The payload element met. */
  get element(): PayloadElement | undefined {
    return this.#element;
  }

  open(ns: string, local: string, attributes: Record<string, XmlAttribute>, scope: XmlScope): void {
    if (this.#inReference) throw new CollectInstead('a reference has content');
    this.#readMarkers(attributes);
    if (this.#depth === 0) this.#openBodyChild(ns, local, attributes, scope);
    else {
      if (this.#base + this.#depth >= MAX_EXPANDED_DEPTH) throw new CollectInstead('nesting at the expansion limit');
      if (this.#id !== undefined) throw new CollectInstead('an id inside the payload');
      const decoder = this.#current as ElementDecoder;
      const accessorNs = this.#accessorNs(ns, local);
      if (this.#href !== undefined) this.#openReference(decoder, accessorNs, local, attributes, this.#href, scope);
      else decoder.open(accessorNs, local, attributes, scope);
      if (decoder.keepingRaw) throw new CollectInstead('content kept as raw XML');
    }
    this.#depth++;
  }

  text(text: string): void {
    if (this.#inReference) throw new CollectInstead('a reference has content');
    this.#current?.text(text);
  }

  close(): void {
    this.#depth--;
    this.#inReference = false;
    const current = this.#current;
    current?.close();
    if (this.#depth > 0) return;
    if (current !== this.#payload) this.#values.set(this.#currentId as string, current?.result);
    this.#current = undefined;
  }

  /** The payload's value with every reference replaced by the value of the element it names. */
  finish(): unknown {
    if (this.#awaited.size > 0) throw new CollectInstead('a reference to an element not in the Body');
    const payload = this.#payload as ElementDecoder;
    const value = this.#referenced.size > 0 ? this.#substitute(payload.result) : payload.result;
    for (const report of this.#reports) this.#onUnknown?.(report);
    return value;
  }

  #openBodyChild(ns: string, local: string, attributes: Record<string, XmlAttribute>, scope: XmlScope): void {
    const id = this.#id;
    if (this.#href !== undefined) throw new CollectInstead('a Body child that is a reference');
    if (id === undefined) {
      const element = this.#payload === undefined ? this.#match(ns, local) : undefined;
      if (!element) throw new CollectInstead('an unexpected Body child');
      this.#element = element;
      this.#accessorNs = unqualifiedAccessors(this.#registry.service.types, ns);
      this.#payload = new ElementDecoder(this.#registry, element.type, false, this.#options);
      this.#base = 0;
      this.#current = this.#payload;
      this.#current.open(ns, local, attributes, scope);
      return;
    }
    const awaited = this.#awaited.get(id);
    if (!awaited) throw new CollectInstead('an element met before its reference');
    this.#awaited.delete(id);
    const slot = awaited.slot;
    let decoder = this.#referencedDecoder;
    if (decoder) decoder.restart(slot.type, slot.nillable, slot);
    else {
      decoder = new ElementDecoder(this.#registry, slot.type, slot.nillable, this.#options, slot);
      this.#referencedDecoder = decoder;
    }
    this.#base = awaited.depth;
    this.#current = decoder;
    this.#currentId = id;
    // Read under the referencing accessor's name, without the id and encoding markers.
    decoder.open(ns, slot.name, this.#others > 0 ? withoutMarkers(attributes) : EMPTY_ATTRIBUTES, scope);
    if (decoder.keepingRaw) throw new CollectInstead('content kept as raw XML');
  }

  #openReference(
    decoder: ElementDecoder,
    ns: string,
    local: string,
    attributes: Record<string, XmlAttribute>,
    id: string,
    scope: XmlScope,
  ): void {
    if (this.#others > 0) throw new CollectInstead('a reference with attributes of its own');
    if (this.#referenced.has(id)) throw new CollectInstead('an id referenced twice');
    this.#referenced.add(id);
    const depth = this.#base + this.#depth;
    const taken = decoder.openReference(ns, local, attributes, scope, id, (slot) => {
      this.#awaited.set(id, { slot, depth });
    });
    if (!taken) throw new CollectInstead('a reference where raw content is kept');
    this.#inReference = true;
  }

  /** Sets #id, #href and #others from `attributes`; SOAP 1.2 references are not taken here. */
  #readMarkers(attributes: Record<string, XmlAttribute>): void {
    this.#id = undefined;
    this.#href = undefined;
    this.#others = 0;
    if (attributes === EMPTY_ATTRIBUTES) return;
    for (const key in attributes) {
      const attribute = attributes[key] as XmlAttribute;
      const uri = attribute.uri;
      if (uri === '' && attribute.local === 'id') this.#id = attribute.value;
      else if (uri === '' && attribute.local === 'href') {
        if (!attribute.value.startsWith('#')) throw new CollectInstead('a reference outside the message');
        this.#href = attribute.value.slice(1);
      } else if (uri === SOAPENC12_NS) throw new CollectInstead('SOAP 1.2 encoding attributes');
      else if (!isEncodingMarker(attribute)) this.#others++;
    }
  }

  /** Replaces the placeholders in `value` (in place), each by its element's value, itself substituted. */
  #substitute(value: unknown): unknown {
    if (value instanceof PendingReference) {
      if (!this.#values.has(value.id)) throw new CollectInstead('a reference to an element not decoded');
      return this.#substitute(this.#values.get(value.id));
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item = value[i];
        if (item !== null && typeof item === 'object') value[i] = this.#substitute(item);
      }
    } else if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
      const record = value as Record<string, unknown>;
      for (const key in record) {
        const field = record[key];
        if (field !== null && typeof field === 'object') record[key] = this.#substitute(field);
      }
    }
    return value;
  }
}

/** The attributes of a referenced element but its id, namespace declarations and soapenc:root. */
function withoutMarkers(attributes: Record<string, XmlAttribute>): Record<string, XmlAttribute> {
  const kept = newAttributes();
  for (const key in attributes) {
    const attribute = attributes[key] as XmlAttribute;
    const uri = attribute.uri;
    if (uri === '' && attribute.local === 'id') continue;
    if (isEncodingMarker(attribute)) continue;
    kept[key] = attribute;
  }
  return kept;
}
