export type {
  CallOptions,
  RequestEvent,
  ResponseEvent,
  SoapClientOptions,
  SoapHooks,
  UnknownEvent,
} from './client.js';
export { DEFAULT_MAX_RESPONSE_BYTES, SoapClient } from './client.js';
export {
  type FullAttributeMeta,
  type FullComplexTypeMeta,
  type FullElementMeta,
  type FullTypeMeta,
  withMetaDefaults,
} from './codec/defaults.js';
export { formatSimple, LeafError, parseSimple } from './codec/leaf.js';
export { requireHttpUrl } from './configuration.js';
export { decodeXmlDocument, encodeXmlDocument } from './document.js';
export { buildEnvelope, SOAP11_NS, SOAP12_NS } from './envelope.js';
export type { ErrorContext, FieldIssue, KzErrorCode, TransportAttempt, TransportErrorCode } from './errors.js';
export {
  boundText,
  DecodeError,
  HttpError,
  hostOf,
  KzError,
  MAX_ERROR_MESSAGE,
  MAX_ERROR_TEXT,
  SignatureError,
  type SoapFaultClass,
  SoapFaultError,
  type SoapFaultInit,
  TransportError,
  ValidationError,
} from './errors.js';
export { credentialSecrets, isCredentialHeader, REDACTED, redact, redactHeaders } from './redact.js';
export type { RetryOptions, SleepOptions } from './retry.js';
export { sleep } from './retry.js';
export type {
  AnyXml,
  AttributeMeta,
  ComplexTypeMeta,
  DocumentSchemaMeta,
  ElementMeta,
  Facets,
  FaultMeta,
  LeafKind,
  OperationMeta,
  ServiceMeta,
  SimpleTypeMeta,
  SoapVersion,
  TypeMeta,
  UnknownXml,
} from './schema.js';
export {
  newUsernameTokenId,
  PASSWORD_TEXT,
  type UsernameTokenOptions,
  usernameToken,
  WSSE_NS,
  WSU_NS,
} from './security/username-token.js';
export type { SecurityContext, SecurityPolicy, VerifyContext } from './security.js';
export type { DecodedRequest, OperationHandlers, OperationImplementations, SoapHandlerOptions } from './server.js';
export {
  createSoapHandler,
  encodeFault,
  readRequestBody,
  SoapFaultResponse,
  SoapServiceCodec,
  sendSoapResponse,
} from './server.js';
export type {
  NodeHttpTransportOptions,
  TlsOptions,
  Transport,
  TransportRequest,
  TransportResponse,
} from './transport.js';
export { NodeHttpTransport, TransportFailure } from './transport.js';
export { escapeAttribute, escapeText } from './xml/escape.js';
export type { XmlAttribute, XmlHandler, XmlLimits, XmlParseOptions, XmlScope } from './xml/reader.js';
export { parseXml, parseXmlSync, XmlParseInterrupted, XmlSyntaxError } from './xml/reader.js';
