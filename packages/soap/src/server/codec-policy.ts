/**
 * A server's serialize phase: decodes the request's envelope (operation, input, Header blocks)
 * on the way in, encodes the handler's output as the response envelope on the way out.
 */
import type { SoapVersion } from '../schema.js';
import type { IncomingSoapRequest, ServerPolicy } from './exchange.js';
import { SoapFaultResponse, type SoapServiceCodec } from './service-codec.js';

/** The name of a server's codec policy (phase serialize), as a client's: what `before`/`after` refer to. */
export const SOAP_SERVER_CODEC_POLICY = 'soap-codec';

/** How the server codec policy reads requests. */
export interface ServerCodecOptions {
  /** Largest request decoded, bytes. */
  maxRequestBytes: number;
  /** Refuse envelopes of another SOAP version (undefined: either). */
  soapVersion?: SoapVersion | undefined;
}

/** The serialize-phase policy of a server: decodes with `codec` on the way in, encodes on the way out. */
export function serverCodecPolicy(codec: SoapServiceCodec, options: ServerCodecOptions): ServerPolicy {
  return {
    name: SOAP_SERVER_CODEC_POLICY,
    async sendRequest(request: IncomingSoapRequest, next) {
      const decoded = await codec.decodeRequest(request.body, options.maxRequestBytes, request.signal);
      request.soapVersion = decoded.version;
      if (options.soapVersion !== undefined && decoded.version !== options.soapVersion) {
        throw new SoapFaultResponse('client', `this service speaks SOAP ${options.soapVersion}`);
      }
      request.operation = decoded.operation;
      request.input = decoded.input;
      request.soapHeaders = decoded.headers;
      const response = await next(request);
      response.body = codec.encodeResponse(decoded.operation, response.output, decoded.version);
      return response;
    },
  };
}
