/**
 * Verification for receivers and mocks: raw RSA-SHA256 signatures against a certificate, and
 * CMS SignedData (signature over the signed attributes, message digest over the content), RSA or GOST.
 */
import { createHash, createVerify, X509Certificate } from 'node:crypto';
import { SignatureError } from '@kz/soap';
import forge from 'node-forge';
import { cmsRefusal } from './errors.js';
import { isGostCms, verifyGostCms } from './gost/cms.js';
import { normalizeCertificatePem } from './rsa-signer.js';

/**
 * Does `signature` (RSASSA-PKCS1-v1_5 with SHA-256) over `data` verify with the key of `certificate`
 * (PEM or DER base64)? False for anything unreadable. The certificate's trust is not judged here.
 */
export function verifyRsaSha256(data: Uint8Array, signature: Uint8Array, certificate: string): boolean {
  try {
    const publicKey = new X509Certificate(normalizeCertificatePem(certificate)).publicKey;
    return createVerify('sha256').update(data).verify(publicKey, signature);
  } catch {
    return false;
  }
}

/** What verifyCms returns once the signature checked out. */
export interface VerifiedCms {
  /** The signed content (attached CMS), or the content given for a detached one. */
  content: Uint8Array;
  /** The signer's certificate, DER base64. */
  certificate: string;
}

/**
 * Verifies a CMS SignedData (RFC 5652), RSA/SHA-256 or GOST (Kazakh OIDs), by walking its ASN.1: the
 * message digest attribute must match the content, and the signature over the signed attributes
 * must verify with the embedded certificate. Returns the content and that certificate. Whether
 * that certificate is trusted is the caller's call (e.g. buildChain).
 * @throws SignatureError (code SIGNATURE_ERROR, operation `verifyCms`) saying what failed: malformed
 * CMS (the parser's reason, the original error as `cause`), no content, digest or signature mismatch.
 */
export function verifyCms(der: Uint8Array, detachedContent?: Uint8Array): VerifiedCms {
  try {
    if (isGostCms(der)) {
      const { content, certificate } = verifyGostCms(der, detachedContent);
      return { content, certificate };
    }
    return verifyRsaCms(der, detachedContent);
  } catch (error) {
    if (error instanceof SignatureError) throw error;
    // The ASN.1 parsers' and node:crypto's reasons describe the bytes given, which are public.
    throw cmsRefusal(`malformed CMS: ${error instanceof Error ? error.message : String(error)}`, error);
  }
}

/** The RSA/SHA-256 path of verifyCms, over node-forge's ASN.1 reader. */
function verifyRsaCms(der: Uint8Array, detachedContent?: Uint8Array): VerifiedCms {
  const { asn1 } = forge;
  const root = asn1.fromDer(forge.util.createBuffer(Buffer.from(der).toString('binary')));
  const signedData = children(children(root)[1])[0];
  const parts = children(signedData);
  let index = 3; // version, digestAlgorithms, encapContentInfo
  const encapsulated = children(parts[2]);
  let certificates: forge.asn1.Asn1[] = [];
  if (isContext(parts[index], 0)) certificates = children(parts[index++]);
  if (isContext(parts[index], 1)) index++;
  const signerInfo = children(parts[index])[0];
  if (!signerInfo) throw cmsRefusal('CMS has no signer');
  const fields = children(signerInfo);
  const signedAttributes = isContext(fields[3], 0) ? fields[3] : undefined;
  if (!signedAttributes) throw cmsRefusal('CMS has no signed attributes');
  const signature = octets(fields[5]);
  const attached = encapsulated[1] ? octets(children(encapsulated[1])[0]) : undefined;
  const content = detachedContent ? Buffer.from(detachedContent) : attached;
  if (!content) throw cmsRefusal('CMS carries no content and none was given');
  let messageDigest: Buffer | undefined;
  for (const attribute of children(signedAttributes)) {
    const [oid, values] = children(attribute);
    if (oid && asn1.derToOid(oid.value as string) === MESSAGE_DIGEST_OID) messageDigest = octets(children(values)[0]);
  }
  if (!messageDigest?.equals(createHash('sha256').update(content).digest())) {
    throw cmsRefusal('CMS message digest does not match the content');
  }
  const certificateAsn1 = certificates[0];
  if (!certificateAsn1) throw cmsRefusal('CMS carries no certificate');
  const certificate = Buffer.from(asn1.toDer(certificateAsn1).getBytes(), 'binary').toString('base64');
  // The signature covers the signed attributes DER-encoded as a SET, not as the [0] they travel in.
  const signedBytes = Buffer.from(asn1.toDer(signedAttributes).getBytes(), 'binary');
  signedBytes[0] = 0x31;
  const publicKey = new X509Certificate(normalizeCertificatePem(certificate)).publicKey;
  if (!createVerify('sha256').update(signedBytes).verify(publicKey, signature)) {
    throw cmsRefusal('CMS signature does not verify');
  }
  return { content: new Uint8Array(content), certificate };
}

const MESSAGE_DIGEST_OID = '1.2.840.113549.1.9.4';

function children(node: forge.asn1.Asn1 | undefined): forge.asn1.Asn1[] {
  if (!node || !Array.isArray(node.value)) throw cmsRefusal('malformed CMS structure');
  return node.value as forge.asn1.Asn1[];
}

function isContext(node: forge.asn1.Asn1 | undefined, tag: number): boolean {
  return node?.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && node.type === tag;
}

/** The bytes of an OCTET STRING, primitive or constructed (chunked). */
function octets(node: forge.asn1.Asn1 | undefined): Buffer {
  if (!node) throw cmsRefusal('malformed CMS structure');
  if (typeof node.value === 'string') return Buffer.from(node.value, 'binary');
  return Buffer.concat((node.value as forge.asn1.Asn1[]).map(octets));
}
