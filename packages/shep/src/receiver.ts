/**
 * The receiver side (IAsyncChannelClient): a node:http request handler SHEP calls to PUSH messages
 * (sendMessage) and status changes (changeMassageStatusNotification). It is `createSoapHandler`
 * with SHEP's policies: the verify phase checks the transport signature on the raw body before
 * anything is decoded, the operation handlers hand typed objects to your callbacks, and the sign
 * phase signs the contract's response when you give a signer; a refusal is a SOAP fault carrying
 * ErrorInfo. Usable from Express/Fastify through their raw req/res.
 */

import { randomUUID } from 'node:crypto';
import type { Signer } from '@kz/signing';
import {
  createSoapHandler,
  KzError,
  type OperationImplementations,
  type ServerPolicyEntry,
  SoapFaultResponse,
  type SoapRequestListener,
} from '@kz/soap';
import type { ReceivedMessage } from './client.js';
import { encodeErrorInfo, type FaultElement } from './errors.js';
import type { AsyncChannelClientHttpServiceOperations } from './generated/async-client/client.js';
import { serviceMeta as clientMeta } from './generated/async-client/schema.js';
import type { ChangeStatusNotification, ErrorInfo } from './generated/async-client/types.js';
import { type PayloadCodec, rawXml } from './payload.js';
import { shepSignPolicy, shepVerifyPolicy } from './server-policies.js';
import type { VerifyEnvelopeOptions } from './wssecurity.js';

/**
 * Throw from a callback to refuse a message with a SOAP fault carrying this ErrorInfo (in the
 * family: KzError RECEIVER_FAULT).
 */
export class ShepReceiverFault extends KzError {
  constructor(
    /** ErrorInfo's errorCode sent in the fault: your system's code for the refusal. */
    readonly errorCode: string,
    /** ErrorInfo's errorMessage: why the message is refused (also the error's message). */
    readonly errorMessage: string,
    /** ErrorInfo's errorData, optional extra detail for SHEP and the sender. */
    readonly errorData?: string,
  ) {
    super({ service: 'ShepReceiver', operation: 'receive' }, 'RECEIVER_FAULT', errorMessage);
  }
}

/**
 * Options of createShepReceiver: the callbacks, the payload codec, and how deliveries are verified and answers signed.
 */
export interface ShepReceiverOptions<R> {
  /** A message pushed by SHEP. Return normally to accept it; throw ShepReceiverFault to refuse it. */
  onMessage?(message: ReceivedMessage<R> & { sessionId?: string }): void | Promise<void>;
  /** The status of one of your messages changed on SHEP. */
  onStatusNotification?(
    notification: ChangeStatusNotification,
    request: { requestDate: string; sessionId?: string },
  ): void | Promise<void>;
  /** Reads `data`; default raw XML. */
  codec?: PayloadCodec<R>;
  /**
   * Trust for SHEP's transport signature. `false` accepts unsigned deliveries (mode 0 users only).
   * Checked before anything is decoded, by a bounded pre-pass first (MAX_SIGNED_ENVELOPE_BYTES / _ELEMENTS).
   */
  verify: VerifyEnvelopeOptions | false;
  /** Signs the answers. */
  signer?: Signer;
  /** Default 16 MiB. */
  maxRequestBytes?: number;
  /** Refused signatures and failing callbacks, for logs (no secrets in them). */
  onError?(error: Error): void;
  /** The clock for responseDate and errorDate in the answers. Default: the real time. */
  now?: () => Date;
}

/**
 * The receiver: a node:http request listener (with its `pipeline`: SHEP_VERIFY_POLICY and
 * SHEP_SIGN_POLICY when configured, and room for your own policies).
 */
export function createShepReceiver<R = string>(options: ShepReceiverOptions<R>): SoapRequestListener {
  const payload = options.codec ?? (rawXml as unknown as PayloadCodec<R>);
  const now = options.now ?? (() => new Date());
  const pipeline: ServerPolicyEntry[] = [];
  if (options.verify !== false) {
    const onError = options.onError;
    pipeline.push({
      phase: 'verify',
      policy: shepVerifyPolicy({ trust: options.verify, ...(onError ? { onRefused: (error) => onError(error) } : {}) }),
    });
  }
  if (options.signer) pipeline.push({ phase: 'sign', policy: shepSignPolicy(options.signer) });

  /** A ShepReceiverFault thrown by a callback, as the contract's fault with ErrorInfo. */
  const refusing = async <T>(element: FaultElement, callback: () => Promise<T>): Promise<T> => {
    try {
      return await callback();
    } catch (error) {
      if (!(error instanceof ShepReceiverFault)) throw error;
      const info: ErrorInfo = {
        errorCode: error.errorCode,
        errorMessage: error.errorMessage,
        ...(error.errorData ? { errorData: error.errorData } : {}),
        errorDate: now().toISOString(),
      };
      throw new SoapFaultResponse('server', error.errorMessage, encodeErrorInfo(element, info));
    }
  };

  const operations: OperationImplementations<AsyncChannelClientHttpServiceOperations> = {
    sendMessage: (input) =>
      refusing('sendMessage', async () => {
        const request = input.request;
        if (!request) throw new SoapFaultResponse('client', 'sendMessage/request is nil');
        const info = request.messageInfo;
        const xml = request.messageData.data.$xml;
        if (!options.onMessage) throw new SoapFaultResponse('server', 'this system accepts no messages');
        await options.onMessage({
          info,
          data: payload.decode(xml),
          xml,
          ...(info.sessionId ? { sessionId: info.sessionId } : {}),
        });
        const messageId = info.messageId ?? randomUUID();
        return {
          response: {
            messageId,
            correlationId: info.correlationId ?? messageId,
            responseDate: now().toISOString(),
            ...(info.sessionId ? { sessionId: info.sessionId } : {}),
          },
        };
      }),
    changeMassageStatusNotification: (input) =>
      refusing('changeMassageStatusNotification', async () => {
        const request = input.request;
        if (!request) throw new SoapFaultResponse('client', 'changeMassageStatusNotification/request is nil');
        if (!options.onStatusNotification)
          throw new SoapFaultResponse('server', 'status notifications are not handled');
        await options.onStatusNotification(request.notification, {
          requestDate: request.requestDate,
          ...(request.sessionId ? { sessionId: request.sessionId } : {}),
        });
        return {
          response: { responseDate: now().toISOString(), sessionId: request.sessionId ?? `{${randomUUID()}}` },
        };
      }),
  };

  return createSoapHandler(clientMeta, operations, {
    ...(options.maxRequestBytes !== undefined ? { maxRequestBytes: options.maxRequestBytes } : {}),
    pipeline,
    onError: (error) => {
      if (error instanceof Error) options.onError?.(error);
    },
  });
}
