/**
 * `@kz/signing/testing`: throwaway identities for tests and mocks: an RSA key, a self-signed
 * certificate, the same in PKCS#12, and a ready signer. Never use them for anything real.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';
import { RsaSha256Signer } from '../rsa-signer.js';

/** A throwaway RSA identity: the key and certificate in PEM and PKCS#12, and a signer over them. */
export interface TestIdentity {
  /** The 2048-bit RSA private key, unencrypted PKCS#8 PEM. */
  privateKeyPem: string;
  /** The self-signed certificate (SHA-256, valid from a minute ago for a year), PEM. */
  certificatePem: string;
  /** The same key and certificate in a PKCS#12 container (3DES), for `loadSigner` or NCANode. */
  pkcs12: Uint8Array;
  /** The container's password (random hex, a fresh one per identity). */
  pkcs12Password: string;
  /** An RsaSha256Signer over the key and certificate. */
  signer: RsaSha256Signer;
}

/**
 * A new RSA test identity whose certificate names `commonName` (default "TEST IDENTITY", UTF-8 like
 * NCA's Cyrillic names) and, when given, SERIALNUMBER `serialNumber` (e.g. "IIN123456789011").
 */
export function createTestIdentity(subject: { commonName?: string; serialNumber?: string } = {}): TestIdentity {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const forgeKey = forge.pki.privateKeyFromPem(privateKeyPem);
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }) as string);
  certificate.serialNumber = `01${randomBytes(8).toString('hex')}`;
  certificate.validity.notBefore = new Date(Date.now() - 60_000);
  certificate.validity.notAfter = new Date(Date.now() + 365 * 24 * 3600_000);
  // Tagged UTF8String, forge encodes the value itself: Cyrillic names as on NCA certificates.
  const utf8 = (value: string) => ({ value, valueTagClass: forge.asn1.Type.UTF8 as never });
  const attributes = [
    { name: 'commonName', ...utf8(subject.commonName ?? 'TEST IDENTITY') },
    ...(subject.serialNumber ? [{ type: '2.5.4.5', value: subject.serialNumber }] : []),
    { name: 'countryName', value: 'KZ' },
  ];
  certificate.setSubject(attributes);
  certificate.setIssuer(attributes);
  certificate.sign(forgeKey, forge.md.sha256.create());
  const certificatePem = forge.pki.certificateToPem(certificate);
  const pkcs12Password = randomBytes(6).toString('hex');
  const p12 = forge.pkcs12.toPkcs12Asn1(forgeKey, [certificate], pkcs12Password, { algorithm: '3des' });
  const pkcs12 = new Uint8Array(Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary'));
  return {
    privateKeyPem,
    certificatePem,
    pkcs12,
    pkcs12Password,
    signer: RsaSha256Signer.fromPem(privateKeyPem, certificatePem),
  };
}

export {
  createGostTestIdentity,
  createGostTestKey,
  type GostTestIdentity,
  type GostTestKey,
  gostTestPrivateKeyInfo,
  issueGostTestCertificate,
  type TestCertificateOptions,
} from './gost.js';
export { type NcaNodeStandIn, type NcaNodeStandInOptions, startNcaNodeStandIn } from './ncanode-stand-in.js';
