/**
 * XML-DSig through the Signer interface, on top of xml-crypto: the generic `signXml` (SHEP's
 * WS-Security signatures use it), enveloped signatures over a whole document in two profiles
 * (exclusive C14N; inclusive C14N with comments, as Kalkan writes them for the ESF auth ticket),
 * and their verification.
 *
 * xml-crypto hashes synchronously while a Signer (NCALayer, Kalkan, an HSM) answers asynchronously, so
 * signing runs in two passes: the first records the canonical bytes of every reference, the signer
 * digests them, and the second pass builds the signature with those digests and lets the signer sign
 * SignedInfo through xml-crypto's asynchronous signature hook. Any algorithm URI the signer names is
 * registered for that run, so a GOST signer needs nothing but its `algorithms`.
 *
 * Verification is synchronous (xml-crypto's checkSignature is): RSA-SHA256 with SHA-256 and the
 * Kazakh GOST pairs (./gost/xmldsig.ts) are built in, other algorithms come from
 * `XmlDsigAlgorithmSupport` entries.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { parseXmlSync, SignatureError } from '@kz/soap';
import { DOMParser } from '@xmldom/xmldom';
import {
  C14nCanonicalization,
  C14nCanonicalizationWithComments,
  type CanonicalizationOrTransformationAlgorithm,
  ExclusiveCanonicalization,
  findAncestorNs,
  type HashAlgorithm,
  type SignatureAlgorithm,
  SignedXml,
} from 'xml-crypto';
import { SIGNING_SERVICE } from './errors.js';
import { GOST_XMLDSIG_SUPPORT } from './gost/xmldsig.js';
import { normalizeCertificatePem, pemBody } from './rsa-signer.js';
import { RSA_SHA256, type Signer } from './signer.js';
import { verifyRsaSha256 } from './verify.js';

/** Namespace URI of XML-DSig elements (`ds:Signature`, `ds:SignedInfo`, ...). */
export const DS_NS = 'http://www.w3.org/2000/09/xmldsig#';
/** Exclusive Canonical XML 1.0, comments dropped: the canonicalization WS-Security signatures use. */
export const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
/** Inclusive Canonical XML 1.0, comments dropped. */
export const C14N = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315';
/** Inclusive Canonical XML 1.0 with comments (a same-document reference still drops them). */
export const C14N_WITH_COMMENTS = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments';
/** The transform that removes the ds:Signature itself from what a Reference over its enclosing document covers. */
export const ENVELOPED_SIGNATURE = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';

/** How an enveloped signature over a whole document is canonicalized. */
export interface EnvelopedProfile {
  /** SignedInfo's CanonicalizationMethod. */
  readonly canonicalization: string;
  /** The Reference's transforms, in order (the enveloped-signature transform first). */
  readonly transforms: readonly string[];
}

/** Exclusive C14N throughout: a taxpayer's signature on a document carried inside SHEP `data`. */
export const ENVELOPED_EXC_C14N: EnvelopedProfile = {
  canonicalization: EXC_C14N,
  transforms: [ENVELOPED_SIGNATURE, EXC_C14N],
};

/**
 * What Kalkan's XMLSignature writes (the ESF SDK's local signer, NCANode's /xml/sign, NCALayer):
 * SignedInfo in inclusive C14N, the document through enveloped-signature then inclusive C14N with
 * comments. The ESF auth ticket is signed this way (reference-docs/FACTS.md §2 #36: "inclusive
 * C14N WithComments, as in the SDK's samples"; NCANode 3.x openapi.yml shows the same pair).
 */
export const ENVELOPED_C14N_WITH_COMMENTS: EnvelopedProfile = {
  canonicalization: C14N,
  transforms: [ENVELOPED_SIGNATURE, C14N_WITH_COMMENTS],
};

/**
 * Signs a whole XML document with an enveloped XML-DSig and returns the signed document. The
 * built-in one (`envelopedXmlSigner`) signs locally through a `Signer`; a signing server or a
 * browser plug-in that does the whole XML-DSig itself (NCANode's /xml/sign, NCALayer's signXml)
 * implements this interface instead.
 */
export interface XmlDocumentSigner {
  /** The document `xml` with an enveloped ds:Signature added (appended to its root element). */
  signXmlDocument(xml: string): Promise<string>;
}

/** An `XmlDocumentSigner` over any `Signer` (RSA built in; GOST signers name their own URIs). */
export function envelopedXmlSigner(signer: Signer, profile: EnvelopedProfile = ENVELOPED_EXC_C14N): XmlDocumentSigner {
  return { signXmlDocument: (xml) => signXmlDocument(xml, signer, profile) };
}

/**
 * A failed signing or verification (SIGNATURE_ERROR, nothing sent). Callers that sent a request
 * turn it into a `SignatureError` with their own context and delivery state, quoting `reason`.
 */
export class XmlSignatureFailure extends SignatureError {
  /** What failed, without the `Signing.xmldsig: ` prefix of the message. */
  readonly reason: string;
  constructor(reason: string) {
    super({ service: SIGNING_SERVICE, operation: 'xmldsig' }, reason);
    this.reason = reason;
  }
}

/**
 * Caps of `verifyXmlDocument` before its DOM is built: xmldom and xml-crypto cost about 0.05-0.1 ms
 * per element (@kz/shep's envelope-shape.ts applies the same caps to signed envelopes).
 */
export const MAX_SIGNED_DOCUMENT_BYTES = 8 * 1024 * 1024;
/** Most elements `verifyXmlDocument` accepts in a document by default (see MAX_SIGNED_DOCUMENT_BYTES). */
export const MAX_SIGNED_DOCUMENT_ELEMENTS = 10_000;

/**
 * Synchronous verification of one algorithm pair (RSA-SHA256 and GOST are built in; add others, e.g.
 * through a native binding). `digest` hashes canonical bytes; `verify` checks a raw signature value
 * against the signer's certificate (DER, base64).
 */
export interface XmlDsigAlgorithmSupport {
  /** The SignatureMethod Algorithm URI this entry verifies. */
  readonly signature: string;
  /** The DigestMethod Algorithm URI this entry computes. */
  readonly digest: string;
  /** The digest of canonical bytes (a Reference's DigestValue, before base64). */
  digestSync(data: Uint8Array): Uint8Array;
  /** Whether `signature` (the SignatureValue's bytes) over canonical SignedInfo verifies with `certificate`'s key. */
  verifySync(data: Uint8Array, signature: Uint8Array, certificate: string): boolean;
}

/** RSA-SHA256 / SHA-256, built in. */
export const RSA_SHA256_SUPPORT: XmlDsigAlgorithmSupport = {
  signature: RSA_SHA256.signature,
  digest: RSA_SHA256.digest,
  digestSync: (data) => new Uint8Array(createHash('sha256').update(data).digest()),
  verifySync: verifyRsaSha256,
};

/**
 * Which signers a verification accepts and how it checks them: the certificate must be listed in
 * `trustedCertificates` or accepted by `isTrusted`, and valid at `now()`.
 */
export interface TrustOptions {
  /** Certificates (PEM or DER base64) whose signatures are accepted. */
  trustedCertificates?: readonly string[];
  /** Or a decision of your own (e.g. chain to the NCA root and compare the BIN); DER base64 in. */
  isTrusted?(certificate: string): boolean;
  /**
   * Algorithms of your own, besides the built-in RSA-SHA256 and GOST (2015-512/256, 34.310-2004);
   * an entry for a built-in URI replaces the built-in one (e.g. GOST through a native Kalkan binding).
   */
  algorithms?: readonly XmlDsigAlgorithmSupport[];
  /** The clock for the certificate validity check. Default: now. */
  now?: () => Date;
}

/** One ds:Reference of a signature made by `signXml`: what is signed and how it is transformed. */
export interface SignReference {
  /** XPath selecting the element, e.g. the SOAP Body. */
  xpath: string;
  /** Transforms in order; exclusive C14N for WS-Security. */
  transforms: readonly string[];
  /** "" for the whole document (enveloped signatures). */
  uri?: string;
  /** Write URI="" and give the target no Id attribute (a whole-document reference); default false. */
  isEmptyUri?: boolean;
}

/** How `signXml` builds the signature: references, canonicalization, placement and KeyInfo. */
export interface SignXmlOptions {
  /** The ds:Reference elements, in order, each digested with the signer's digest algorithm. */
  references: readonly SignReference[];
  /** SignedInfo's CanonicalizationMethod URI, e.g. EXC_C14N or C14N. */
  canonicalization: string;
  /** Where to put ds:Signature (xml-crypto's location). */
  location: { reference: string; action: 'append' | 'prepend' | 'before' | 'after' };
  /** ds:KeyInfo content; by default X509Data with the signer's certificate. */
  keyInfo?: string;
  /** Prefixes already declared where the signature goes (for the KeyInfo content). */
  existingPrefixes?: Record<string, string>;
  /** xml-crypto id mode: 'wssecurity' to reference wsu:Id. */
  idMode?: 'wssecurity';
}

/** Signs `xml` with `signer` (two passes, see the module comment). Returns the signed document. */
export async function signXml(xml: string, signer: Signer, options: SignXmlOptions): Promise<string> {
  const { signature: signatureUri, digest: digestUri } = signer.algorithms;
  const canonical: string[] = [];
  // Pass 1: record what each reference canonicalizes to.
  const recorder = newSignedXml(options, signatureUri, {
    hash: class implements HashAlgorithm {
      getAlgorithmName = () => digestUri;
      getHash(data: string): string {
        canonical.push(data);
        return '';
      }
    },
    signature: class implements SignatureAlgorithm {
      getAlgorithmName = () => signatureUri;
      getSignature(): string {
        return '';
      }
      verifySignature(): boolean {
        return false;
      }
    } as unknown as new () => SignatureAlgorithm,
  });
  for (const reference of options.references) recorder.addReference(referenceOf(reference, digestUri));
  try {
    recorder.computeSignature(xml, {
      prefix: 'ds',
      location: options.location,
      existingPrefixes: options.existingPrefixes,
    });
  } catch (error) {
    throw new XmlSignatureFailure(`cannot prepare the signature: ${(error as Error).message}`);
  }
  const digests = new Map<string, string>();
  for (const data of canonical) {
    const digest = await signer.digest(Buffer.from(data, 'utf8'));
    digests.set(data, Buffer.from(digest).toString('base64'));
  }
  // Pass 2: the real signature, digests from the signer, SignedInfo signed by the signer.
  const signed = newSignedXml(options, signatureUri, {
    hash: class implements HashAlgorithm {
      getAlgorithmName = () => digestUri;
      getHash(data: string): string {
        const digest = digests.get(data);
        // Plain Errors thrown inside xml-crypto's callbacks reach callers as XmlSignatureFailure (below).
        if (digest === undefined) throw new Error('the document changed between the two signing passes');
        return digest;
      }
    },
    signature: class {
      getAlgorithmName = () => signatureUri;
      getSignature(
        signedInfo: string | Uint8Array,
        _key: unknown,
        callback?: (error: Error | null, value?: string) => void,
      ) {
        if (!callback) throw new Error('the signer is asynchronous');
        const bytes = typeof signedInfo === 'string' ? Buffer.from(signedInfo, 'utf8') : signedInfo;
        signer.sign(bytes).then(
          (result) => callback(null, Buffer.from(result.signature).toString('base64')),
          () => callback(new Error('the signer refused to sign')),
        );
      }
      verifySignature(): boolean {
        return false;
      }
    } as unknown as new () => SignatureAlgorithm,
  });
  for (const reference of options.references) signed.addReference(referenceOf(reference, digestUri));
  return new Promise<string>((resolve, reject) => {
    signed.computeSignature(
      xml,
      { prefix: 'ds', location: options.location, existingPrefixes: options.existingPrefixes },
      (error) => {
        if (error) reject(new XmlSignatureFailure(error.message));
        else resolve(signed.getSignedXml());
      },
    );
  }).catch((error: unknown) => {
    throw error instanceof XmlSignatureFailure
      ? error
      : new XmlSignatureFailure(`cannot sign: ${(error as Error).message}`);
  });

  function newSignedXml(
    opts: SignXmlOptions,
    uri: string,
    algorithms: { hash: new () => HashAlgorithm; signature: new () => SignatureAlgorithm },
  ): SignedXml {
    const sig = new SignedXml({
      ...(opts.idMode ? { idMode: opts.idMode } : {}),
      canonicalizationAlgorithm: opts.canonicalization,
      signatureAlgorithm: uri,
      // xml-crypto insists on a key; the real one stays inside the signer.
      privateKey: 'held-by-the-signer',
      getKeyInfoContent: () => opts.keyInfo ?? x509Data(signer.certificate),
    });
    sig.HashAlgorithms[digestUri] = algorithms.hash;
    sig.SignatureAlgorithms[uri] = algorithms.signature;
    return sig;
  }
}

function referenceOf(reference: SignReference, digestAlgorithm: string) {
  return {
    xpath: reference.xpath,
    transforms: [...reference.transforms],
    digestAlgorithm,
    ...(reference.uri !== undefined ? { uri: reference.uri } : {}),
    ...(reference.isEmptyUri ? { isEmptyUri: true } : {}),
  };
}

function x509Data(certificate: string): string {
  return `<ds:X509Data><ds:X509Certificate>${pemBody(certificate)}</ds:X509Certificate></ds:X509Data>`;
}

/**
 * Parses untrusted XML: our safe reader first (no DOCTYPE, no entities, size and element caps),
 * then xmldom. Without `maxElements` (our own documents, to be signed) the element count is free.
 */
export function parseUntrusted(xml: string, limits: { maxBytes?: number; maxElements?: number } = {}): Document {
  const maxElements = limits.maxElements ?? Number.POSITIVE_INFINITY;
  let elements = 0;
  try {
    parseXmlSync(
      xml,
      {
        open() {
          if (++elements > maxElements)
            throw new XmlSignatureFailure(`the document has more than ${maxElements} elements`);
        },
        text() {},
        close() {},
      },
      { maxBytes: limits.maxBytes ?? 16 * 1024 * 1024 },
    );
  } catch (error) {
    if (error instanceof XmlSignatureFailure) throw error;
    throw new XmlSignatureFailure(`malformed XML: ${(error as Error).message}`);
  }
  return parseDom(xml);
}

/** xmldom over text our reader has already checked (parseUntrusted, or the envelope pre-pass). */
export function parseDom(xml: string): Document {
  const errors: string[] = [];
  const doc = new DOMParser({
    errorHandler: {
      warning: () => {},
      error: (m: string) => errors.push(m),
      fatalError: (m: string) => errors.push(m),
    },
  }).parseFromString(xml, 'text/xml');
  if (errors.length > 0 || !doc.documentElement) throw new XmlSignatureFailure('malformed XML');
  return doc;
}

/** The element children of a DOM node in document order (text, comments and the like skipped). */
export function elementChildren(node: Node): Element[] {
  const out: Element[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === 1) out.push(child as Element);
  }
  return out;
}

/** Checks that the certificate is trusted and currently valid; returns its DER base64. */
export function checkTrust(certificate: string, trust: TrustOptions): string {
  const der = pemBody(certificate);
  let parsed: X509Certificate;
  try {
    parsed = new X509Certificate(Buffer.from(der, 'base64'));
  } catch {
    throw new XmlSignatureFailure('the signing certificate cannot be read');
  }
  const now = (trust.now ?? (() => new Date()))();
  if (now < new Date(parsed.validFrom) || now > new Date(parsed.validTo)) {
    throw new XmlSignatureFailure('the signing certificate is not valid at this time');
  }
  const listed = (trust.trustedCertificates ?? []).some((c) => pemBody(c) === der);
  const accepted = listed || trust.isTrusted?.(der) === true;
  if (!accepted) throw new XmlSignatureFailure('the message is signed with an unexpected certificate');
  return der;
}

/**
 * Verifies one ds:Signature element with xml-crypto against a known certificate. The caller has
 * already decided which element the signature must cover and which certificate must have made it.
 */
export function checkSignatureElement(
  xml: string,
  signature: Element,
  certificate: string,
  trust: TrustOptions,
  expected: { canonicalization: string; transforms: readonly string[] },
): void {
  const signedInfo = elementChildren(signature).find((e) => e.namespaceURI === DS_NS && e.localName === 'SignedInfo');
  if (!signedInfo) throw new XmlSignatureFailure('the signature has no SignedInfo');
  const method = (name: string, parent: Element = signedInfo): string =>
    elementChildren(parent)
      .find((e) => e.namespaceURI === DS_NS && e.localName === name)
      ?.getAttribute('Algorithm') ?? '';
  const c14n = method('CanonicalizationMethod');
  if (c14n !== expected.canonicalization) throw new XmlSignatureFailure(`unexpected canonicalization ${c14n}`);
  const algorithm = algorithmFor(method('SignatureMethod'), trust);
  for (const reference of elementChildren(signedInfo).filter((e) => e.localName === 'Reference')) {
    const digestUri = method('DigestMethod', reference);
    if (digestUri !== algorithm.digest) throw new XmlSignatureFailure(`unexpected digest algorithm ${digestUri}`);
    const transforms = elementChildren(reference).find((e) => e.localName === 'Transforms');
    const listed = transforms ? elementChildren(transforms).map((t) => t.getAttribute('Algorithm') ?? '') : [];
    if (listed.join(' ') !== expected.transforms.join(' ')) {
      throw new XmlSignatureFailure(`unexpected transforms ${listed.join(', ') || '(none)'}`);
    }
  }
  // The signature over SignedInfo first: cheap, and without the signer's key nobody gets further
  // (xml-crypto parses the whole message again and canonicalizes the referenced content).
  const signatureValue = elementChildren(signature).find(
    (e) => e.namespaceURI === DS_NS && e.localName === 'SignatureValue',
  );
  checkSignedInfoValue(
    signedInfo,
    c14n,
    ancestorNamespacesOf(signedInfo),
    signatureValue?.textContent ?? '',
    certificate,
    algorithm,
  );
  const pem = normalizeCertificatePem(certificate);
  const sig = new SignedXml({
    publicCert: pem,
    getCertFromKeyInfo: () => pem,
    canonicalizationAlgorithm: expected.canonicalization,
  });
  sig.HashAlgorithms[algorithm.digest] = class implements HashAlgorithm {
    getAlgorithmName = () => algorithm.digest;
    getHash = (data: string) => Buffer.from(algorithm.digestSync(Buffer.from(data, 'utf8'))).toString('base64');
  };
  sig.SignatureAlgorithms[algorithm.signature] = class {
    getAlgorithmName = () => algorithm.signature;
    getSignature(): string {
      // Never called: this algorithm object only verifies (errors here become XmlSignatureFailure).
      throw new Error('verification only');
    }
    verifySignature = (material: string, _key: unknown, value: string) =>
      algorithm.verifySync(Buffer.from(material, 'utf8'), Buffer.from(value, 'base64'), certificate);
  } as unknown as new () => SignatureAlgorithm;
  let valid = false;
  try {
    sig.loadSignature(signature);
    valid = sig.checkSignature(xml);
  } catch (error) {
    const message = (error as Error).message;
    throw new XmlSignatureFailure(
      /signature value/.test(message) ? 'the signature value does not verify' : 'the signed content was changed',
    );
  }
  if (!valid) throw new XmlSignatureFailure('the signed content was changed');
}

/**
 * The algorithm pair a SignatureMethod names: the caller's entries first (they may replace a
 * built-in one for the same URI), then the built-in RSA-SHA256 and GOST pairs.
 */
export function algorithmFor(signatureUri: string, trust: TrustOptions): XmlDsigAlgorithmSupport {
  const supported = [...(trust.algorithms ?? []), RSA_SHA256_SUPPORT, ...GOST_XMLDSIG_SUPPORT];
  const found = supported.find((a) => a.signature === signatureUri);
  if (!found) throw new XmlSignatureFailure(`unsupported signature algorithm ${signatureUri}`);
  return found;
}

/** The canonicalizations SignedInfo may name (the profiles' and WS-Security's). */
const SIGNED_INFO_CANONICALIZATIONS: ReadonlyMap<string, new () => CanonicalizationOrTransformationAlgorithm> = new Map<
  string,
  new () => CanonicalizationOrTransformationAlgorithm
>([
  [EXC_C14N, ExclusiveCanonicalization],
  [C14N, C14nCanonicalization],
  [C14N_WITH_COMMENTS, C14nCanonicalizationWithComments],
]);

/**
 * Checks SignatureValue over SignedInfo, canonicalized as xml-crypto's verification does it (the
 * method SignedInfo names, over a copy; the ancestors' namespaces are what an inclusive C14N
 * renders on SignedInfo and what an InclusiveNamespaces list of an exclusive one draws on).
 */
export function checkSignedInfoValue(
  signedInfo: Element,
  canonicalization: string,
  ancestorNamespaces: ReturnType<typeof findAncestorNs>,
  signatureValue: string,
  certificate: string,
  algorithm: XmlDsigAlgorithmSupport,
): void {
  const Canonicalization = SIGNED_INFO_CANONICALIZATIONS.get(canonicalization);
  if (!Canonicalization) throw new XmlSignatureFailure(`unexpected canonicalization ${canonicalization}`);
  const canonical = new Canonicalization().process(signedInfo.cloneNode(true) as Element, {
    ancestorNamespaces,
    defaultNsForPrefix: SignedXml.defaultNsForPrefix,
  });
  const value = Buffer.from(signatureValue.replace(/\s+/g, ''), 'base64');
  if (!algorithm.verifySync(Buffer.from(String(canonical), 'utf8'), value, certificate)) {
    throw new XmlSignatureFailure('the signature value does not verify');
  }
}

/** The namespaces SignedInfo inherits, found by a positional path (no expression walks the document). */
function ancestorNamespacesOf(element: Element): ReturnType<typeof findAncestorNs> {
  const steps: string[] = [];
  for (let node: Node | null = element; node?.nodeType === 1; node = node.parentNode) {
    let index = 1;
    for (let sibling = node.previousSibling; sibling; sibling = sibling.previousSibling) {
      if (sibling.nodeType === 1) index++;
    }
    steps.unshift(`*[${index}]`);
  }
  return findAncestorNs(element.ownerDocument, `/${steps.join('/')}`);
}

/**
 * Signs a whole standalone document: enveloped signature (URI "", ds:Signature appended as the
 * root's last child), X509Data with the signer's certificate, canonicalized per `profile`
 * (default exclusive C14N, the form of a taxpayer's signature inside SHEP `data`).
 */
export function signXmlDocument(
  xml: string,
  signer: Signer,
  profile: EnvelopedProfile = ENVELOPED_EXC_C14N,
): Promise<string> {
  return signXml(xml, signer, {
    canonicalization: profile.canonicalization,
    references: [{ xpath: '/*', transforms: profile.transforms, uri: '', isEmptyUri: true }],
    location: { reference: '/*', action: 'append' },
  });
}

/**
 * Trust, plus the caps checked by our reader before any DOM of the document is built (`maxBytes`,
 * default MAX_SIGNED_DOCUMENT_BYTES; `maxElements`, default MAX_SIGNED_DOCUMENT_ELEMENTS).
 */
export interface VerifyXmlDocumentOptions extends TrustOptions {
  /** Largest document accepted, bytes (UTF-16 units of the string). Default MAX_SIGNED_DOCUMENT_BYTES. */
  maxBytes?: number;
  /** Most elements accepted. Default MAX_SIGNED_DOCUMENT_ELEMENTS. */
  maxElements?: number;
}

/**
 * Verifies an enveloped signature over a whole document (as `signXmlDocument` makes it) made in one
 * of `profiles` (default exclusive C14N); returns the signer's certificate (DER base64).
 * @throws XmlSignatureFailure when the document is malformed or over the caps, the certificate is not
 * trusted or not valid now, or the signature does not verify (`reason` says which).
 */
export function verifyXmlDocument(
  xml: string,
  trust: VerifyXmlDocumentOptions,
  profiles: readonly EnvelopedProfile[] = [ENVELOPED_EXC_C14N],
): { certificate: string } {
  const { signature, signedInfo, certificate: carried } = envelopedSignatureOf(parseSignedDocument(xml, trust));
  const certificate = checkTrust(carried, trust);
  const canonicalization = elementChildren(signedInfo)
    .find((e) => e.localName === 'CanonicalizationMethod')
    ?.getAttribute('Algorithm');
  const profile = profiles.find((p) => p.canonicalization === canonicalization);
  if (!profile) throw new XmlSignatureFailure(`unexpected canonicalization ${canonicalization ?? '(none)'}`);
  checkSignatureElement(xml, signature, certificate, trust, profile);
  return { certificate };
}

/**
 * The certificate (DER base64) an enveloped signature carries in its KeyInfo, read without
 * verifying anything: who claims to have signed (e.g. to compare the ticket's IIN with it).
 */
export function envelopedSignatureCertificate(
  xml: string,
  limits: { maxBytes?: number; maxElements?: number } = {},
): string {
  return envelopedSignatureOf(parseSignedDocument(xml, limits)).certificate;
}

/** A signed document from elsewhere: within the caps before its DOM is built. */
function parseSignedDocument(xml: string, limits: { maxBytes?: number; maxElements?: number }): Document {
  return parseUntrusted(xml, {
    maxBytes: limits.maxBytes ?? MAX_SIGNED_DOCUMENT_BYTES,
    maxElements: limits.maxElements ?? MAX_SIGNED_DOCUMENT_ELEMENTS,
  });
}

function envelopedSignatureOf(doc: Document): { signature: Element; signedInfo: Element; certificate: string } {
  const root = doc.documentElement as Element;
  const signatures = elementChildren(root).filter((e) => e.namespaceURI === DS_NS && e.localName === 'Signature');
  if (signatures.length !== 1) throw new XmlSignatureFailure('expected exactly one enveloped ds:Signature');
  const signature = signatures[0] as Element;
  const signedInfo = elementChildren(signature).find((e) => e.localName === 'SignedInfo');
  const references = signedInfo ? elementChildren(signedInfo).filter((e) => e.localName === 'Reference') : [];
  if (!signedInfo || references.length !== 1 || references[0]?.getAttribute('URI') !== '') {
    throw new XmlSignatureFailure('the signature must cover the whole document (one Reference, URI "")');
  }
  const keyInfo = elementChildren(signature).find((e) => e.localName === 'KeyInfo');
  const x509 = keyInfo ? elementChildren(keyInfo).find((e) => e.localName === 'X509Data') : undefined;
  const cert = x509 ? elementChildren(x509).find((e) => e.localName === 'X509Certificate') : undefined;
  if (!cert) throw new XmlSignatureFailure('no certificate in the signature');
  return { signature, signedInfo, certificate: (cert.textContent ?? '').replace(/\s+/g, '') };
}
