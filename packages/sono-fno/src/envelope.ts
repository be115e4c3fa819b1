/**
 * The transport envelope of SONO_FNO_SEND and SONO_FNO_GET_STATUS, what travels in SHEP's data
 * element, is OUR RECONSTRUCTION (specs/sono-fno/sono-fno.xsd): no document we have defines it
 * (FACTS.md section 3, #52). Its element names and namespace are therefore configuration, not
 * code: give other names here and the client and the mock speak them, without a release.
 */
import { documentCodec, type PayloadCodec } from '@kz/shep';
import { type DocumentSchemaMeta, type FullComplexTypeMeta, KzError, type TypeMeta, withMetaDefaults } from '@kz/soap';
import { schemaMeta } from './generated/schema.js';
import type {
  SonoFnoGetStatusRequest,
  SonoFnoGetStatusResponse,
  SonoFnoSendRequest,
  SonoFnoSendResponse,
} from './generated/types.js';

/** Our namespace of the envelope elements (the reconstruction's). */
export const RECONSTRUCTION_NAMESPACE = 'urn:kz-clients:sono-fno:reconstruction:v1';

/** Every element name of the envelope, as our reconstruction spells it. */
export const ENVELOPE_ELEMENTS = [
  'SonoFnoSendRequest',
  'SonoFnoSendResponse',
  'SonoFnoGetStatusRequest',
  'SonoFnoGetStatusResponse',
  'formCode',
  'formVersion',
  'iinBin',
  'taxPeriod',
  'year',
  'quarter',
  'halfYear',
  'month',
  'signedForm',
  'registrationNumber',
  'status',
  'statusCode',
  'statusDate',
  'message',
] as const;

/** An element name of the envelope as our reconstruction spells it: the keys of `SonoEnvelopeNames.elements`. */
export type EnvelopeElement = (typeof ENVELOPE_ELEMENTS)[number];

/**
 * The names and namespace of the transport envelope (SonoFnoClientOptions.envelope, and the mock's), to follow
 * the real service's names without a release; our reconstruction's by default.
 */
export interface SonoEnvelopeNames {
  /** Namespace of the envelope elements; default RECONSTRUCTION_NAMESPACE ('' for none). */
  namespace?: string;
  /** Other names for our elements, e.g. `{ SonoFnoSendRequest: 'SendFno', signedForm: 'fnoXml' }`. */
  elements?: Partial<Record<EnvelopeElement, string>>;
}

/** The payload codecs of the four envelope documents, with the configured names (envelopeCodecs). */
export interface SonoEnvelopeCodecs {
  /** SONO_FNO_SEND request: form code and version, IIN/BIN, tax period, the signed form. */
  sendRequest: PayloadCodec<SonoFnoSendRequest>;
  /** SONO_FNO_SEND answer: the registration number, the status label and a message. */
  sendResponse: PayloadCodec<SonoFnoSendResponse>;
  /** SONO_FNO_GET_STATUS request: the registration number. */
  statusRequest: PayloadCodec<SonoFnoGetStatusRequest>;
  /** SONO_FNO_GET_STATUS answer: the status label, its date and a message. */
  statusResponse: PayloadCodec<SonoFnoGetStatusResponse>;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** The four payload codecs of an envelope with these names (ours by default). */
export function envelopeCodecs(names: SonoEnvelopeNames = {}): SonoEnvelopeCodecs {
  const meta = envelopeMeta(names);
  return {
    sendRequest: documentCodec(meta, 'SonoFnoSendRequest'),
    sendResponse: documentCodec(meta, 'SonoFnoSendResponse'),
    statusRequest: documentCodec(meta, 'SonoFnoGetStatusRequest'),
    statusResponse: documentCodec(meta, 'SonoFnoGetStatusResponse'),
  };
}

/** The generated metadata with the configured names and namespace in place of ours. */
export function envelopeMeta(names: SonoEnvelopeNames = {}): DocumentSchemaMeta {
  const namespace = names.namespace ?? RECONSTRUCTION_NAMESPACE;
  const renamed = names.elements ?? {};
  for (const [ours, theirs] of Object.entries(renamed)) {
    if (!(ENVELOPE_ELEMENTS as readonly string[]).includes(ours)) throw envelopeError(`elements: no element ${ours}`);
    if (typeof theirs !== 'string' || !NAME.test(theirs)) {
      throw envelopeError(`elements.${ours} -> "${String(theirs).slice(0, 64)}" is not an XML name`);
    }
  }
  if (namespace === RECONSTRUCTION_NAMESPACE && Object.keys(renamed).length === 0) return schemaMeta;
  const ns = (value: string) => (value === RECONSTRUCTION_NAMESPACE ? namespace : value);
  const name = (value: string) => renamed[value as EnvelopeElement] ?? value;
  const types: Record<string, TypeMeta> = {};
  for (const [key, type] of Object.entries(schemaMeta.types)) {
    types[key] =
      type.kind === 'simple'
        ? type
        : {
            ...type,
            ...(type.qname ? { qname: { ns: ns(type.qname.ns), name: type.qname.name } } : {}),
            // Defaults applied first: an omitted prop is the spec's name, not the configured one.
            elements: (withMetaDefaults(type) as FullComplexTypeMeta).elements.map((e) => ({
              ...e,
              name: name(e.name),
              ns: ns(e.ns),
            })),
          };
  }
  const documents: Record<string, DocumentSchemaMeta['documents'][string]> = {};
  for (const [key, document] of Object.entries(schemaMeta.documents)) {
    documents[key] = { ...document, name: name(document.name), ns: ns(document.ns) };
  }
  return { types, documents };
}

function envelopeError(message: string): KzError {
  return new KzError({ service: 'SONO_FNO', operation: 'configure' }, 'CONFIG_ERROR', `envelope.${message}`);
}
