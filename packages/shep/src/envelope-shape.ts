/**
 * The bounded pre-pass of transport-signature verification. Before any DOM of the message is
 * built, one linear pass of @kz/soap's scanner checks the size, the number of elements and the
 * WS-Security shape: one SOAP Body with a wsu:Id that no other element carries, at most one Header
 * with exactly one wsse:Security holding exactly one ds:Signature, whose SignedInfo has a few
 * References, exactly one of them pointing at the Body. The same pass keeps what checking the
 * signature over SignedInfo needs (SignedInfo as text with its namespaces, SignatureValue, the
 * certificate the KeyInfo names), so that an unauthenticated sender is refused without a DOM of
 * the message: the DOM (xmldom, then xml-crypto's own) is built only for a message whose SignedInfo
 * a trusted key signed, and only within the caps below.
 *
 * Why the caps: xmldom and xml-crypto cost about 0.05-0.1 ms per element here (a DOM, then
 * xml-crypto's own DOM, id lookups and canonicalization of the Body).
 */
import { DS_NS, XmlSignatureFailure } from '@kz/signing';
import {
  escapeAttribute,
  escapeText,
  parseXml,
  parseXmlSync,
  SOAP11_NS,
  SOAP12_NS,
  type XmlAttribute,
  type XmlHandler,
  XmlParseInterrupted,
  type XmlScope,
} from '@kz/soap';

/** Namespace of WS-Security's header elements (`wsse:Security`, `wsse:BinarySecurityToken`), OASIS WSS 1.0. */
export const WSSE_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
/** Namespace of WS-Security utility attributes (`wsu:Id`, which the signature's references point to), OASIS WSS 1.0. */
export const WSU_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

/** Largest signed envelope verified, in bytes (UTF-16 units for a string). */
export const MAX_SIGNED_ENVELOPE_BYTES = 8 * 1024 * 1024;
/** Most elements in a signed envelope verified (header and payload together). */
export const MAX_SIGNED_ENVELOPE_ELEMENTS = 10_000;
/** SHEP signs one element, the Body; a few more references leave room for a Timestamp. */
const MAX_REFERENCES = 4;
const MAX_TRANSFORMS = 4;
/** Bounds of what the pass keeps: SignedInfo, the signature value, certificates. */
const MAX_SIGNED_INFO_ELEMENTS = 64;
const MAX_KEPT_TEXT = 64 * 1024;
const MAX_TOKENS = 4;

/** Bounds of the pre-pass that checks a signed envelope's shape before its signature is verified. */
export interface EnvelopeLimits {
  /** Default MAX_SIGNED_ENVELOPE_BYTES. */
  maxBytes?: number;
  /** Default MAX_SIGNED_ENVELOPE_ELEMENTS. */
  maxElements?: number;
  /** Accept an unsigned SOAP Fault (it carries no data, only a failure). Default false. */
  allowUnsignedFault?: boolean;
}

/** What the signature check over SignedInfo needs, read from a well-shaped signed envelope. */
export interface SignedInfoParts {
  /** SignedInfo as a standalone document: every namespace in scope declared on its root. */
  readonly signedInfoXml: string;
  readonly canonicalization: string;
  readonly signatureMethod: string;
  /** SignatureValue, base64. */
  readonly signatureValue: string;
  /** The certificate the KeyInfo names (token, key identifier or X509Data), base64 DER. */
  readonly certificate: string;
}

/** What the pre-pass decided: an unsigned fault to accept as is, or a signed envelope to verify. */
export type EnvelopeShape = { readonly signed: false } | ({ readonly signed: true } & SignedInfoParts);

type Role =
  | 'envelope'
  | 'header'
  | 'security'
  | 'token'
  | 'signature'
  | 'signedInfo'
  | 'reference'
  | 'transforms'
  | 'signatureValue'
  | 'keyInfo'
  | 'tokenReference'
  | 'keyIdentifier'
  | 'x509Data'
  | 'x509Certificate'
  | 'body'
  | 'other';

/** Namespace declarations in scope, as a linked list shared by the elements that add none. */
interface Scope {
  readonly declared: ReadonlyMap<string, string>;
  readonly outer: Scope | undefined;
}

/** Collects, while the scanner reads the document, what the decision and the check need. */
class ShapeCollector implements XmlHandler {
  readonly #maxElements: number;
  readonly #roles: Role[] = [];
  readonly #scopes: (Scope | undefined)[] = [];
  #elements = 0;
  soapNs = '';
  headers = 0;
  bodies = 0;
  securities = 0;
  signatures = 0;
  signedInfos = 0;
  readonly references: string[] = [];
  #transforms = 0;
  bodyId = '';
  firstInBody: { ns: string; local: string } | undefined;
  /** How many elements carry each Id/ID/id value (a copy of the Body id elsewhere is a wrapping attack). */
  readonly ids = new Map<string, number>();
  /** SignedInfo re-serialized while it is read; its depth, to know where it ends. */
  signedInfoXml = '';
  #signedInfoDepth = -1;
  #signedInfoElements = 0;
  /** Qualified names of the open SignedInfo elements, for their end tags. */
  readonly #openNames: string[] = [];
  canonicalization = '';
  signatureMethod = '';
  signatureValue = '';
  /** The KeyInfo's pointer to the certificate: a token reference, or the certificate itself. */
  tokenReference = '';
  keyCertificate = '';
  readonly tokens = new Map<string, string>();
  #token = '';
  #tokenText = '';

  constructor(maxElements: number) {
    this.#maxElements = maxElements;
  }

  open(ns: string, local: string, attributes: Record<string, XmlAttribute>, written: XmlScope): void {
    if (++this.#elements > this.#maxElements) {
      throw new XmlSignatureFailure(`the message has more than ${this.#maxElements} elements`);
    }
    const outer = this.#scopes.at(-1);
    let declared: Map<string, string> | undefined;
    const list = Object.values(attributes);
    for (const attribute of list) {
      const name = attribute.local;
      if (name === 'Id' || name === 'ID' || name === 'id') {
        this.ids.set(attribute.value, (this.ids.get(attribute.value) ?? 0) + 1);
      } else if (attribute.uri === XMLNS_NS) {
        declared ??= new Map();
        declared.set(attribute.prefix ? name : '', attribute.value);
      }
    }
    const scope = declared ? { declared, outer } : outer;
    this.#scopes.push(scope);
    const parent = this.#roles.at(-1);
    if (parent === 'body') this.firstInBody ??= { ns, local };
    // Payload elements (the bulk of a large message) take the short way.
    const role = parent === 'other' || parent === 'body' ? 'other' : this.#role(parent, ns, local, list);
    this.#roles.push(role);
    if (role === 'signedInfo' || this.#signedInfoDepth >= 0) {
      this.#keepSignedInfo(written.prefix, local, list, scope, role);
    }
  }

  #role(parent: Role | undefined, ns: string, local: string, attributes: XmlAttribute[]): Role {
    const is = (namespace: string, name: string) => ns === namespace && local === name;
    const attribute = (name: string, uri = '') =>
      attributes.find((a) => a.uri === uri && a.local === name)?.value ?? '';
    switch (parent) {
      case undefined:
        if (local !== 'Envelope' || (ns !== SOAP11_NS && ns !== SOAP12_NS)) {
          throw new XmlSignatureFailure('not a SOAP envelope');
        }
        this.soapNs = ns;
        return 'envelope';
      case 'envelope':
        if (is(this.soapNs, 'Header')) {
          this.headers++;
          return 'header';
        }
        if (is(this.soapNs, 'Body')) {
          this.bodies++;
          this.bodyId = attribute('Id', WSU_NS);
          return 'body';
        }
        return 'other';
      case 'header':
        if (!is(WSSE_NS, 'Security')) return 'other';
        this.securities++;
        return 'security';
      case 'security':
        if (is(WSSE_NS, 'BinarySecurityToken')) {
          if (this.tokens.size >= MAX_TOKENS) throw new XmlSignatureFailure('too many BinarySecurityTokens');
          this.#token = attribute('Id', WSU_NS);
          this.#tokenText = '';
          return 'token';
        }
        if (!is(DS_NS, 'Signature')) return 'other';
        this.signatures++;
        return 'signature';
      case 'signature':
        if (is(DS_NS, 'SignedInfo')) {
          this.signedInfos++;
          return 'signedInfo';
        }
        if (is(DS_NS, 'SignatureValue')) return 'signatureValue';
        return is(DS_NS, 'KeyInfo') ? 'keyInfo' : 'other';
      case 'signedInfo':
        if (is(DS_NS, 'CanonicalizationMethod')) this.canonicalization = attribute('Algorithm');
        if (is(DS_NS, 'SignatureMethod')) this.signatureMethod = attribute('Algorithm');
        if (!is(DS_NS, 'Reference')) return 'other';
        this.references.push(attribute('URI'));
        if (this.references.length > MAX_REFERENCES) {
          throw new XmlSignatureFailure(`the signature has more than ${MAX_REFERENCES} References`);
        }
        this.#transforms = 0;
        return 'reference';
      case 'reference':
        return is(DS_NS, 'Transforms') ? 'transforms' : 'other';
      case 'transforms':
        if (is(DS_NS, 'Transform') && ++this.#transforms > MAX_TRANSFORMS) {
          throw new XmlSignatureFailure(`a Reference has more than ${MAX_TRANSFORMS} Transforms`);
        }
        return 'other';
      case 'keyInfo':
        if (is(WSSE_NS, 'SecurityTokenReference')) return 'tokenReference';
        return is(DS_NS, 'X509Data') ? 'x509Data' : 'other';
      case 'tokenReference':
        if (is(WSSE_NS, 'Reference')) this.tokenReference ||= attribute('URI') || '#';
        return is(WSSE_NS, 'KeyIdentifier') ? 'keyIdentifier' : 'other';
      case 'x509Data':
        return is(DS_NS, 'X509Certificate') ? 'x509Certificate' : 'other';
      default:
        return 'other';
    }
  }

  /**
   * Re-serializes SignedInfo with the prefixes it was written with; its root declares every
   * namespace in scope (its ancestors' too).
   */
  #keepSignedInfo(
    prefix: string,
    local: string,
    attributes: XmlAttribute[],
    scope: Scope | undefined,
    role: Role,
  ): void {
    if (++this.#signedInfoElements > MAX_SIGNED_INFO_ELEMENTS) throw new XmlSignatureFailure('SignedInfo is too large');
    let tag = `<${prefix ? `${prefix}:` : ''}${local}`;
    if (role === 'signedInfo') {
      this.#signedInfoDepth = this.#roles.length;
      for (const [p, uri] of inScope(scope)) tag += ` ${p ? `xmlns:${p}` : 'xmlns'}="${escapeAttribute(uri)}"`;
    } else {
      for (const a of attributes) {
        if (a.uri === XMLNS_NS) tag += ` ${a.name}="${escapeAttribute(a.value)}"`;
      }
    }
    for (const a of attributes) {
      if (a.uri !== XMLNS_NS) tag += ` ${a.name}="${escapeAttribute(a.value)}"`;
    }
    this.#append(`${tag}>`);
    this.#openNames.push(`${prefix ? `${prefix}:` : ''}${local}`);
  }

  #append(text: string): void {
    this.signedInfoXml += text;
    if (this.signedInfoXml.length > MAX_KEPT_TEXT) throw new XmlSignatureFailure('SignedInfo is too large');
  }

  text(text: string): void {
    if (this.#signedInfoDepth >= 0) this.#append(escapeText(text));
    const role = this.#roles.at(-1);
    if (role === 'signatureValue') this.signatureValue = kept(this.signatureValue + text);
    else if (role === 'token') this.#tokenText = kept(this.#tokenText + text);
    else if (role === 'keyIdentifier' || role === 'x509Certificate')
      this.keyCertificate = kept(this.keyCertificate + text);
  }

  close(): void {
    const role = this.#roles.pop();
    this.#scopes.pop();
    if (role === 'token' && this.#token) this.tokens.set(this.#token, this.#tokenText);
    if (this.#signedInfoDepth >= 0) {
      this.#append(`</${this.#openNames.pop()}>`);
      if (role === 'signedInfo') this.#signedInfoDepth = -1;
    }
  }
}

function kept(text: string): string {
  if (text.length > MAX_KEPT_TEXT) throw new XmlSignatureFailure('a signature field is too large');
  return text;
}

/** Every binding in scope, innermost first wins; `xml` is implicit and never declared. */
function inScope(scope: Scope | undefined): Map<string, string> {
  const bindings = new Map<string, string>();
  for (let s = scope; s; s = s.outer) {
    for (const [prefix, uri] of s.declared) if (!bindings.has(prefix) && prefix !== 'xml') bindings.set(prefix, uri);
  }
  return bindings;
}

/** The pre-pass, synchronous: for `verifyEnvelope`. */
export function envelopeShapeSync(envelope: string | Uint8Array, limits: EnvelopeLimits): EnvelopeShape {
  const collector = new ShapeCollector(limits.maxElements ?? MAX_SIGNED_ENVELOPE_ELEMENTS);
  try {
    parseXmlSync(envelope, collector, { maxBytes: maxBytesOf(envelope, limits) });
  } catch (error) {
    throw asFailure(error);
  }
  return decide(collector, limits);
}

/** What may stop the asynchronous pre-pass between slices (a client call's timeout and signal). */
export interface StopConditions {
  /** A `performance.now()` time (ms) after which the pre-pass stops (XmlParseInterrupted). */
  deadline?: number;
  /** Aborting it stops the pre-pass (XmlParseInterrupted). */
  signal?: AbortSignal;
}

/**
 * The pre-pass, yielding to the event loop on large input: for receivers and clients. A deadline
 * or an abort stops it with @kz/soap's XmlParseInterrupted (not a refusal of the message).
 */
export async function envelopeShape(
  envelope: string | Uint8Array,
  limits: EnvelopeLimits,
  stop: StopConditions = {},
): Promise<EnvelopeShape> {
  const collector = new ShapeCollector(limits.maxElements ?? MAX_SIGNED_ENVELOPE_ELEMENTS);
  try {
    await parseXml(envelope, collector, { maxBytes: maxBytesOf(envelope, limits), ...stop });
  } catch (error) {
    throw asFailure(error);
  }
  return decide(collector, limits);
}

function maxBytesOf(envelope: string | Uint8Array, limits: EnvelopeLimits): number {
  const max = limits.maxBytes ?? MAX_SIGNED_ENVELOPE_BYTES;
  if (envelope.length > max) {
    throw new XmlSignatureFailure(`the message of ${envelope.length} bytes exceeds the ${max}-byte limit`);
  }
  return max;
}

/** The scanner's refusals become "malformed XML"; our own, and an interruption, pass through. */
function asFailure(error: unknown): Error {
  if (error instanceof XmlSignatureFailure || error instanceof XmlParseInterrupted) return error;
  return new XmlSignatureFailure(`malformed XML: ${(error as Error).message}`);
}

function decide(shape: ShapeCollector, limits: EnvelopeLimits): EnvelopeShape {
  if (shape.bodies !== 1) throw new XmlSignatureFailure('the envelope must have exactly one Body');
  if (shape.headers > 1) throw new XmlSignatureFailure('the envelope has more than one Header');
  if (shape.securities === 0) {
    const first = shape.firstInBody;
    if (limits.allowUnsignedFault && first?.ns === shape.soapNs && first.local === 'Fault') return { signed: false };
    throw new XmlSignatureFailure('the message carries no transport signature (wsse:Security)');
  }
  if (shape.securities > 1) throw new XmlSignatureFailure('more than one wsse:Security header');
  if (shape.signatures !== 1) throw new XmlSignatureFailure('expected exactly one ds:Signature in wsse:Security');
  if (shape.signedInfos !== 1) throw new XmlSignatureFailure('the signature must have exactly one SignedInfo');
  if (shape.references.length === 0) throw new XmlSignatureFailure('the signature has no References');
  if (!shape.bodyId) throw new XmlSignatureFailure('the Body has no wsu:Id: it is not what was signed');
  if (shape.ids.get(shape.bodyId) !== 1) throw new XmlSignatureFailure('the Body id is not unique in the message');
  if (shape.references.filter((uri) => uri === `#${shape.bodyId}`).length !== 1) {
    throw new XmlSignatureFailure('the signature does not cover the Body');
  }
  return {
    signed: true,
    signedInfoXml: shape.signedInfoXml,
    canonicalization: shape.canonicalization,
    signatureMethod: shape.signatureMethod,
    signatureValue: shape.signatureValue.replace(/\s+/g, ''),
    certificate: certificateOf(shape),
  };
}

function certificateOf(shape: ShapeCollector): string {
  if (shape.tokenReference) {
    const token = shape.tokens.get(shape.tokenReference.slice(1));
    if (!shape.tokenReference.startsWith('#') || token === undefined) {
      throw new XmlSignatureFailure('the referenced BinarySecurityToken is missing');
    }
    return token.replace(/\s+/g, '');
  }
  if (shape.keyCertificate) return shape.keyCertificate.replace(/\s+/g, '');
  throw new XmlSignatureFailure('no certificate found for the signature');
}
