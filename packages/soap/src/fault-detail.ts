/**
 * Typed fault details: the first element of a fault's detail, when it is one of the operation's
 * wsdl:fault elements, decoded with the schema into the value its generated class carries.
 */
import type { TypeRegistry } from './codec/compiled.js';
import { ElementDecoder } from './codec/decode.js';
import type { FaultMeta } from './schema.js';
import { parseXmlSync, type XmlAttribute, type XmlHandler, type XmlScope } from './xml/reader.js';

/**
 * Decodes `detailXml` (the detail's content, as the envelope decoder keeps it) when its first
 * element is one of `faults`; undefined when it is none of them or does not decode, so the caller
 * keeps the plain fault with its raw detail. Linear in the (already bounded) detail.
 */
export function decodeFaultDetail(
  registry: TypeRegistry,
  faults: readonly FaultMeta[],
  detailXml: string,
): { fault: FaultMeta; value: unknown } | undefined {
  let depth = 0;
  let found: FaultMeta | undefined;
  let decoder: ElementDecoder | undefined;
  let settled = false;
  const handler: XmlHandler = {
    open(ns: string, local: string, attributes: Record<string, XmlAttribute>, scope: XmlScope) {
      depth++;
      if (depth === 2 && !settled) {
        settled = true;
        found = faults.find((f) => f.element.name === local && f.element.ns === ns);
        if (found) decoder = new ElementDecoder(registry, found.type, false, { openEnums: true });
      }
      if (decoder && !decoder.done) decoder.open(ns, local, attributes, scope);
    },
    text(text: string) {
      if (decoder && !decoder.done && depth >= 2) decoder.text(text);
    },
    close() {
      if (decoder && !decoder.done && depth >= 2) decoder.close();
      depth--;
    },
  };
  try {
    // The detail's content may hold several elements (and text): one wrapper makes it a document.
    parseXmlSync(`<detail>${detailXml}</detail>`, handler);
  } catch {
    return undefined;
  }
  return found && decoder?.done ? { fault: found, value: decoder.result } : undefined;
}
