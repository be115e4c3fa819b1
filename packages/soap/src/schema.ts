/**
 * The serde metadata format. `@kz/codegen` emits it (src/generated/schema.ts of each package);
 * the encoder and decoder read it. It is the only thing the runtime knows about a service.
 *
 * Lossless mapping of XSD leaf types to TypeScript (docs/ARCHITECTURE.md, "Type mapping"):
 * - int, short, byte, unsignedInt/Short/Byte, float, double -> number (exact in a double)
 * - long, integer and its other derivations, decimal      -> string (exact digits, validated)
 * - dateTime, date, time, duration, gYear...               -> string (lexical form kept, offset included)
 * - boolean                                                 -> boolean
 * - base64Binary, hexBinary                                 -> Uint8Array
 * - anyType (element content)                               -> AnyXml (the raw XML fragment)
 * - every other simple type                                 -> string
 */

/** The XSD built-in type a simple type is based on (its `xs:` local name); the list above says its TypeScript type. */
export type LeafKind =
  | 'string'
  | 'boolean'
  | 'int'
  | 'unsignedInt'
  | 'short'
  | 'unsignedShort'
  | 'byte'
  | 'unsignedByte'
  | 'long'
  | 'unsignedLong'
  | 'integer'
  | 'nonNegativeInteger'
  | 'positiveInteger'
  | 'nonPositiveInteger'
  | 'negativeInteger'
  | 'decimal'
  | 'float'
  | 'double'
  | 'dateTime'
  | 'date'
  | 'time'
  | 'base64Binary'
  | 'hexBinary'
  | 'anyType';

/**
 * XSD constraining facets, checked on values before they are sent (not on decoding: a service
 * that breaks its own pattern should not make its answer unreadable).
 */
export interface Facets {
  /** JavaScript regular expression sources (XSD patterns, anchored); a value must match all. */
  readonly patterns?: readonly string[];
  /** Exact length: characters (Unicode code points) of the text, bytes for base64Binary and hexBinary. */
  readonly length?: number;
  /** Least length, counted as for `length`. */
  readonly minLength?: number;
  /** Greatest length, counted as for `length`. */
  readonly maxLength?: number;
  /** Bounds as lexical values of the base type. */
  readonly minInclusive?: string;
  /** Largest value allowed (lexical, compared as numbers for numeric kinds). */
  readonly maxInclusive?: string;
  /** The value must be greater than this (lexical, compared as numbers for numeric kinds). */
  readonly minExclusive?: string;
  /** The value must be less than this (lexical, compared as numbers for numeric kinds). */
  readonly maxExclusive?: string;
  /** Most significant digits (leading zeros and trailing fraction zeros not counted). */
  readonly totalDigits?: number;
  /** Most digits after the decimal point (trailing zeros not counted). */
  readonly fractionDigits?: number;
}

/** A simple type: a leaf kind, optionally restricted to an enumeration and by facets. */
export interface SimpleTypeMeta {
  /** Tells a simple type from a complex one in `TypeMeta`. */
  readonly kind: 'simple';
  /** The built-in type the value is parsed and formatted as. */
  readonly base: LeafKind;
  /**
   * The allowed lexical values (xs:enumeration). A value outside it is refused when encoding; in a
   * response it is kept and reported (hooks.onUnknown), or refused when `strict`.
   */
  readonly enum?: readonly string[];
  /** xs:list of the base type: a whitespace-separated list, an array in TypeScript. */
  readonly list?: boolean;
  /** Restrictions checked before a value is sent (each item's, for a list). */
  readonly facets?: Facets;
}

/**
 * An element particle of a complex type, in schema order. Generated metadata omits the fields
 * that equal their defaults; the codec applies them (`withMetaDefaults`, codec/defaults.ts).
 */
export interface ElementMeta {
  /** The TypeScript property name. Default: `name`. */
  readonly prop?: string;
  /** The XML local name. */
  readonly name: string;
  /** Namespace URI; '' (the default) when the element is unqualified. */
  readonly ns?: string;
  /** A leaf kind prefixed with "xs:" or the name of a type in the schema's `types`. */
  readonly type: string;
  /** minOccurs. Default: 1. */
  readonly min?: number;
  /** maxOccurs, -1 for unbounded. Default: 1. */
  readonly max?: number;
  /** nillable="true": `null` is written as xsi:nil="true" and read back as null. Default: false. */
  readonly nillable?: boolean;
  /**
   * Set when the element's type is an array wrapper (.NET `ArrayOfX`): the TypeScript value is the
   * array of items, the XML is `<name><item/><item/></name>`. `type` describes the items, `nillable`
   * the wrapper element itself, `item.nillable` the items.
   */
  readonly item?: {
    readonly name: string;
    /** Default: ''. */
    readonly ns?: string;
    readonly nillable?: boolean;
    /** Other local names (same namespace) read as items too; see `aliases`. */
    readonly aliases?: readonly string[];
    /**
     * A SOAP-encoded array (soapenc:Array with an arrayType): written with the array's
     * arrayType (SOAP 1.1) or itemType and arraySize (SOAP 1.2), its items read whatever their names.
     */
    readonly encoded?: boolean;
  };
  /**
   * Other local names (same namespace) read as this element, never written: names the source
   * documents make plausible besides the spec's own (`kz:alsoAccept` in the spec).
   */
  readonly aliases?: readonly string[];
  /** Index of the xs:choice this element belongs to (see ComplexTypeMeta.choices). */
  readonly choice?: number;
}

/** An attribute of a complex type; omitted fields take their defaults (as for ElementMeta). */
export interface AttributeMeta {
  /** The TypeScript property name. Default: `name`. */
  readonly prop?: string;
  /** The XML local name. */
  readonly name: string;
  /** Namespace URI. Default: '' (unqualified). */
  readonly ns?: string;
  /** A leaf kind prefixed with "xs:" or the name of a simple type in the schema's `types`. */
  readonly type: string;
  /** use="required". Default: false. */
  readonly required?: boolean;
}

/** A complex type: its child elements, attributes and content model (as an object in TypeScript). */
export interface ComplexTypeMeta {
  /** Tells a complex type from a simple one in `TypeMeta`. */
  readonly kind: 'complex';
  /** The type's XML name, for xsi:type; absent for anonymous types. */
  readonly qname?: { readonly ns: string; readonly name: string };
  /** Elements in document order, inherited ones (complexContent extension) first. */
  readonly elements: readonly ElementMeta[];
  /** The type's attributes, written on its element; absent when it has none. */
  readonly attributes?: readonly AttributeMeta[];
  /** simpleContent: the type of the text value, exposed as the `$value` property. */
  readonly text?: string;
  /** Each choice: whether one member is required. Members point at it via ElementMeta.choice. */
  readonly choices?: readonly { readonly required: boolean }[];
  /** xs:any / mixed content: unknown child elements are kept as raw XML in `$any`. */
  readonly any?: boolean;
  /** Names (in `types`) of the types that extend this one, for xsi:type dispatch. */
  readonly derived?: readonly string[];
}

/** A named type of a schema, simple or complex (told apart by `kind`). */
export type TypeMeta = SimpleTypeMeta | ComplexTypeMeta;

/** One WSDL operation: its action, request and response elements, and how it may be called. */
export interface OperationMeta {
  /** The WSDL operation name. */
  readonly name: string;
  /** SOAPAction for the SOAP 1.1 binding and action parameter for 1.2 ('' when none). */
  readonly soapAction: string;
  /** The SOAP 1.2 binding's action, when the WSDL gives it another than `soapAction` (default: `soapAction`). */
  readonly soapAction12?: string;
  /** The request wrapper element. */
  readonly input: { readonly name: string; readonly ns: string; readonly type: string };
  /**
   * The response wrapper element; absent for one-way operations. `aliases`: other local names
   * (same namespace) read as this response, never written (`kz:alsoAccept` in the spec).
   */
  readonly output?: {
    readonly name: string;
    readonly ns: string;
    readonly type: string;
    readonly aliases?: readonly string[];
  };
  /**
   * True when the operation changes nothing and may be retried (wsdlx:safe in the spec).
   * Default: false (never retried automatically).
   */
  readonly safe?: boolean;
  /**
   * rpc/encoded (soap:body use="encoded"): SOAP encoding of the client's SOAP version, with
   * xsi:type on every element and multi-references (href/id, enc:ref/enc:id) read on decode.
   */
  readonly encoded?: boolean;
  /**
   * The address of the operation's own port, when the WSDL binds it at another address than the
   * service's default (several ports); the client's `endpoint` option overrides it.
   */
  readonly endpoint?: string;
  /**
   * The operation's wsdl:fault messages: the fault name, the element its detail carries and that
   * element's type. A fault whose detail holds one of these decodes into its typed class (see
   * `SoapClient.registerFaults`). Absent when the operation declares none.
   */
  readonly faults?: readonly FaultMeta[];
}

/** One wsdl:fault of an operation. */
export interface FaultMeta {
  /** The wsdl:fault name. */
  readonly name: string;
  /** The element inside the fault's detail. */
  readonly element: { readonly name: string; readonly ns: string };
  /** The element's type, in the schema's `types` (or an "xs:" leaf). */
  readonly type: string;
}

/**
 * Everything the runtime knows about one service, emitted by `@kz/codegen` from its WSDL: what a
 * SoapClient, SoapServiceCodec and createSoapHandler are built from.
 */
export interface ServiceMeta {
  /** Service name used in errors and logs. */
  readonly service: string;
  /** Which SOAP versions the WSDL binds. */
  readonly soapVersions: readonly SoapVersion[];
  /** The address from the WSDL, if any. */
  readonly defaultEndpoint?: string;
  /** The schema's types by name, as ElementMeta.type and the operations' elements refer to them. */
  readonly types: Readonly<Record<string, TypeMeta>>;
  /** The operations by WSDL operation name (the name `SoapClient.invoke` takes). */
  readonly operations: Readonly<Record<string, OperationMeta>>;
}

/**
 * A SOAP version: '1.1' (namespace http://schemas.xmlsoap.org/soap/envelope/, text/xml with a
 * SOAPAction header) or '1.2' (http://www.w3.org/2003/05/soap-envelope, application/soap+xml).
 */
export type SoapVersion = '1.1' | '1.2';

/** Metadata of a standalone schema (no service): its types and its global elements. */
export interface DocumentSchemaMeta {
  /** The schema's types by name. */
  readonly types: Readonly<Record<string, TypeMeta>>;
  /**
   * The global elements a document may have as its root, by the name encodeXmlDocument and
   * decodeXmlDocument take: the element's local name, namespace and type (in `types`).
   */
  readonly documents: Readonly<Record<string, { readonly name: string; readonly ns: string; readonly type: string }>>;
}

/** What the codec needs: the types, and the elements whose namespaces requests declare. */
export interface TypeSource {
  readonly types: Readonly<Record<string, TypeMeta>>;
  readonly operations?: ServiceMeta['operations'];
  readonly documents?: DocumentSchemaMeta['documents'];
}

/**
 * Content of a decoded element that its schema type does not know: an unknown child element
 * (or text inside element-only content), kept losslessly on the decoded record under the one key
 * `$unknown` (an array of these; `$` cannot start an XSD member's property name). Encoding writes
 * each back at its position, so decode -> encode -> decode is a fixed point.
 */
export interface UnknownXml {
  /** The element as XML declaring the namespace bindings it uses; for text, the escaped text. */
  readonly $xml: string;
  /** How many known child elements precede it in its parent (inside a wrapper: how many items). */
  readonly $position: number;
  /** Set when it was inside an array wrapper (.NET ArrayOfX): the wrapper's property name. */
  readonly $wrapper?: string;
}

/** Raw XML content of an xs:anyType / xs:any element. */
export interface AnyXml {
  /** The element's content (for anyType) or the whole element (for xs:any), as XML text. */
  readonly $xml: string;
  /**
   * The anyType element's own xsi:type, as `{namespace}name` (e.g.
   * `{http://www.w3.org/2001/XMLSchema}string` for escaped text), when it has one.
   */
  readonly $type?: string;
}
