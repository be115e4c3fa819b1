/**
 * `@kz/shep/testing`: a mock SHEP gateway on 127.0.0.1. Sync channel: routes serviceId to the
 * handlers you register. Async channel: stores messages, serves getMessageStatus and getMessages,
 * takes delivery notifications, and can PUSH to a receiver. It checks sender credentials, verifies
 * transport signatures (the certificate must be the one registered for that sender), and signs its
 * own answers with a throwaway gateway identity (`certificate` is what clients should trust).
 */
import { randomUUID } from 'node:crypto';
import { pemBody } from '@kz/signing';
import { createTestIdentity, type TestIdentity } from '@kz/signing/testing';
import { type IncomingSoapRequest, type ServerPolicyEntry, SoapFaultResponse } from '@kz/soap';
import { startSoapMock } from '@kz/soap/testing';
import { encodeErrorInfo, type FaultElement } from '../errors.js';
import { serviceMeta as asyncMeta } from '../generated/async/schema.js';
import type {
  AsyncGetMessageStatusRequest,
  AsyncGetMessagesRequest,
  AsyncSendDeliveryNotificationRequest,
  AsyncSendMessageRequest,
  MessageState,
  MessageType,
  SenderInfo,
} from '../generated/async/types.js';
import { AsyncChannelClientHttpServiceClient } from '../generated/async-client/client.js';
import type { ChangeStatusNotification } from '../generated/async-client/types.js';
import { serviceMeta as syncMeta } from '../generated/sync/schema.js';
import type { SyncMessageInfo, SyncSendMessageRequest } from '../generated/sync/types.js';
import { shepSignPolicy, shepVerifyPolicy } from '../server-policies.js';
import { ShepSecurityPolicy } from '../wssecurity.js';

/** A sending system registered with the SHEP mock (`ShepMockOptions.senders`, keyed by senderId). */
export interface MockSender {
  /** Omit to accept any password (the contract makes it optional). */
  password?: string;
  /** Certificates (PEM or DER base64) this sender signs with. */
  certificates?: readonly string[];
}

/** Options of startShepMock: the registered senders and whether signatures are required and answers signed. */
export interface ShepMockOptions {
  /** Registered sending systems by senderId. */
  senders: Readonly<Record<string, MockSender>>;
  /** Refuse unsigned requests (Appendix 8, scenario 2). Default true. */
  requireSignature?: boolean;
  /** Sign the gateway's answers. Default true. */
  signResponses?: boolean;
  /** The gateway's own identity; default a fresh test identity. */
  identity?: TestIdentity;
}

/** A synchronous message as a registered sync service handler receives it. */
export interface SyncServiceRequest {
  /** The request's header as the client sent it (messageId, serviceId, sender, properties…). */
  info: SyncMessageInfo;
  /** The content of requestData/data. */
  data: string;
}

/** What a sync service handler answers; the mock adds messageId, correlationId, dates and sessionId. */
export interface SyncServiceAnswer {
  /** XML content for responseData/data. */
  data?: string;
  /** Status of the answer; default `SCSS001` "Message has been processed successfully". */
  status?: { code: string; message: string };
}

/**
 * Plays a receiving system on the sync channel: answers the SendMessage calls for one serviceId
 * (`registerSyncService`); a thrown error becomes a server fault.
 */
export type SyncServiceHandler = (request: SyncServiceRequest) => SyncServiceAnswer | Promise<SyncServiceAnswer>;

/**
 * An asynchronous message the SHEP mock holds (`mock.messages`): a request a client sent, or a RESPONSE a service
 * handler put in its chain. Its state moves from ON_DELIVERY to DELIVERED when the handler returns, NOT_DELIVERED
 * when it throws.
 */
export interface StoredMessage {
  /** Id the mock assigned (a UUID). */
  messageId: string;
  /** The chain id: the one sent, or a new UUID for a REQUEST. */
  correlationId: string;
  /** The service id the message was sent to. */
  serviceId: string;
  /** REQUEST, RESPONSE, etc., as sent (a reply is RESPONSE). */
  messageType: MessageType;
  /** senderId of the system that sent it. */
  from: string;
  /** senderId of the system it is for ('' for the service owner). */
  to: string;
  /** The `data` content, raw XML. */
  data: string;
  /** messageDate as the sender wrote it (xs:dateTime). */
  messageDate: string;
  /** Delivery state getMessageStatus reports: ON_DELIVERY, DELIVERED or NOT_DELIVERED. */
  state: MessageState;
  /** Status code getMessageStatus reports (the mock uses the state's name). */
  statusCode: string;
  /** Status text getMessageStatus reports. */
  statusMessage: string;
  /** When the state last changed (ISO 8601). */
  statusDate: string;
  /** Set by sendDeliveryNotification from the recipient: true for MESSAGE_ACCEPTED, false otherwise; absent before. */
  acknowledged?: boolean;
}

/** What an async service handler may do besides reading the message. */
export interface AsyncServiceContext {
  /** Puts a RESPONSE in the same chain, for the original sender to fetch with getMessages. */
  reply(data: string): StoredMessage;
}

/**
 * Plays a receiving system on the async channel (`registerAsyncService`): called after sendMessage returned
 * (on the next tick), with a `reply` to put a RESPONSE in the chain; a throw marks the message NOT_DELIVERED.
 */
export type AsyncServiceHandler = (message: StoredMessage, context: AsyncServiceContext) => void | Promise<void>;

/** A running SHEP mock (startShepMock). Test-only. */
export interface ShepMock {
  /** The channel URLs to give createShepClient's `endpoint`: `/bip-sync/` and `/bip-async/` on 127.0.0.1. */
  readonly endpoints: { sync: string; async: string };
  /** The gateway's certificate (PEM): give it to clients' `verify.trustedCertificates`. */
  readonly certificate: string;
  /** Every async message stored, by messageId: inspect it, or change a state to simulate SHEP. */
  readonly messages: Map<string, StoredMessage>;
  /** Every accepted call: channel, operation, senderId. */
  readonly calls: { channel: 'sync' | 'async'; operation: string; senderId: string; serviceId?: string }[];
  /** Registers the handler that answers SendMessage for `serviceId` (an unregistered id is a SE_SERVICE fault). */
  registerSyncService(serviceId: string, handler: SyncServiceHandler): void;
  /** Registers the handler that receives async messages for `serviceId` (an unregistered id is a SE_SERVICE fault). */
  registerAsyncService(serviceId: string, handler: AsyncServiceHandler): void;
  /** PUSHes a message to a receiver (IAsyncChannelClient.sendMessage), signed by the gateway. */
  push(
    url: string,
    message: { serviceId: string; data: string; messageType?: MessageType; correlationId?: string; from?: string },
  ): Promise<{ messageId: string; correlationId: string }>;
  /** Tells a receiver a message's status changed (changeMassageStatusNotification). */
  notifyStatus(url: string, notification: ChangeStatusNotification): Promise<void>;
  /** Stops the server and closes its connections; call it when the test ends. */
  close(): Promise<void>;
  /** The same as close(), for `await using mock = await startShepMock(…)`. */
  [Symbol.asyncDispose](): Promise<void>;
}

const guid = () => `{${randomUUID()}}`;
const now = () => new Date().toISOString();

/**
 * Starts a mock SHEP gateway over real HTTP on 127.0.0.1, on an ephemeral port, serving both channels. It checks
 * each request's sender (senderId and password, faults SE_AUTH) and, by default, that the transport signature is
 * by one of the sender's registered certificates (SE_SIGNATURE); it signs its own answers with a throwaway
 * identity (`mock.certificate`: give it to the client's `verify.trustedCertificates`). Register service handlers
 * to play the receiving systems; `push` and `notifyStatus` call your createShepReceiver. Stop it with
 * `mock.close()` (or `await using` it). Test-only.
 */
export async function startShepMock(options: ShepMockOptions): Promise<ShepMock> {
  const identity = options.identity ?? createTestIdentity({ commonName: 'SHEP MOCK GATEWAY' });
  const requireSignature = options.requireSignature ?? true;
  const signResponses = options.signResponses ?? true;
  const syncServices = new Map<string, SyncServiceHandler>();
  const asyncServices = new Map<string, AsyncServiceHandler>();
  const messages = new Map<string, StoredMessage>();
  const calls: ShepMock['calls'] = [];

  const fault = (element: FaultElement, code: string, message: string, side: 'client' | 'server' = 'client') =>
    new SoapFaultResponse(
      side,
      message,
      encodeErrorInfo(element, { errorCode: code, errorMessage: message, errorDate: now(), sessionId: guid() }),
    );

  const authorize = (element: FaultElement, sender: SenderInfo | undefined, signer: string | undefined): string => {
    // Own entries only: a sender id like `constructor` must not find Object.prototype's.
    const registered =
      sender && Object.hasOwn(options.senders, sender.senderId) ? options.senders[sender.senderId] : undefined;
    if (!sender || !registered || (registered.password !== undefined && registered.password !== sender.password)) {
      throw fault(element, 'SE_AUTH', 'sender authorization failed');
    }
    if (requireSignature) {
      const own = (registered.certificates ?? []).map(pemBody);
      if (!signer || !own.includes(signer)) {
        throw fault(element, 'SE_SIGNATURE', 'the transport signature does not belong to the sender');
      }
    }
    return sender.senderId;
  };

  const setState = (message: StoredMessage, state: MessageState, code: string, text: string) => {
    message.state = state;
    message.statusCode = code;
    message.statusMessage = text;
    message.statusDate = now();
  };

  const store = (m: Omit<StoredMessage, 'state' | 'statusCode' | 'statusMessage' | 'statusDate'>): StoredMessage => {
    const message: StoredMessage = {
      ...m,
      state: 'ON_DELIVERY',
      statusCode: 'ON_DELIVERY',
      statusMessage: 'accepted by SHEP',
      statusDate: now(),
    };
    messages.set(message.messageId, message);
    return message;
  };

  async function handleSync(input: unknown, signer: string | undefined): Promise<unknown> {
    const request = (input as { request: SyncSendMessageRequest | null }).request;
    if (!request) throw fault('sync', 'SE_FORMAT', 'request is nil');
    const info = request.requestInfo;
    const senderId = authorize('sync', info.sender, signer);
    calls.push({ channel: 'sync', operation: 'SendMessage', senderId, serviceId: info.serviceId });
    const service = syncServices.get(info.serviceId);
    if (!service) throw fault('sync', 'SE_SERVICE', `service ${info.serviceId} is not registered`);
    const answer = await service({ info, data: request.requestData.data?.$xml ?? '' });
    return {
      response: {
        responseInfo: {
          messageId: randomUUID(),
          correlationId: info.correlationId ?? info.messageId,
          responseDate: now(),
          status: answer.status ?? { code: 'SCSS001', message: 'Message has been processed successfully' },
          sessionId: guid(),
        },
        responseData: answer.data !== undefined ? { data: { $xml: answer.data } } : {},
      },
    };
  }

  async function handleAsync(operation: string, input: unknown, signer: string | undefined): Promise<unknown> {
    const request = (input as { request: unknown }).request;
    const element = operation as FaultElement;
    if (!request) throw fault(element, 'SE_FORMAT', 'request is nil');
    if (operation === 'sendMessage') {
      const { messageInfo, messageData } = request as AsyncSendMessageRequest;
      const senderId = authorize(element, messageInfo.sender, signer);
      calls.push({ channel: 'async', operation, senderId, serviceId: messageInfo.serviceId });
      const service = asyncServices.get(messageInfo.serviceId);
      if (!service) throw fault(element, 'SE_SERVICE', `service ${messageInfo.serviceId} is not registered`);
      if (messageInfo.messageType !== 'REQUEST' && !messageInfo.correlationId) {
        throw fault(element, 'SE_FORMAT', 'correlationId is required for messages other than REQUEST');
      }
      const messageId = randomUUID();
      const message = store({
        messageId,
        correlationId: messageInfo.correlationId ?? randomUUID(),
        serviceId: messageInfo.serviceId,
        messageType: messageInfo.messageType,
        from: senderId,
        to: '',
        data: messageData.data.$xml,
        messageDate: messageInfo.messageDate,
      });
      setImmediate(() => {
        const context: AsyncServiceContext = {
          reply: (data) =>
            store({
              messageId: randomUUID(),
              correlationId: message.correlationId,
              serviceId: message.serviceId,
              messageType: 'RESPONSE',
              from: '',
              to: message.from,
              data,
              messageDate: now(),
            }),
        };
        Promise.resolve()
          .then(() => service(message, context))
          .then(
            () => setState(message, 'DELIVERED', 'DELIVERED', 'delivered to the receiving system'),
            () => setState(message, 'NOT_DELIVERED', 'NOT_DELIVERED', 'the receiving system refused the message'),
          );
      });
      return { response: { messageId, correlationId: message.correlationId, responseDate: now(), sessionId: guid() } };
    }
    if (operation === 'getMessageStatus') {
      const r = request as AsyncGetMessageStatusRequest;
      const senderId = authorize(element, r.sender, signer);
      calls.push({ channel: 'async', operation, senderId });
      const message = messages.get(r.messageId);
      if (!message || message.from !== senderId) throw fault(element, 'SE_NOT_FOUND', 'message not found');
      return {
        response: {
          messageState: message.state,
          status: {
            statusCode: message.statusCode,
            statusMessage: message.statusMessage,
            statusDate: message.statusDate,
          },
          responseDate: now(),
          sessionId: guid(),
        },
      };
    }
    if (operation === 'getMessages') {
      const r = request as AsyncGetMessagesRequest;
      const senderId = authorize(element, r.sender, signer);
      calls.push({ channel: 'async', operation, senderId, serviceId: r.serviceId });
      const found = [...messages.values()].filter(
        (m) =>
          m.to === senderId &&
          m.serviceId === r.serviceId &&
          (!r.messageId || m.messageId === r.messageId) &&
          (!r.correlationId || m.correlationId === r.correlationId),
      );
      const limited = r.amount ? found.slice(0, r.amount) : found;
      return {
        response: {
          responseDate: now(),
          sessionId: guid(),
          messages: limited.map((m) => ({
            messageInfo: {
              messageId: m.messageId,
              correlationId: m.correlationId,
              serviceId: m.serviceId,
              messageType: m.messageType,
              messageDate: m.messageDate,
              sender: { senderId: m.from || 'SHEP' },
              sessionId: guid(),
            },
            messageData: { data: { $xml: m.data } },
          })),
        },
      };
    }
    const r = request as AsyncSendDeliveryNotificationRequest;
    const senderId = authorize(element, r.sender, signer);
    calls.push({ channel: 'async', operation, senderId, serviceId: r.notification.serviceId });
    const message = messages.get(r.notification.messageId);
    if (!message || message.to !== senderId) throw fault(element, 'SE_NOT_FOUND', 'message not found');
    message.acknowledged = r.notification.deliveryStatus.receiveStatus === 'MESSAGE_ACCEPTED';
    return { response: { notificationId: randomUUID(), responseDate: now(), sessionId: guid() } };
  }

  // The verify phase notes who signed each request; the operations authorize that signer.
  const signers = new WeakMap<IncomingSoapRequest, string>();
  const policies: ServerPolicyEntry[] = [
    {
      phase: 'verify',
      policy: shepVerifyPolicy({
        trust: { isTrusted: () => true },
        required: requireSignature,
        onVerified: (request, certificate) => signers.set(request, certificate),
      }),
    },
  ];
  if (signResponses) policies.push({ phase: 'sign', policy: shepSignPolicy(identity.signer) });
  const asyncOperation =
    (operation: string) =>
    (input: unknown, request: IncomingSoapRequest): Promise<unknown> =>
      handleAsync(operation, input, signers.get(request));
  const server = await startSoapMock(
    syncMeta,
    { SendMessage: (input: unknown, request: IncomingSoapRequest) => handleSync(input, signers.get(request)) },
    {
      path: '/bip-sync/',
      pipeline: policies,
      services: [
        {
          path: '/bip-async/',
          meta: asyncMeta,
          handlers: Object.fromEntries(Object.keys(asyncMeta.operations).map((name) => [name, asyncOperation(name)])),
          options: { pipeline: policies },
        },
      ],
    },
  );

  const pushClient = (url: string) =>
    new AsyncChannelClientHttpServiceClient({
      endpoint: url,
      security: new ShepSecurityPolicy({ signer: identity.signer }),
      timeoutMs: 40_000,
    });

  return {
    endpoints: { sync: server.url, async: `${server.origin}/bip-async/` },
    certificate: identity.certificatePem,
    messages,
    calls,
    registerSyncService: (serviceId, h) => void syncServices.set(serviceId, h),
    registerAsyncService: (serviceId, h) => void asyncServices.set(serviceId, h),
    async push(url, message) {
      const client = pushClient(url);
      const messageId = randomUUID();
      const correlationId = message.correlationId ?? randomUUID();
      try {
        await client.sendMessage({
          request: {
            messageInfo: {
              messageId,
              correlationId,
              serviceId: message.serviceId,
              messageType: message.messageType ?? 'REQUEST',
              messageDate: now(),
              sender: { senderId: message.from ?? 'SHEP' },
              sessionId: guid(),
            },
            messageData: { data: { $xml: message.data } },
          },
        });
      } finally {
        client.soap.close();
      }
      return { messageId, correlationId };
    },
    async notifyStatus(url, notification) {
      const client = pushClient(url);
      try {
        await client.changeMassageStatusNotification({
          request: { notification, requestDate: now(), sessionId: guid() },
        });
      } finally {
        client.soap.close();
      }
    },
    close: () => server.close(),
    [Symbol.asyncDispose]: () => server.close(),
  };
}
