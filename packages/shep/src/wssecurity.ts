/**
 * SHEP transport signature (seed 001, Appendix 8, scenario 2): WS-Security with an XML-DSig signature
 * over the SOAP Body, referenced by wsu:Id, exclusive C14N, and a BinarySecurityToken carrying the
 * signer's certificate. No timestamp (Rules, points 23 and 25).
 *
 * ```xml
 * <soap:Header>
 *   <wsse:Security soap:mustUnderstand="1">
 *     <wsse:BinarySecurityToken EncodingType="…#Base64Binary" ValueType="…#X509v3" wsu:Id="X509-…">MII…</wsse:BinarySecurityToken>
 *     <ds:Signature>… Reference URI="#id-…" (exc-c14n) … <ds:KeyInfo><wsse:SecurityTokenReference>
 *       <wsse:Reference URI="#X509-…" ValueType="…#X509v3"/></wsse:SecurityTokenReference></ds:KeyInfo></ds:Signature>
 *   </wsse:Security>
 * </soap:Header>
 * <soap:Body wsu:Id="id-…">…</soap:Body>
 * ```
 *
 * Verification also accepts the KeyIdentifier form that public SHEP clients use (specs/shep/NOTES.md).
 */
import { randomUUID } from 'node:crypto';
import {
  algorithmFor,
  checkSignatureElement,
  checkSignedInfoValue,
  checkTrust,
  DS_NS,
  EXC_C14N,
  elementChildren,
  parseDom,
  parseUntrusted,
  pemBody,
  type Signer,
  signXml,
  type TrustOptions,
  XmlSignatureFailure,
} from '@kz/signing';
import {
  type ErrorContext,
  type SecurityContext,
  type SecurityPolicy,
  SignatureError,
  SOAP11_NS,
  SOAP12_NS,
  type TransportResponse,
  type VerifyContext,
  XmlParseInterrupted,
} from '@kz/soap';
import { XMLSerializer } from '@xmldom/xmldom';
import {
  type EnvelopeLimits,
  envelopeShape,
  envelopeShapeSync,
  type SignedInfoParts,
  type StopConditions,
  WSSE_NS,
  WSU_NS,
} from './envelope-shape.js';

export { WSSE_NS, WSU_NS };
/** ValueType of the BinarySecurityToken that carries the signer's certificate (WSS X.509 token profile, X509v3). */
export const X509V3 = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3';
/** EncodingType of the BinarySecurityToken: its text is the certificate in base64 (WSS SOAP message security). */
export const BASE64_BINARY =
  'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary';

/** Adds the WS-Security header and signs the Body of a SOAP envelope (1.1 or 1.2). */
export async function signEnvelope(envelope: string, signer: Signer): Promise<string> {
  const doc = parseUntrusted(envelope);
  const { root, body } = envelopeParts(doc);
  const soapNs = root.namespaceURI as string;
  const soapPrefix = root.prefix ?? '';
  const qualify = (local: string) => (soapPrefix ? `${soapPrefix}:${local}` : local);
  let header = elementChildren(root).find((e) => e.namespaceURI === soapNs && e.localName === 'Header');
  if (!header) {
    header = doc.createElementNS(soapNs, qualify('Header'));
    root.insertBefore(header, body);
  }
  let bodyId = body.getAttributeNS(WSU_NS, 'Id');
  if (!bodyId) {
    bodyId = `id-${randomUUID()}`;
    body.setAttributeNS(WSU_NS, 'wsu:Id', bodyId);
  }
  const tokenId = `X509-${randomUUID()}`;
  const security = doc.createElementNS(WSSE_NS, 'wsse:Security');
  security.setAttributeNS('http://www.w3.org/2000/xmlns/', 'xmlns:wsu', WSU_NS);
  security.setAttributeNS(soapNs, qualify('mustUnderstand'), soapNs === SOAP12_NS ? 'true' : '1');
  const token = doc.createElementNS(WSSE_NS, 'wsse:BinarySecurityToken');
  token.setAttribute('EncodingType', BASE64_BINARY);
  token.setAttribute('ValueType', X509V3);
  token.setAttributeNS(WSU_NS, 'wsu:Id', tokenId);
  token.appendChild(doc.createTextNode(pemBody(signer.certificate)));
  security.appendChild(token);
  header.appendChild(security);
  const prepared = new XMLSerializer().serializeToString(doc);
  return signXml(prepared, signer, {
    idMode: 'wssecurity',
    canonicalization: EXC_C14N,
    references: [
      {
        xpath: `/*[local-name(.)='Envelope']/*[local-name(.)='Body' and namespace-uri(.)='${soapNs}']`,
        transforms: [EXC_C14N],
      },
    ],
    location: {
      reference: `/*[local-name(.)='Envelope']/*[local-name(.)='Header']/*[local-name(.)='Security' and namespace-uri(.)='${WSSE_NS}']`,
      action: 'append',
    },
    keyInfo: `<wsse:SecurityTokenReference><wsse:Reference URI="#${tokenId}" ValueType="${X509V3}"/></wsse:SecurityTokenReference>`,
    existingPrefixes: { wsse: WSSE_NS, wsu: WSU_NS },
  });
}

/** What verifyEnvelope / verifyEnvelopeAsync found: whether the envelope was signed, and by which certificate. */
export interface VerifiedEnvelope {
  /** False only for an unsigned SOAP fault accepted with `allowUnsignedFault`. */
  readonly signed: boolean;
  /** The signer's certificate (DER base64). */
  readonly certificate?: string;
}

/**
 * Trust, plus the caps of the pre-pass (`maxBytes`, `maxElements`: see MAX_SIGNED_ENVELOPE_BYTES
 * and MAX_SIGNED_ENVELOPE_ELEMENTS) and `allowUnsignedFault` (default false).
 */
export interface VerifyEnvelopeOptions extends TrustOptions, EnvelopeLimits {}

/**
 * Verifies the transport signature of an incoming envelope: the Body (the one the SOAP stack will
 * read) must be what the signature covers, the digest and signature must verify, and the certificate
 * must be trusted. Throws XmlSignatureFailure with a reason that carries no key material. A bounded
 * pre-pass (./envelope-shape.ts) checks size, element count and structure before any DOM is built.
 * Synchronous; `verifyEnvelopeAsync` yields to the event loop while it reads a large message.
 */
export function verifyEnvelope(envelope: string | Uint8Array, options: VerifyEnvelopeOptions): VerifiedEnvelope {
  const shape = envelopeShapeSync(envelope, options);
  if (!shape.signed) return { signed: false };
  checkSignedInfo(shape, options);
  return verifySigned(textOf(envelope), options);
}

/**
 * `verifyEnvelope` for servers and clients: the pre-pass yields on large input, and stops with
 * @kz/soap's XmlParseInterrupted at `stop.deadline` (a `performance.now()` time) or on `stop.signal`.
 */
export async function verifyEnvelopeAsync(
  envelope: string | Uint8Array,
  options: VerifyEnvelopeOptions,
  stop: StopConditions = {},
): Promise<VerifiedEnvelope> {
  const shape = await envelopeShape(envelope, options, stop);
  if (!shape.signed) return { signed: false };
  checkSignedInfo(shape, options);
  return verifySigned(textOf(envelope), options);
}

/**
 * Before any DOM of the message: the certificate the KeyInfo names must be trusted and must have
 * signed SignedInfo. A sender without a trusted key stops here.
 */
function checkSignedInfo(parts: SignedInfoParts, options: VerifyEnvelopeOptions): void {
  if (parts.canonicalization !== EXC_C14N) {
    throw new XmlSignatureFailure(`unexpected canonicalization ${parts.canonicalization}`);
  }
  const algorithm = algorithmFor(parts.signatureMethod, options);
  const certificate = checkTrust(parts.certificate, options);
  const signedInfo = parseDom(parts.signedInfoXml).documentElement as Element;
  checkSignedInfoValue(signedInfo, parts.canonicalization, [], parts.signatureValue, certificate, algorithm);
}

function textOf(envelope: string | Uint8Array): string {
  return typeof envelope === 'string' ? envelope : Buffer.from(envelope).toString('utf8');
}

/** The DOM stage, for an envelope within the caps, well-shaped, whose SignedInfo a trusted key signed. */
function verifySigned(xml: string, options: VerifyEnvelopeOptions): VerifiedEnvelope {
  const doc = parseDom(xml);
  const { root, body } = envelopeParts(doc);
  const soapNs = root.namespaceURI as string;
  const header = elementChildren(root).find((e) => e.namespaceURI === soapNs && e.localName === 'Header');
  const securities = header
    ? elementChildren(header).filter((e) => e.namespaceURI === WSSE_NS && e.localName === 'Security')
    : [];
  // The pre-pass checked the shape already; these re-checks keep the DOM stage safe on its own.
  if (securities.length !== 1) throw new XmlSignatureFailure('expected exactly one wsse:Security header');
  const security = securities[0] as Element;
  const signatures = elementChildren(security).filter((e) => e.namespaceURI === DS_NS && e.localName === 'Signature');
  if (signatures.length !== 1) throw new XmlSignatureFailure('expected exactly one ds:Signature in wsse:Security');
  const signature = signatures[0] as Element;
  // The pre-pass found the Body's id on no other element (a copy could be what the digest covers).
  const bodyId = body.getAttributeNS(WSU_NS, 'Id');
  if (!bodyId) throw new XmlSignatureFailure('the Body has no wsu:Id: it is not what was signed');
  const signedInfo = elementChildren(signature).find((e) => e.localName === 'SignedInfo');
  const references = signedInfo ? elementChildren(signedInfo).filter((e) => e.localName === 'Reference') : [];
  if (!references.some((r) => r.getAttribute('URI') === `#${bodyId}`)) {
    throw new XmlSignatureFailure('the signature does not cover the Body');
  }
  const certificate = checkTrust(certificateOf(signature, security), options);
  checkSignatureElement(xml, signature, certificate, options, { canonicalization: EXC_C14N, transforms: [EXC_C14N] });
  return { signed: true, certificate };
}

function certificateOf(signature: Element, security: Element): string {
  const keyInfo = elementChildren(signature).find((e) => e.namespaceURI === DS_NS && e.localName === 'KeyInfo');
  if (!keyInfo) throw new XmlSignatureFailure('the signature names no key (ds:KeyInfo)');
  for (const child of elementChildren(keyInfo)) {
    if (child.namespaceURI === WSSE_NS && child.localName === 'SecurityTokenReference') {
      for (const ref of elementChildren(child)) {
        if (ref.localName === 'Reference') {
          const uri = ref.getAttribute('URI') ?? '';
          const token = elementChildren(security).find(
            (e) =>
              e.namespaceURI === WSSE_NS &&
              e.localName === 'BinarySecurityToken' &&
              `#${e.getAttributeNS(WSU_NS, 'Id')}` === uri,
          );
          if (!token) throw new XmlSignatureFailure('the referenced BinarySecurityToken is missing');
          return (token.textContent ?? '').replace(/\s+/g, '');
        }
        if (ref.localName === 'KeyIdentifier') return (ref.textContent ?? '').replace(/\s+/g, '');
      }
    }
    if (child.namespaceURI === DS_NS && child.localName === 'X509Data') {
      const cert = elementChildren(child).find((e) => e.localName === 'X509Certificate');
      if (cert) return (cert.textContent ?? '').replace(/\s+/g, '');
    }
  }
  throw new XmlSignatureFailure('no certificate found for the signature');
}

function envelopeParts(doc: Document): { root: Element; body: Element } {
  const root = doc.documentElement as Element | null;
  if (root?.localName !== 'Envelope' || (root.namespaceURI !== SOAP11_NS && root.namespaceURI !== SOAP12_NS)) {
    throw new XmlSignatureFailure('not a SOAP envelope');
  }
  const bodies = elementChildren(root).filter((e) => e.namespaceURI === root.namespaceURI && e.localName === 'Body');
  if (bodies.length !== 1) throw new XmlSignatureFailure('the envelope must have exactly one Body');
  return { root, body: bodies[0] as Element };
}

/** Turns a verification failure into the typed error of the error family. */
export function signatureError(
  context: ErrorContext,
  error: unknown,
  options: { maybeDelivered?: boolean } = {},
): SignatureError {
  // A failure of @kz/signing is re-raised in this call's context and delivery state (it is a
  // SignatureError too, so this test comes first).
  if (error instanceof XmlSignatureFailure)
    return new SignatureError(context, error.reason, { cause: error, ...options });
  if (error instanceof SignatureError) return error;
  return new SignatureError(context, 'signature verification failed', { cause: error, ...options });
}

/** Options of ShepSecurityPolicy (createShepClient builds one from its own options). */
export interface ShepSecurityOptions {
  /** Signs outgoing messages (scenario 2). Without it messages go unsigned (mode 0/1 users). */
  signer?: Signer | undefined;
  /** The SHEP password: kept out of logs, hook payloads and errors. */
  password?: string | undefined;
  /** Verifies the transport signature of every successful answer; unsigned faults are accepted. */
  verify?: VerifyEnvelopeOptions | undefined;
}

/**
 * The SecurityPolicy @kz/soap applies to every SHEP call: sign the Body, verify the answer's
 * signature, redact the password. A refused answer is a SignatureError: final, never retried, and
 * `maybeDelivered` (SHEP received the request and may have acted on it).
 */
export class ShepSecurityPolicy implements SecurityPolicy {
  readonly #signer: Signer | undefined;
  readonly #password: string | undefined;
  readonly #verify: VerifyEnvelopeOptions | undefined;

  constructor(options: ShepSecurityOptions = {}) {
    this.#signer = options.signer;
    this.#password = options.password;
    this.#verify = options.verify;
  }

  /**
   * Signs the envelope's Body with the signer (WS-Security header with the certificate); unchanged without a signer.
   * @throws SignatureError when the signer fails.
   */
  async finalize(envelope: string, context: SecurityContext): Promise<string> {
    if (!this.#signer) return envelope;
    try {
      return await signEnvelope(envelope, this.#signer);
    } catch (error) {
      throw signatureError(context, error);
    }
  }

  /**
   * Verifies the transport signature of a successful (2xx) answer against `verify`; faults and error pages pass.
   * @throws SignatureError (final, `maybeDelivered`) when the answer is unsigned, tampered or signed by an untrusted
   * certificate.
   */
  async verifyResponse(response: TransportResponse, context: VerifyContext): Promise<void> {
    // Only a success carries data; an error page or a fault is reported as what it is.
    if (!this.#verify || response.status < 200 || response.status > 299 || response.body.length === 0) return;
    const { deadline, signal } = context;
    try {
      await verifyEnvelopeAsync(
        response.body,
        { allowUnsignedFault: true, ...this.#verify },
        { ...(deadline !== undefined ? { deadline } : {}), ...(signal ? { signal } : {}) },
      );
    } catch (error) {
      // The call's timeout or abort is the client's to report (TIMEOUT/ABORTED), not a refusal.
      if (error instanceof XmlParseInterrupted) throw error;
      throw signatureError(context, error, { maybeDelivered: true });
    }
  }

  /** The SHEP password, for redaction from logs, hook payloads and errors. */
  secrets(): readonly string[] {
    return this.#password ? [this.#password] : [];
  }
}
