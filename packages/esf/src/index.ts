export { normalizeCertificate } from './certificate.js';
export {
  type CloseByCredentialsInput,
  createEsfClient,
  EsfClient,
  type EsfClientOptions,
  EsfSession,
  type OpenSessionInput,
} from './client.js';
export {
  EsfAccessDeniedError,
  EsfBusinessError,
  type EsfFaultKind,
  EsfServiceError,
  EsfSessionClosedError,
  esfFaultOf,
  toEsfError,
} from './errors.js';
export { SessionServiceClient, type SessionServiceOperations } from './generated/client.js';
export { serviceMeta } from './generated/schema.js';
export type * from './generated/types.js';
