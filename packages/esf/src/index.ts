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
  type ReportedSessionStatus,
  type SessionChoice,
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
export type {
  CreateAuthTicketRequest,
  CreateAuthTicketRequestIin,
  CreateAuthTicketRequestTtlInMinutes,
  CreateAuthTicketResponse,
} from './generated/auth/types.js';
export { SessionServiceClient, type SessionServiceOperations } from './generated/client.js';
export type { ErrorCode, ErrorType, SignatureType } from './generated/common/types.js';
export { InvoiceServiceClient, type InvoiceServiceOperations } from './generated/invoice-service/client.js';
export { serviceMeta as invoiceServiceMeta } from './generated/invoice-service/schema.js';
export type {
  // Each service's WSDL declares its own copy (SessionService's is exported as AbstractSessionAwareRequest).
  AbstractSessionAwareRequest as InvoiceServiceSessionAwareRequest,
  ChangeStatusResult,
  ClientType,
  Deadline,
  DeadlineType,
  DeleteInvoiceByIdRequest,
  DeleteInvoiceByIdResponse,
  DeleteResult,
  // InvoiceService's own copies of two InvoiceV2 enumerations (the names are taken by invoice-v2's).
  DocumentType as InvoiceServiceDocumentType,
  EnterpriseKey,
  EnterpriseValidationRequest,
  EnterpriseValidationResponse,
  EnterpriseValidationResult,
  EnterpriseValidationResultType,
  InvoiceByIdRequest,
  InvoiceByIdWithReasonRequest,
  InvoiceByKeyRequest,
  InvoiceDirection,
  InvoiceError,
  InvoiceErrorByIdRequest,
  InvoiceErrorByIdResponse,
  InvoiceIdWithReason,
  InvoiceInfo,
  InvoiceInfoHistoryRecord,
  InvoiceInfoSignature,
  InvoiceKey,
  InvoiceStatus,
  InvoiceSummary,
  InvoiceSummaryResponse,
  InvoiceType as InvoiceServiceInvoiceType,
  QueryInvoiceCriteria,
  QueryInvoiceHistoryByIdRequest,
  QueryInvoiceHistoryByIdResponse,
  QueryInvoiceRequest,
  QueryInvoiceResponse,
  QueryInvoiceUpdateRequest,
  QueryInvoiceUpdateResponse,
  TryChangeStatusResponse,
} from './generated/invoice-service/types.js';
export { schemaMeta as invoiceV2SchemaMeta } from './generated/invoice-v2/schema.js';
export type * from './generated/invoice-v2/types.js';
export { serviceMeta } from './generated/schema.js';
export type * from './generated/types.js';
export { UploadInvoiceServiceClient, type UploadInvoiceServiceOperations } from './generated/upload/client.js';
export { serviceMeta as uploadInvoiceServiceMeta } from './generated/upload/schema.js';
export type {
  AbstractSessionAwareRequest as UploadInvoiceServiceSessionAwareRequest,
  InvoiceUploadInfo,
  InvoiceUploadInfoSignature,
  StandardResponse,
  SyncInvoiceRequest,
  SyncInvoiceResponse,
} from './generated/upload/types.js';
export {
  type BuildOptions,
  buildInvoiceBody,
  INVOICE_V2_VERSION,
  type InvoiceV2Input,
  invoiceKeyOf,
  type Loose,
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
