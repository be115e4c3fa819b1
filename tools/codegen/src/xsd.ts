/**
 * XSD -> model: named and anonymous types become TypeScript names plus @kz/soap metadata.
 * Types are built on demand from the roots (operations, or every global of a standalone
 * schema), so the output holds only what is reachable.
 */
import type { AttributeMeta, ComplexTypeMeta, ElementMeta, Facets, LeafKind, SimpleTypeMeta, TypeMeta } from '@kz/soap';
import { isSoapEncoding, soapArrayItem } from './encoded.js';
import { type LoadedSchema, NS } from './loader.js';
import { NameAllocator, namespaceTag, pascalCase, typeName } from './naming.js';
import {
  attr,
  attrNS,
  ContractError,
  child,
  children,
  type QName,
  qkey,
  resolveQName,
  type XmlElement,
} from './xml.js';

/** A type in the model: its metadata plus what the TypeScript emitter needs. */
export interface ModelType {
  readonly name: string;
  meta: TypeMeta;
  doc?: string;
  /** TypeScript base type (complexContent extension). */
  base?: string;
  /** Number of inherited elements/attributes at the start of meta.elements / meta.attributes. */
  inheritedElements: number;
  inheritedAttributes: number;
  /** Documentation per property. */
  propDocs: Record<string, string>;
  /** Documentation per enumeration value. */
  enumDocs?: Record<string, string>;
  abstract?: boolean;
  /** A named simple type's XSD name (a complex type's is `meta.qname`); absent when anonymous. */
  qname?: QName;
}

/** A global element as a typed root (operation wrapper, standalone document). */
export interface RootElement {
  readonly name: string;
  readonly ns: string;
  readonly type: string;
  readonly nillable: boolean;
  /** Other local names read as this element (kz:alsoAccept). */
  readonly aliases?: readonly string[];
}

interface Declaration {
  readonly node: XmlElement;
  readonly schema: LoadedSchema;
}

const BUILTIN: Record<string, LeafKind> = {
  string: 'string',
  boolean: 'boolean',
  int: 'int',
  unsignedInt: 'unsignedInt',
  short: 'short',
  unsignedShort: 'unsignedShort',
  byte: 'byte',
  unsignedByte: 'unsignedByte',
  long: 'long',
  unsignedLong: 'unsignedLong',
  integer: 'integer',
  nonNegativeInteger: 'nonNegativeInteger',
  positiveInteger: 'positiveInteger',
  nonPositiveInteger: 'nonPositiveInteger',
  negativeInteger: 'negativeInteger',
  decimal: 'decimal',
  float: 'float',
  double: 'double',
  dateTime: 'dateTime',
  date: 'date',
  time: 'time',
  base64Binary: 'base64Binary',
  hexBinary: 'hexBinary',
  anyType: 'anyType',
};

/** Every other built-in type (token, anyURI, QName, duration, gYear, ...) is a string. */
function builtinLeaf(name: string): LeafKind {
  return BUILTIN[name] ?? 'string';
}

function documentation(node: XmlElement): string | undefined {
  const annotation = child(node, NS.xs, 'annotation');
  if (!annotation) return undefined;
  const text = children(annotation, NS.xs, 'documentation')
    .map((d) => d.text.trim())
    .filter(Boolean)
    .join('\n');
  return text || undefined;
}

function occurs(node: XmlElement, name: 'minOccurs' | 'maxOccurs'): number {
  const value = attr(node, name);
  if (value === undefined) return 1;
  if (value === 'unbounded') return -1;
  const n = Number.parseInt(value, 10);
  return Number.isNaN(n) ? 1 : n;
}

/**
 * `kz:alsoAccept="A B"` on an element declaration: other local names (same namespace) the
 * decoder reads as this element, for names the source documents make plausible besides ours.
 */
function aliasesOf(node: XmlElement): string[] | undefined {
  const names = attrNS(node, NS.kz, 'alsoAccept')?.split(/\s+/).filter(Boolean);
  return names && names.length > 0 ? names : undefined;
}

function isXs(node: XmlElement, local: string): boolean {
  return node.ns === NS.xs && node.local === local;
}

/**
 * The types of a set of loaded schemas as the emitter needs them: each XSD type (named or
 * anonymous) a TypeScript name and @kz/soap metadata, built on demand from the roots asked for.
 */
export class SchemaModel {
  /** Every type built so far, by TypeScript name, in build order. */
  readonly types = new Map<string, ModelType>();
  readonly #elements = new Map<string, Declaration>();
  readonly #complexTypes = new Map<string, Declaration>();
  readonly #simpleTypes = new Map<string, Declaration>();
  readonly #groups = new Map<string, Declaration>();
  readonly #attributeGroups = new Map<string, Declaration>();
  readonly #attributes = new Map<string, Declaration>();
  /** Names reserved for global types, allocated up front so they do not depend on build order. */
  readonly #globalNames = new Map<string, string>();
  /** Names already built or being built, by declaration key. */
  readonly #built = new Map<string, string>();
  /** Resolved named simple types (pure: no names allocated), by declaration key. */
  readonly #simpleMetas = new Map<string, SimpleTypeMeta>();
  /**
   * Complex type contents are filled depth-first up to MAX_NESTING, then queued here and filled
   * once the stack unwinds: any depth of nesting resolves without a stack overflow, and contracts
   * of ordinary depth produce exactly what plain recursion produced.
   */
  readonly #pending = new Map<string, () => void>();
  #nesting = 0;
  /** The global elements whose anonymous type is being filled, innermost first (a recursive ref reuses it). */
  #ancestry: Ancestry | undefined;
  /** Global element declarations, to recognise a ref'd one. */
  readonly #globalElementNodes = new Set<XmlElement>();
  readonly #names: NameAllocator;
  readonly #schemas: readonly LoadedSchema[];

  constructor(schemas: readonly LoadedSchema[], reservedNames: Iterable<string> = []) {
    this.#schemas = schemas;
    this.#names = new NameAllocator(reservedNames);
    for (const schema of schemas) this.#index(schema);
    this.#reserveGlobalNames();
  }

  #index(schema: LoadedSchema): void {
    const tns = schema.targetNamespace;
    const add = (map: Map<string, Declaration>, node: XmlElement): void => {
      const name = attr(node, 'name');
      if (!name) return;
      const key = qkey({ ns: tns, name });
      if (!map.has(key)) map.set(key, { node, schema });
    };
    for (const node of schema.element.children) {
      if (node.ns !== NS.xs) continue;
      if (node.local === 'element') {
        add(this.#elements, node);
        this.#globalElementNodes.add(node);
      } else if (node.local === 'complexType') add(this.#complexTypes, node);
      else if (node.local === 'simpleType') add(this.#simpleTypes, node);
      else if (node.local === 'group') add(this.#groups, node);
      else if (node.local === 'attributeGroup') add(this.#attributeGroups, node);
      else if (node.local === 'attribute') add(this.#attributes, node);
      else if (node.local === 'redefine')
        for (const inner of node.children)
          if (inner.ns === NS.xs) this.#index({ ...schema, element: { ...node, children: [inner] } });
    }
  }

  #reserveGlobalNames(): void {
    const byLocal = new Map<string, string[]>();
    for (const key of [...this.#complexTypes.keys(), ...this.#simpleTypes.keys()]) {
      const local = key.slice(key.indexOf('}') + 1);
      const list = byLocal.get(typeName(local)) ?? [];
      list.push(key);
      byLocal.set(typeName(local), list);
    }
    for (const [base, keys] of byLocal) {
      keys.forEach((key, index) => {
        const ns = key.slice(1, key.indexOf('}'));
        // The first declaration keeps the plain name; same-named types of other namespaces get a tag.
        const preferred = index === 0 ? base : `${base}${namespaceTag(ns)}`;
        this.#globalNames.set(key, this.#names.allocate(preferred));
      });
    }
  }

  /** All global elements, in declaration order. */
  globalElements(): QName[] {
    return [...this.#elements.keys()].map((key) => ({
      ns: key.slice(1, key.indexOf('}')),
      name: key.slice(key.indexOf('}') + 1),
    }));
  }

  /** All global named types, in declaration order. */
  globalTypes(): QName[] {
    return [...this.#complexTypes.keys(), ...this.#simpleTypes.keys()].map((key) => ({
      ns: key.slice(1, key.indexOf('}')),
      name: key.slice(key.indexOf('}') + 1),
    }));
  }

  /** A global element as a root: its name, namespace and (built) type. */
  rootElement(q: QName, where: string): RootElement {
    const declaration = this.#elements.get(qkey(q));
    if (!declaration)
      throw new ContractError(
        `${where}: element ${q.name} in namespace "${q.ns}" is not declared by any loaded schema`,
      );
    return {
      name: q.name,
      ns: q.ns,
      type: this.#elementType(declaration.node, declaration.schema, typeName(q.name), false),
      nillable: attr(declaration.node, 'nillable') === 'true',
      ...optional('aliases', aliasesOf(declaration.node)),
    };
  }

  /** A complex type the WSDL implies (an rpc/literal wrapper): returns its allocated name. */
  addWrapperType(preferredName: string, elements: ElementMeta[]): string {
    const name = this.#names.allocate(typeName(preferredName));
    this.#register(
      { name, meta: { kind: 'complex', elements }, inheritedElements: 0, inheritedAttributes: 0, propDocs: {} },
      undefined,
    );
    return name;
  }

  /** The type reference ("xs:int" or a model type name) of a named XSD type, built on demand. */
  typeRef(q: QName, source: string): string {
    // soapenc:string, soapenc:int...: the XSD types again, for SOAP encoding's nillable accessors.
    if (q.ns === NS.xs || isSoapEncoding(q.ns)) return `xs:${builtinLeaf(q.name)}`;
    const key = qkey(q);
    const built = this.#built.get(key);
    if (built) return built;
    const complex = this.#complexTypes.get(key);
    if (complex) return this.#buildComplex(complex.node, complex.schema, this.#globalNames.get(key) as string, q, key);
    const simple = this.#simpleTypes.get(key);
    if (simple) return this.#buildSimple(simple.node, simple.schema, this.#globalNames.get(key) as string, key, q);
    throw new ContractError(`${source}: type ${q.name} in namespace "${q.ns}" is not declared by any loaded schema`);
  }

  #register(type: ModelType, key: string | undefined): void {
    this.types.set(type.name, type);
    if (key) this.#built.set(key, type.name);
  }

  // ---- simple types ----

  #buildSimple(node: XmlElement, schema: LoadedSchema, name: string, key: string | undefined, qname?: QName): string {
    const model: ModelType = {
      name,
      meta: { kind: 'simple', base: 'string' },
      inheritedElements: 0,
      inheritedAttributes: 0,
      propDocs: {},
      ...optional('doc', documentation(node)),
      ...optional('qname', qname && { ns: qname.ns, name: qname.name }),
    };
    this.#register(model, key);
    const { meta, enumDocs } = this.#simpleMeta(node, schema);
    model.meta = meta;
    if (enumDocs && Object.keys(enumDocs).length > 0) model.enumDocs = enumDocs;
    return name;
  }

  #simpleMeta(node: XmlElement, schema: LoadedSchema): { meta: SimpleTypeMeta; enumDocs?: Record<string, string> } {
    const source = schema.source;
    const restriction = child(node, NS.xs, 'restriction');
    if (restriction) {
      const baseAttr = attr(restriction, 'base');
      let base: SimpleTypeMeta;
      if (baseAttr) base = this.#simpleBase(resolveQName(restriction, baseAttr, source), source);
      else {
        const inline = child(restriction, NS.xs, 'simpleType');
        base = inline ? this.#simpleMeta(inline, schema).meta : { kind: 'simple', base: 'string' };
      }
      const facets = restrictionFacets(restriction, base.facets);
      const withFacets = (meta: SimpleTypeMeta): SimpleTypeMeta => (facets ? { ...meta, facets } : meta);
      const enumerations = children(restriction, NS.xs, 'enumeration');
      if (enumerations.length === 0) return { meta: withFacets(base) };
      const enumDocs: Record<string, string> = {};
      const values = enumerations.map((e) => {
        const value = attr(e, 'value') ?? '';
        const doc = documentation(e);
        if (doc) enumDocs[value] = doc;
        return value;
      });
      return {
        meta: withFacets({ kind: 'simple', base: base.base, enum: values, ...(base.list ? { list: true } : {}) }),
        enumDocs,
      };
    }
    const list = child(node, NS.xs, 'list');
    if (list) {
      const itemType = attr(list, 'itemType');
      const inline = child(list, NS.xs, 'simpleType');
      const item = itemType
        ? this.#simpleBase(resolveQName(list, itemType, source), source)
        : inline
          ? this.#simpleMeta(inline, schema).meta
          : ({ kind: 'simple', base: 'string' } as SimpleTypeMeta);
      return { meta: { kind: 'simple', base: item.base, list: true, ...(item.enum ? { enum: item.enum } : {}) } };
    }
    // xs:union and anything else: the lexical space is at least a string.
    return { meta: { kind: 'simple', base: 'string' } };
  }

  /** The simple meta behind a named simple type (leaf kind, enum), without registering anything. */
  #simpleBase(q: QName, source: string): SimpleTypeMeta {
    if (q.ns === NS.xs) return { kind: 'simple', base: builtinLeaf(q.name) };
    const key = qkey(q);
    const known = this.#simpleMetas.get(key);
    if (known) return known;
    const declaration = this.#simpleTypes.get(key);
    if (!declaration) {
      if (this.#complexTypes.has(key)) return { kind: 'simple', base: 'string' };
      throw new ContractError(`${source}: simple type ${q.name} in namespace "${q.ns}" is not declared`);
    }
    // The restriction chain is resolved from its far end, so any depth costs no stack.
    const chain = this.#restrictionChain(key, declaration);
    for (let i = chain.length - 1; i >= 0; i--) {
      const [chainKey, chainDeclaration] = chain[i] as [string, Declaration];
      this.#simpleMetas.set(chainKey, this.#simpleMeta(chainDeclaration.node, chainDeclaration.schema).meta);
    }
    return this.#simpleMetas.get(key) as SimpleTypeMeta;
  }

  /** Named simple types from `key` down its restriction bases, up to one already resolved. */
  #restrictionChain(key: string, declaration: Declaration): [string, Declaration][] {
    const chain: [string, Declaration][] = [];
    const onChain = new Set<string>();
    let current: [string, Declaration] | undefined = [key, declaration];
    while (current) {
      const [currentKey, currentDeclaration] = current;
      if (onChain.has(currentKey)) {
        const name = key.slice(key.indexOf('}') + 1);
        throw new ContractError(`${declaration.schema.source}: simple type ${name} derives from itself`);
      }
      onChain.add(currentKey);
      chain.push(current);
      const restriction = child(currentDeclaration.node, NS.xs, 'restriction');
      const base = restriction && attr(restriction, 'base');
      if (!restriction || !base) break;
      const baseKey = qkey(resolveQName(restriction, base, currentDeclaration.schema.source));
      const baseDeclaration = this.#simpleTypes.get(baseKey);
      current = baseDeclaration && !this.#simpleMetas.has(baseKey) ? [baseKey, baseDeclaration] : undefined;
    }
    return chain;
  }

  // ---- complex types ----

  #buildComplex(
    node: XmlElement,
    schema: LoadedSchema,
    name: string,
    qname: QName | undefined,
    key: string | undefined,
    element?: XmlElement,
  ): string {
    const meta: ComplexMetaDraft = { kind: 'complex', elements: [], attributes: [], choices: [] };
    if (qname) meta.qname = { ns: qname.ns, name: qname.name };
    const model: ModelType = {
      name,
      meta: meta as ComplexTypeMeta,
      inheritedElements: 0,
      inheritedAttributes: 0,
      propDocs: {},
      ...optional('doc', documentation(node)),
      ...(attr(node, 'abstract') === 'true' ? { abstract: true } : {}),
    };
    this.#register(model, key);
    this.#fill(name, element, () => this.#complexContentOf(node, schema, name, meta, model));
    return name;
  }

  /** Fills a registered complex type: now, or (past MAX_NESTING) once the stack has unwound. */
  #fill(name: string, element: XmlElement | undefined, fill: () => void): void {
    const ancestry = element ? { element, name, parent: this.#ancestry } : this.#ancestry;
    const run = (): void => {
      const saved = this.#ancestry;
      this.#ancestry = ancestry;
      this.#nesting++;
      try {
        fill();
      } finally {
        this.#nesting--;
        this.#ancestry = saved;
      }
    };
    if (this.#nesting >= MAX_NESTING) {
      this.#pending.set(name, run);
      return;
    }
    run();
    if (this.#nesting > 0) return;
    for (let next = this.#pending.entries().next(); !next.done; next = this.#pending.entries().next()) {
      this.#pending.delete(next.value[0]);
      next.value[1]();
    }
  }

  /** Makes sure a queued type is filled (a derived type copies its base's content). */
  #complete(name: string): void {
    const fill = this.#pending.get(name);
    if (!fill) return;
    this.#pending.delete(name);
    fill();
  }

  /** The type of the nearest enclosing copy of `element`'s anonymous type, if it is one. */
  #enclosing(element: XmlElement): string | undefined {
    for (let a = this.#ancestry; a; a = a.parent) if (a.element === element) return a.name;
    return undefined;
  }

  #complexContentOf(
    node: XmlElement,
    schema: LoadedSchema,
    name: string,
    meta: ComplexMetaDraft,
    model: ModelType,
  ): void {
    const props = new Set<string>();
    const context: ContentContext = { schema, typeName: name, meta, model, props };
    if (attr(node, 'mixed') === 'true') meta.any = true;
    for (const part of node.children) {
      if (part.ns !== NS.xs) continue;
      switch (part.local) {
        case 'sequence':
        case 'all':
        case 'choice':
        case 'group':
          this.#particles(part, context, { optional: false, repeated: false, choice: undefined });
          break;
        case 'attribute':
        case 'attributeGroup':
          this.#attribute(part, context);
          break;
        case 'complexContent':
          this.#complexContent(part, context);
          break;
        case 'simpleContent':
          this.#simpleContent(part, context);
          break;
        case 'any':
          meta.any = true;
          break;
      }
    }
    if (meta.attributes.length === 0) delete (meta as { attributes?: unknown }).attributes;
    if (meta.choices.length === 0) delete (meta as { choices?: unknown }).choices;
  }

  #complexContent(node: XmlElement, context: ContentContext): void {
    const derivation = child(node, NS.xs, 'extension') ?? child(node, NS.xs, 'restriction');
    if (!derivation) return;
    const baseAttr = attr(derivation, 'base');
    const isExtension = derivation.local === 'extension';
    if (baseAttr) {
      const q = resolveQName(derivation, baseAttr, context.schema.source);
      if (!(q.ns === NS.xs && q.name === 'anyType')) {
        const baseName = this.typeRef(q, context.schema.source);
        this.#complete(baseName);
        const base = this.types.get(baseName);
        if (base?.meta.kind === 'complex') {
          const baseMeta = base.meta;
          // A restriction restates its content; attributes carry over unless restated.
          if (isExtension) {
            for (const element of baseMeta.elements) {
              context.meta.elements.push(element);
              context.props.add(element.prop!);
            }
            context.model.inheritedElements = baseMeta.elements.length;
            for (const [prop, doc] of Object.entries(base.propDocs)) context.model.propDocs[prop] ??= doc;
            if (baseMeta.choices) context.meta.choices.push(...baseMeta.choices);
            if (baseMeta.any) context.meta.any = true;
            if (baseMeta.text) context.meta.text = baseMeta.text;
            context.model.base = baseName;
            this.#addDerived(baseName, context.typeName);
          }
          for (const attribute of baseMeta.attributes ?? []) {
            context.meta.attributes.push(attribute);
            context.props.add(attribute.prop!);
          }
          context.model.inheritedAttributes = context.meta.attributes.length;
        } else if (base?.meta.kind === 'simple' || baseName.startsWith('xs:')) {
          // complexContent over a simple type (seen in the wild, meant as simpleContent): the text.
          context.meta.text = baseName;
        }
      }
    }
    for (const part of derivation.children) {
      if (part.ns !== NS.xs) continue;
      if (['sequence', 'all', 'choice', 'group'].includes(part.local)) {
        this.#particles(part, context, { optional: false, repeated: false, choice: undefined });
      } else if (part.local === 'attribute' || part.local === 'attributeGroup') {
        this.#attribute(part, context);
      } else if (part.local === 'any') context.meta.any = true;
    }
  }

  /** Records `derived` (and, through the chain, every ancestor) for xsi:type dispatch. */
  #addDerived(baseName: string, derivedName: string): void {
    let current: string | undefined = baseName;
    while (current) {
      const base = this.types.get(current);
      if (base?.meta.kind !== 'complex') return;
      const meta = base.meta as { derived?: string[] };
      meta.derived ??= [];
      if (!meta.derived.includes(derivedName)) meta.derived.push(derivedName);
      current = base.base;
    }
  }

  #simpleContent(node: XmlElement, context: ContentContext): void {
    const derivation = child(node, NS.xs, 'extension') ?? child(node, NS.xs, 'restriction');
    if (!derivation) return;
    const baseAttr = attr(derivation, 'base');
    if (baseAttr) {
      const q = resolveQName(derivation, baseAttr, context.schema.source);
      const baseRef = this.typeRef(q, context.schema.source);
      this.#complete(baseRef);
      const base = this.types.get(baseRef);
      if (base?.meta.kind === 'complex') {
        context.meta.text = base.meta.text ?? 'xs:string';
        for (const attribute of base.meta.attributes ?? []) {
          context.meta.attributes.push(attribute);
          context.props.add(attribute.prop!);
        }
        context.model.inheritedAttributes = context.meta.attributes.length;
      } else {
        context.meta.text = baseRef;
      }
    } else {
      context.meta.text = 'xs:string';
    }
    const inlineSimple = child(derivation, NS.xs, 'simpleType');
    if (inlineSimple || children(derivation, NS.xs, 'enumeration').length > 0) {
      const name = this.#names.allocate(`${context.typeName}Value`);
      const model: ModelType = {
        name,
        meta: { kind: 'simple', base: 'string' },
        inheritedElements: 0,
        inheritedAttributes: 0,
        propDocs: {},
      };
      this.#register(model, undefined);
      model.meta = this.#simpleMeta(
        { ...node, children: [{ ...derivation, local: 'restriction' }] } as XmlElement,
        context.schema,
      ).meta;
      context.meta.text = name;
    }
    for (const part of derivation.children) {
      if (part.ns === NS.xs && (part.local === 'attribute' || part.local === 'attributeGroup'))
        this.#attribute(part, context);
    }
  }

  #particles(node: XmlElement, context: ContentContext, mode: ParticleMode): void {
    const min = occurs(node, 'minOccurs');
    const max = occurs(node, 'maxOccurs');
    const optional = mode.optional || min === 0;
    const repeated = mode.repeated || max === -1 || max > 1;
    if (isXs(node, 'group')) {
      const ref = attr(node, 'ref');
      if (!ref) return;
      const q = resolveQName(node, ref, context.schema.source);
      const group = this.#groups.get(qkey(q));
      if (!group) throw new ContractError(`${context.schema.source}: group ${q.name} is not declared`);
      for (const inner of group.node.children) {
        if (inner.ns === NS.xs && ['sequence', 'all', 'choice'].includes(inner.local)) {
          this.#particles(inner, { ...context, schema: group.schema }, { optional, repeated, choice: mode.choice });
        }
      }
      return;
    }
    if (isXs(node, 'choice') && !repeated) {
      // An exclusive choice: direct element members share a choice index.
      const index = context.meta.choices.length;
      context.meta.choices.push({ required: !optional && mode.choice === undefined });
      for (const part of node.children) {
        if (part.ns !== NS.xs) continue;
        if (part.local === 'element')
          this.#elementParticle(part, context, { optional: true, repeated: false, choice: index });
        else if (part.local === 'any') context.meta.any = true;
        else if (['sequence', 'choice', 'group', 'all'].includes(part.local)) {
          this.#particles(part, context, { optional: true, repeated: false, choice: undefined });
        }
      }
      return;
    }
    // sequence, all, or a repeated choice (members become optional arrays).
    const memberMode: ParticleMode = {
      optional: optional || isXs(node, 'choice'),
      repeated,
      choice: mode.choice,
    };
    for (const part of node.children) {
      if (part.ns !== NS.xs) continue;
      if (part.local === 'element') this.#elementParticle(part, context, memberMode);
      else if (part.local === 'any') context.meta.any = true;
      else if (['sequence', 'choice', 'group', 'all'].includes(part.local)) this.#particles(part, context, memberMode);
    }
  }

  #elementParticle(node: XmlElement, context: ContentContext, mode: ParticleMode): void {
    const source = context.schema.source;
    let name: string;
    let ns: string;
    let declaration: Declaration;
    const ref = attr(node, 'ref');
    if (ref) {
      const q = resolveQName(node, ref, source);
      if (q.ns === NS.xs && q.name === 'schema') {
        this.#inlineSchemaMember(node, context, mode);
        return;
      }
      const global = this.#elements.get(qkey(q));
      if (!global) throw new ContractError(`${source}: element ${q.name} in namespace "${q.ns}" is not declared`);
      name = q.name;
      ns = q.ns;
      declaration = global;
    } else {
      name = attr(node, 'name') ?? '';
      if (!name) return;
      const form = attr(node, 'form');
      const qualified = form ? form === 'qualified' : context.schema.elementQualified;
      ns = qualified ? context.schema.targetNamespace : '';
      declaration = { node, schema: context.schema };
    }
    let min = occurs(node, 'minOccurs');
    let max = occurs(node, 'maxOccurs');
    if (mode.optional) min = 0;
    if (mode.repeated) max = -1;
    const nillable = attr(declaration.node, 'nillable') === 'true';
    const prop = allocateProp(context.props, name);
    const doc = documentation(node) ?? (ref ? documentation(declaration.node) : undefined);
    if (doc) context.model.propDocs[prop] = doc;
    const element: {
      -readonly [K in keyof ElementMeta]: ElementMeta[K];
    } = { prop, name, ns, type: 'xs:anyType', min, max };
    if (nillable) element.nillable = true;
    const aliases = aliasesOf(node) ?? (ref ? aliasesOf(declaration.node) : undefined);
    if (aliases) element.aliases = aliases;
    if (mode.choice !== undefined) element.choice = mode.choice;
    const wrapper = max === 1 ? this.#arrayWrapper(declaration) : undefined;
    if (wrapper) {
      element.type = wrapper.type;
      element.item = {
        name: wrapper.name,
        ns: wrapper.ns,
        ...(wrapper.nillable ? { nillable: true } : {}),
        ...optional('aliases', wrapper.aliases),
        ...(wrapper.encoded ? { encoded: true } : {}),
      };
    } else {
      element.type = this.#elementType(
        declaration.node,
        declaration.schema,
        nestedTypeName(context.typeName, name),
        true,
      );
    }
    context.meta.elements.push(element);
  }

  /**
   * `ref="xs:schema"` (a .NET DataSet: the data's own schema, then xs:any for the data): the XSD
   * namespace declares no such element for us to read, so the member is raw XML (AnyXml).
   */
  #inlineSchemaMember(node: XmlElement, context: ContentContext, mode: ParticleMode): void {
    const element: { -readonly [K in keyof ElementMeta]: ElementMeta[K] } = {
      prop: allocateProp(context.props, 'schema'),
      name: 'schema',
      ns: NS.xs,
      type: 'xs:anyType',
      min: mode.optional ? 0 : occurs(node, 'minOccurs'),
      max: mode.repeated ? -1 : occurs(node, 'maxOccurs'),
    };
    if (mode.choice !== undefined) element.choice = mode.choice;
    context.meta.elements.push(element);
  }

  /** The type reference of an element declaration: its type attribute, inline type, or anyType. */
  #elementType(node: XmlElement, schema: LoadedSchema, anonymousName: string, nested: boolean): string {
    const type = attr(node, 'type');
    if (type) return this.typeRef(resolveQName(node, type, schema.source), schema.source);
    const complex = child(node, NS.xs, 'complexType');
    if (complex) {
      const key = nested ? undefined : `element:${schema.targetNamespace}:${attr(node, 'name')}`;
      const built = key ? this.#built.get(key) : undefined;
      if (built) return built;
      // A global element referenced inside its own content: the enclosing copy, not another one.
      const global = this.#globalElementNodes.has(node) ? node : undefined;
      const enclosing = global && this.#enclosing(global);
      if (enclosing) return enclosing;
      return this.#buildComplex(
        complex,
        schema,
        this.#names.allocate(typeName(anonymousName), [`${typeName(anonymousName)}Element`]),
        undefined,
        key,
        global,
      );
    }
    const simple = child(node, NS.xs, 'simpleType');
    if (simple) return this.#buildSimple(simple, schema, this.#names.allocate(typeName(anonymousName)), undefined);
    return 'xs:anyType';
  }

  /**
   * .NET-style array wrappers (`ArrayOfInt`: one repeated element, nothing else) are unwrapped:
   * the property is the array of items. Returns the item's name, namespace and type.
   */
  #arrayWrapper(
    declaration: Declaration,
  ): { name: string; ns: string; type: string; nillable: boolean; aliases?: string[]; encoded?: boolean } | undefined {
    const encoded = this.#encodedArray(declaration);
    if (encoded) return encoded;
    const { node, schema } = declaration;
    let complex = child(node, NS.xs, 'complexType');
    let complexSchema = schema;
    const type = attr(node, 'type');
    if (type) {
      const q = resolveQName(node, type, schema.source);
      const named = this.#complexTypes.get(qkey(q));
      if (!named) return undefined;
      complex = named.node;
      complexSchema = named.schema;
    }
    if (!complex || attr(complex, 'mixed') === 'true') return undefined;
    const parts = complex.children.filter((c) => c.ns === NS.xs && c.local !== 'annotation');
    if (parts.length !== 1 || !isXs(parts[0] as XmlElement, 'sequence')) return undefined;
    const sequence = parts[0] as XmlElement;
    if (occurs(sequence, 'maxOccurs') !== 1) return undefined;
    const items = sequence.children.filter((c) => c.ns === NS.xs && c.local !== 'annotation');
    if (items.length !== 1 || !isXs(items[0] as XmlElement, 'element')) return undefined;
    const item = items[0] as XmlElement;
    const max = occurs(item, 'maxOccurs');
    if (max === 1 || max === 0) return undefined;
    let itemName = attr(item, 'name');
    let itemNs: string;
    let itemDeclaration: Declaration = { node: item, schema: complexSchema };
    const ref = attr(item, 'ref');
    if (ref) {
      const q = resolveQName(item, ref, complexSchema.source);
      const global = this.#elements.get(qkey(q));
      if (!global) return undefined;
      itemName = q.name;
      itemNs = q.ns;
      itemDeclaration = global;
    } else {
      if (!itemName) return undefined;
      const form = attr(item, 'form');
      itemNs = (form ? form === 'qualified' : complexSchema.elementQualified) ? complexSchema.targetNamespace : '';
    }
    const itemType = this.#elementType(itemDeclaration.node, itemDeclaration.schema, pascalCase(itemName), true);
    return {
      name: itemName,
      ns: itemNs,
      type: itemType,
      nillable: attr(itemDeclaration.node, 'nillable') === 'true',
      ...optional('aliases', aliasesOf(item) ?? aliasesOf(itemDeclaration.node)),
    };
  }

  /** The item of a SOAP-encoded array (soapenc:Array) that an element or a message part is. */
  soapArrayOf(
    q: QName,
    source: string,
  ): { name: string; ns: string; type: string; nillable: boolean; encoded: true } | undefined {
    if (isSoapEncoding(q.ns)) return q.name === 'Array' ? encodedItem('xs:anyType', false) : undefined;
    const named = this.#complexTypes.get(qkey(q));
    if (!named) return undefined;
    return this.#encodedArrayOf(named.node, named.schema, typeName(`${q.name}Item`), source);
  }

  #encodedArray(declaration: Declaration): ReturnType<SchemaModel['soapArrayOf']> {
    const { node, schema } = declaration;
    const type = attr(node, 'type');
    if (type) return this.soapArrayOf(resolveQName(node, type, schema.source), schema.source);
    const complex = child(node, NS.xs, 'complexType');
    return complex
      ? this.#encodedArrayOf(complex, schema, typeName(`${attr(node, 'name') ?? ''}Item`), schema.source)
      : undefined;
  }

  #encodedArrayOf(
    complex: XmlElement,
    schema: LoadedSchema,
    anonymousName: string,
    where: string,
  ): ReturnType<SchemaModel['soapArrayOf']> {
    const item = soapArrayItem(complex, schema.source);
    if (!item) return undefined;
    if (item.kind === 'any') return encodedItem('xs:anyType', false);
    if (item.kind === 'element') {
      const type = this.#elementType(item.node, schema, anonymousName, true);
      return encodedItem(type, attr(item.node, 'nillable') === 'true');
    }
    const nested = this.#complexTypes.get(qkey(item.type));
    if (
      (isSoapEncoding(item.type.ns) && item.type.name === 'Array') ||
      (nested && soapArrayItem(nested.node, nested.schema.source))
    )
      throw new ContractError(`${where}: an array of arrays (items of type ${item.type.name}) is not supported`);
    return encodedItem(this.typeRef(item.type, schema.source), false);
  }

  #attribute(node: XmlElement, context: ContentContext): void {
    const source = context.schema.source;
    if (node.local === 'attributeGroup') {
      const ref = attr(node, 'ref');
      if (!ref) return;
      const group = this.#attributeGroups.get(qkey(resolveQName(node, ref, source)));
      if (!group) throw new ContractError(`${source}: attributeGroup ${ref} is not declared`);
      for (const inner of group.node.children) {
        if (inner.ns === NS.xs && (inner.local === 'attribute' || inner.local === 'attributeGroup')) {
          this.#attribute(inner, { ...context, schema: group.schema });
        }
      }
      return;
    }
    if (attr(node, 'use') === 'prohibited') return;
    let name: string;
    let ns: string;
    let declaration: Declaration = { node, schema: context.schema };
    const ref = attr(node, 'ref');
    if (ref) {
      const q = resolveQName(node, ref, source);
      name = q.name;
      ns = q.ns;
      const global = this.#attributes.get(qkey(q));
      if (global) declaration = global;
    } else {
      name = attr(node, 'name') ?? '';
      if (!name) return;
      const form = attr(node, 'form');
      ns = (form ? form === 'qualified' : context.schema.attributeQualified) ? context.schema.targetNamespace : '';
    }
    // An attribute restated by a derived type replaces the inherited one (same property name).
    const existing = context.meta.attributes.findIndex((a) => a.name === name && a.ns === ns);
    const restatedProp = existing === -1 ? undefined : context.meta.attributes[existing]?.prop;
    if (existing !== -1) context.meta.attributes.splice(existing, 1);
    let type = 'xs:string';
    const typeAttr = attr(declaration.node, 'type');
    const inline = child(declaration.node, NS.xs, 'simpleType');
    if (typeAttr) {
      const q = resolveQName(declaration.node, typeAttr, declaration.schema.source);
      type =
        q.ns === NS.xs && builtinLeaf(q.name) === 'anyType' ? 'xs:string' : this.typeRef(q, declaration.schema.source);
    } else if (inline) {
      type = this.#buildSimple(
        inline,
        declaration.schema,
        this.#names.allocate(nestedTypeName(context.typeName, name)),
        undefined,
      );
    }
    const prop = restatedProp ?? allocateProp(context.props, name, 'Attr');
    const doc = documentation(node);
    if (doc) context.model.propDocs[prop] = doc;
    context.meta.attributes.push({ prop, name, ns, type, required: attr(node, 'use') === 'required' });
  }

  /** Every loaded schema's target namespace (for diagnostics). */
  namespaces(): string[] {
    return [...new Set(this.#schemas.map((s) => s.targetNamespace))];
  }
}

const NUMERIC_FACETS = ['length', 'minLength', 'maxLength', 'totalDigits', 'fractionDigits'] as const;
const BOUND_FACETS = ['minInclusive', 'maxInclusive', 'minExclusive', 'maxExclusive'] as const;

/**
 * The constraining facets of a restriction, over those of its base (a derived type may only
 * narrow them). Patterns XSD and JavaScript read differently (\i, \c, class subtraction) are
 * left out rather than enforced wrongly.
 */
function restrictionFacets(restriction: XmlElement, inherited: Facets | undefined): Facets | undefined {
  const facets: { -readonly [K in keyof Facets]: Facets[K] } = { ...inherited };
  for (const name of NUMERIC_FACETS) {
    const value = child(restriction, NS.xs, name);
    if (value) facets[name] = Number.parseInt(attr(value, 'value') ?? '', 10);
  }
  for (const name of BOUND_FACETS) {
    const value = child(restriction, NS.xs, name);
    if (value) facets[name] = attr(value, 'value') ?? '';
  }
  const patterns = children(restriction, NS.xs, 'pattern')
    .map((p) => attr(p, 'value') ?? '')
    .filter((p) => !/\\[iIcC]|-\[/.test(p))
    .map((p) => `^(?:${p})$`)
    .filter((source) => {
      try {
        new RegExp(source, 'u');
        return true;
      } catch {
        return false;
      }
    });
  // Several patterns in one step are alternatives; patterns of different steps all apply.
  if (patterns.length > 0)
    facets.patterns = [
      ...(inherited?.patterns ?? []),
      patterns.length === 1 ? (patterns[0] as string) : `^(?:${patterns.map((p) => p.slice(4, -2)).join('|')})$`,
    ];
  return Object.keys(facets).length > 0 ? facets : undefined;
}

/** Nested builds before the rest is queued: far below any stack limit, far above real contracts. */
const MAX_NESTING = 200;

interface Ancestry {
  readonly element: XmlElement;
  readonly name: string;
  readonly parent: Ancestry | undefined;
}

interface ComplexMetaDraft {
  kind: 'complex';
  qname?: QName;
  elements: ElementMeta[];
  attributes: AttributeMeta[];
  text?: string;
  choices: { required: boolean }[];
  any?: boolean;
  derived?: string[];
}

interface ContentContext {
  schema: LoadedSchema;
  typeName: string;
  meta: {
    elements: ElementMeta[];
    attributes: AttributeMeta[];
    text?: string;
    choices: { required: boolean }[];
    any?: boolean;
  };
  model: ModelType;
  props: Set<string>;
}

interface ParticleMode {
  optional: boolean;
  repeated: boolean;
  choice: number | undefined;
}

/** Longest name an anonymous type takes from its parents; past it (deep nesting), its own name. */
const MAX_NESTED_NAME = 80;

/** The preferred name of an anonymous type: its parent's name and its own. */
function nestedTypeName(parent: string, name: string): string {
  const joined = `${parent}${pascalCase(name)}`;
  return joined.length > MAX_NESTED_NAME ? pascalCase(name) : joined;
}

function allocateProp(props: Set<string>, name: string, suffix = ''): string {
  let prop = props.has(name) && suffix ? `${name}${suffix}` : name;
  for (let n = 2; props.has(prop); n++) prop = `${name}${suffix}${n}`;
  props.add(prop);
  return prop;
}

/** SOAP encoding writes items as <item>, unqualified, and reads them whatever their names. */
function encodedItem(type: string, nillable: boolean) {
  return { name: 'item', ns: '', type, nillable, encoded: true as const };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}
