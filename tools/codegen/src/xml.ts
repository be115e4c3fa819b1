/**
 * A small namespace-aware DOM for reading contracts (WSDL, XSD) at generation time.
 * Parsed strictly by saxes; DOCTYPE refused like at run time.
 */
import { SaxesParser, type SaxesTagNS } from 'saxes';

export interface XmlElement {
  readonly ns: string;
  readonly local: string;
  /** Attributes by name as written (e.g. "name", "wsdlx:safe"), with their namespace URI. */
  readonly attributes: ReadonlyMap<string, { readonly uri: string; readonly local: string; readonly value: string }>;
  readonly children: XmlElement[];
  text: string;
  /** Namespace bindings in scope (prefix -> URI; '' is the default namespace). */
  readonly scope: Readonly<Record<string, string>>;
}

/** A contract (WSDL, XSD) that is invalid or unsupported; the message names the file and the construct. */
export class ContractError extends Error {}

export function parseXmlDocument(text: string, source: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  parser.on('doctype', () => {
    throw new ContractError(`${source}: DOCTYPE is not allowed`);
  });
  parser.on('opentag', (tag: SaxesTagNS) => {
    const parent = stack[stack.length - 1];
    let scope = parent?.scope ?? { xml: 'http://www.w3.org/XML/1998/namespace' };
    if (Object.keys(tag.ns).length > 0) scope = { ...scope, ...tag.ns };
    const attributes = new Map<string, { uri: string; local: string; value: string }>();
    for (const [name, a] of Object.entries(tag.attributes))
      attributes.set(name, { uri: a.uri, local: a.local, value: a.value });
    const element: XmlElement = { ns: tag.uri, local: tag.local, attributes, children: [], text: '', scope };
    if (parent) parent.children.push(element);
    else root = element;
    stack.push(element);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  const onText = (text: string): void => {
    const top = stack[stack.length - 1];
    if (top) top.text += text;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('error', (error) => {
    throw new ContractError(`${source}: not well-formed XML: ${error.message}`);
  });
  parser.write(text).close();
  if (!root) throw new ContractError(`${source}: the document is empty`);
  return root;
}

export function attr(element: XmlElement, name: string): string | undefined {
  return element.attributes.get(name)?.value;
}

/** An attribute in a given namespace, whatever prefix the document used. */
export function attrNS(element: XmlElement, uri: string, local: string): string | undefined {
  for (const a of element.attributes.values()) if (a.uri === uri && a.local === local) return a.value;
  return undefined;
}

export function children(element: XmlElement, ns: string, local?: string): XmlElement[] {
  return element.children.filter((c) => c.ns === ns && (local === undefined || c.local === local));
}

export function child(element: XmlElement, ns: string, local: string): XmlElement | undefined {
  return element.children.find((c) => c.ns === ns && c.local === local);
}

export interface QName {
  readonly ns: string;
  readonly name: string;
}

/** Resolves a QName-valued attribute ("tns:Foo") against the element's namespace scope. */
export function resolveQName(element: XmlElement, value: string, source: string): QName {
  const colon = value.indexOf(':');
  const prefix = colon === -1 ? '' : value.slice(0, colon);
  const name = colon === -1 ? value : value.slice(colon + 1);
  const ns = element.scope[prefix];
  if (ns === undefined && prefix !== '')
    throw new ContractError(`${source}: unbound namespace prefix "${prefix}" in "${value}"`);
  return { ns: ns ?? '', name };
}

export function qkey(q: QName): string {
  return `{${q.ns}}${q.name}`;
}
