/**
 * RSA-SHA256 signing for keys in PEM or PKCS#12 files: raw signatures through node:crypto,
 * CMS SignedData through node-forge. The private key stays in a private field; errors never
 * include key material or passwords.
 */
import { createHash, createPrivateKey, createSign, type KeyObject, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { SigningKeyError } from './errors.js';
import { type CmsSigner, RSA_SHA256, type SignatureResult, type Signer } from './signer.js';

const UTF8_STRING = 12;
const OID_SHROUDED_KEY_BAG = '1.2.840.113549.1.12.10.1.2';
const OID_KEY_BAG = '1.2.840.113549.1.12.10.1.1';
const OID_CERT_BAG = '1.2.840.113549.1.12.10.1.3';

/**
 * Signs with an RSA key (RSA-SHA256) from PEM or a PKCS#12 container, in process: raw signatures,
 * XML-DSig through the `Signer` interface, CMS. `fromPem` and `fromPkcs12` throw SigningKeyError
 * when the key cannot be read, is not RSA, or does not belong to the certificate.
 */
export class RsaSha256Signer implements Signer, CmsSigner {
  /** RSA_SHA256: rsa-sha256 signatures, sha256 digests. */
  readonly algorithms = RSA_SHA256;
  /** The signer's X.509 certificate: DER, base64, no PEM armour. */
  readonly certificate: string;
  readonly #key: KeyObject;
  readonly #certificatePem: string;

  private constructor(key: KeyObject, certificatePem: string) {
    this.#key = key;
    this.#certificatePem = certificatePem;
    this.certificate = pemBody(certificatePem);
    if (!new X509Certificate(certificatePem).checkPrivateKey(key)) {
      throw new SigningKeyError('the private key does not belong to the certificate');
    }
  }

  /** A key and certificate in PEM (the key may be encrypted: give its passphrase). */
  static fromPem(privateKeyPem: string, certificatePem: string, passphrase?: string): RsaSha256Signer {
    let key: KeyObject;
    try {
      key = createPrivateKey(passphrase === undefined ? privateKeyPem : { key: privateKeyPem, passphrase });
    } catch {
      throw new SigningKeyError('cannot read the private key (wrong format or passphrase)');
    }
    if (key.asymmetricKeyType !== 'rsa') throw new SigningKeyError(`expected an RSA key, got ${key.asymmetricKeyType}`);
    return new RsaSha256Signer(key, normalizeCertificatePem(certificatePem));
  }

  /** A PKCS#12 (.p12/.pfx) container with one key and its certificate. */
  static fromPkcs12(pkcs12: Uint8Array, password: string): RsaSha256Signer {
    let keyPem: string;
    let certificatePem: string;
    try {
      const asn1 = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(pkcs12).toString('binary')));
      const p12 = forge.pkcs12.pkcs12FromAsn1(asn1, false, password);
      const bag = (type: string) => p12.getBags({ bagType: type })[type]?.[0];
      const keyBag = bag(OID_SHROUDED_KEY_BAG) ?? bag(OID_KEY_BAG);
      const certBag = bag(OID_CERT_BAG);
      if (!keyBag?.key || !certBag?.cert) throw new Error('missing key or certificate');
      keyPem = forge.pki.privateKeyToPem(keyBag.key);
      certificatePem = forge.pki.certificateToPem(certBag.cert);
    } catch {
      throw new SigningKeyError(
        'cannot open the PKCS#12 container (wrong password, or no RSA key and certificate in it)',
      );
    }
    return RsaSha256Signer.fromPem(keyPem, certificatePem);
  }

  /** SHA-256 of `data`. */
  async digest(data: Uint8Array): Promise<Uint8Array> {
    return new Uint8Array(createHash('sha256').update(data).digest());
  }

  /** RSASSA-PKCS1-v1_5 signature with SHA-256 over `data` (the key's size in bytes). */
  async sign(data: Uint8Array): Promise<SignatureResult> {
    const signature = createSign('sha256').update(data).sign(this.#key);
    return { signature: new Uint8Array(signature), certificate: this.certificate };
  }

  /**
   * DER CMS SignedData over `data` (SHA-256, signed attributes content type, message digest and
   * signing time, the certificate included); attached unless `detached`.
   */
  async signCms(data: Uint8Array, options: { detached?: boolean } = {}): Promise<Uint8Array> {
    const p7 = forge.pkcs7.createSignedData();
    p7.content = forge.util.createBuffer(Buffer.from(data).toString('binary'));
    const certificate = forge.pki.certificateFromPem(this.#certificatePem);
    p7.addCertificate(certificate);
    // forge keeps a parsed UTF8String name as raw UTF-8 bytes but encodes it again when writing,
    // so a Cyrillic issuer (every NCA certificate) would not match the certificate: decode it first.
    const issuer = certificate.issuer.attributes.map((a) =>
      (a.valueTagClass as number) === UTF8_STRING ? { ...a, value: forge.util.decodeUtf8(String(a.value)) } : a,
    );
    p7.addSigner({
      key: forge.pki.privateKeyFromPem(this.#key.export({ type: 'pkcs8', format: 'pem' }) as string),
      issuer,
      serialNumber: certificate.serialNumber,
      digestAlgorithm: forge.pki.oids.sha256 as string,
      authenticatedAttributes: [
        { type: forge.pki.oids.contentType as string, value: forge.pki.oids.data as string },
        { type: forge.pki.oids.messageDigest as string },
        { type: forge.pki.oids.signingTime as string, value: new Date() as unknown as string },
      ],
    } as never);
    p7.sign({ detached: options.detached === true });
    return new Uint8Array(Buffer.from(forge.asn1.toDer(p7.toAsn1()).getBytes(), 'binary'));
  }
}

/** Accepts a PEM certificate or its bare base64 body; returns PEM. */
export function normalizeCertificatePem(certificate: string): string {
  const body = pemBody(certificate);
  const lines = body.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/** The base64 body of a PEM block (or of bare base64), whitespace removed. */
export function pemBody(pemOrBase64: string): string {
  return pemOrBase64.replace(/-----(BEGIN|END) [A-Z0-9 ]+-----/g, '').replace(/\s+/g, '');
}
