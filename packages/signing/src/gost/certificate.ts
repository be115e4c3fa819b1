/**
 * X.509 certificates as Kazakhstan's NCA issues them (GOST 2015, GOST 2004 and RSA): who the holder
 * is (IIN, BIN), what the key is for (AUTH or SIGN), validity, and whether an issuer signed it.
 */
import { createPublicKey, verify as verifyRsa } from 'node:crypto';
import { pemBody } from '../rsa-signer.js';
import { algorithmOfSignatureOid } from './algorithms.js';
import {
  childrenOf,
  type DerNode,
  expectTag,
  isContext,
  parseDer,
  readBitFlags,
  readBitString,
  readOctets,
  readOid,
  readString,
  readTime,
  TAG,
} from './der.js';
import {
  decodeSignature,
  type GostPublicKey,
  isGostPublicKey,
  type OtherPublicKey,
  readSubjectPublicKeyInfo,
} from './encoding.js';
import { CertificateError } from './errors.js';
import { verifyDigest } from './gost3410.js';

/** A certificate as DER bytes, DER base64 or PEM. */
export type CertificateInput = Uint8Array | string;

/** One attribute of an X.509 Name (an AttributeTypeAndValue), e.g. CN or SERIALNUMBER. */
export interface NameAttribute {
  /** The attribute type's OID, e.g. `2.5.4.3` (CN), `2.5.4.5` (SERIALNUMBER: `IIN…` / `BIN…` at NCA). */
  readonly oid: string;
  /** The attribute's value as text (any of the ASN.1 string types, decoded). */
  readonly value: string;
}

/**
 * An X.509 Name (subject or issuer): every attribute, and the common ones by name (the first
 * value of each; absent when the name has none).
 */
export interface DistinguishedName {
  /** Every attribute (OID and text value) in the order of the certificate. */
  readonly attributes: readonly NameAttribute[];
  /** CN: on NCA personal certificates the holder's surname and name. */
  readonly commonName?: string;
  /** SURNAME. */
  readonly surname?: string;
  /** GIVENNAME: on NCA certificates usually the patronymic. */
  readonly givenName?: string;
  /** O: the organisation's name. */
  readonly organization?: string;
  /** The first OU: on NCA organisation certificates "BIN" followed by the BIN (see NcaCertificate.bin). */
  readonly organizationalUnit?: string;
  /** C: two-letter country code, e.g. KZ. */
  readonly country?: string;
  /** SERIALNUMBER: on NCA certificates "IIN" followed by the holder's 12-digit IIN. */
  readonly serialNumber?: string;
  /** emailAddress (1.2.840.113549.1.9.1). */
  readonly email?: string;
  /** The encoded Name, to compare issuer and subject exactly. */
  readonly der: Uint8Array;
}

/** A bit of the X.509 keyUsage extension (RFC 5280 names). */
export type KeyUsage =
  | 'digitalSignature'
  | 'nonRepudiation'
  | 'keyEncipherment'
  | 'dataEncipherment'
  | 'keyAgreement'
  | 'keyCertSign'
  | 'cRLSign'
  | 'encipherOnly'
  | 'decipherOnly';

/** AUTH: authentication keys (TLS client, login); SIGN: signing documents. */
export type CertificatePurpose = 'AUTH' | 'SIGN';

/** A parsed X.509 certificate (see parseCertificate): holder, issuer, validity, usage, key. */
export interface NcaCertificate {
  /** The whole certificate, DER. */
  readonly der: Uint8Array;
  /** DER, base64: the form the `Signer` interfaces use. */
  readonly base64: string;
  /** Hex, as printed by openssl. */
  readonly serialNumber: string;
  /** Whom the certificate was issued to. */
  readonly subject: DistinguishedName;
  /** The CA that issued it (matched against a CA's subject when building chains). */
  readonly issuer: DistinguishedName;
  /** Start of validity. */
  readonly notBefore: Date;
  /** End of validity. */
  readonly notAfter: Date;
  /** The holder's individual identification number (subject SERIALNUMBER "IIN..."). */
  readonly iin?: string;
  /** The organisation's business identification number (subject OU "BIN..."). */
  readonly bin?: string;
  /** The keyUsage bits set; empty when the extension is absent. */
  readonly keyUsage: readonly KeyUsage[];
  /** Extended key usage OIDs. */
  readonly extendedKeyUsage: readonly string[];
  /**
   * What the key is for: AUTH with EKU clientAuth, SIGN with EKU emailProtection (NCA's pairs);
   * without EKU, SIGN for nonRepudiation and AUTH for keyEncipherment. Empty when neither applies.
   */
  readonly purposes: readonly CertificatePurpose[];
  /** Certificate policy OIDs (NCA: 1.2.398.3.3.4.1.x). */
  readonly policies: readonly string[];
  /** basicConstraints cA. */
  readonly isCa: boolean;
  /** The subjectKeyIdentifier extension, hex. */
  readonly subjectKeyIdentifier?: string;
  /** The keyIdentifier of the authorityKeyIdentifier extension, hex: the issuer's subjectKeyIdentifier. */
  readonly authorityKeyIdentifier?: string;
  /** GOST key (type, curve, point) or, for other keys, their algorithm OID. */
  readonly publicKey: GostPublicKey | OtherPublicKey;
  /** OID of the algorithm the issuer signed with, e.g. 1.2.398.3.10.1.1.2.3.2 (GOST 2015-512). */
  readonly signatureAlgorithm: string;
  /** The signed part and the issuer's signature over it. */
  readonly tbs: Uint8Array;
  /** The issuer's signature value over `tbs` (the BIT STRING's bytes). */
  readonly signature: Uint8Array;
}

const NAME_FIELDS: Readonly<Record<string, keyof Omit<DistinguishedName, 'attributes' | 'der'>>> = {
  '2.5.4.3': 'commonName',
  '2.5.4.4': 'surname',
  '2.5.4.42': 'givenName',
  '2.5.4.10': 'organization',
  '2.5.4.11': 'organizationalUnit',
  '2.5.4.6': 'country',
  '2.5.4.5': 'serialNumber',
  '1.2.840.113549.1.9.1': 'email',
};

const KEY_USAGES: readonly KeyUsage[] = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];

const EKU_CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const EKU_EMAIL_PROTECTION = '1.3.6.1.5.5.7.3.4';

/** Bytes of a certificate given as DER, DER base64 or PEM. */
export function certificateBytes(input: CertificateInput): Uint8Array {
  return typeof input === 'string' ? new Uint8Array(Buffer.from(pemBody(input), 'base64')) : input;
}

/**
 * Reads a certificate (DER bytes, DER base64 or PEM). Nothing is verified: see buildChain for trust.
 * @throws CertificateError (problem MALFORMED) when it cannot be read.
 */
export function parseCertificate(input: CertificateInput): NcaCertificate {
  const der = certificateBytes(input);
  try {
    return readCertificate(der);
  } catch (error) {
    if (error instanceof CertificateError) throw error;
    throw new CertificateError('MALFORMED', `cannot read the certificate: ${(error as Error).message}`);
  }
}

function readCertificate(der: Uint8Array): NcaCertificate {
  const [tbsNode, signatureAlgorithmNode, signatureNode] = childrenOf(parseDer(der), TAG.SEQUENCE, 'Certificate');
  const fields = [...childrenOf(tbsNode, TAG.SEQUENCE, 'TBSCertificate')];
  if (isContext(fields[0], 0)) fields.shift(); // version
  const [serial, , issuerNode, validity, subjectNode, spki, ...rest] = fields;
  const [notBefore, notAfter] = childrenOf(validity, TAG.SEQUENCE, 'Validity');
  const subject = readName(subjectNode);
  const extensions = readExtensions(rest.find((node) => isContext(node, 3)));
  const keyUsage = extensions.keyUsage;
  const extendedKeyUsage = extensions.extendedKeyUsage;
  const iin = /^IIN(\d{12})$/.exec(subject.serialNumber ?? '')?.[1];
  const bin = subject.attributes
    .filter((a) => a.oid === '2.5.4.11')
    .map((a) => /^BIN(\d{12})$/.exec(a.value)?.[1])
    .find((v) => v !== undefined);
  return {
    der,
    base64: Buffer.from(der).toString('base64'),
    serialNumber: Buffer.from(expectTag(serial, TAG.INTEGER, 'serialNumber').content).toString('hex'),
    subject,
    issuer: readName(issuerNode),
    notBefore: readTime(notBefore),
    notAfter: readTime(notAfter),
    ...(iin ? { iin } : {}),
    ...(bin ? { bin } : {}),
    keyUsage,
    extendedKeyUsage,
    purposes: purposesOf(keyUsage, extendedKeyUsage),
    policies: extensions.policies,
    isCa: extensions.isCa,
    ...(extensions.subjectKeyIdentifier ? { subjectKeyIdentifier: extensions.subjectKeyIdentifier } : {}),
    ...(extensions.authorityKeyIdentifier ? { authorityKeyIdentifier: extensions.authorityKeyIdentifier } : {}),
    publicKey: readSubjectPublicKeyInfo(expectTag(spki, TAG.SEQUENCE, 'SubjectPublicKeyInfo')),
    signatureAlgorithm: readOid(childrenOf(signatureAlgorithmNode, TAG.SEQUENCE, 'AlgorithmIdentifier')[0]),
    tbs: (tbsNode as DerNode).bytes,
    signature: readBitString(signatureNode),
  };
}

/**
 * NCA keys come in pairs: AUTH (EKU clientAuth) and SIGN (EKU emailProtection), per
 * reference-docs/gost-kz.md section 2. Without an EKU the key usage decides (a guess, kept tolerant):
 * nonRepudiation means SIGN, keyEncipherment means AUTH.
 */
function purposesOf(keyUsage: readonly KeyUsage[], extendedKeyUsage: readonly string[]): CertificatePurpose[] {
  const purposes = new Set<CertificatePurpose>();
  if (extendedKeyUsage.includes(EKU_CLIENT_AUTH)) purposes.add('AUTH');
  if (extendedKeyUsage.includes(EKU_EMAIL_PROTECTION)) purposes.add('SIGN');
  if (extendedKeyUsage.length === 0) {
    if (keyUsage.includes('nonRepudiation')) purposes.add('SIGN');
    if (keyUsage.includes('keyEncipherment')) purposes.add('AUTH');
  }
  return [...purposes];
}

function readName(node: DerNode | undefined): DistinguishedName {
  const attributes: NameAttribute[] = [];
  for (const rdn of childrenOf(node, TAG.SEQUENCE, 'Name')) {
    for (const attribute of childrenOf(rdn, TAG.SET, 'RelativeDistinguishedName')) {
      const [type, value] = childrenOf(attribute, TAG.SEQUENCE, 'AttributeTypeAndValue');
      attributes.push({ oid: readOid(type), value: readString(value) });
    }
  }
  const name: Record<string, unknown> = { attributes, der: (node as DerNode).bytes };
  for (const { oid, value } of attributes) {
    const field = NAME_FIELDS[oid];
    if (field && name[field] === undefined) name[field] = value;
  }
  return name as unknown as DistinguishedName;
}

interface Extensions {
  keyUsage: KeyUsage[];
  extendedKeyUsage: string[];
  policies: string[];
  isCa: boolean;
  subjectKeyIdentifier?: string;
  authorityKeyIdentifier?: string;
}

function readExtensions(node: DerNode | undefined): Extensions {
  const out: Extensions = { keyUsage: [], extendedKeyUsage: [], policies: [], isCa: false };
  if (!node) return out;
  for (const extension of childrenOf(node.children[0], TAG.SEQUENCE, 'Extensions')) {
    const parts = childrenOf(extension, TAG.SEQUENCE, 'Extension');
    const oid = readOid(parts[0]);
    const value = parseDer(readOctets(parts[parts.length - 1]));
    switch (oid) {
      case '2.5.29.15':
        out.keyUsage = readBitFlags(value).flatMap((set, i) => (set && KEY_USAGES[i] ? [KEY_USAGES[i]] : []));
        break;
      case '2.5.29.37':
        out.extendedKeyUsage = childrenOf(value, TAG.SEQUENCE, 'ExtKeyUsageSyntax').map(readOid);
        break;
      case '2.5.29.32':
        out.policies = childrenOf(value, TAG.SEQUENCE, 'CertificatePolicies').map((p) => readOid(p.children[0]));
        break;
      case '2.5.29.19': {
        const first = childrenOf(value, TAG.SEQUENCE, 'BasicConstraints')[0];
        out.isCa = first?.tag === TAG.BOOLEAN && first.content[0] !== 0;
        break;
      }
      case '2.5.29.14':
        out.subjectKeyIdentifier = Buffer.from(readOctets(value)).toString('hex');
        break;
      case '2.5.29.35': {
        const keyId = childrenOf(value, TAG.SEQUENCE, 'AuthorityKeyIdentifier').find((c) => c.tag === 0x80);
        if (keyId) out.authorityKeyIdentifier = Buffer.from(keyId.content).toString('hex');
        break;
      }
    }
  }
  return out;
}

const RSA_SIGNATURES: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
};

/** Does `issuer`'s key verify the signature on `certificate`? GOST (2015, 2004) and RSA. */
export function isSignedBy(certificate: NcaCertificate, issuer: NcaCertificate): boolean {
  const gost = algorithmOfSignatureOid(certificate.signatureAlgorithm);
  if (gost) {
    const key = issuer.publicKey;
    if (!isGostPublicKey(key) || key.keyType !== gost.keyType) return false;
    const value = decodeSignature(key.curve.size, certificate.signature);
    return value !== undefined && verifyDigest(key.curve, key.point, gost.hash(certificate.tbs), value);
  }
  const digest = RSA_SIGNATURES[certificate.signatureAlgorithm];
  if (!digest || isGostPublicKey(issuer.publicKey)) return false;
  try {
    const key = createPublicKey({ key: Buffer.from(issuer.publicKey.der), format: 'der', type: 'spki' });
    return verifyRsa(digest, certificate.tbs, key, certificate.signature);
  } catch {
    return false;
  }
}

/** Throws unless `at` lies within the certificate's validity. */
export function checkValidity(certificate: NcaCertificate, at: Date): void {
  const who = certificate.subject.commonName ?? certificate.serialNumber;
  if (at < certificate.notBefore) throw new CertificateError('NOT_YET_VALID', `"${who}" is not valid yet`);
  if (at > certificate.notAfter) throw new CertificateError('EXPIRED', `"${who}" expired`);
}
