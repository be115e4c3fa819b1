/**
 * SOAP 1.1 / 1.2 envelopes: building requests and decoding responses (payload or fault).
 */
import type { TypeRegistry } from './codec/compiled.js';
import { type DecodeOptions, ElementDecoder, SchemaViolation } from './codec/decode.js';
import { EncodedBodyCollector, unqualifiedAccessors } from './codec/encoded-decode.js';
import { CollectInstead, EncodedBodyStream } from './codec/encoded-stream.js';
import { RawXmlWriter } from './codec/raw.js';
import type { SoapVersion } from './schema.js';
import { clip } from './xml/clip.js';
import { parseXml, type XmlAttribute, type XmlHandler, type XmlParseOptions, type XmlScope } from './xml/reader.js';

/** Namespace URI of the SOAP 1.1 Envelope, Header, Body and Fault elements. */
export const SOAP11_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
/** Namespace URI of the SOAP 1.2 Envelope, Header, Body and Fault elements. */
export const SOAP12_NS = 'http://www.w3.org/2003/05/soap-envelope';

export function envelopeNamespace(version: SoapVersion): string {
  return version === '1.2' ? SOAP12_NS : SOAP11_NS;
}

/** Content-Type of a request: SOAP 1.1 uses text/xml + SOAPAction, 1.2 carries the action inside. */
export function requestContentType(version: SoapVersion, action: string): string {
  if (version === '1.1') return 'text/xml; charset=utf-8';
  return action ? `application/soap+xml; charset=utf-8; action="${action}"` : 'application/soap+xml; charset=utf-8';
}

/** What buildEnvelope puts into an envelope: header blocks and Body content, already XML. */
export interface EnvelopeParts {
  /** XML of the header blocks, already serialized (security tokens and the like). */
  headers: readonly string[];
  /** The Body's content. */
  body: string;
  /** Extra attributes for the Body element, e.g. a wsu:Id for signing. */
  bodyAttributes?: string;
  /** Extra namespace declarations for the Envelope element. */
  namespaces?: Readonly<Record<string, string>>;
}

/**
 * The envelope's text: an XML declaration, `soap:Envelope` in the version's namespace with the
 * extra declarations, `soap:Header` (only when there are header blocks) and `soap:Body`. The parts
 * are inserted as they are (already serialized XML), not escaped or checked.
 */
export function buildEnvelope(version: SoapVersion, parts: EnvelopeParts): string {
  let declarations = `xmlns:soap="${envelopeNamespace(version)}"`;
  for (const [prefix, uri] of Object.entries(parts.namespaces ?? {})) declarations += ` xmlns:${prefix}="${uri}"`;
  const header = parts.headers.length > 0 ? `<soap:Header>${parts.headers.join('')}</soap:Header>` : '';
  return `<?xml version="1.0" encoding="utf-8"?><soap:Envelope ${declarations}>${header}<soap:Body${
    parts.bodyAttributes ? ` ${parts.bodyAttributes}` : ''
  }>${parts.body}</soap:Body></soap:Envelope>`;
}

export interface SoapFault {
  faultCode: string;
  faultSubcodes: string[];
  reason: string;
  detail: string | undefined;
}

export interface PayloadElement {
  readonly name: string;
  readonly ns: string;
  readonly type: string;
  /** Other local names read as this element (see OperationMeta.output). */
  readonly aliases?: readonly string[];
}

/** What the Body may hold: one known element, or any element a resolver recognises (servers). */
export type ExpectedPayload = PayloadElement | ((ns: string, local: string) => PayloadElement | undefined) | undefined;

/** One block of a SOAP Header, as it arrived. */
export interface SoapHeaderBlock {
  /** The block's namespace URI ('' for none). */
  readonly ns: string;
  /** The block's local name. */
  readonly name: string;
  /** The block as standalone XML text (the prefixes it uses declared on it). */
  readonly xml: string;
}

export type EnvelopeResult =
  | { kind: 'payload'; element: PayloadElement | undefined; value: unknown; version: SoapVersion }
  | { kind: 'fault'; fault: SoapFault; version: SoapVersion };

const MAX_DETAIL_CHARS = 8192;

/** How a SOAP-encoded Body is decoded: in one pass, or collected whole (any reference graph). */
export type EncodedBodyMode = 'stream' | 'collect';

/**
 * Parses an envelope into the decoder `create` makes and returns its result. An encoded Body the
 * one-pass decoder does not take exactly as the collecting one would (CollectInstead) is
 * parsed again into a collecting decoder: the second pass costs at most one more parse.
 */
export async function decodeEnvelope(
  body: Uint8Array | string,
  options: XmlParseOptions,
  create: (encoded: EncodedBodyMode) => EnvelopeDecoder,
): Promise<EnvelopeResult> {
  const streaming = create('stream');
  try {
    await parseXml(body, streaming, options);
    return streaming.result();
  } catch (error) {
    // A violation is reported as the collecting decoder words it (its paths name every level).
    const again = error instanceof CollectInstead || (error instanceof SchemaViolation && streaming.streamsEncoded);
    if (!again) throw error;
  }
  const decoder = create('collect');
  await parseXml(body, decoder, options);
  return decoder.result();
}

/**
 * Decodes a response envelope: the expected payload element into its type, or a Fault.
 * Anything else (another envelope version, an unexpected element, no Body) is a SchemaViolation.
 */
export class EnvelopeDecoder implements XmlHandler {
  #version: SoapVersion | undefined;
  readonly #registry: TypeRegistry;
  readonly #expected: ExpectedPayload;
  #element: PayloadElement | undefined;
  #depth = 0;
  #sawBody = false;
  #inner: XmlHandler | undefined;
  #innerDepth = 0;
  #payload: ElementDecoder | undefined;
  #fault: FaultDecoder | undefined;
  readonly #options: DecodeOptions;
  /** SOAP encoding, collected: the Body's children, held to resolve multi-references at the end. */
  readonly #encodedBody: EncodedBodyCollector | undefined;
  /** SOAP encoding, streamed: the Body's children decoded as they come. */
  readonly #encodedStream: EncodedBodyStream | undefined;
  /** Where Header blocks are collected (servers), or undefined to skip them. */
  readonly #headerBlocks: SoapHeaderBlock[] | undefined;
  #inHeader = false;
  /** The Header block being written: its name and writer. */
  #headerBlock: { ns: string; name: string; writer: RawXmlWriter } | undefined;

  /**
   * @param version the version to insist on, or undefined to accept either (servers)
   * @param options how the payload treats content its schema does not know (see DecodeOptions)
   * @param encoded the Body is SOAP-encoded (rpc/encoded): multi-references are resolved, in one
   *   pass ('stream', which may throw CollectInstead: see decodeEnvelope) or collected ('collect')
   * @param headerBlocks where to collect the Header's blocks as XML text; undefined skips them
   */
  constructor(
    version: SoapVersion | undefined,
    registry: TypeRegistry,
    expected: ExpectedPayload,
    options: DecodeOptions = {},
    encoded?: EncodedBodyMode,
    headerBlocks?: SoapHeaderBlock[],
  ) {
    this.#headerBlocks = headerBlocks;
    this.#version = version;
    this.#registry = registry;
    this.#expected = expected;
    this.#options = options;
    this.#encodedBody = encoded === 'collect' ? new EncodedBodyCollector() : undefined;
    this.#encodedStream =
      encoded === 'stream'
        ? new EncodedBodyStream(registry, (ns, local) => this.#match(ns, local), options)
        : undefined;
  }

  /** An encoded Body is decoded in one pass (see decodeEnvelope). */
  get streamsEncoded(): boolean {
    return this.#encodedStream !== undefined;
  }

  open(ns: string, local: string, attributes: Record<string, XmlAttribute>, scope: XmlScope): void {
    this.#depth++;
    if (this.#inner) {
      this.#innerDepth++;
      this.#inner.open(ns, local, attributes, scope);
      return;
    }
    if (this.#depth === 1) {
      const got: SoapVersion | undefined = ns === SOAP11_NS ? '1.1' : ns === SOAP12_NS ? '1.2' : undefined;
      if (local !== 'Envelope' || got === undefined)
        throw new SchemaViolation(`expected a SOAP Envelope, got <${clip(local)}>`, clip(local));
      if (this.#version !== undefined && got !== this.#version) {
        throw new SchemaViolation(
          `received a SOAP ${got} envelope, this client speaks SOAP ${this.#version}`,
          'Envelope',
        );
      }
      this.#version = got;
      return;
    }
    const soapNs = envelopeNamespace(this.#version as SoapVersion);
    if (this.#depth === 2) {
      if (ns === soapNs && local === 'Body') {
        this.#sawBody = true;
        return;
      }
      if (ns === soapNs && local === 'Header') {
        this.#inHeader = true;
        return;
      }
      throw new SchemaViolation(`unexpected <${clip(local)}> in Envelope`, `Envelope/${clip(local)}`);
    }
    if (this.#depth === 3 && this.#sawBody) {
      const encodedBody = this.#encodedBody ?? this.#encodedStream;
      if (encodedBody && !this.#fault && !(ns === soapNs && local === 'Fault')) {
        // Every Body child: the payload and the multi-referenced elements beside it.
        this.#inner = encodedBody;
        this.#innerDepth = 1;
        this.#inner.open(ns, local, attributes, scope);
        return;
      }
      if (this.#payload || this.#fault || this.#encodedBody?.roots.length || this.#encodedStream?.started) {
        throw new SchemaViolation(`unexpected second element <${clip(local)}> in Body`, `Envelope/Body/${clip(local)}`);
      }
      const element = this.#match(ns, local);
      if (ns === soapNs && local === 'Fault') {
        this.#fault = new FaultDecoder(this.#version as SoapVersion);
        this.#inner = this.#fault;
      } else if (element) {
        this.#element = element;
        this.#payload = new ElementDecoder(this.#registry, element.type, false, this.#options);
        this.#inner = this.#payload;
      } else throw this.#unexpected(ns, local);
      this.#innerDepth = 1;
      this.#inner.open(ns, local, attributes, scope);
    }
    if (this.#depth === 3 && this.#inHeader && this.#headerBlocks) {
      const writer = new RawXmlWriter(true);
      this.#headerBlock = { ns, name: local, writer };
      this.#inner = writer;
      this.#innerDepth = 1;
      writer.open(ns, local, attributes, scope);
    }
    // Otherwise Header children are skipped: depth > 2 outside the Body.
  }

  /** The payload element (ns, local) stands for, if expected. */
  #match(ns: string, local: string): PayloadElement | undefined {
    return typeof this.#expected === 'function'
      ? this.#expected(ns, local)
      : this.#expected &&
          ns === this.#expected.ns &&
          (local === this.#expected.name || this.#expected.aliases?.includes(local))
        ? this.#expected
        : undefined;
  }

  #unexpected(ns: string, local: string): SchemaViolation {
    const expected =
      typeof this.#expected === 'function'
        ? 'a known operation'
        : this.#expected
          ? `<${this.#expected.name}> in ${this.#expected.ns || 'no namespace'}`
          : 'nothing';
    return new SchemaViolation(
      `unexpected <${clip(local)}>${ns ? ` in ${clip(ns)}` : ''} in Body, expected ${expected}`,
      `Envelope/Body/${clip(local)}`,
    );
  }

  /**
   * An encoded Body: the payload is its one child without an id (the others are the elements it
   * refers to), decoded with every reference expanded.
   */
  #decodeEncoded(body: EncodedBodyCollector): void {
    const payloads = body.roots.filter((root) => root.id === undefined);
    const root = payloads[0] ?? body.roots[0];
    if (!root) return;
    const second = payloads[1];
    if (second) {
      throw new SchemaViolation(
        `unexpected second element <${clip(second.local)}> in Body`,
        `Envelope/Body/${clip(second.local)}`,
      );
    }
    const element = this.#match(root.ns, root.local);
    if (!element) throw this.#unexpected(root.ns, root.local);
    const decoder = new ElementDecoder(this.#registry, element.type, false, this.#options);
    body.replay(root, decoder, unqualifiedAccessors(this.#registry.service.types, root.ns));
    this.#element = element;
    this.#payload = decoder;
  }

  text(text: string): void {
    this.#inner?.text(text);
  }

  close(): void {
    this.#depth--;
    if (this.#inner) {
      this.#inner.close();
      if (--this.#innerDepth === 0) {
        this.#inner = undefined;
        const block = this.#headerBlock;
        if (block) {
          this.#headerBlocks?.push({ ns: block.ns, name: block.name, xml: block.writer.xml });
          this.#headerBlock = undefined;
        }
      }
    }
    if (this.#depth === 1) this.#inHeader = false;
  }

  result(): EnvelopeResult {
    const version = this.#version as SoapVersion;
    if (this.#fault) return { kind: 'fault', fault: this.#fault.fault(), version };
    if (this.#encodedBody && !this.#payload) this.#decodeEncoded(this.#encodedBody);
    const stream = this.#encodedStream;
    if (stream?.started) return { kind: 'payload', element: stream.element, value: stream.finish(), version };
    if (this.#payload?.done) return { kind: 'payload', element: this.#element, value: this.#payload.result, version };
    if (!this.#sawBody) throw new SchemaViolation('the envelope has no Body', 'Envelope');
    if (this.#expected) throw new SchemaViolation('the Body is empty', 'Envelope/Body');
    return { kind: 'payload', element: undefined, value: undefined, version };
  }
}

const FAULT_FORMS = {
  soap11: { code: 'Fault/faultcode', reason: 'Fault/faultstring' },
  soap12: { code: 'Fault/Code/Value', reason: 'Fault/Reason/Text' },
} as const;

/** Reads a Fault element of either SOAP version into code, subcodes, reason and raw detail. */
class FaultDecoder implements XmlHandler {
  readonly #version: SoapVersion;
  readonly #path: string[] = [];
  #text = '';
  #code = '';
  readonly #subcodes: string[] = [];
  #reason: string | undefined;
  /** Code and reason in the other SOAP version's form, used when the envelope's own are missing. */
  #otherCode: string | undefined;
  #otherReason: string | undefined;
  #detail: RawXmlWriter | undefined;

  constructor(version: SoapVersion) {
    this.#version = version;
  }

  open(ns: string, local: string, attributes: Record<string, XmlAttribute>, scope: XmlScope): void {
    if (this.#detail) {
      this.#detail.open(ns, local, attributes, scope);
      this.#path.push(local);
      return;
    }
    this.#path.push(local);
    this.#text = '';
    const isDetail = this.#path.length === 2 && (local === 'detail' || local === 'Detail');
    if (isDetail) {
      this.#detail = new RawXmlWriter(false);
      this.#detail.open(ns, local, attributes, scope);
    }
  }

  text(text: string): void {
    if (this.#detail) this.#detail.text(text);
    else if (this.#text.length < MAX_DETAIL_CHARS) this.#text += text;
  }

  close(): void {
    const path = this.#path.join('/');
    this.#path.pop();
    if (this.#detail && !this.#detail.complete) {
      this.#detail.close();
      return;
    }
    const text = this.#text.trim();
    // Both versions' forms are read whatever the envelope: some servers put SOAP 1.2 Code and
    // Reason in a 1.1 envelope (or the reverse). The envelope's own form wins when both are there.
    const own = this.#version === '1.1' ? FAULT_FORMS.soap11 : FAULT_FORMS.soap12;
    const other = this.#version === '1.1' ? FAULT_FORMS.soap12 : FAULT_FORMS.soap11;
    if (path === own.code) this.#code = text;
    else if (path === other.code) this.#otherCode ??= text;
    else if (path.startsWith('Fault/Code/Subcode') && path.endsWith('/Value')) this.#subcodes.push(text);
    else if (path === own.reason) this.#reason ??= text;
    else if (path === other.reason || path === 'Fault/Reason') this.#otherReason ??= text;
  }

  fault(): SoapFault {
    const detail = this.#detail?.xml.trim();
    return {
      faultCode: this.#code || this.#otherCode || 'unknown',
      faultSubcodes: this.#subcodes,
      reason: this.#reason ?? this.#otherReason ?? '',
      detail: detail ? detail.slice(0, MAX_DETAIL_CHARS) : undefined,
    };
  }
}
