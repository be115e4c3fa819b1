export { type AuthTicket, parseAuthTicket, type TicketSigner } from './auth-ticket.js';
export { iinOfCertificate, normalizeCertificate } from './certificate.js';
export {
  type CertificateLoginInput,
  type CloseByCredentialsInput,
  createEsfClient,
  EsfClient,
  type EsfClientOptions,
  EsfSession,
  type KeyLoginInput,
  type OpenSessionInput,
} from './client.js';
export {
  type AdditionalInvoiceChanges,
  type AdditionalInvoiceInput,
  type AdditionalInvoiceLine,
  additionalInvoiceFrom,
  type CorrectionKey,
  type FixedInvoiceChanges,
  type FixedInvoiceInput,
  fixedInvoiceFrom,
  type InvoiceAmount,
  type RegisteredInvoice,
  type RelatedInvoiceLink,
} from './corrections.js';
export type { EsfEndpoints } from './endpoints.js';
export {
  ESF_AUTH_CODES,
  EsfAccessDeniedError,
  type EsfAuthCode,
  EsfAuthError,
  EsfBusinessError,
  type EsfFaultKind,
  EsfServiceError,
  EsfSessionClosedError,
  toEsfAuthError,
  toEsfError,
} from './errors.js';
export { AuthServiceClient, type AuthServiceOperations } from './generated/auth/client.js';
export { serviceMeta as authServiceMeta } from './generated/auth/schema.js';
export { SessionServiceClient, type SessionServiceOperations } from './generated/client.js';
export type { SignatureType } from './generated/common/types.js';
export { InvoiceServiceClient, type InvoiceServiceOperations } from './generated/invoice-service/client.js';
export { serviceMeta as invoiceServiceMeta } from './generated/invoice-service/schema.js';
export type {
  ChangeStatusResult,
  Deadline,
  DeleteResult,
  EnterpriseKey,
  EnterpriseValidationResult,
  InvoiceDirection,
  InvoiceIdWithReason,
  InvoiceInfo,
  InvoiceInfoHistoryRecord,
  InvoiceKey,
  InvoiceStatus,
  InvoiceSummary,
  QueryInvoiceCriteria,
} from './generated/invoice-service/types.js';
export { schemaMeta as invoiceV2SchemaMeta } from './generated/invoice-v2/schema.js';
export type * from './generated/invoice-v2/types.js';
export { serviceMeta } from './generated/schema.js';
export type * from './generated/types.js';
export { UploadInvoiceServiceClient, type UploadInvoiceServiceOperations } from './generated/upload/client.js';
export { serviceMeta as uploadInvoiceServiceMeta } from './generated/upload/schema.js';
export type {
  InvoiceUploadInfo,
  StandardResponse,
  SyncInvoiceResponse,
} from './generated/upload/types.js';
export {
  type BuildOptions,
  buildInvoiceBody,
  INVOICE_V2_VERSION,
  type InvoiceV2Input,
  invoiceKeyOf,
  parseInvoiceBody,
} from './invoice-body.js';
export {
  type EsfInvoiceIssue,
  EsfInvoices,
  type IdWithReason,
  idsSignable,
  MAX_SIGNATURE_LENGTH,
  type QueryPage,
  type RegistrationOutcome,
  type RegistrationProgress,
  type ReportedInvoiceStatus,
  reasonsSignable,
  type SignedChangeOptions,
  type UpdatesCursor,
  type UpdatesOptions,
  type UpdatesPage,
  type UploadOptions,
  type UploadOutcome,
  type UploadReport,
} from './invoices.js';
