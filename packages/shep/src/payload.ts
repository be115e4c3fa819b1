/**
 * The business data of a SHEP message travels in `data` (xs:anyType): SHEP does not check it.
 * A PayloadCodec turns a service's typed document into that element's content and back, so a
 * service package (e.g. @kz/sono-fno) puts its own generated schema there.
 */
import { type AnyXml, type DocumentSchemaMeta, decodeXmlDocument, encodeXmlDocument } from '@kz/soap';

/**
 * Turns a service's typed payload into the content of a SHEP message's `data` element (xs:anyType, not checked
 * by SHEP) and back. Built in: rawXml (the default), textPayload, documentCodec for a generated schema.
 */
export interface PayloadCodec<T> {
  /** The content of the `data` element, as XML text. */
  encode(value: T): string;
  /** Reads the content of a received `data` element. */
  decode(xml: string): T;
}

/** Raw XML in, raw XML out: for services without a schema, or to look at the payload as is. */
export const rawXml: PayloadCodec<string> = {
  encode: (value) => value,
  decode: (xml) => xml,
};

/** Text content (the escaped-string form some SHEP services use, `xsi:type="xs:string"`). */
export const textPayload: PayloadCodec<string> = {
  encode: (value) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
  decode: (xml) =>
    xml
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&'),
};

/**
 * A codec for one global element of a schema generated with `kz-codegen generate --xsd`
 * (its `schemaMeta`): the payload is that element, namespace-qualified, without an XML declaration.
 */
export function documentCodec<T>(meta: DocumentSchemaMeta, element: string): PayloadCodec<T> {
  return {
    encode: (value) => encodeXmlDocument(meta, element, value).replace(/^<\?xml[^?]*\?>/, ''),
    decode: (xml) => decodeXmlDocument<T>(meta, element, xml.trim()),
  };
}

export function toAnyXml(xml: string): AnyXml {
  return { $xml: xml };
}
