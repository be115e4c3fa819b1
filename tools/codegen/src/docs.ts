/**
 * Doc comments of generated declarations: the contract's own documentation (xs:documentation,
 * wsdl:documentation) when it has some, made safe for a comment; else a short factual line
 * derived from the contract (schema type, namespace, occurrence, facets, what uses it).
 */
import type { AttributeMeta, ElementMeta, Facets, SimpleTypeMeta } from '@kz/soap';
import type { OperationModel, ServiceModel } from './wsdl.js';
import type { ModelType, RootElement } from './xsd.js';

/** Longest piece of contract documentation kept in a comment; longer text is cut at a word. */
const MAX_DOC = 1200;

/** One piece of contract documentation, cut (at a word, marked …) when very long. */
export function shorten(text: string): string;
export function shorten(text: string | undefined): string | undefined;
export function shorten(text: string | undefined): string | undefined {
  if (text === undefined || text.length <= MAX_DOC) return text;
  const cut = text.slice(0, MAX_DOC);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), MAX_DOC / 2)).trimEnd()} …`;
}

/**
 * Text made safe inside a `/** ... *\/` comment: `*\/` cannot close it, a word starting with `@`
 * (or `{@`) is not read as a TSDoc tag, carriage returns go.
 */
export function sanitizeDoc(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\*\//g, '*\\/')
    .replace(/(^|[\s{(])@/g, '$1\\@')
    .trim();
}

/** One doc entry for a declaration's `docs` (printer.ts; none for empty text). */
export function docs(text: string | undefined): string[] {
  const clean = text === undefined ? '' : sanitizeDoc(text);
  return clean ? [clean] : [];
}

/** A `/** ... *\/` block, indented, for declarations written as text (contract text: sanitized). */
export function docBlock(text: string, indent = ''): string {
  return commentBlock(sanitizeDoc(text), indent);
}

/** A `/** ... *\/` block of text that is already safe in a comment (it may hold TSDoc tags). */
export function commentBlock(text: string, indent = ''): string {
  const lines = text.split('\n');
  if (lines.length === 1) return `${indent}/** ${lines[0]} */\n`;
  return `${indent}/**\n${lines.map((l) => `${indent} * ${l}`.trimEnd()).join('\n')}\n${indent} */\n`;
}

const code = (text: string): string => `\`${text.replace(/`/g, "'")}\``;

/** What a type is for, from the operations, fault details, documents and fields that use it. */
export class TypeUses {
  readonly #uses = new Map<string, string[]>();

  constructor(types: ReadonlyMap<string, ModelType>, service?: ServiceModel, documents?: readonly RootElement[]) {
    for (const op of service?.operations ?? []) {
      this.#add(op.input.type, `the request of operation ${code(op.name)} (element ${code(op.input.name)})`);
      if (op.output)
        this.#add(op.output.type, `the response of operation ${code(op.name)} (element ${code(op.output.name)})`);
      for (const fault of op.faults ?? [])
        this.#add(
          fault.element.type,
          `the detail of fault ${code(fault.name)} of operation ${code(op.name)} (element ${code(fault.element.name)})`,
        );
    }
    for (const document of documents ?? [])
      this.#add(document.type, `the content of document element ${code(document.name)}`);
    // Anonymous types are named after the field that holds them: say which.
    for (const type of types.values()) {
      if (type.meta.kind !== 'complex') continue;
      for (const e of type.meta.elements) this.#addField(types, e.type, type.name, e.prop ?? e.name, 'element');
      for (const a of type.meta.attributes ?? [])
        this.#addField(types, a.type, type.name, a.prop ?? a.name, 'attribute');
      if (type.meta.text) this.#addField(types, type.meta.text, type.name, '$value', 'text');
    }
  }

  #addField(types: ReadonlyMap<string, ModelType>, ref: string, parent: string, prop: string, kind: string): void {
    const type = types.get(ref);
    if (!type || qnameOf(type) || this.#uses.has(ref)) return;
    this.#add(ref, `the ${kind} ${code(prop)} of ${code(parent)}`);
  }

  #add(type: string, use: string): void {
    if (type.startsWith('xs:')) return;
    const list = this.#uses.get(type) ?? [];
    list.push(use);
    this.#uses.set(type, list);
  }

  /** "Used as X, Y and 2 more" (at most three named), or undefined when nothing uses the type. */
  of(type: string): string | undefined {
    const uses = this.#uses.get(type);
    if (!uses) return undefined;
    const shown = uses.slice(0, 3).join('; ');
    return uses.length > 3 ? `${shown}; and ${uses.length - 3} more` : shown;
  }
}

function qnameOf(type: ModelType): { ns: string; name: string } | undefined {
  return type.meta.kind === 'complex' ? type.meta.qname : type.qname;
}

function inNamespace(ns: string): string {
  return ns ? ` in namespace ${code(ns)}` : ' (no namespace)';
}

/** The doc of a type: its documentation, else its XSD name, namespace, content and uses. */
export function typeDoc(type: ModelType, uses: TypeUses): string {
  const values = type.enumDocs ? Object.entries(type.enumDocs).map(([v, d]) => `- ${code(v)}: ${shorten(d)}`) : [];
  if (type.doc) return [shorten(type.doc), ...values].join('\n');
  const qname = qnameOf(type);
  const kind = type.meta.kind === 'complex' ? 'complexType' : 'simpleType';
  const use = uses.of(type.name);
  const what = qname
    ? `XSD ${kind} ${code(qname.name)}${inNamespace(qname.ns)}`
    : `Anonymous XSD ${kind}${use ? '' : ` ${code(type.name)}`}`;
  const lines = [`${what}${use ? `: ${use}` : ''}.`];
  if (type.meta.kind === 'simple') lines.push(simpleContent(type.meta));
  else if (type.base) lines.push(`Extends ${code(type.base)}.`);
  if (type.abstract) lines.push('Abstract in the schema: an instance is always of a type derived from it.');
  return [...lines, ...values].join('\n');
}

const MAX_VALUES = 12;

function simpleContent(meta: SimpleTypeMeta): string {
  const base = code(`xs:${meta.base}`);
  const parts = [meta.list ? `A whitespace-separated list (xs:list) of ${base}` : `Restricts ${base}`];
  if (meta.enum) {
    const shown = meta.enum.slice(0, MAX_VALUES).map(code).join(', ');
    parts.push(
      `enumeration of ${meta.enum.length} value${meta.enum.length === 1 ? '' : 's'}${meta.enum.length > 0 ? `: ${shown}${meta.enum.length > MAX_VALUES ? ', …' : ''}` : ''}`,
    );
  }
  const facets = facetText(meta.facets);
  if (facets) parts.push(facets);
  return `${parts.join('; ')}.`;
}

function facetText(facets: Facets | undefined): string | undefined {
  if (!facets) return undefined;
  const parts: string[] = [];
  for (const pattern of facets.patterns ?? [])
    parts.push(`pattern ${code(pattern.replace(/^\^\(\?:([\s\S]*)\)\$$/, '$1'))}`);
  for (const key of ['length', 'minLength', 'maxLength', 'totalDigits', 'fractionDigits'] as const)
    if (facets[key] !== undefined) parts.push(`${key} ${facets[key]}`);
  for (const key of ['minInclusive', 'maxInclusive', 'minExclusive', 'maxExclusive'] as const)
    if (facets[key] !== undefined) parts.push(`${key} ${code(facets[key] as string)}`);
  return parts.length > 0 ? parts.join(', ') : undefined;
}

function typeText(ref: string): string {
  return code(ref);
}

/** The doc of an element property: its documentation, else wire name, type, occurrence, nillable. */
export function elementDoc(element: ElementMeta, doc: string | undefined): string {
  if (doc) return shorten(doc);
  const prop = element.prop ?? element.name;
  const wire = prop !== element.name ? ` ${code(`<${element.name}>`)}` : '';
  const min = element.min ?? 1;
  const max = element.max ?? 1;
  const occurs = `minOccurs ${min}, maxOccurs ${max === -1 ? 'unbounded' : max}`;
  const nillable = element.nillable ? ', nillable (xsi:nil is null)' : '';
  if (element.item) {
    const itemNil = element.item.nillable ? ' (items nillable)' : '';
    return `Array wrapper element${wire} of ${code(`<${element.item.name}>`)} items, each ${typeText(element.type)}${itemNil}; ${min === 0 ? 'optional' : 'required'}${nillable}.`;
  }
  if (max !== 1) return `List of ${typeText(element.type)} elements${wire} (${occurs})${nillable}.`;
  return `${typeText(element.type)} element${wire}, ${min === 0 ? 'optional (minOccurs 0)' : 'required'}${nillable}.`;
}

/** The doc of an attribute property: its documentation, else name, type, use. */
export function attributeDoc(attribute: AttributeMeta, doc: string | undefined): string {
  if (doc) return shorten(doc);
  return `${typeText(attribute.type)} attribute ${code(attribute.name)}, ${attribute.required ? 'required' : 'optional'}.`;
}

/** The doc of a client method: the operation's documentation, then its binding and retry facts. */
export function operationDoc(op: OperationModel, faultClasses: ReadonlyMap<string, string>): string {
  const style = `${op.style ?? 'document'}/${op.encoded ? 'encoded' : 'literal'}`;
  const action = op.soapAction ? `, SOAPAction ${code(op.soapAction)}` : '';
  const retry = op.safe
    ? 'Safe (wsdlx:safe): retried when the client has `retry` options.'
    : 'State-changing: never retried automatically.';
  const lines = [
    ...(op.doc ? [shorten(op.doc), ''] : []),
    `Operation ${code(op.name)} (${style}${action}). ${retry}`,
    ...(op.output ? [] : ['One-way: the service sends no response.']),
  ];
  const faults = [...new Set((op.faults ?? []).map((f) => faultClasses.get(`{${f.element.ns}}${f.element.name}`)))];
  return sanitizeDoc(lines.join('\n')).concat(
    faults
      .filter((f): f is string => f !== undefined)
      .map((f) => `\n@throws ${f} when the service answers with this fault.`)
      .join(''),
  );
}
