/**
 * SOAP encoding (SOAP 1.1 section 5, SOAP 1.2 part 2 section 4) as the encoder writes it: the
 * xsi:type of each element, the array attributes, and the declarations the payload carries.
 * Which types are arrays and which operations are encoded comes from the metadata
 * (`ElementMeta.item.encoded`, `OperationMeta.encoded`).
 */
import type { SoapVersion } from '../schema.js';
import type { ResolvedType } from './compiled.js';

export const SOAPENC11_NS = 'http://schemas.xmlsoap.org/soap/encoding/';
export const SOAPENC12_NS = 'http://www.w3.org/2003/05/soap-encoding';
export const XSD_NS = 'http://www.w3.org/2001/XMLSchema';

export function encodingNamespace(version: SoapVersion): string {
  return version === '1.2' ? SOAPENC12_NS : SOAPENC11_NS;
}

/**
 * What the payload's root element adds in encoded mode: the xsd and soapenc prefixes its
 * xsi:type values use, and soap:encodingStyle (the soap prefix is the envelope's).
 */
export function encodedRootAttributes(version: SoapVersion): string {
  const ns = encodingNamespace(version);
  return ` xmlns:xsd="${XSD_NS}" xmlns:soapenc="${ns}" soap:encodingStyle="${ns}"`;
}

/**
 * The xsi:type QName (with the prefixes of encodedRootAttributes and of `qualify`) of a value
 * of `resolved`; undefined when there is none to write (anyType, anonymous complex types, lists).
 */
export function xsiTypeName(
  resolved: ResolvedType,
  qualify: (name: string, ns: string) => string,
  complexQName: (name: string) => { readonly ns: string; readonly name: string } | undefined,
): string | undefined {
  switch (resolved.kind) {
    case 'leaf':
      return resolved.leaf === 'anyType' ? undefined : `xsd:${resolved.leaf}`;
    case 'simple':
      return resolved.meta.list || resolved.meta.base === 'anyType' ? undefined : `xsd:${resolved.meta.base}`;
    case 'complex': {
      const qname = complexQName(resolved.name);
      return qname ? qualify(qname.name, qname.ns) : undefined;
    }
    default:
      return undefined;
  }
}

/** The start tag of an encoded array of `length` items whose items have xsi:type `itemType`. */
export function arrayStartTag(
  version: SoapVersion,
  tag: string,
  declarations: string,
  itemType: string | undefined,
  length: number,
): string {
  if (version === '1.2') {
    const item = itemType ? ` soapenc:itemType="${itemType}"` : '';
    return `<${tag}${declarations}${item} soapenc:arraySize="${length}">`;
  }
  return `<${tag}${declarations} xsi:type="soapenc:Array" soapenc:arrayType="${itemType ?? 'xsd:anyType'}[${length}]">`;
}
