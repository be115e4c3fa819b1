/** Every public error of @kz/signing is in the family (KzError) with a code of the closed list. */
import { KZ_ERROR_CODES, KzError, SignatureError } from '@kz/soap';
import { describe, expect, it } from 'vitest';
import {
  CertificateError,
  loadSigner,
  SigningKeyError,
  UnsupportedKeyError,
  verifyCms,
  WrongPasswordError,
  XmlSignatureFailure,
} from '../src/index.js';
import { createGostTestIdentity, createTestIdentity } from '../src/testing/index.js';

const listed: readonly string[] = [...KZ_ERROR_CODES.signing, ...KZ_ERROR_CODES.soap];

describe('@kz/signing errors', () => {
  it.each([
    [new SigningKeyError('unreadable'), 'KEY_ERROR'],
    [new WrongPasswordError(), 'WRONG_PASSWORD'],
    [new UnsupportedKeyError('1.2.3', 'not GOST'), 'UNSUPPORTED_KEY'],
    [new CertificateError('EXPIRED', 'expired'), 'CERTIFICATE_ERROR'],
    [new XmlSignatureFailure('malformed XML'), 'SIGNATURE_ERROR'],
  ])('%s is a KzError with code %s', (error, code) => {
    expect(error).toBeInstanceOf(KzError);
    expect(error.code).toBe(code);
    expect(listed).toContain(error.code);
    expect(error.service).toBe('Signing');
  });

  it('a certificate refusal keeps its reason in `problem`; a signing failure is a SignatureError', () => {
    expect(new CertificateError('NO_ISSUER', 'x').problem).toBe('NO_ISSUER');
    const failure = new XmlSignatureFailure('the signature does not cover the Body');
    expect(failure).toBeInstanceOf(SignatureError);
    expect(failure.reason).toBe('the signature does not cover the Body');
    expect(failure.maybeDelivered).toBe(false);
  });

  it('an unreadable container raised by loadSigner is in the family', async () => {
    const error = await Promise.resolve()
      .then(() => loadSigner(new Uint8Array([1, 2, 3]), 'pw'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SigningKeyError);
    expect(error).toBeInstanceOf(KzError);
  });

  describe('verifyCms refuses with a SignatureError (SIGNATURE_ERROR, operation verifyCms) naming what failed', () => {
    const content = new TextEncoder().encode('challenge');
    const rsa = createTestIdentity();
    const gost = createGostTestIdentity({ keyType: 'GOST-2015-256' });

    /** The error verifyCms throws for `der` (and `detached`), checked to be the family's SignatureError. */
    function refusal(der: Uint8Array, detached?: Uint8Array): SignatureError {
      let thrown: unknown;
      try {
        verifyCms(der, detached);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(SignatureError);
      const error = thrown as SignatureError;
      expect(error.code).toBe('SIGNATURE_ERROR');
      expect(error.service).toBe('Signing');
      expect(error.operation).toBe('verifyCms');
      expect(error.maybeDelivered).toBe(false);
      return error;
    }

    it.each([
      ['RSA', () => rsa.signer],
      ['GOST', () => gost.signer],
    ])('%s: no content, other content, a changed signature', async (_name, signerOf) => {
      const signer = signerOf();
      const detached = await signer.signCms(content, { detached: true });
      expect(refusal(detached).message).toMatch(/^Signing\.verifyCms: CMS carries no content and none was given$/);
      expect(refusal(detached, new TextEncoder().encode('other')).message).toMatch(/message digest does not match/);
      const attached = Buffer.from(await signer.signCms(content));
      // The signature value is the last bytes of the CMS (the SignerInfo ends with it).
      attached[attached.length - 1] = (attached[attached.length - 1] as number) ^ 0x01;
      expect(refusal(attached).message).toMatch(/signature does not verify/);
    });

    it('bytes that are not a CMS at all', () => {
      expect(refusal(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01])).message).toMatch(/malformed CMS/);
      expect(refusal(new Uint8Array([1, 2, 3])).message).toMatch(/malformed CMS/);
    });
  });
});
