/**
 * The SHEP client a sending system uses: the synchronous channel (SendMessage) and the asynchronous
 * one (sendMessage, sendDeliveryNotification, getMessageStatus, getMessages), with message ids,
 * dates and sender credentials filled in, payloads through a PayloadCodec, transport signatures on
 * every request and verification of SHEP's signed answers (on unless the caller passes `verify: false`).
 *
 * Sends change state and are never retried; only getMessageStatus and getMessages may be (opt-in).
 */
import { randomUUID } from 'node:crypto';
import type { Signer } from '@kz/signing';
import {
  type BaseClientOptions,
  type CallOptions,
  type KzClient,
  NodeHttpTransport,
  type PollOptions,
  poll,
  SoapFaultError,
  TransportError,
  type TransportErrorCode,
} from '@kz/soap';
import { configError, resolveChannelEndpoints, resolveVerify, type ShepChannel } from './configuration.js';
import { ShepDeliveryError, ShepFaultError } from './errors.js';
import { AsyncChannelHttpServiceClient } from './generated/async/client.js';
import type {
  AsyncGetMessageStatusResponse,
  AsyncMessageInfoOutput,
  AsyncSendDeliveryNotificationResponse,
  AsyncSendMessageResponse,
  ErrorInfo,
  MessageType,
  Property,
  ResendMessage,
} from './generated/async/types.js';
import { ISyncChannelHttpServiceClient } from './generated/sync/client.js';
import type { SyncSendMessageResponse } from './generated/sync/types.js';
import { type PayloadCodec, rawXml } from './payload.js';
import { ShepSecurityPolicy, type VerifyEnvelopeOptions } from './wssecurity.js';

/** SHEP's two channels, each at its own URL: the per-channel shape of `endpoint`. */
export interface ShepEndpoints {
  /** The synchronous channel (ISyncChannel, SendMessage). */
  sync?: string;
  /** The asynchronous channel (sendMessage, getMessageStatus, getMessages, notifications). */
  async?: string;
}

/**
 * BaseClientOptions with `endpoint` per channel (a string serves both). `timeoutMs` applies to
 * both channels; left out, the sync channel waits 70 s (SHEP may take up to 60 s, Rules point 15)
 * and the async channel 30 s. `retry` applies to getMessageStatus and getMessages only.
 */
export interface ShepClientOptions extends BaseClientOptions<string | ShepEndpoints> {
  /**
   * One URL for both channels, or each channel's URL (SHEP publishes them separately). Required:
   * nothing falls back to the WSDLs' sample address. A channel left out of the object is not built:
   * `{ sync }` alone serves a sync-only system (e.g. SONO FNO), and touching `client.async` (or
   * `operations.async`) then throws KzError CONFIG_ERROR naming `endpoint.async`; likewise for sync.
   * Missing, empty or non-http(s) URLs are CONFIG_ERROR when the client is created.
   */
  endpoint: string | ShepEndpoints;
  /** Login of the sending system, issued by the SHEP administrator (sender/senderId). */
  senderId: string;
  /** Its password (sender/password); never logged. */
  password?: string;
  /** Transport signature of every request (Appendix 8, scenario 2). */
  signer?: Signer;
  /**
   * Required. Verify SHEP's signed answers against these certificates (`trustedCertificates`, or
   * `isTrusted`); an unsigned or tampered answer is a SignatureError (final, never retried). Bounded:
   * see MAX_SIGNED_ENVELOPE_BYTES / _ELEMENTS. `false` accepts answers unverified: an explicit opt-out,
   * never the default. Left out, or with nothing to trust, it is CONFIG_ERROR at construction.
   */
  verify: VerifyEnvelopeOptions | false;
  /** The clock for messageDate/requestDate. */
  now?: () => Date;
}

/** Properties as the contract's list or as a plain record. */
export type Properties = readonly Property[] | Readonly<Record<string, string>>;

/**
 * A message for the synchronous channel (`shep.sync.send`): the target service, the payload and its codecs.
 * messageId, messageDate and the sender are filled in by the client.
 */
export interface SyncRequest<T, R> {
  /** The service id in the SHEP registry. */
  serviceId: string;
  /** The business payload, written into `data` by `codec` (a string of raw XML by default). */
  data: T;
  /** How `data` becomes XML; default raw XML (data is a string). */
  codec?: PayloadCodec<T>;
  /** How the answer's data is read; default raw XML. */
  responseCodec?: PayloadCodec<R>;
  /** Route id from the SHEP registry, when the service needs additional routing. */
  routeId?: string;
  /** Id of the message chain this message belongs to, if any (sent as `correlationId`). */
  correlationId?: string;
  /** Additional properties agreed with SHEP and the receiving system (sent as key/value `properties`). */
  properties?: Properties;
  /** Default: a new UUID. */
  messageId?: string;
}

/** The receiving system's answer to a synchronous message (SendMessage's responseInfo and data). */
export interface SyncResult<R> {
  /** Id of the answer, assigned by the receiving system. */
  messageId: string;
  /** Id of the message chain in the receiving system, if the answer belongs to one. */
  correlationId?: string;
  /** When the receiving system answered (xs:dateTime, as received). */
  responseDate: string;
  /** SHEP's session id of the exchange (a GUID), when SHEP sets it. */
  sessionId?: string;
  /** Status set by the receiving system. */
  status: { code: string; message: string };
  /** The answer's data, decoded; undefined when the answer carries none. */
  data: R | undefined;
  /** The answer as decoded from the envelope, for fields this summary leaves out. */
  raw: SyncSendMessageResponse;
}

/**
 * A message for the asynchronous channel (`shep.async.send`): SHEP accepts it at once and delivers it later.
 * messageDate and the sender are filled in by the client; SHEP assigns the messageId.
 */
export interface AsyncRequest<T> {
  /** The service id in the SHEP registry. */
  serviceId: string;
  /** The business payload, written into `data` by `codec` (a string of raw XML by default). */
  data: T;
  /** How `data` becomes XML; default raw XML (data is a string). */
  codec?: PayloadCodec<T>;
  /** Default REQUEST. Other types need the chain's correlationId. */
  messageType?: MessageType;
  /** The chain id: leave it out for a REQUEST (SHEP generates it); required for the other message types. */
  correlationId?: string;
  /** Route id from the SHEP registry, when the service needs additional routing. */
  routeId?: string;
  /** Additional properties agreed with SHEP and the receiving system (sent as key/value `properties`). */
  properties?: Properties;
}

/** A message received from SHEP (getMessages, or pushed to createShepReceiver), with its payload decoded. */
export interface ReceivedMessage<R> {
  /** The message's header as SHEP sent it: messageId, correlationId, serviceId, messageType, sender, dates. */
  info: AsyncMessageInfoOutput;
  /** The payload (`data` content) decoded by the codec (raw XML by default). */
  data: R;
  /** The data element's content as received. */
  xml: string;
}

/** What a SHEP wait reports after each status check. */
export interface ShepWaitProgress {
  /** Id of the message being waited for (as SHEP assigned it on send). */
  messageId: string;
  /**
   * The message's state on SHEP: ON_DELIVERY, DELIVERED, NOT_DELIVERED or DELIVERY_STOPPED (others kept as received).
   */
  state: string;
  /** SHEP's status record of the message (statusCode, statusMessage, statusDate). */
  status: AsyncGetMessageStatusResponse['status'];
}

/**
 * @kz/soap's PollOptions: `timeoutMs` default 180 s (SHEP processes async messages within 3
 * minutes), `intervalMs` default 5 s (respect the interval registered for your system); an abort
 * is TransportError ABORTED (TIMEOUT for a timeout signal) with `maybeDelivered` (the message was sent).
 */
export type WaitOptions = PollOptions<ShepWaitProgress>;

/** What a SHEP wait's WaitTimeoutError carries to resume: the message sent and its chain. */
export interface ShepWaitResume {
  /** Id of the message that was sent: check it again with getMessageStatus. */
  messageId: string;
  /** Its chain id, to collect the answer with getMessages. */
  correlationId: string | undefined;
}

/**
 * Creates a ShepClient (same as `new ShepClient(options)`).
 * @throws KzError (`CONFIG_ERROR`) when `endpoint` is missing or not http(s), or `verify` is left out or trusts
 * nothing.
 */
export function createShepClient(options: ShepClientOptions): ShepClient {
  return new ShepClient(options);
}

/**
 * The client of SHEP (ШЭП, the e-government service bus) for a sending system: `sync.send` for the synchronous
 * channel (SendMessage), `async` for the asynchronous one (send, status, getMessages, delivery notifications, and
 * the send-and-wait helpers). Every request carries the sender's credentials and, with a `signer`, a transport
 * signature; SHEP's signed answers are verified (`verify`). Faults are thrown as ShepFaultError (with ErrorInfo),
 * refused signatures as SignatureError. `await using shep = createShepClient(…)` releases connections at the end.
 */
export class ShepClient implements KzClient<ShepOperations> {
  /** Login of the sending system (sender/senderId), sent in every request. */
  readonly senderId: string;
  readonly #sync: ShepSyncChannel | undefined;
  readonly #async: ShepAsyncChannel | undefined;
  readonly #operations: { sync?: ISyncChannelHttpServiceClient; async?: AsyncChannelHttpServiceClient };

  constructor(options: ShepClientOptions) {
    const endpoints = resolveChannelEndpoints(options.endpoint);
    const verify = resolveVerify(options.verify);
    this.senderId = options.senderId;
    const transport = options.transport ?? new NodeHttpTransport(options.tls ? { tls: options.tls } : {});
    const common = {
      transport,
      security: new ShepSecurityPolicy({ signer: options.signer, password: options.password, verify }),
      ...(options.hooks ? { hooks: options.hooks } : {}),
      ...(options.retry ? { retry: options.retry } : {}),
      ...(options.pipeline ? { pipeline: options.pipeline } : {}),
    };
    const sender = { senderId: options.senderId, ...(options.password ? { password: options.password } : {}) };
    const now = options.now ?? (() => new Date());
    this.#operations = {};
    if (endpoints.sync) {
      const client = new ISyncChannelHttpServiceClient({
        ...common,
        endpoint: endpoints.sync,
        timeoutMs: options.timeoutMs ?? 70_000,
      });
      this.#operations.sync = client;
      this.#sync = new ShepSyncChannel(client, sender, now);
    }
    if (endpoints.async) {
      const client = new AsyncChannelHttpServiceClient({
        ...common,
        endpoint: endpoints.async,
        timeoutMs: options.timeoutMs ?? 30_000,
      });
      this.#operations.async = client;
      this.#async = new ShepAsyncChannel(client, sender, now);
    }
  }

  /** The synchronous channel; CONFIG_ERROR naming `endpoint.sync` when it was not configured. */
  get sync(): ShepSyncChannel {
    return this.#sync ?? unconfigured('sync');
  }

  /** The asynchronous channel; CONFIG_ERROR naming `endpoint.async` when it was not configured. */
  get async(): ShepAsyncChannel {
    return this.#async ?? unconfigured('async');
  }

  /** The generated clients, for full control over every field (each channel as configured). */
  get operations(): ShepOperations {
    const operations = this.#operations;
    return {
      get sync() {
        return operations.sync ?? unconfigured('sync');
      },
      get async() {
        return operations.async ?? unconfigured('async');
      },
    };
  }

  /** Releases the transport's pooled connections (both channels share one transport). */
  close(): void {
    this.#operations.sync?.soap.close();
    this.#operations.async?.soap.close();
  }

  /** `await using shep = createShepClient(…)`: close() at the end of the scope. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }
}

/** The generated clients, one per channel: SHEP's per-channel shape of `operations`. */
export interface ShepOperations {
  /** The generated synchronous-channel client (ISyncChannel). */
  readonly sync: ISyncChannelHttpServiceClient;
  /** The generated asynchronous-channel client (AsyncChannel). */
  readonly async: AsyncChannelHttpServiceClient;
}

function unconfigured(channel: ShepChannel): never {
  throw configError(`the ${channel} channel is not configured: give endpoint.${channel}`);
}

/** Who sends through SHEP: the sender id and password SHEP registered the system under (ShepClientOptions.sender). */
export interface Sender {
  /** The sender's id in SHEP's registry (SenderInfo.senderId). */
  senderId: string;
  /** The sender's SHEP password (SenderInfo.password), when SHEP requires one: a secret. */
  password?: string;
}

/**
 * SHEP's synchronous channel (`shep.sync`): one SendMessage per call, answered by the receiving system within the
 * call (SHEP allows up to 60 s; the client waits 70 s by default).
 */
export class ShepSyncChannel {
  constructor(
    private readonly client: ISyncChannelHttpServiceClient,
    private readonly sender: Sender,
    private readonly now: () => Date,
  ) {}

  /** SendMessage: fills messageId (UUID), messageDate and the sender; returns the decoded answer. */
  async send<T = string, R = string>(request: SyncRequest<T, R>, options?: CallOptions): Promise<SyncResult<R>> {
    const codec = request.codec ?? (rawXml as unknown as PayloadCodec<T>);
    const responseCodec = request.responseCodec ?? (rawXml as unknown as PayloadCodec<R>);
    const response = await call(() =>
      this.client.sendMessage(
        {
          request: {
            requestInfo: {
              messageId: request.messageId ?? randomUUID(),
              ...(request.correlationId ? { correlationId: request.correlationId } : {}),
              serviceId: request.serviceId,
              messageDate: this.now().toISOString(),
              ...(request.routeId ? { routeId: request.routeId } : {}),
              sender: this.sender,
              ...propertiesOf(request.properties),
            },
            requestData: { data: { $xml: codec.encode(request.data) } },
          },
        },
        options,
      ),
    );
    const body = required(response.response, SYNC, 'sendMessage', 'SendMessageResponse/response');
    const info = body.responseInfo;
    const xml = body.responseData.data?.$xml;
    return {
      messageId: info.messageId,
      ...(info.correlationId !== undefined ? { correlationId: info.correlationId } : {}),
      responseDate: info.responseDate,
      ...(info.sessionId !== undefined ? { sessionId: info.sessionId } : {}),
      status: { code: info.status.code, message: info.status.message },
      data: xml === undefined || xml.trim() === '' ? undefined : responseCodec.decode(xml),
      raw: body,
    };
  }
}

/**
 * SHEP's asynchronous channel (`shep.async`): send a message and get SHEP's ids back at once, then follow it with
 * getMessageStatus and collect answers with getMessages (PULL), or use the send-and-wait helpers.
 */
export class ShepAsyncChannel {
  constructor(
    private readonly client: AsyncChannelHttpServiceClient,
    private readonly sender: Sender,
    private readonly now: () => Date,
  ) {}

  /** sendMessage: SHEP answers with the ids it assigned; the result comes later. Never retried. */
  async send<T = string>(request: AsyncRequest<T>, options?: CallOptions): Promise<AsyncSendMessageResponse> {
    const codec = request.codec ?? (rawXml as unknown as PayloadCodec<T>);
    const response = await call(() =>
      this.client.sendMessage(
        {
          request: {
            messageInfo: {
              ...(request.correlationId ? { correlationId: request.correlationId } : {}),
              serviceId: request.serviceId,
              messageType: request.messageType ?? 'REQUEST',
              ...(request.routeId ? { routeId: request.routeId } : {}),
              messageDate: this.now().toISOString(),
              sender: this.sender,
              ...propertiesOf(request.properties),
            },
            messageData: { data: { $xml: codec.encode(request.data) } },
          },
        },
        options,
      ),
    );
    return required(response.response, ASYNC, 'sendMessage', 'sendMessageResponse/response');
  }

  /** getMessageStatus: the message's state on SHEP (safe: may be retried if you opt in). */
  async getMessageStatus(
    messageId: string,
    extra: { properties?: Properties } = {},
    options?: CallOptions,
  ): Promise<AsyncGetMessageStatusResponse> {
    const response = await call(() =>
      this.client.getMessageStatus(
        {
          request: {
            messageId,
            requestDate: this.now().toISOString(),
            sender: this.sender,
            ...propertiesOf(extra.properties),
          },
        },
        options,
      ),
    );
    return required(response.response, ASYNC, 'getMessageStatus', 'getMessageStatusResponse/response');
  }

  /** getMessages (PULL): messages for this system, by service id and optionally message or chain id. */
  async getMessages<R = string>(
    query: { serviceId: string; messageId?: string; correlationId?: string; amount?: number; properties?: Properties },
    codec?: PayloadCodec<R>,
    options?: CallOptions,
  ): Promise<{ responseDate: string; sessionId: string; messages: ReceivedMessage<R>[] }> {
    const decode = codec ?? (rawXml as unknown as PayloadCodec<R>);
    const response = await call(() =>
      this.client.getMessages(
        {
          request: {
            ...(query.messageId ? { messageId: query.messageId } : {}),
            ...(query.correlationId ? { correlationId: query.correlationId } : {}),
            requestDate: this.now().toISOString(),
            serviceId: query.serviceId,
            sender: this.sender,
            ...(query.amount !== undefined ? { amount: query.amount } : {}),
            ...propertiesOf(query.properties),
          },
        },
        options,
      ),
    );
    const body = required(response.response, ASYNC, 'getMessages', 'getMessagesResponse/response');
    return {
      responseDate: body.responseDate,
      sessionId: body.sessionId,
      messages: (body.messages ?? []).map((m) => ({
        info: m.messageInfo,
        data: decode.decode(m.messageData.data.$xml),
        xml: m.messageData.data.$xml,
      })),
    };
  }

  /** sendDeliveryNotification: tell SHEP a received message was (not) accepted. Never retried. */
  async sendDeliveryNotification(
    notification: {
      messageId: string;
      serviceId: string;
      accepted: boolean;
      resend?: ResendMessage;
      error?: ErrorInfo;
    },
    options?: CallOptions,
  ): Promise<AsyncSendDeliveryNotificationResponse> {
    const date = this.now().toISOString();
    const response = await call(() =>
      this.client.sendDeliveryNotification(
        {
          request: {
            notification: {
              messageId: notification.messageId,
              serviceId: notification.serviceId,
              notificationDate: date,
              deliveryStatus: {
                receiveStatus: notification.accepted ? 'MESSAGE_ACCEPTED' : 'MESSAGE_NOT_ACCTEPTED',
                statusDate: date,
                resendMessage: notification.resend ?? 'NOT_RESEND',
                ...(notification.error ? { error: notification.error } : {}),
              },
            },
            requestDate: date,
            sender: this.sender,
          },
        },
        options,
      ),
    );
    return required(response.response, ASYNC, 'sendDeliveryNotification', 'sendDeliveryNotificationResponse/response');
  }

  /** Sends, then polls getMessageStatus until SHEP reports DELIVERED (bounded by timeoutMs). */
  async sendAndWaitForDelivery<T = string>(
    request: AsyncRequest<T>,
    wait: WaitOptions = {},
  ): Promise<{ sent: AsyncSendMessageResponse; status: AsyncGetMessageStatusResponse }> {
    const sent = await this.send(request, wait.signal ? { signal: wait.signal } : undefined);
    const status = await this.#poll(sent, wait, async (s) => (s.messageState === 'DELIVERED' ? s : undefined));
    return { sent, status };
  }

  /**
   * Sends, then polls status and getMessages (same service, same chain) until the answer arrives.
   * Fails with ShepDeliveryError if SHEP gives up delivering, WaitTimeoutError (`resume.messageId`)
   * after timeoutMs.
   */
  async sendAndWaitForResponse<T = string, R = string>(
    request: AsyncRequest<T> & { responseCodec?: PayloadCodec<R> },
    wait: WaitOptions = {},
  ): Promise<{ sent: AsyncSendMessageResponse; response: ReceivedMessage<R> }> {
    const sent = await this.send(request, wait.signal ? { signal: wait.signal } : undefined);
    const response = await this.#poll(sent, wait, async () => {
      const { messages } = await this.getMessages(
        { serviceId: request.serviceId, correlationId: sent.correlationId },
        request.responseCodec,
        wait.signal ? { signal: wait.signal } : undefined,
      );
      return messages.find((m) => m.info.messageId !== sent.messageId && m.info.messageType !== 'REQUEST');
    });
    return { sent, response };
  }

  async #poll<V>(
    sent: AsyncSendMessageResponse,
    wait: WaitOptions,
    done: (status: AsyncGetMessageStatusResponse) => Promise<V | undefined>,
  ): Promise<V> {
    const context = { service: ASYNC, operation: 'getMessageStatus' };
    const options = wait.signal ? { signal: wait.signal } : undefined;
    try {
      return await poll<ShepWaitProgress & { result: V | undefined }, ShepWaitResume>(
        async () => {
          const status = await this.getMessageStatus(sent.messageId, {}, options);
          if (undelivered(status.messageState)) {
            throw new ShepDeliveryError(context, status.messageState, status.status.statusMessage);
          }
          const result = await done(status);
          const progress = { messageId: sent.messageId, state: status.messageState, status: status.status, result };
          return { done: result !== undefined, progress };
        },
        {
          ...wait,
          ...(wait.onProgress ? { onProgress: ({ result: _, ...progress }) => wait.onProgress?.(progress) } : {}),
        },
        {
          context,
          defaults: { intervalMs: 5_000, timeoutMs: 180_000 },
          maybeDelivered: true,
          resume: () => ({ messageId: sent.messageId, correlationId: sent.correlationId }),
          describe: (last, timeoutMs) =>
            `no result within ${timeoutMs} ms for message ${sent.messageId} (last state ${last?.state ?? 'unknown'})`,
        },
      ).then((progress) => progress.result as V);
    } catch (error) {
      // The message was sent before the wait began: whatever stopped a poll, it may be delivered.
      if (error instanceof TransportError && !error.maybeDelivered) {
        const what = `${error.code.toLowerCase()} while waiting; message ${sent.messageId} was sent`;
        const { host, timeoutMs, attempt, attempts } = error;
        throw new TransportError(context, error.code as TransportErrorCode, what, {
          maybeDelivered: true,
          cause: error,
          ...(host ? { at: { host, timeoutMs, attempt, attempts } } : {}),
        });
      }
      throw error;
    }
  }
}

function propertiesOf(properties: Properties | undefined): { properties?: Property[] } {
  if (!properties) return {};
  const list = Array.isArray(properties)
    ? [...(properties as readonly Property[])]
    : Object.entries(properties as Record<string, string>).map(([key, value]) => ({ key, value }));
  return list.length > 0 ? { properties: list } : {};
}

/** The services SHEP's calls name in their errors, as the generated clients do. */
const SYNC = 'ISyncChannelHttpService';
const ASYNC = 'AsyncChannelHttpService';

function required<V>(value: V | null | undefined, service: string, operation: string, path: string): V {
  if (value === null || value === undefined) {
    throw new SoapFaultError({ service, operation }, { faultCode: 'empty', reason: `${path} is nil` }, 200);
  }
  return value;
}

/** Maps the runtime's faults to SHEP's, with ErrorInfo. */
async function call<V>(run: () => Promise<V>): Promise<V> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof SoapFaultError && !(error instanceof ShepFaultError)) throw new ShepFaultError(error);
    throw error;
  }
}

/** The two final states of a message SHEP could not deliver (a type guard: states are open). */
function undelivered(state: string): state is 'NOT_DELIVERED' | 'DELIVERY_STOPPED' {
  return state === 'NOT_DELIVERED' || state === 'DELIVERY_STOPPED';
}
