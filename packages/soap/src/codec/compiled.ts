/**
 * Lookup structures derived once per service from its metadata: the encoder and decoder
 * walk these instead of searching the metadata on every element.
 */
import type { LeafKind, SimpleTypeMeta, SoapVersion, TypeSource } from '../schema.js';
import {
  type FullAttributeMeta,
  type FullComplexTypeMeta,
  type FullElementMeta,
  type FullTypeMeta,
  withMetaDefaults,
} from './defaults.js';
import { arrayStartTag, encodedRootAttributes, xsiTypeName } from './encoding.js';

export interface CompiledComplex {
  readonly name: string;
  readonly meta: FullComplexTypeMeta;
  /** Elements by local name and alias (a name may exist in several namespaces). */
  readonly byLocal: ReadonlyMap<string, readonly FullElementMeta[]>;
  readonly knownProps: ReadonlySet<string>;
  readonly required: readonly FullElementMeta[];
  readonly repeated: readonly FullElementMeta[];
  /** Per element, parallel to meta.elements: how it is written (and its items, for wrappers). */
  readonly slots: readonly Slot[];
  readonly itemSlots: readonly (Slot | undefined)[];
  readonly attributes: readonly FullAttributeMeta[];
}

export const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';

/** How one element is written: its tags precomputed, its type resolved. */
export interface Slot {
  /** Written as a CDATA section (string content only), as some services expect embedded XML. */
  readonly cdata: boolean;
  readonly tag: string;
  readonly declarations: string;
  readonly open: string;
  readonly close: string;
  readonly nil: string;
  readonly type: string;
  readonly resolved: ResolvedType;
  /** SOAP encoding: the ` xsi:type="..."` in `open` ('' otherwise). */
  readonly xsiType: string;
  /** SOAP encoding, an encoded array's element: its start tag for `length` items. */
  readonly openArray?: (length: number) => string;
}

/** What a type reference stands for, resolved once per type and cached. */
export type ResolvedType =
  | { readonly kind: 'leaf'; readonly leaf: LeafKind }
  | { readonly kind: 'simple'; readonly meta: SimpleTypeMeta }
  | { readonly kind: 'complex'; readonly name: string }
  | { readonly kind: 'any' };

/** Resolves type names of one service to their metadata, compiling complex types on first use. */
export class TypeRegistry {
  readonly service: TypeSource;
  readonly #compiled = new Map<string, CompiledComplex>();
  readonly #resolved = new Map<string, ResolvedType>();
  /** Each type's metadata with its defaults applied, on first use. */
  readonly #types = new Map<string, FullTypeMeta>();
  #prefixes: ReadonlyMap<string, string> | undefined;

  readonly #cdata: ReadonlySet<string>;
  /** Set for SOAP encoding (rpc/encoded operations): the SOAP version whose encoding is written. */
  readonly encoding: SoapVersion | undefined;

  /**
   * @param cdata elements (by local name) whose string content is written as CDATA
   * @param encoding writes SOAP encoding of this SOAP version (xsi:type on every element)
   */
  constructor(service: TypeSource, cdata: readonly string[] = [], encoding?: SoapVersion) {
    this.service = service;
    this.#cdata = new Set(cdata);
    this.encoding = encoding;
  }

  /** What a payload's root element declares besides the prefixes (SOAP encoding's). */
  get rootAttributes(): string {
    return this.encoding ? encodedRootAttributes(this.encoding) : '';
  }

  /**
   * Prefixes for every namespace the service's elements and attributes use, in first-seen order;
   * assigned on first encode, so creating a client does no work per type.
   */
  get prefixes(): ReadonlyMap<string, string> {
    this.#prefixes ??= assignPrefixes(this.service);
    return this.#prefixes;
  }

  /** A type's metadata with the defaults applied (see codec/defaults.ts), or undefined. */
  type(name: string): FullTypeMeta | undefined {
    let meta = this.#types.get(name);
    if (meta) return meta;
    const raw = this.service.types[name];
    if (!raw) return undefined;
    meta = withMetaDefaults(raw);
    this.#types.set(name, meta);
    return meta;
  }

  resolve(type: string): ResolvedType {
    let resolved = this.#resolved.get(type);
    if (resolved) return resolved;
    if (type === 'xs:anyType') resolved = { kind: 'any' };
    else if (type.startsWith('xs:')) resolved = { kind: 'leaf', leaf: type.slice(3) as LeafKind };
    else {
      const meta = this.type(type);
      if (!meta) throw new Error(`schema has no type ${type}`);
      resolved = meta.kind === 'simple' ? { kind: 'simple', meta } : { kind: 'complex', name: type };
    }
    this.#resolved.set(type, resolved);
    return resolved;
  }

  complex(type: string): CompiledComplex {
    let compiled = this.#compiled.get(type);
    if (compiled) return compiled;
    const meta = this.type(type);
    if (meta?.kind !== 'complex') throw new Error(`schema has no complex type ${type}`);
    const byLocal = new Map<string, FullElementMeta[]>();
    for (const element of meta.elements) {
      for (const name of [element.name, ...(element.aliases ?? [])]) {
        const list = byLocal.get(name);
        if (list) list.push(element);
        else byLocal.set(name, [element]);
      }
    }
    const attributes = meta.attributes ?? [];
    const knownProps = new Set<string>([...meta.elements.map((e) => e.prop), ...attributes.map((a) => a.prop)]);
    if (meta.text) knownProps.add('$value');
    if (meta.any) knownProps.add('$any');
    if (meta.derived?.length || meta.qname) knownProps.add('$type');
    // Content the schema does not know, kept by the decoder (see UnknownXml), is written back.
    knownProps.add('$unknown');
    compiled = {
      name: type,
      meta,
      byLocal,
      knownProps,
      required: meta.elements.filter((e) => e.min > 0 && e.choice === undefined),
      repeated: meta.elements.filter((e) => e.max !== 1 && !e.item),
      slots: meta.elements.map((e) =>
        this.slot(this.qualify(e.name, e.ns), e.type, '', this.#cdata.has(e.name), e.item !== undefined),
      ),
      itemSlots: meta.elements.map((e) =>
        e.item ? this.slot(this.qualify(e.item.name, e.item.ns), e.type) : undefined,
      ),
      attributes,
    };
    this.#compiled.set(type, compiled);
    return compiled;
  }

  /**
   * Precomputed tags of an element (with extra declarations on the root element). `wrapper`:
   * the element holds items of `type` (an array wrapper), so it has no xsi:type of its own.
   */
  slot(tag: string, type: string, declarations = '', cdata = false, wrapper = false): Slot {
    const resolved = this.resolve(type);
    const encoding = this.encoding;
    const typeName = encoding ? this.#xsiTypeName(resolved) : undefined;
    const xsiType = typeName && !wrapper ? ` xsi:type="${typeName}"` : '';
    return {
      cdata,
      tag,
      declarations,
      open: `<${tag}${declarations}${xsiType}>`,
      close: `</${tag}>`,
      nil: `<${tag}${declarations} xsi:nil="true"/>`,
      type,
      resolved,
      xsiType,
      ...(encoding && wrapper
        ? { openArray: (length: number) => arrayStartTag(encoding, tag, declarations, typeName, length) }
        : {}),
    };
  }

  #xsiTypeName(resolved: ResolvedType): string | undefined {
    return xsiTypeName(
      resolved,
      (name, ns) => this.qualify(name, ns),
      (name) => {
        const meta = this.type(name);
        return meta?.kind === 'complex' ? meta.qname : undefined;
      },
    );
  }

  /** A name as written in requests: prefixed when namespace-qualified. */
  qualify(name: string, ns: string): string {
    const prefix = ns === '' ? undefined : this.prefixes.get(ns);
    return prefix === undefined ? name : `${prefix}:${name}`;
  }

  /** The derived type named by an xsi:type QName, if it extends `base`. */
  derivedByQName(base: string, ns: string, name: string): string | undefined {
    const meta = this.type(base);
    if (meta?.kind !== 'complex') return undefined;
    if (meta.qname?.ns === ns && meta.qname.name === name) return base;
    return meta.derived?.find((d) => {
      const derived = this.type(d);
      return derived?.kind === 'complex' && derived.qname?.ns === ns && derived.qname.name === name;
    });
  }
}

function assignPrefixes(service: TypeSource): Map<string, string> {
  const namespaces = new Set<string>();
  for (const op of Object.values(service.operations ?? {})) {
    namespaces.add(op.input.ns);
    if (op.output) namespaces.add(op.output.ns);
  }
  for (const document of Object.values(service.documents ?? {})) namespaces.add(document.ns);
  for (const meta of Object.values(service.types)) {
    if (meta.kind !== 'complex') continue;
    // An omitted ns is the default '' (codec/defaults.ts), which takes no prefix.
    for (const e of meta.elements) {
      namespaces.add(e.ns ?? '');
      if (e.item) namespaces.add(e.item.ns ?? '');
    }
    for (const a of meta.attributes ?? []) namespaces.add(a.ns ?? '');
    if (meta.qname) namespaces.add(meta.qname.ns);
  }
  namespaces.delete('');
  const prefixes = new Map<string, string>();
  let n = 0;
  for (const ns of namespaces) prefixes.set(ns, `ns${++n}`);
  return prefixes;
}
