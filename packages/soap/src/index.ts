export type { CallOptions, SoapClientOptions } from './client.js';
export { DEFAULT_MAX_RESPONSE_BYTES, SoapClient } from './client.js';
export type { UnknownReport } from './codec/decode.js';
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
export { buildEnvelope, type EnvelopeParts, SOAP11_NS, SOAP12_NS, type SoapHeaderBlock } from './envelope.js';
export type { ErrorContext, FieldIssue, KzErrorCode, TransportAttempt, TransportErrorCode } from './errors.js';
export {
  boundText,
  DecodeError,
  HttpError,
  hostOf,
  KZ_ERROR_CODES,
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
export type { BaseClientOptions, KzClient } from './options.js';
export type { ClientHooks, ErrorEvent, RequestEvent, ResponseEvent, UnknownEvent } from './pipeline/hooks.js';
export { HOOKS_POLICY, hooksPolicy, secretsOf } from './pipeline/hooks.js';
export type {
  NewPipelineRequest,
  PipelineOptions,
  PipelinePhase,
  PipelinePolicy,
  PipelinePolicyEntry,
  PipelineRequest,
  PipelineRequestIdentity,
  PipelineResponse,
  PipelineSide,
  PolicyPlacement,
  SendRequest,
  SoapEnvelopeDraft,
} from './pipeline/pipeline.js';
export { newPipelineRequest, PIPELINE_PHASES, Pipeline } from './pipeline/pipeline.js';
export { RETRY_POLICY, retryPolicy } from './pipeline/retry-policy.js';
export { SOAP_CODEC_POLICY } from './pipeline/soap-codec.js';
export { SOAP_SECURITY_POLICY, SOAP_VERIFY_POLICY } from './pipeline/soap-security.js';
export { transportErrorOf, transportStep } from './pipeline/transport-step.js';
export { type PollOptions, poll, type WaitSpec, WaitTimeoutError } from './poll.js';
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
  readUsernameToken,
  type UsernameTokenCredentials,
  type UsernameTokenOptions,
  usernameToken,
  WSSE_NS,
  WSU_NS,
} from './security/username-token.js';
export type { SecurityContext, SecurityPolicy, VerifyContext } from './security.js';
export { SOAP_SERVER_CODEC_POLICY } from './server/codec-policy.js';
export type {
  DecodedSoapRequest,
  IncomingSoapRequest,
  OutgoingSoapResponse,
  ServerPolicy,
  ServerPolicyEntry,
} from './server/exchange.js';
export { SERVER_HOOKS_POLICY, type ServerExchangeEvent, type ServerHooks, serverHooksPolicy } from './server/hooks.js';
export {
  type DecodedRequest,
  encodeFault,
  SoapFaultResponse,
  SoapServiceCodec,
} from './server/service-codec.js';
export type { OperationHandlers, OperationImplementations, SoapHandlerOptions, SoapRequestListener } from './server.js';
export { createSoapHandler, readRequestBody, sendSoapResponse } from './server.js';
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
