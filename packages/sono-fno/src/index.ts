export {
  createSonoFnoClient,
  type FormStatus,
  type FormSubmission,
  SONO_FNO_GET_STATUS,
  SONO_FNO_SEND,
  SonoFnoClient,
  type SonoFnoClientOptions,
  SonoFnoTimeoutError,
  sonoCodecs,
  type WaitForStatusOptions,
} from './client.js';
export { schemaMeta } from './generated/schema.js';
export type * from './generated/types.js';
export {
  isError,
  isFinal,
  PROCESSING_STATUSES,
  type StatusInfo,
  statusFromLabel,
  statusInfo,
  statusLabel,
} from './statuses.js';
