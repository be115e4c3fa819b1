/**
 * Throwaway GOST identities for tests and mocks: keys, certificates with KZ OIDs (self-signed or
 * issued by a test CA), and the same in an NCA-style PKCS#12. Never use them for anything real.
 */
import { randomBytes } from 'node:crypto';
import { ALGORITHMS, type GostKeyType } from '../gost/algorithms.js';
import { bytesToBigIntBE } from '../gost/bytes.js';
import { CRYPTOPRO_A, type GostCurve, TC26_256_A, TC26_512_A } from '../gost/curves.js';
import { der, parseDer } from '../gost/der.js';
import { encodeGostPrivateKeyInfo, encodeSignature, encodeSubjectPublicKeyInfo } from '../gost/encoding.js';
import { GostSigner } from '../gost/gost-signer.js';
import { publicKeyOf, signDigest } from '../gost/gost3410.js';
import { writePkcs12 } from '../gost/pkcs12.js';

const CURVE_OF: Readonly<Record<GostKeyType, GostCurve>> = {
  'GOST-2015-512': TC26_512_A,
  'GOST-2015-256': TC26_256_A,
  'GOST-2004': CRYPTOPRO_A,
};

/** A GOST key pair for tests: the key type and the private scalar. */
export interface GostTestKey {
  /** Which GOST algorithm and curve the key is for. */
  readonly keyType: GostKeyType;
  /** The private scalar, 1 <= d < q of the key type's curve. */
  readonly d: bigint;
}

/** A random test key of `keyType` (default GOST 2015-512; GOST-2004 keys for verification tests only). */
export function createGostTestKey(keyType: GostKeyType = 'GOST-2015-512'): GostTestKey {
  const curve = CURVE_OF[keyType];
  return { keyType, d: (bytesToBigIntBE(randomBytes(curve.size + 8)) % (curve.q - 1n)) + 1n };
}

/** What issueGostTestCertificate writes into a test certificate. */
export interface TestCertificateOptions {
  /** CN, UTF-8. Default "TEST GOST" ("TEST GOST IDENTITY" from createGostTestIdentity). */
  readonly commonName?: string;
  /** 12 digits: written as SERIALNUMBER=IIN... */
  readonly iin?: string;
  /** 12 digits: written as OU=BIN... */
  readonly bin?: string;
  /** AUTH: keyUsage digitalSignature+keyEncipherment, EKU clientAuth; SIGN: digitalSignature+nonRepudiation, EKU emailProtection. */
  readonly purpose?: 'AUTH' | 'SIGN';
  /** A CA certificate (basicConstraints cA, keyCertSign) instead of a holder's. */
  readonly ca?: boolean;
  /** Start of validity. Default: a minute ago. */
  readonly notBefore?: Date;
  /** End of validity. Default: a year after notBefore. */
  readonly notAfter?: Date;
  /** The issuer; self-signed when absent. */
  readonly issuer?: { readonly certificate: Uint8Array; readonly key: GostTestKey };
}

/** A certificate for `key`, DER: KZ OIDs, signature r || s little-endian, as the NCA issues them. */
export function issueGostTestCertificate(key: GostTestKey, options: TestCertificateOptions = {}): Uint8Array {
  const algorithm = ALGORITHMS[key.keyType];
  const curve = CURVE_OF[key.keyType];
  const signer = options.issuer?.key ?? key;
  const signerAlgorithm = ALGORITHMS[signer.keyType];
  const subject = der.sequence(
    rdn('2.5.4.3', der.utf8(options.commonName ?? 'TEST GOST')),
    ...(options.iin ? [rdn('2.5.4.5', der.printable(`IIN${options.iin}`))] : []),
    rdn('2.5.4.6', der.printable('KZ')),
    ...(options.bin ? [rdn('2.5.4.11', der.printable(`BIN${options.bin}`))] : []),
  );
  const issuer = options.issuer ? subjectOf(options.issuer.certificate) : subject;
  const notBefore = options.notBefore ?? new Date(Date.now() - 60_000);
  const notAfter = options.notAfter ?? new Date(notBefore.getTime() + 365 * 24 * 3600_000);
  const extensions = options.ca
    ? [
        extension('2.5.29.19', der.sequence(Uint8Array.of(0x01, 0x01, 0xff)), true),
        extension('2.5.29.15', keyUsage([5, 6]), true),
      ]
    : options.purpose === 'AUTH'
      ? [
          extension('2.5.29.15', keyUsage([0, 2]), true),
          extension('2.5.29.37', der.sequence(der.oid('1.3.6.1.5.5.7.3.2'))),
        ]
      : [
          extension('2.5.29.15', keyUsage([0, 1]), true),
          extension('2.5.29.37', der.sequence(der.oid('1.3.6.1.5.5.7.3.4'))),
        ];
  const signatureAlgorithm = der.sequence(der.oid(signerAlgorithm.signatureOid), der.null());
  const tbs = der.sequence(
    der.context(0, der.integer(2)),
    der.integer(bytesToBigIntBE(randomBytes(8)) | (1n << 62n)),
    signatureAlgorithm,
    issuer,
    der.sequence(der.time(notBefore), der.time(notAfter)),
    subject,
    encodeSubjectPublicKeyInfo(algorithm, curve, publicKeyOf(curve, key.d)),
    der.context(3, der.sequence(...extensions)),
  );
  const signerCurve = CURVE_OF[signer.keyType];
  const signature = encodeSignature(signerCurve.size, signDigest(signerCurve, signer.d, signerAlgorithm.hash(tbs)));
  return der.sequence(tbs, signatureAlgorithm, der.bitString(signature));
}

/** A throwaway GOST identity: key, certificate, NCA-style container and a signer over it. */
export interface GostTestIdentity {
  /** The key pair (its private scalar, for issuing or checking by hand). */
  readonly key: GostTestKey;
  /** DER. */
  readonly certificateDer: Uint8Array;
  /** DER, base64. */
  readonly certificate: string;
  /** An NCA-style PKCS#12 (3DES key bag, RC2-40 certificate bag, SHA-1 MAC) with key and certificate. */
  readonly pkcs12: Uint8Array;
  /** The container's password ("Test" and random hex, a fresh one per identity). */
  readonly pkcs12Password: string;
  /** GostSigner.fromPkcs12 of the container. */
  readonly signer: GostSigner;
}

/** A GOST 2015 key (512-bit by default), its certificate and container, and a ready signer. */
export function createGostTestIdentity(
  options: TestCertificateOptions & {
    readonly keyType?: 'GOST-2015-512' | 'GOST-2015-256';
    readonly key?: GostTestKey;
  } = {},
): GostTestIdentity {
  const key = options.key ?? createGostTestKey(options.keyType ?? 'GOST-2015-512');
  const certificateDer = issueGostTestCertificate(key, {
    commonName: 'TEST GOST IDENTITY',
    purpose: 'SIGN',
    ...options,
  });
  const privateKeyInfo = encodeGostPrivateKeyInfo(ALGORITHMS[key.keyType], CURVE_OF[key.keyType], key.d);
  const pkcs12Password = `Test${randomBytes(6).toString('hex')}`;
  const pkcs12 = writePkcs12({ privateKeyInfo, certificates: [certificateDer], password: pkcs12Password });
  return {
    key,
    certificateDer,
    certificate: Buffer.from(certificateDer).toString('base64'),
    pkcs12,
    pkcs12Password,
    signer: GostSigner.fromPkcs12(pkcs12, pkcs12Password),
  };
}

/** The PKCS#8 PrivateKeyInfo of a test key, as Kalkan writes it (scalar little-endian). */
export function gostTestPrivateKeyInfo(key: GostTestKey): Uint8Array {
  return encodeGostPrivateKeyInfo(ALGORITHMS[key.keyType], CURVE_OF[key.keyType], key.d);
}

function rdn(oid: string, value: Uint8Array): Uint8Array {
  return der.set(der.sequence(der.oid(oid), value));
}

function extension(oid: string, value: Uint8Array, critical = false): Uint8Array {
  return der.sequence(der.oid(oid), ...(critical ? [Uint8Array.of(0x01, 0x01, 0xff)] : []), der.octets(value));
}

/** KeyUsage bits (0 = digitalSignature ... 8 = decipherOnly) as a DER named BIT STRING. */
function keyUsage(bits: readonly number[]): Uint8Array {
  const highest = Math.max(...bits);
  const bytes = new Uint8Array(Math.floor(highest / 8) + 1);
  for (const bit of bits) bytes[bit >> 3] = (bytes[bit >> 3] as number) | (0x80 >> (bit & 7));
  const unused = 7 - (highest % 8);
  return Uint8Array.of(0x03, bytes.length + 1, unused, ...bytes);
}

function subjectOf(certificate: Uint8Array): Uint8Array {
  const tbs = parseDer(certificate).children[0];
  const fields = (tbs?.children ?? []).filter((node) => node.tag !== 0xa0);
  const subject = fields[4];
  if (!subject) throw new Error('cannot read the issuer certificate');
  return subject.bytes;
}
