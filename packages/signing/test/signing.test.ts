/** The RSA signer from PEM and PKCS#12, verified independently (node:crypto and openssl). */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RsaSha256Signer, SigningKeyError, verifyCms, verifyRsaSha256 } from '../src/index.js';
import { createTestIdentity } from '../src/testing/index.js';

const identity = createTestIdentity({ commonName: 'ТЕСТОВ ТЕСТ', serialNumber: 'IIN123456789012' });
const data = new TextEncoder().encode('<isgoCreateInvoiceAction>…</isgoCreateInvoiceAction>');

describe('RsaSha256Signer', () => {
  it('signs; the signature verifies against its certificate and fails on other data', async () => {
    const { signature, certificate } = await identity.signer.sign(data);
    expect(certificate).toBe(identity.signer.certificate);
    expect(verifyRsaSha256(data, signature, certificate)).toBe(true);
    expect(verifyRsaSha256(new TextEncoder().encode('tampered'), signature, certificate)).toBe(false);
  });

  it('opens a PKCS#12 container; a wrong password is a clear error without the password', async () => {
    const signer = RsaSha256Signer.fromPkcs12(identity.pkcs12, identity.pkcs12Password);
    expect(signer.certificate).toBe(identity.signer.certificate);
    const { signature } = await signer.sign(data);
    expect(verifyRsaSha256(data, signature, signer.certificate)).toBe(true);
    const error = (() => {
      try {
        RsaSha256Signer.fromPkcs12(identity.pkcs12, 'wrong-password-123');
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toBeInstanceOf(SigningKeyError);
    expect(error?.message).not.toContain('wrong-password-123');
  });

  it('refuses a key that does not match the certificate', () => {
    const other = createTestIdentity();
    expect(() => RsaSha256Signer.fromPem(other.privateKeyPem, identity.certificatePem)).toThrow(/does not belong/);
  });

  it('accepts the certificate as bare base64', () => {
    const bare = identity.certificatePem.replace(/-----[A-Z ]+-----|\s/g, '');
    expect(RsaSha256Signer.fromPem(identity.privateKeyPem, bare).certificate).toBe(bare);
  });
});

describe('CMS', () => {
  it('attached CMS verifies with openssl cms -verify and with verifyCms', async () => {
    const cms = await identity.signer.signCms(data);
    const dir = mkdtempSync(path.join(tmpdir(), 'kz-cms-'));
    writeFileSync(path.join(dir, 'sig.der'), cms);
    writeFileSync(path.join(dir, 'cert.pem'), identity.certificatePem);
    const content = execFileSync('openssl', [
      'cms',
      '-verify',
      '-inform',
      'DER',
      '-in',
      path.join(dir, 'sig.der'),
      '-CAfile',
      path.join(dir, 'cert.pem'),
      '-purpose',
      'any',
    ]);
    expect(Buffer.from(content).toString()).toBe(Buffer.from(data).toString());
    const verified = verifyCms(cms);
    expect(Buffer.from(verified.content).toString()).toBe(Buffer.from(data).toString());
    expect(verified.certificate).toBe(identity.signer.certificate);
  });

  it('a CMS whose content was altered does not verify', async () => {
    const cms = Buffer.from(await identity.signer.signCms(new TextEncoder().encode('challenge-AAAA')));
    const at = cms.indexOf('challenge-AAAA');
    cms.write('B', at + 10, 'latin1');
    expect(() => verifyCms(cms)).toThrow(/digest does not match/);
  });

  it('a CMS signed by another key, or with a damaged signature, does not verify', async () => {
    const content = new TextEncoder().encode('challenge');
    const cms = Buffer.from(await identity.signer.signCms(content));
    expect(Buffer.from(verifyCms(cms).content).toString()).toBe('challenge');
    cms[cms.length - 1] = (cms[cms.length - 1] as number) ^ 0xff; // the signature value ends the structure
    expect(() => verifyCms(cms)).toThrow(/signature does not verify/);
  });

  it('detached CMS verifies against the content given separately', async () => {
    const content = new TextEncoder().encode('document body');
    const cms = await identity.signer.signCms(content, { detached: true });
    expect(verifyCms(cms, content).certificate).toBe(identity.signer.certificate);
    expect(() => verifyCms(cms)).toThrow(/no content/);
  });
});
