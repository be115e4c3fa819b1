/**
 * SOAP encoding in contracts (rpc/encoded): the soapenc namespaces' simple types, and arrays
 * declared as restrictions of soapenc:Array, whose item type is given by a `wsdl:arrayType`
 * attribute (`xsd:string[]`) or by the restriction's one repeated element.
 */
import { NS } from './loader.js';
import { attr, attrNS, ContractError, child, children, type QName, resolveQName, type XmlElement } from './xml.js';

export const SOAPENC11_NS = 'http://schemas.xmlsoap.org/soap/encoding/';
export const SOAPENC12_NS = 'http://www.w3.org/2003/05/soap-encoding';

export function isSoapEncoding(ns: string): boolean {
  return ns === SOAPENC11_NS || ns === SOAPENC12_NS;
}

/** What the items of an encoded array are: a named type, an element declaration, or anything. */
export type ArrayItem =
  | { readonly kind: 'type'; readonly type: QName }
  | { readonly kind: 'element'; readonly node: XmlElement }
  | { readonly kind: 'any' };

/** The item of a complex type deriving from soapenc:Array; undefined when it is no such array. */
export function soapArrayItem(complex: XmlElement, source: string): ArrayItem | undefined {
  const restriction = child(child(complex, NS.xs, 'complexContent') ?? complex, NS.xs, 'restriction');
  const base = restriction && attr(restriction, 'base');
  if (!restriction || !base) return undefined;
  const baseName = resolveQName(restriction, base, source);
  if (!isSoapEncoding(baseName.ns) || baseName.name !== 'Array') return undefined;
  for (const attribute of children(restriction, NS.xs, 'attribute')) {
    const arrayType = attrNS(attribute, NS.wsdl, 'arrayType');
    if (arrayType) return { kind: 'type', type: itemTypeOf(attribute, arrayType, source) };
  }
  const sequence = child(restriction, NS.xs, 'sequence') ?? child(restriction, NS.xs, 'all');
  const element = sequence && children(sequence, NS.xs, 'element')[0];
  if (element) {
    const type = attr(element, 'type');
    return type ? { kind: 'type', type: resolveQName(element, type, source) } : { kind: 'element', node: element };
  }
  return { kind: 'any' };
}

/** `xsd:string[]` -> xsd:string; arrays of arrays (`[][]`, `[,]`) cannot be typed and are refused. */
function itemTypeOf(node: XmlElement, arrayType: string, source: string): QName {
  const bracket = arrayType.indexOf('[');
  const dimensions = bracket === -1 ? '' : arrayType.slice(bracket);
  if (dimensions !== '' && !/^\[\d*\]$/.test(dimensions))
    throw new ContractError(
      `${source}: wsdl:arrayType="${arrayType}" is a multi-dimensional or nested array, which kz-codegen does not support`,
    );
  return resolveQName(node, bracket === -1 ? arrayType : arrayType.slice(0, bracket), source);
}
