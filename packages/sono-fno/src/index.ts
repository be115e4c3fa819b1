export {
  createSonoFnoClient,
  type FormStatus,
  type FormSubmission,
  SONO_FNO_GET_STATUS,
  SONO_FNO_SEND,
  SonoFnoClient,
  type SonoFnoClientOptions,
  type SonoFnoWaitResume,
  sonoCodecs,
  type WaitForStatusOptions,
} from './client.js';
export {
  ENVELOPE_ELEMENTS,
  type EnvelopeElement,
  envelopeCodecs,
  envelopeMeta,
  RECONSTRUCTION_NAMESPACE,
  type SonoEnvelopeCodecs,
  type SonoEnvelopeNames,
} from './envelope.js';
export {
  decodeFnoForm,
  encodeFnoForm,
  type FieldValue,
  type FnoDocumentInput,
  type FnoFormInput,
  type FnoSheetInput,
  fnoDocument,
} from './form.js';
export { schemaMeta as formSchemaMeta } from './generated/form/schema.js';
export type * from './generated/form/types.js';
export { schemaMeta } from './generated/schema.js';
export type * from './generated/types.js';
export {
  isError,
  isFinal,
  PROCESSING_STATUSES,
  type StatusCode,
  type StatusInfo,
  statusCode,
  statusInfo,
  statusLabel,
  statusOfLabel,
} from './statuses.js';
