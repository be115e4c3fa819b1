/** Raw signatures (ESF invoice `signature`): over the UTF-8 bytes of a string, checked by openssl. */
import { describe, expect, it } from 'vitest';
import { signRaw, verifyRaw } from '../src/index.js';
import { createTestIdentity } from '../src/testing/index.js';
import { opensslVerifySha256 } from './openssl.js';

const identity = createTestIdentity({ commonName: 'ТЕСТОВ ТЕСТ', serialNumber: 'IIN123456789011' });
const body =
  '<v2:invoice xmlns:a="abstractInvoice.esf" xmlns:v2="v2.esf"><date>01.02.2024</date><operatorFullname>Тестов Т.</operatorFullname><addInf>Дополнительный ёмкий</addInf></v2:invoice>';

describe('signRaw', { timeout: 60_000 }, () => {
  it('signs the UTF-8 bytes of a string; openssl dgst -sha256 -verify accepts it', async () => {
    const raw = await signRaw(identity.signer, body);
    expect(raw.base64).toBe(Buffer.from(raw.signature).toString('base64'));
    expect(raw.base64.length).toBe(344); // RSA-2048: 256 bytes, fits ESF's 400-character field
    expect(raw.certificate).toBe(identity.signer.certificate);
    expect(opensslVerifySha256(Buffer.from(body, 'utf8'), raw.signature, identity.certificatePem)).toBe(true);
    // One changed character (Cyrillic, so a multi-byte change) and openssl refuses it.
    expect(
      opensslVerifySha256(Buffer.from(body.replace('Т.', 'Л.'), 'utf8'), raw.signature, identity.certificatePem),
    ).toBe(false);
  });

  it('signs bytes as they are', async () => {
    const bytes = new Uint8Array([0, 1, 2, 250, 251]);
    const raw = await signRaw(identity.signer, bytes);
    expect(opensslVerifySha256(bytes, raw.signature, identity.certificatePem)).toBe(true);
  });
});

describe('verifyRaw', { timeout: 60_000 }, () => {
  it('accepts the signature as base64 or bytes, refuses other data, another key or an empty value', async () => {
    const raw = await signRaw(identity.signer, body);
    expect(verifyRaw(body, raw.base64, identity.signer.certificate)).toBe(true);
    expect(verifyRaw(Buffer.from(body), raw.signature, identity.certificatePem)).toBe(true);
    expect(verifyRaw(`${body} `, raw.base64, identity.signer.certificate)).toBe(false);
    expect(verifyRaw(body, raw.base64, createTestIdentity().signer.certificate)).toBe(false);
    expect(verifyRaw(body, '', identity.signer.certificate)).toBe(false);
  });

  it('takes the verifier of another algorithm', () => {
    const seen: string[] = [];
    const ok = verifyRaw('abc', 'AQID', 'CERT', (data, signature, certificate) => {
      seen.push(`${Buffer.from(data)}|${[...signature]}|${certificate}`);
      return true;
    });
    expect(ok).toBe(true);
    expect(seen).toEqual(['abc|1,2,3|CERT']);
  });
});
