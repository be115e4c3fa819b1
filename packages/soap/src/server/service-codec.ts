/**
 * The service side of a contract's metadata: decode requests (with their Header blocks), encode
 * responses and faults. The server's pipeline runs it as its serialize phase (codec-policy.ts).
 */
import { TypeRegistry } from '../codec/compiled.js';
import { SchemaViolation } from '../codec/decode.js';
import { encodeRootElement } from '../codec/encode.js';
import {
  buildEnvelope,
  decodeEnvelope,
  type EncodedBodyMode,
  EnvelopeDecoder,
  type PayloadElement,
  type SoapHeaderBlock,
} from '../envelope.js';
import { SignatureError, ValidationError } from '../errors.js';
import type { OperationMeta, ServiceMeta, SoapVersion } from '../schema.js';
import { escapeText } from '../xml/escape.js';
import { XmlParseInterrupted, XmlSyntaxError } from '../xml/reader.js';

/**
 * Throw from an operation handler or a server policy to answer with a SOAP fault. Its reason and
 * detail are sent as they are: never put a secret or an internal error's text in them.
 */
export class SoapFaultResponse extends Error {
  constructor(
    /** 'client' for a bad request (soap:Client / Sender), 'server' for a failure (Server / Receiver). */
    readonly side: 'client' | 'server',
    /** faultstring (1.1) or Reason/Text (1.2), sent as it is (escaped): never a secret or internal detail. */
    readonly reason: string,
    /** Raw XML for the fault detail element's content. */
    readonly detailXml?: string,
    /** What led to the refusal, for logs (`cause`); never sent. */
    options?: { cause?: unknown },
  ) {
    super(reason, options);
  }
}

/** A request envelope, decoded. */
export interface DecodedRequest {
  /** The operation its Body's element belongs to. */
  operation: OperationMeta;
  /** The Body's element, decoded into the operation's input type. */
  input: unknown;
  /** The envelope's SOAP version. */
  version: SoapVersion;
  /** The Header's blocks, in document order (none when the envelope has no Header). */
  headers: SoapHeaderBlock[];
}

/**
 * The service side of one contract: decodes request envelopes into operation and input, encodes
 * outputs as response envelopes. createSoapHandler runs it as its serialize phase; use it directly
 * to serve SOAP from another HTTP stack.
 */
export class SoapServiceCodec {
  /** The contract served. */
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
    let headers: SoapHeaderBlock[] = [];
    const decoderFor = (encoded: EncodedBodyMode): EnvelopeDecoder => {
      headers = [];
      return new EnvelopeDecoder(
        undefined,
        this.#registry,
        (ns, local) => this.#byElement.get(`${ns}|${local}`)?.element,
        {},
        this.#encoded ? encoded : undefined,
        headers,
      );
    };
    try {
      const result = await decodeEnvelope(body, { maxBytes, ...(signal ? { signal } : {}) }, decoderFor);
      if (result.kind === 'fault' || !result.element)
        throw new SoapFaultResponse('client', 'the request carries no operation');
      const found = this.#byElement.get(`${result.element.ns}|${result.element.name}`);
      if (!found) throw new SoapFaultResponse('client', 'unknown operation');
      return { operation: found.operation, input: result.value, version: result.version, headers };
    } catch (error) {
      if (error instanceof XmlSyntaxError || error instanceof SchemaViolation) {
        const where = error instanceof SchemaViolation && error.path ? ` (at ${error.path})` : '';
        throw new SoapFaultResponse('client', `malformed request: ${error.message}${where}`);
      }
      if (error instanceof XmlParseInterrupted) throw new SoapFaultResponse('client', 'the request was abandoned');
      throw error;
    }
  }

  /**
   * Encodes an operation's output as a response envelope (an empty Body for a one-way operation).
   * @throws ValidationError (`invalid response`, every issue in `issues`) when `output` breaks the
   * schema: a bug of the server, answered as a server fault by createSoapHandler (and given to its
   * `onError`).
   */
  encodeResponse(operation: OperationMeta, output: unknown, version: SoapVersion): string {
    if (!operation.output) return buildEnvelope(version, { headers: [], body: '' });
    const { xml, issues } = encodeRootElement(this.#registryFor(operation, version), operation.output, output);
    if (issues.length > 0) {
      throw new ValidationError({ service: this.meta.service, operation: operation.name }, issues, 'response');
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

/** A fault's response envelope in the given SOAP version. */
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

/**
 * The fault an error thrown in a server's pipeline is answered with: a SoapFaultResponse as it
 * is; a SignatureError (a refused signature) as a client fault with its message (the family's
 * messages carry no secrets); anything else as a server fault without internals.
 */
export function faultOf(error: unknown): SoapFaultResponse {
  if (error instanceof SoapFaultResponse) return error;
  if (error instanceof SignatureError) {
    return new SoapFaultResponse('client', `signature refused: ${error.message}`, undefined, { cause: error });
  }
  return new SoapFaultResponse('server', 'internal error', undefined, { cause: error });
}

/** The HTTP status of a fault: SOAP 1.2 answers a client's fault with 400, everything else with 500. */
export function faultStatus(version: SoapVersion, fault: SoapFaultResponse): number {
  return version === '1.2' && fault.side === 'client' ? 400 : 500;
}
