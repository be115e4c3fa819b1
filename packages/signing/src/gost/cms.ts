/**
 * CMS SignedData (RFC 5652) with GOST keys, in the CAdES-BES shape Kalkan's CMSUtil.createCAdES
 * writes (as documented by fedor35/ncalayer-rs, crates/kz-cms/src/sign.rs): algorithm identifiers
 * with NULL parameters, the signature OID (not the key OID) as signatureAlgorithm, signed attributes
 * contentType, signingTime, signingCertificateV2 (SHA-256 certificate hash) and messageDigest, and
 * the signature value r || s little-endian. Attached or detached.
 */
import { createHash } from 'node:crypto';
import { cmsRefusal } from '../errors.js';
import { algorithmOfDigestOid, type GostAlgorithm } from './algorithms.js';
import { equalBytes } from './bytes.js';
import { type NcaCertificate, parseCertificate } from './certificate.js';
import { childrenOf, type DerNode, der, isContext, parseDer, readOctets, readOid, readTime, TAG, tlv } from './der.js';
import { decodeSignature, isGostPublicKey } from './encoding.js';
import { verifyDigest } from './gost3410.js';

const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
} as const;

const algorithmIdentifier = (oid: string) => der.sequence(der.oid(oid), der.null());
const attribute = (oid: string, value: Uint8Array) => der.sequence(der.oid(oid), der.set(value));

export interface CmsSignOptions {
  readonly detached?: boolean;
  readonly signingTime?: Date;
}

/**
 * Builds the SignedData; `signDigest` signs the digest of the DER SET of signed attributes and
 * returns the raw signature value.
 */
export function buildGostCms(
  algorithm: GostAlgorithm,
  certificate: NcaCertificate,
  content: Uint8Array,
  signDigest: (digest: Uint8Array) => Uint8Array,
  options: CmsSignOptions = {},
): Uint8Array {
  // ESSCertIDv2 { certHash } with hashAlgorithm left at its DEFAULT, SHA-256 (RFC 5035).
  const certHash = createHash('sha256').update(certificate.der).digest();
  const signedAttributes = der.set(
    attribute(OID.contentType, der.oid(OID.data)),
    attribute(OID.signingTime, der.time(options.signingTime ?? new Date())),
    attribute(OID.signingCertificateV2, der.sequence(der.sequence(der.sequence(der.octets(certHash))))),
    attribute(OID.messageDigest, der.octets(algorithm.hash(content))),
  );
  const signature = signDigest(algorithm.hash(signedAttributes));
  const tbs = parseDer(certificate.tbs).children.filter((node) => !isContext(node, 0));
  const issuerAndSerial = der.sequence((tbs[2] as DerNode).bytes, (tbs[0] as DerNode).bytes);
  const signerInfo = der.sequence(
    der.integer(1),
    issuerAndSerial,
    algorithmIdentifier(algorithm.digestOid),
    retag(signedAttributes, 0xa0), // [0] IMPLICIT
    algorithmIdentifier(algorithm.signatureOid),
    der.octets(signature),
  );
  const encapsulated = options.detached
    ? der.sequence(der.oid(OID.data))
    : der.sequence(der.oid(OID.data), der.context(0, der.octets(content)));
  const signedData = der.sequence(
    der.integer(1),
    der.set(algorithmIdentifier(algorithm.digestOid)),
    encapsulated,
    tlv(0xa0, certificate.der),
    der.set(signerInfo),
  );
  return der.sequence(der.oid(OID.signedData), der.context(0, signedData));
}

function retag(encoded: Uint8Array, tag: number): Uint8Array {
  const copy = Uint8Array.from(encoded);
  copy[0] = tag;
  return copy;
}

export interface VerifiedGostCms {
  /** The signed content (attached), or the content given for a detached CMS. */
  readonly content: Uint8Array;
  /** The signer's certificate, DER base64. */
  readonly certificate: string;
  /** The signingTime attribute, when present. */
  readonly signingTime?: Date;
}

/** The SignedData's digest algorithm is a GOST one (tells verifyCms which path to take). */
export function isGostCms(cms: Uint8Array): boolean {
  try {
    const signedData = readSignedData(cms);
    const digestAlgorithms = childrenOf(signedData[1], TAG.SET, 'digestAlgorithms');
    return digestAlgorithms.some((a) => algorithmOfDigestOid(readOid(a.children[0])) !== undefined);
  } catch {
    return false;
  }
}

function readSignedData(cms: Uint8Array): readonly DerNode[] {
  const [type, wrapped] = childrenOf(parseDer(cms), TAG.SEQUENCE, 'ContentInfo');
  if (readOid(type) !== OID.signedData) throw cmsRefusal('not a CMS SignedData');
  if (!isContext(wrapped, 0)) throw cmsRefusal('malformed CMS structure');
  return childrenOf(wrapped?.children[0], TAG.SEQUENCE, 'SignedData');
}

/**
 * Verifies a GOST CMS SignedData: the messageDigest attribute matches the content, and the signature
 * over the signed attributes verifies with the signer's certificate carried in it. Returns the
 * content and that certificate, or throws verifyCms's SignatureError (cmsRefusal) saying what failed;
 * unreadable DER may surface as a DerError, which verifyCms turns into one. Whether the certificate is trusted is the caller's call
 * (`buildChain`).
 */
export function verifyGostCms(cms: Uint8Array, detachedContent?: Uint8Array): VerifiedGostCms {
  const parts = readSignedData(cms);
  const encapsulated = childrenOf(parts[2], TAG.SEQUENCE, 'EncapsulatedContentInfo');
  let index = 3;
  const certificates = isContext(parts[index], 0) ? (parts[index++] as DerNode).children : [];
  if (isContext(parts[index], 1)) index++; // CRLs
  const signerInfos = childrenOf(parts[index], TAG.SET, 'signerInfos');
  if (signerInfos.length !== 1) throw cmsRefusal(`expected one signer, found ${signerInfos.length}`);
  const [version, sid, digestAlgorithm, signedAttributes, signatureAlgorithm, signatureValue] = childrenOf(
    signerInfos[0],
    TAG.SEQUENCE,
    'SignerInfo',
  );
  if (!version || !isContext(signedAttributes, 0)) throw cmsRefusal('CMS has no signed attributes');
  const algorithm = algorithmOfDigestOid(readOid(digestAlgorithm?.children[0]));
  if (!algorithm) throw cmsRefusal('CMS digest algorithm is not GOST');
  const signatureOid = readOid(signatureAlgorithm?.children[0]);
  if (signatureOid !== algorithm.signatureOid && signatureOid !== algorithm.keyOid) {
    throw cmsRefusal(`CMS signature algorithm ${signatureOid} does not match its digest algorithm`);
  }
  const attached = encapsulated[1] ? readOctets(encapsulated[1].children[0]) : undefined;
  if (attached && detachedContent && !equalBytes(attached, detachedContent)) {
    throw cmsRefusal('CMS content differs from the content given');
  }
  const content = attached ?? detachedContent;
  if (!content) throw cmsRefusal('CMS carries no content and none was given');

  let messageDigest: Uint8Array | undefined;
  let signingTime: Date | undefined;
  for (const attr of (signedAttributes as DerNode).children) {
    const [type, values] = childrenOf(attr, TAG.SEQUENCE, 'Attribute');
    const oid = readOid(type);
    if (oid === OID.messageDigest) messageDigest = readOctets(values?.children[0]);
    if (oid === OID.signingTime) signingTime = readTimeSafely(values?.children[0]);
  }
  if (!messageDigest || !equalBytes(messageDigest, algorithm.hash(content))) {
    throw cmsRefusal('CMS message digest does not match the content');
  }

  const signer = findSigner(certificates, sid);
  const key = signer.publicKey;
  if (!isGostPublicKey(key) || key.keyType !== algorithm.keyType) {
    throw cmsRefusal('the CMS signer certificate does not hold a key of the signature algorithm');
  }
  // The signature covers the attributes DER-encoded as a SET, not as the [0] they travel in.
  const signedBytes = retag((signedAttributes as DerNode).bytes, TAG.SET);
  const value = decodeSignature(key.curve.size, readOctets(signatureValue));
  if (!value || !verifyDigest(key.curve, key.point, algorithm.hash(signedBytes), value)) {
    throw cmsRefusal('CMS signature does not verify');
  }
  return { content, certificate: signer.base64, ...(signingTime ? { signingTime } : {}) };
}

/**
 * The certificate the SignerInfo names (issuer and serial number), among those carried. Entries are
 * matched on those two fields before being read, so other certificate choices are passed over.
 */
function findSigner(certificates: readonly DerNode[], sid: DerNode | undefined): NcaCertificate {
  const [issuer, serial] = childrenOf(sid, TAG.SEQUENCE, 'IssuerAndSerialNumber');
  if (!issuer || !serial) throw cmsRefusal('malformed CMS signer identifier');
  for (const node of certificates) {
    const fields = node.children[0]?.children.filter((field) => !isContext(field, 0)) ?? [];
    const [serialField, , issuerField] = fields;
    if (
      serialField?.tag === TAG.INTEGER &&
      issuerField &&
      equalBytes(serialField.content, serial.content) &&
      equalBytes(issuerField.bytes, issuer.bytes)
    ) {
      return parseCertificate(node.bytes);
    }
  }
  throw cmsRefusal('CMS carries no certificate for its signer');
}

/** signingTime is informative: an unreadable one is left out rather than failing the signature. */
function readTimeSafely(node: DerNode | undefined): Date | undefined {
  try {
    return node ? readTime(node) : undefined;
  } catch {
    return undefined;
  }
}
