/**
 * A `Signer` and `CmsSigner` for Kazakh GOST keys (GOST 34.10-2015, 256 and 512 bits) read from an
 * NCA PKCS#12 container: what @kz/esf, @kz/isgo, @kz/shep, @kz/sono-fno and @kz/true-api take.
 * The private scalar stays in a private field; errors never include it or the password.
 */

import { SigningKeyError } from '../errors.js';
import type { CmsSigner, SignatureResult, Signer, XmlDsigAlgorithms } from '../signer.js';
import { ALGORITHMS, type GostAlgorithm, keyTypeOfKeyOid } from './algorithms.js';
import { type NcaCertificate, parseCertificate } from './certificate.js';
import { buildGostCms } from './cms.js';
import {
  encodeSignature,
  type GostPrivateKey,
  isGostPublicKey,
  privateKeyAlgorithmOid,
  readGostPrivateKeyInfo,
} from './encoding.js';
import { UnsupportedKeyError } from './errors.js';
import { publicKeyOf, signDigest } from './gost3410.js';
import { readPkcs12 } from './pkcs12.js';

/**
 * Signs with a GOST 34.10-2015 key (256 or 512 bits) from an NCA PKCS#12 container, in process:
 * raw signatures (`sign`), XML-DSig through the `Signer` interface, CMS (`signCms`). Create it
 * with `GostSigner.fromPkcs12` or `loadSigner`.
 */
export class GostSigner implements Signer, CmsSigner {
  /** GOST_2015_512 or GOST_2015_256, by the key's size: the URIs its XML-DSig signatures name. */
  readonly algorithms: XmlDsigAlgorithms;
  /** The signer's certificate: DER, base64 (`parseCertificate` reads holder, purpose, validity). */
  readonly certificate: string;
  readonly #certificate: NcaCertificate;
  readonly #key: GostPrivateKey;
  readonly #algorithm: GostAlgorithm;

  private constructor(key: GostPrivateKey, certificate: NcaCertificate) {
    this.#key = key;
    this.#algorithm = ALGORITHMS[key.keyType];
    this.algorithms = this.#algorithm.xmlDsig;
    this.certificate = certificate.base64;
    this.#certificate = certificate;
  }

  /**
   * Opens an NCA GOST key container (GOST512_....p12; for a file that may hold RSA, use `loadSigner`).
   * Throws `WrongPasswordError`, `UnsupportedKeyError` (not a GOST 2015 key) or `SigningKeyError`.
   */
  static fromPkcs12(pkcs12: Uint8Array, password: string): GostSigner {
    const { privateKeyInfo, certificates } = readPkcs12(pkcs12, password);
    return GostSigner.fromPrivateKeyInfo(privateKeyInfo, certificates);
  }

  /** @internal A PKCS#8 PrivateKeyInfo and candidate certificates (the one holding its public key is used). */
  static fromPrivateKeyInfo(privateKeyInfo: Uint8Array, certificates: readonly Uint8Array[]): GostSigner {
    const keyOid = safely(() => privateKeyAlgorithmOid(privateKeyInfo), 'cannot read the private key');
    const keyType = keyTypeOfKeyOid(keyOid);
    if (!keyType) throw new UnsupportedKeyError(keyOid, 'not a GOST key; loadSigner() also reads RSA containers');
    if (keyType === 'GOST-2004') {
      throw new UnsupportedKeyError(
        keyOid,
        'GOST 34.310-2004 keys are no longer issued; they are verified, not used to sign',
      );
    }
    const key = safely(() => readGostPrivateKeyInfo(privateKeyInfo), 'cannot read the GOST private key');
    const point = safely(() => publicKeyOf(key.curve, key.d), 'the GOST private key is out of range');
    const certificate = certificates
      .map((der) => safely(() => parseCertificate(der), 'cannot read a certificate in the container'))
      .find((c) => {
        const k = c.publicKey;
        return isGostPublicKey(k) && k.curve === key.curve && k.point.x === point.x && k.point.y === point.y;
      });
    if (!certificate) throw new SigningKeyError('the container holds no certificate for its private key');
    return new GostSigner(key, certificate);
  }

  /** Streebog (GOST 34.11-2015) of `data`, 512 or 256 bits to match the key. */
  async digest(data: Uint8Array): Promise<Uint8Array> {
    return this.#algorithm.hash(data);
  }

  /** The raw signature value over `data`: r || s little-endian, as Kalkan writes it. */
  async sign(data: Uint8Array): Promise<SignatureResult> {
    return { signature: this.#signDigest(this.#algorithm.hash(data)), certificate: this.certificate };
  }

  /** CAdES-BES SignedData, attached unless `detached` (True API login and document signatures). */
  async signCms(data: Uint8Array, options: { detached?: boolean } = {}): Promise<Uint8Array> {
    return buildGostCms(this.#algorithm, this.#certificate, data, (digest) => this.#signDigest(digest), {
      detached: options.detached === true,
    });
  }

  #signDigest(digest: Uint8Array): Uint8Array {
    const { curve, d } = this.#key;
    return encodeSignature(curve.size, signDigest(curve, d, digest));
  }
}

/** Runs `read`; any failure becomes a SigningKeyError with `message` (no detail that could leak key bytes). */
function safely<T>(read: () => T, message: string): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof SigningKeyError) throw error;
    throw new SigningKeyError(message);
  }
}
