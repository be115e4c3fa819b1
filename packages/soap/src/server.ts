/**
 * The service side: a node:http request handler serving a contract's operations, used by every
 * package's mock (`startSoapMock` in `@kz/soap/testing`) and by receivers a government gateway
 * calls back (SHEP PUSH delivery).
 *
 * A request goes through the same Pipeline as a client's call (pipeline/pipeline.ts), with
 * `side: 'server'`: it comes in from the network, so it meets the phases in the reverse order,
 * each with the meaning it has for a client:
 *
 *   observe    hooks and logs (`hooks.onExchange`): sees every request and how it was answered
 *   verify     checks what arrived before anything decodes it: an XML signature, a token; its
 *              refusal (a thrown SoapFaultResponse or SignatureError) is the client's fault
 *   retry      no built-in policy: a server never runs a handler twice
 *   sign       secures what leaves: replaces `response.body` (already encoded) with the signed envelope
 *   serialize  the codec: raw body -> `operation`, `input`, `soapHeaders` on the way in;
 *              the handler's `output` -> `response.body` on the way out
 *   (the operation handler, called with the decoded input and the request)
 *
 * The request (IncomingSoapRequest) holds the raw body bytes, the HTTP method, path and headers,
 * the node request, a signal for a caller that went away, and, once serialize has run, the
 * operation, its input and the SOAP Header blocks (raw XML per block with its name and
 * namespace). The response (OutgoingSoapResponse) holds the status, extra headers, the handler's
 * output and the envelope text.
 *
 * Whatever a policy or a handler throws ends the request with a fault, at one place (the edge,
 * here): a SoapFaultResponse as it is, a SignatureError as a client fault, anything else as a
 * server fault "internal error" (reported to `onError`, never sent). Faults do not travel back
 * through the policies: they are not signed.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { KzError } from './errors.js';
import { Pipeline, type SendRequest } from './pipeline/pipeline.js';
import type { ServiceMeta, SoapVersion } from './schema.js';
import { SOAP_SERVER_CODEC_POLICY, serverCodecPolicy } from './server/codec-policy.js';
import type {
  DecodedSoapRequest,
  IncomingSoapRequest,
  OutgoingSoapResponse,
  ServerPolicyEntry,
} from './server/exchange.js';
import { type ServerHooks, serverHooksPolicy } from './server/hooks.js';
import { encodeFault, faultOf, faultStatus, SoapFaultResponse, SoapServiceCodec } from './server/service-codec.js';

/** Operation handlers by WSDL operation name: the decoded input and the decoded request in, the output out. */
export type OperationHandlers = Record<string, (input: never, request: DecodedSoapRequest) => unknown>;

/** Typed handlers from a generated `<Service>Operations` map: one function per operation. */
export type OperationImplementations<
  Operations extends { [K in keyof Operations]: { input: unknown; output: unknown } },
> = {
  [K in keyof Operations]?: (
    input: Operations[K]['input'],
    request: DecodedSoapRequest,
  ) => Operations[K]['output'] | Promise<Operations[K]['output']>;
};

/** How `createSoapHandler` serves. */
export interface SoapHandlerOptions {
  /** Largest request accepted. Default 16 MiB. */
  maxRequestBytes?: number;
  /** Answer only this SOAP version (a request in the other is a client fault). Default: either. */
  soapVersion?: SoapVersion;
  /** Policies added to the handler's pipeline, each with its phase or neighbour (see Pipeline.add). */
  pipeline?: readonly ServerPolicyEntry[];
  /** Observers (an observe-phase policy): one event per request, e.g. to record traffic in tests. */
  hooks?: ServerHooks;
  /**
   * Errors that became the server fault "internal error" (a failing handler or policy), for logs;
   * the caller only sees "internal error".
   */
  onError?(error: unknown, request: IncomingSoapRequest): void;
}

/** A node:http request listener serving SOAP, with the pipeline its requests go through. */
export interface SoapRequestListener {
  /** Handles one request: answers with the operation's response envelope, or a SOAP fault (also for a non-POST). */
  (req: IncomingMessage, res: ServerResponse): void;
  /** The policies every request goes through; add, order and remove them by name. */
  readonly pipeline: Pipeline<IncomingSoapRequest, OutgoingSoapResponse>;
}

const DEFAULT_MAX_REQUEST_BYTES = 16 * 1024 * 1024;

/**
 * A node:http request handler (also usable from Express/Fastify's raw req/res) serving the
 * operations in `handlers` (keyed by WSDL operation name) through a server pipeline (see the
 * module comment). Unknown or malformed requests get a client fault; a handler that throws
 * SoapFaultResponse gets that fault; any other error a server fault without internals.
 */
export function createSoapHandler(
  meta: ServiceMeta,
  handlers: OperationHandlers,
  options: SoapHandlerOptions = {},
): SoapRequestListener {
  const codec = new SoapServiceCodec(meta);
  const maxRequestBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
  const pipeline = new Pipeline<IncomingSoapRequest, OutgoingSoapResponse>([], { side: 'server' });
  pipeline.add(serverCodecPolicy(codec, { maxRequestBytes, soapVersion: options.soapVersion }), {
    phase: 'serialize',
  });
  if (options.hooks) pipeline.add(serverHooksPolicy(options.hooks), { phase: 'observe' });
  for (const { policy, ...placement } of options.pipeline ?? []) pipeline.add(policy, placement);
  const dispatch = dispatchStep(handlers);

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    void (async () => {
      // A caller that goes away stops the decoding of its request.
      const gone = new AbortController();
      res.once('close', () => gone.abort());
      const request: IncomingSoapRequest = {
        requestId: randomUUID(),
        service: meta.service,
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body: Buffer.alloc(0),
        soapVersion: versionOfContentType(req.headers['content-type']),
        signal: gone.signal,
        http: req,
      };
      try {
        if (req.method !== 'POST') throw new SoapFaultResponse('client', 'only POST is supported');
        request.body = await readRequestBody(req, maxRequestBytes);
        const response = await pipeline.send(request, dispatch);
        sendSoapResponse(res, response.status, request.soapVersion, response.body, response.headers);
      } catch (error) {
        const fault = faultOf(error);
        if (fault.side === 'server' && !(error instanceof SoapFaultResponse)) options.onError?.(error, request);
        const version = request.soapVersion;
        sendSoapResponse(res, faultStatus(version, fault), version, encodeFault(version, fault));
      }
    })();
  };
  return Object.assign(listener, { pipeline });
}

/** The end of a server's pipeline: the operation's handler, given the decoded request. */
function dispatchStep(handlers: OperationHandlers): SendRequest<IncomingSoapRequest, OutgoingSoapResponse> {
  return async (request) => {
    const operation = request.operation;
    if (!operation) {
      // The handler's pipeline is the user's to change: removing the codec is a configuration error.
      throw new KzError(
        { service: request.service, operation: '*', requestId: request.requestId },
        'CONFIG_ERROR',
        `the ${SOAP_SERVER_CODEC_POLICY} policy was removed: nothing decoded the request`,
      );
    }
    const handler = Object.hasOwn(handlers, operation.name) ? handlers[operation.name] : undefined;
    if (!handler) throw new SoapFaultResponse('server', `${operation.name} is not implemented`);
    const output = await handler(request.input as never, request as DecodedSoapRequest);
    return { status: 200, headers: {}, body: '', output };
  };
}

function versionOfContentType(contentType: string | undefined): SoapVersion {
  return String(contentType ?? '').includes('soap+xml') ? '1.2' : '1.1';
}

/** Writes a SOAP envelope as the HTTP response, with the content type of its version. */
export function sendSoapResponse(
  res: ServerResponse,
  status: number,
  version: SoapVersion,
  xml: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return;
  const body = Buffer.from(xml, 'utf8');
  res.writeHead(status, {
    ...headers,
    'content-type': version === '1.2' ? 'application/soap+xml; charset=utf-8' : 'text/xml; charset=utf-8',
    'content-length': body.length,
  });
  res.end(body);
}

/**
 * Reads a request body up to `maxBytes`. Past the limit it rejects with a client fault and
 * discards the rest of the upload, so the client reads the fault instead of a reset.
 */
export function readRequestBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      // Stop keeping the body, answer with a fault, and discard the rest of the upload so the
      // client reads the answer instead of a reset; a client that keeps sending is cut off.
      req.off('data', onData);
      req.resume();
      chunks.length = 0;
      reject(new SoapFaultResponse('client', `request exceeds ${maxBytes} bytes`));
      const cutOff = setTimeout(() => req.destroy(), 2000);
      cutOff.unref();
      req.once('end', () => clearTimeout(cutOff));
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
}
