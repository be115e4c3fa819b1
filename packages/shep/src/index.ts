export {
  DS_NS,
  ENVELOPED_SIGNATURE,
  EXC_C14N,
  MAX_SIGNED_DOCUMENT_BYTES,
  MAX_SIGNED_DOCUMENT_ELEMENTS,
  RSA_SHA256_SUPPORT,
  signXml,
  signXmlDocument,
  type TrustOptions,
  type VerifyXmlDocumentOptions,
  verifyXmlDocument,
  type XmlDsigAlgorithmSupport,
  XmlSignatureFailure,
} from '@kz/signing';
export {
  type AsyncRequest,
  createShepClient,
  type Properties,
  type ReceivedMessage,
  type Sender,
  ShepAsyncChannel,
  ShepClient,
  type ShepClientOptions,
  type ShepEndpoints,
  type ShepOperations,
  ShepSyncChannel,
  type ShepWaitProgress,
  type ShepWaitResume,
  type SyncRequest,
  type SyncResult,
  type WaitOptions,
} from './client.js';
export {
  type EnvelopeLimits,
  MAX_SIGNED_ENVELOPE_BYTES,
  MAX_SIGNED_ENVELOPE_ELEMENTS,
  type StopConditions,
} from './envelope-shape.js';
export {
  encodeErrorInfo,
  type FaultElement,
  ShepDeliveryError,
  ShepFaultError,
} from './errors.js';
export { AsyncChannelHttpServiceClient } from './generated/async/client.js';
export { serviceMeta as asyncChannelMeta } from './generated/async/schema.js';
export type * from './generated/async/types.js';
export { AsyncChannelClientHttpServiceClient } from './generated/async-client/client.js';
export { serviceMeta as asyncChannelClientMeta } from './generated/async-client/schema.js';
export type {
  AsyncChangeStatusNotifyRequest,
  AsyncChangeStatusNotifyResponse,
  // The receiver side's copies (the async channel's own are exported as AsyncMessageInfo, AsyncSendMessageRequest).
  AsyncMessageInfo as AsyncClientMessageInfo,
  AsyncSendMessageRequest as AsyncClientSendMessageRequest,
  ChangeMassageStatusNotification,
  ChangeMassageStatusNotificationResponse,
  ChangeStatusNotification,
  // The receiver side's sendMessage elements (the async channel's own are exported as SendMessage…).
  SendMessage as AsyncClientSendMessageElement,
  SendMessageResponse as AsyncClientSendMessageResponseElement,
} from './generated/async-client/types.js';
export { ISyncChannelHttpServiceClient } from './generated/sync/client.js';
export { serviceMeta as syncChannelMeta } from './generated/sync/schema.js';
export type {
  RequestData,
  ResponseData,
  // The synchronous channel's SendMessage elements (the async channel's are exported as SendMessage…).
  SendMessage as SyncSendMessageElement,
  SendMessageResponse as SyncSendMessageResponseElement,
  StatusInfo,
  StatusInfoMessage,
  SyncMessageInfo,
  SyncMessageInfoResponse,
  SyncSendMessageRequest,
  SyncSendMessageResponse,
} from './generated/sync/types.js';
export { documentCodec, type PayloadCodec, rawXml, textPayload } from './payload.js';
export { createShepReceiver, ShepReceiverFault, type ShepReceiverOptions } from './receiver.js';
export {
  SHEP_SIGN_POLICY,
  SHEP_VERIFY_POLICY,
  type ShepVerifyPolicyOptions,
  shepSignPolicy,
  shepVerifyPolicy,
} from './server-policies.js';
export {
  BASE64_BINARY,
  type ShepSecurityOptions,
  ShepSecurityPolicy,
  signEnvelope,
  type VerifiedEnvelope,
  type VerifyEnvelopeOptions,
  verifyEnvelope,
  verifyEnvelopeAsync,
  WSSE_NS,
  WSU_NS,
  X509V3,
} from './wssecurity.js';
