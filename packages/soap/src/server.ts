/**
 * The service side of the same metadata: decode requests, encode responses and faults, and a
 * plain node:http request handler. Used by every package's mock (`@kz/<svc>/testing`) and by
 * receivers that a government gateway calls back (SHEP PUSH delivery).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { TypeRegistry } from './codec/compiled.js';
import { SchemaViolation } from './codec/decode.js';
import { encodeRootElement } from './codec/encode.js';
import { buildEnvelope, EnvelopeDecoder, type PayloadElement } from './envelope.js';
import type { OperationMeta, ServiceMeta, SoapVersion } from './schema.js';
import { escapeText } from './xml/escape.js';
import { parseXml, XmlParseInterrupted, XmlSyntaxError } from './xml/reader.js';

/** Throw from an operation handler to answer with a SOAP fault. */
export class SoapFaultResponse extends Error {
  constructor(
    /** 'client' for a bad request (soap:Client / Sender), 'server' for a failure (Server / Receiver). */
    readonly side: 'client' | 'server',
    readonly reason: string,
    /** Raw XML for the fault detail element's content. */
    readonly detailXml?: string,
  ) {
    super(reason);
  }
}

export interface DecodedRequest {
  operation: OperationMeta;
  input: unknown;
  version: SoapVersion;
}

export class SoapServiceCodec {
  readonly meta: ServiceMeta;
  readonly #registry: TypeRegistry;
  /** Per SOAP version, for rpc/encoded responses: writes SOAP encoding (created on first use). */
  readonly #encodedRegistries = new Map<SoapVersion, TypeRegistry>();
  /** Some operation is rpc/encoded: request Bodies are read with multi-references resolved. */
  readonly #encoded: boolean;
  readonly #byElement = new Map<string, { operation: OperationMeta; element: PayloadElement }>();

  constructor(meta: ServiceMeta) {
    this.meta = meta;
    this.#registry = new TypeRegistry(meta);
    this.#encoded = Object.values(meta.operations).some((operation) => operation.encoded);
    for (const operation of Object.values(meta.operations)) {
      this.#byElement.set(`${operation.input.ns}|${operation.input.name}`, { operation, element: operation.input });
    }
  }

  /**
   * Decodes a request envelope of either SOAP version; bad input becomes a client fault.
   * Large requests are decoded in slices that yield to the event loop; `signal` stops it
   * between slices (e.g. when the caller has gone away).
   */
  async decodeRequest(
    body: Uint8Array | string,
    maxBytes = 16 * 1024 * 1024,
    signal?: AbortSignal,
  ): Promise<DecodedRequest> {
    const decoder = new EnvelopeDecoder(
      undefined,
      this.#registry,
      (ns, local) => this.#byElement.get(`${ns}|${local}`)?.element,
      {},
      this.#encoded,
    );
    try {
      await parseXml(body, decoder, { maxBytes, ...(signal ? { signal } : {}) });
      const result = decoder.result();
      if (result.kind === 'fault' || !result.element)
        throw new SoapFaultResponse('client', 'the request carries no operation');
      const found = this.#byElement.get(`${result.element.ns}|${result.element.name}`);
      if (!found) throw new SoapFaultResponse('client', 'unknown operation');
      return { operation: found.operation, input: result.value, version: result.version };
    } catch (error) {
      if (error instanceof XmlSyntaxError || error instanceof SchemaViolation) {
        const where = error instanceof SchemaViolation && error.path ? ` (at ${error.path})` : '';
        throw new SoapFaultResponse('client', `malformed request: ${error.message}${where}`);
      }
      if (error instanceof XmlParseInterrupted) throw new SoapFaultResponse('client', 'the request was abandoned');
      throw error;
    }
  }

  /** Encodes an operation's output as a response envelope. */
  encodeResponse(operation: OperationMeta, output: unknown, version: SoapVersion): string {
    if (!operation.output) return buildEnvelope(version, { headers: [], body: '' });
    const { xml, issues } = encodeRootElement(this.#registryFor(operation, version), operation.output, output);
    if (issues.length > 0) {
      throw new Error(
        `invalid ${operation.name} response: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`,
      );
    }
    return buildEnvelope(version, { headers: [], body: xml });
  }

  #registryFor(operation: OperationMeta, version: SoapVersion): TypeRegistry {
    if (!operation.encoded) return this.#registry;
    let registry = this.#encodedRegistries.get(version);
    if (!registry) {
      registry = new TypeRegistry(this.meta, [], version);
      this.#encodedRegistries.set(version, registry);
    }
    return registry;
  }
}

export function encodeFault(version: SoapVersion, fault: SoapFaultResponse): string {
  const reason = escapeText(fault.reason);
  if (version === '1.1') {
    const code = fault.side === 'client' ? 'soap:Client' : 'soap:Server';
    const detail = fault.detailXml ? `<detail>${fault.detailXml}</detail>` : '';
    return buildEnvelope(version, {
      headers: [],
      body: `<soap:Fault><faultcode>${code}</faultcode><faultstring>${reason}</faultstring>${detail}</soap:Fault>`,
    });
  }
  const code = fault.side === 'client' ? 'soap:Sender' : 'soap:Receiver';
  const detail = fault.detailXml ? `<soap:Detail>${fault.detailXml}</soap:Detail>` : '';
  return buildEnvelope(version, {
    headers: [],
    body: `<soap:Fault><soap:Code><soap:Value>${code}</soap:Value></soap:Code><soap:Reason><soap:Text xml:lang="en">${reason}</soap:Text></soap:Reason>${detail}</soap:Fault>`,
  });
}

export type OperationHandlers = Record<string, (input: never, request: IncomingMessage) => unknown>;

/** Typed handlers from a generated `<Service>Operations` map: one function per operation. */
export type OperationImplementations<
  Operations extends { [K in keyof Operations]: { input: unknown; output: unknown } },
> = {
  [K in keyof Operations]?: (
    input: Operations[K]['input'],
    request: IncomingMessage,
  ) => Operations[K]['output'] | Promise<Operations[K]['output']>;
};

export interface SoapHandlerOptions {
  /** Largest request accepted. Default 16 MiB. */
  maxRequestBytes?: number;
  /** Called with every handled exchange, e.g. to record traffic in tests. */
  onExchange?(exchange: { operation: string; input: unknown; version: SoapVersion }): void;
}

/**
 * A node:http request handler (also usable from Express/Fastify's raw req/res) serving the
 * operations in `handlers` (keyed by WSDL operation name). Unknown or malformed requests get a
 * client fault; a handler that throws SoapFaultResponse gets that fault; any other error a
 * server fault without internals.
 */
export function createSoapHandler(
  meta: ServiceMeta,
  handlers: OperationHandlers,
  options: SoapHandlerOptions = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  const codec = new SoapServiceCodec(meta);
  const maxBytes = options.maxRequestBytes ?? 16 * 1024 * 1024;
  return (req, res) => {
    void (async () => {
      let version: SoapVersion = String(req.headers['content-type'] ?? '').includes('soap+xml') ? '1.2' : '1.1';
      // A caller that goes away stops the decoding of its request.
      const gone = new AbortController();
      res.once('close', () => gone.abort());
      try {
        if (req.method !== 'POST') throw new SoapFaultResponse('client', 'only POST is supported');
        const body = await readRequestBody(req, maxBytes);
        const decoded = await codec.decodeRequest(body, maxBytes, gone.signal);
        version = decoded.version;
        const handler = handlers[decoded.operation.name];
        if (!handler) throw new SoapFaultResponse('server', `${decoded.operation.name} is not implemented`);
        options.onExchange?.({ operation: decoded.operation.name, input: decoded.input, version });
        const output = await handler(decoded.input as never, req);
        sendSoapResponse(res, 200, version, codec.encodeResponse(decoded.operation, output, version));
      } catch (error) {
        const fault = error instanceof SoapFaultResponse ? error : new SoapFaultResponse('server', 'internal error');
        const status = version === '1.2' && fault.side === 'client' ? 400 : 500;
        sendSoapResponse(res, status, version, encodeFault(version, fault));
      }
    })();
  };
}

/** Writes a SOAP envelope as the HTTP response, with the content type of its version. */
export function sendSoapResponse(res: ServerResponse, status: number, version: SoapVersion, xml: string): void {
  if (res.headersSent) return;
  const body = Buffer.from(xml, 'utf8');
  res.writeHead(status, {
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
