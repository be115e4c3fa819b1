/**
 * The defaults of the serde metadata (documented on ElementMeta, AttributeMeta and OperationMeta
 * in schema.ts): generated metadata omits fields equal to them, and the codec reads every type
 * through `withMetaDefaults`, once per type, so no other code sees an omitted field.
 */
import type { AttributeMeta, ComplexTypeMeta, ElementMeta, SimpleTypeMeta, TypeMeta } from '../schema.js';

/** An element with every default applied. */
export interface FullElementMeta extends ElementMeta {
  /** The TypeScript property name (`name` when omitted). */
  readonly prop: string;
  /** Namespace URI ('' when omitted: unqualified). */
  readonly ns: string;
  /** minOccurs (1 when omitted). */
  readonly min: number;
  /** maxOccurs, -1 for unbounded (1 when omitted). */
  readonly max: number;
  /** The array wrapper's item, its namespace applied ('' when omitted). */
  readonly item?: NonNullable<ElementMeta['item']> & { readonly ns: string };
}

/** An attribute with every default applied. */
export interface FullAttributeMeta extends AttributeMeta {
  /** The TypeScript property name (`name` when omitted). */
  readonly prop: string;
  /** Namespace URI ('' when omitted: unqualified). */
  readonly ns: string;
  /** use="required" (false when omitted). */
  readonly required: boolean;
}

/** A complex type whose elements and attributes have every default applied. */
export interface FullComplexTypeMeta extends ComplexTypeMeta {
  /** Elements in document order, defaults applied. */
  readonly elements: readonly FullElementMeta[];
  /** Attributes, defaults applied. */
  readonly attributes?: readonly FullAttributeMeta[];
}

/** A type's metadata with every default applied (see withMetaDefaults). */
export type FullTypeMeta = SimpleTypeMeta | FullComplexTypeMeta;

/**
 * A type's metadata with every omitted field set to its default: what code reading generated
 * metadata (the codec, or a package walking its schema) should read.
 */
export function withMetaDefaults(meta: TypeMeta): FullTypeMeta {
  if (meta.kind === 'simple') return meta;
  const { attributes, ...rest } = meta;
  return {
    ...rest,
    elements: meta.elements.map(elementWithDefaults),
    ...(attributes ? { attributes: attributes.map(attributeWithDefaults) } : {}),
  };
}

/** An element's metadata with every default applied. */
export function elementWithDefaults(element: ElementMeta): FullElementMeta {
  const { item, ...rest } = element;
  return {
    ...rest,
    prop: element.prop ?? element.name,
    ns: element.ns ?? '',
    min: element.min ?? 1,
    max: element.max ?? 1,
    ...(item ? { item: { ...item, ns: item.ns ?? '' } } : {}),
  };
}

function attributeWithDefaults(attribute: AttributeMeta): FullAttributeMeta {
  return {
    ...attribute,
    prop: attribute.prop ?? attribute.name,
    ns: attribute.ns ?? '',
    required: attribute.required ?? false,
  };
}
