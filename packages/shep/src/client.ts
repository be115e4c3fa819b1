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
  type CallOptions,
  type ClientHooks,
  NodeHttpTransport,
  type RetryOptions,
  SoapFaultError,
  sleep,
  type TlsOptions,
  type Transport,
  TransportError,
  type TransportErrorCode,
} from '@kz/soap';
import { configError, resolveChannelEndpoints, resolveVerify, type ShepChannel } from './configuration.js';
import { ShepDeliveryError, ShepFaultError, ShepTimeoutError } from './errors.js';
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

export interface ShepClientOptions {
  /**
   * One URL for both channels, or each channel's URL (SHEP publishes them separately). Required:
   * nothing falls back to the WSDLs' sample address. A channel left out of the object is not built:
   * `{ sync }` alone serves a sync-only system (e.g. SONO FNO), and touching `client.async` (or
   * `operations.async`) then throws KzError CONFIG_ERROR naming `endpoint.async`; likewise for sync.
   * Missing, empty or non-http(s) URLs are CONFIG_ERROR when the client is created.
   */
  endpoint: string | { sync?: string; async?: string };
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
  tls?: TlsOptions;
  /** Sync channel timeout. Default 70 s: SHEP may take up to 60 s (Rules, point 15). */
  syncTimeoutMs?: number;
  /** Async channel call timeout. Default 30 s. */
  asyncTimeoutMs?: number;
  transport?: Transport;
  hooks?: ClientHooks;
  /** Opt-in retries for getMessageStatus and getMessages only. */
  retry?: RetryOptions;
  /** The clock for messageDate/requestDate. */
  now?: () => Date;
}

/** Properties as the contract's list or as a plain record. */
export type Properties = readonly Property[] | Readonly<Record<string, string>>;

export interface SyncRequest<T, R> {
  /** The service id in the SHEP registry. */
  serviceId: string;
  data: T;
  /** How `data` becomes XML; default raw XML (data is a string). */
  codec?: PayloadCodec<T>;
  /** How the answer's data is read; default raw XML. */
  responseCodec?: PayloadCodec<R>;
  routeId?: string;
  correlationId?: string;
  properties?: Properties;
  /** Default: a new UUID. */
  messageId?: string;
}

export interface SyncResult<R> {
  messageId: string;
  correlationId?: string;
  responseDate: string;
  sessionId?: string;
  /** Status set by the receiving system. */
  status: { code: string; message: string };
  /** The answer's data, decoded; undefined when the answer carries none. */
  data: R | undefined;
  raw: SyncSendMessageResponse;
}

export interface AsyncRequest<T> {
  serviceId: string;
  data: T;
  codec?: PayloadCodec<T>;
  /** Default REQUEST. Other types need the chain's correlationId. */
  messageType?: MessageType;
  correlationId?: string;
  routeId?: string;
  properties?: Properties;
}

export interface ReceivedMessage<R> {
  info: AsyncMessageInfoOutput;
  data: R;
  /** The data element's content as received. */
  xml: string;
}

export interface WaitOptions {
  /** Give up after this long. Default 180 s (SHEP processes async messages within 3 minutes). */
  timeoutMs?: number;
  /** Pause between polls. Default 5 s; respect the interval registered for your system. */
  intervalMs?: number;
  /** Cancels the wait: TransportError ABORTED (TIMEOUT for a timeout signal), `maybeDelivered` (the message was sent). */
  signal?: AbortSignal;
  onProgress?(event: { messageId: string; state: string; status: AsyncGetMessageStatusResponse['status'] }): void;
}

export function createShepClient(options: ShepClientOptions): ShepClient {
  return new ShepClient(options);
}

export class ShepClient {
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
    };
    const sender = { senderId: options.senderId, ...(options.password ? { password: options.password } : {}) };
    const now = options.now ?? (() => new Date());
    this.#operations = {};
    if (endpoints.sync) {
      const client = new ISyncChannelHttpServiceClient({
        ...common,
        endpoint: endpoints.sync,
        timeoutMs: options.syncTimeoutMs ?? 70_000,
      });
      this.#operations.sync = client;
      this.#sync = new ShepSyncChannel(client, sender, now);
    }
    if (endpoints.async) {
      const client = new AsyncChannelHttpServiceClient({
        ...common,
        endpoint: endpoints.async,
        timeoutMs: options.asyncTimeoutMs ?? 30_000,
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
  get operations(): { sync: ISyncChannelHttpServiceClient; async: AsyncChannelHttpServiceClient } {
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

  close(): void {
    this.#operations.sync?.soap.close();
    this.#operations.async?.soap.close();
  }
}

function unconfigured(channel: ShepChannel): never {
  throw configError(`the ${channel} channel is not configured: give endpoint.${channel}`);
}

type Sender = { senderId: string; password?: string };

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
    const body = required(response.response, 'SendMessageResponse/response');
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
    return required(response.response, 'sendMessageResponse/response');
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
    return required(response.response, 'getMessageStatusResponse/response');
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
    const body = required(response.response, 'getMessagesResponse/response');
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
    return required(response.response, 'sendDeliveryNotificationResponse/response');
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
   * Fails with ShepDeliveryError if SHEP gives up delivering, ShepTimeoutError after timeoutMs.
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
    const timeoutMs = wait.timeoutMs ?? 180_000;
    const intervalMs = wait.intervalMs ?? 5_000;
    const deadline = Date.now() + timeoutMs;
    const context = { service: 'AsyncChannelHttpService', operation: 'getMessageStatus' };
    const options = wait.signal ? { signal: wait.signal } : undefined;
    let last: AsyncGetMessageStatusResponse | undefined;
    try {
      for (;;) {
        const status = await this.getMessageStatus(sent.messageId, {}, options);
        last = status;
        wait.onProgress?.({ messageId: sent.messageId, state: status.messageState, status: status.status });
        if (undelivered(status.messageState)) {
          throw new ShepDeliveryError(context, status.messageState, status.status.statusMessage);
        }
        const result = await done(status);
        if (result !== undefined) return result;
        if (Date.now() + intervalMs > deadline) {
          throw new ShepTimeoutError(
            context,
            `no result within ${timeoutMs} ms (last state ${last.messageState})`,
            last,
          );
        }
        await sleep(intervalMs, { signal: wait.signal, context, maybeDelivered: true });
      }
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

function required<V>(value: V | null | undefined, path: string): V {
  if (value === null || value === undefined) {
    throw new SoapFaultError(
      { service: 'SHEP', operation: path },
      { faultCode: 'empty', reason: `${path} is nil` },
      200,
    );
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
