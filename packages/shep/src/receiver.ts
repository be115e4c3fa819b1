/**
 * The receiver side (IAsyncChannelClient): a node:http request handler SHEP calls to PUSH messages
 * (sendMessage) and status changes (changeMassageStatusNotification). It verifies the transport
 * signature on the raw body before anything is decoded, hands typed objects to your callbacks, and
 * answers with the contract's response, signed when you give a signer, or with a SOAP fault carrying
 * ErrorInfo. Usable from Express/Fastify through their raw req/res.
 */

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Signer } from '@kz/signing';
import {
  encodeFault,
  KzError,
  readRequestBody,
  SignatureError,
  SoapFaultResponse,
  SoapServiceCodec,
  type SoapVersion,
  sendSoapResponse,
} from '@kz/soap';
import type { ReceivedMessage } from './client.js';
import { encodeErrorInfo, type FaultElement } from './errors.js';
import { serviceMeta as clientMeta } from './generated/async-client/schema.js';
import type {
  AsyncChangeStatusNotifyRequest,
  ChangeStatusNotification,
  ErrorInfo,
  SendMessage,
} from './generated/async-client/types.js';
import { type PayloadCodec, rawXml } from './payload.js';
import { signatureError, signEnvelope, type VerifyEnvelopeOptions, verifyEnvelopeAsync } from './wssecurity.js';

/**
 * Throw from a callback to refuse a message with a SOAP fault carrying this ErrorInfo (in the
 * family: KzError RECEIVER_FAULT).
 */
export class ShepReceiverFault extends KzError {
  constructor(
    readonly errorCode: string,
    readonly errorMessage: string,
    readonly errorData?: string,
  ) {
    super({ service: 'ShepReceiver', operation: 'receive' }, 'RECEIVER_FAULT', errorMessage);
  }
}

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
  now?: () => Date;
}

const SERVICE = 'AsyncChannelClientHttpService';

export function createShepReceiver<R = string>(
  options: ShepReceiverOptions<R>,
): (req: IncomingMessage, res: ServerResponse) => void {
  const codec = new SoapServiceCodec(clientMeta);
  const payload = options.codec ?? (rawXml as unknown as PayloadCodec<R>);
  const maxBytes = options.maxRequestBytes ?? 16 * 1024 * 1024;
  const now = options.now ?? (() => new Date());
  return (req, res) => {
    void (async () => {
      let version: SoapVersion = String(req.headers['content-type'] ?? '').includes('soap+xml') ? '1.2' : '1.1';
      let faultElement: FaultElement = 'sendMessage';
      try {
        if (req.method !== 'POST') throw new SoapFaultResponse('client', 'only POST is supported');
        const body = await readRequestBody(req, maxBytes);
        if (options.verify !== false) {
          try {
            await verifyEnvelopeAsync(body, options.verify);
          } catch (error) {
            const refused = signatureError({ service: SERVICE, operation: 'receive' }, error);
            options.onError?.(refused);
            throw new SoapFaultResponse('client', `transport signature refused: ${refused.message}`);
          }
        }
        const decoded = await codec.decodeRequest(body, maxBytes);
        version = decoded.version;
        let output: unknown;
        if (decoded.operation.name === 'sendMessage') {
          const request = (decoded.input as SendMessage).request;
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
          output = {
            response: {
              messageId,
              correlationId: info.correlationId ?? messageId,
              responseDate: now().toISOString(),
              ...(info.sessionId ? { sessionId: info.sessionId } : {}),
            },
          };
        } else {
          faultElement = 'changeMassageStatusNotification';
          const request = (decoded.input as { request: AsyncChangeStatusNotifyRequest | null }).request;
          if (!request) throw new SoapFaultResponse('client', 'changeMassageStatusNotification/request is nil');
          if (!options.onStatusNotification)
            throw new SoapFaultResponse('server', 'status notifications are not handled');
          await options.onStatusNotification(request.notification, {
            requestDate: request.requestDate,
            ...(request.sessionId ? { sessionId: request.sessionId } : {}),
          });
          output = {
            response: { responseDate: now().toISOString(), sessionId: request.sessionId ?? `{${randomUUID()}}` },
          };
        }
        let xml = codec.encodeResponse(decoded.operation, output, version);
        if (options.signer) xml = await signEnvelope(xml, options.signer);
        sendSoapResponse(res, 200, version, xml);
      } catch (error) {
        let fault: SoapFaultResponse;
        if (error instanceof SoapFaultResponse) fault = error;
        else if (error instanceof ShepReceiverFault) {
          const info: ErrorInfo = {
            errorCode: error.errorCode,
            errorMessage: error.errorMessage,
            ...(error.errorData ? { errorData: error.errorData } : {}),
            errorDate: now().toISOString(),
          };
          fault = new SoapFaultResponse('server', error.errorMessage, encodeErrorInfo(faultElement, info));
        } else {
          if (!(error instanceof SignatureError) && error instanceof Error) options.onError?.(error);
          fault = new SoapFaultResponse('server', 'internal error');
        }
        sendSoapResponse(
          res,
          fault.side === 'client' && version === '1.2' ? 400 : 500,
          version,
          encodeFault(version, fault),
        );
      }
    })();
  };
}
