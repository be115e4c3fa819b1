/** Every public error of @kz/signing is in the family (KzError) with a code of the closed list. */
import { KZ_ERROR_CODES, KzError, SignatureError } from '@kz/soap';
import { describe, expect, it } from 'vitest';
import {
  CertificateError,
  loadSigner,
  SigningKeyError,
  UnsupportedKeyError,
  WrongPasswordError,
  XmlSignatureFailure,
} from '../src/index.js';

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
});
