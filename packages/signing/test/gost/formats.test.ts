/**
 * The formats the services use, through the `Signer` / `CmsSigner` interfaces: raw signatures (the
 * ESF invoice `signature`), CMS/CAdES-BES attached and detached (True API login); round trips over
 * random inputs, tampering, and the CMS structure read by openssl.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { verifyGostCms } from '../../src/gost/cms.js';
import { parseDer, readOid } from '../../src/gost/der.js';
import type { CmsSigner, Signer } from '../../src/index.js';
import { verifyCms, verifyGostSignature } from '../../src/index.js';
import { createGostTestIdentity } from '../../src/testing/index.js';
import { flipBit } from './helpers.js';

// Key generation, property runs and openssl take seconds each on a loaded, shared 2-core machine.
vi.setConfig({ testTimeout: 60_000 });

const identity512 = createGostTestIdentity({ commonName: 'ТЕСТОВ ТЕСТ', iin: '880101300123', purpose: 'SIGN' });
const identity256 = createGostTestIdentity({ keyType: 'GOST-2015-256', purpose: 'AUTH' });
const utf8 = (text: string) => new TextEncoder().encode(text);

describe('raw signatures (ESF invoice signature: base64 of a raw signature over the UTF-8 invoice)', () => {
  const invoice = '{"invoiceType":"ORDINARY_INVOICE","num":"1","sellers":[{"name":"ТОО «Тест»"}]}';

  it('signs through the Signer interface; verifies with the certificate; tampering fails', async () => {
    const signer: Signer = identity512.signer;
    const { signature, certificate } = await signer.sign(utf8(invoice));
    expect(signature).toHaveLength(128);
    const base64 = Buffer.from(signature).toString('base64');
    expect(verifyGostSignature(utf8(invoice), Buffer.from(base64, 'base64'), certificate)).toBe(true);
    expect(verifyGostSignature(utf8(invoice.replace('1', '2')), signature, certificate)).toBe(false);
    expect(verifyGostSignature(utf8(invoice), flipBit(signature, 9), certificate)).toBe(false);
    expect(verifyGostSignature(utf8(invoice), signature, identity256.certificate)).toBe(false);
    expect(verifyGostSignature(utf8(invoice), signature, 'garbage')).toBe(false);
  });

  it('digest() is the hash the signature is over (Streebog-512 / -256)', async () => {
    expect(await identity512.signer.digest(utf8(invoice))).toHaveLength(64);
    expect(await identity256.signer.digest(utf8(invoice))).toHaveLength(32);
    const { signature } = await identity256.signer.sign(utf8(invoice));
    expect(signature).toHaveLength(64);
    expect(verifyGostSignature(utf8(invoice), signature, identity256.certificate)).toBe(true);
  });

  for (const [name, identity] of [
    ['512', identity512],
    ['256', identity256],
  ] as const) {
    it(`round trip over random inputs (${name}); any changed byte fails`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), fc.nat(), async (data, position) => {
          const { signature, certificate } = await identity.signer.sign(data);
          expect(verifyGostSignature(data, signature, certificate)).toBe(true);
          if (data.length > 0) {
            expect(verifyGostSignature(flipBit(data, position % (data.length * 8)), signature, certificate)).toBe(
              false,
            );
          }
        }),
        { numRuns: 15 },
      );
    });
  }
});

describe('CMS / CAdES-BES (True API login signs the server challenge)', () => {
  const challenge = utf8('b3d7d4b4-8f1a-4c3e-9b1e-2a5f6c7d8e9f');

  it('attached: verifyCms returns the content and the certificate', async () => {
    const signer: CmsSigner = identity512.signer;
    const cms = await signer.signCms(challenge);
    const verified = verifyCms(cms);
    expect(Buffer.from(verified.content).toString()).toBe(Buffer.from(challenge).toString());
    expect(verified.certificate).toBe(identity512.certificate);
  });

  it('detached: needs the content; other content fails', async () => {
    const cms = await identity256.signer.signCms(challenge, { detached: true });
    expect(verifyCms(cms, challenge).certificate).toBe(identity256.certificate);
    expect(() => verifyCms(cms)).toThrow(/no content/);
    expect(() => verifyCms(cms, utf8('another challenge'))).toThrow(/message digest/);
  });

  it('the signed attributes are those Kalkan writes, with the KZ OIDs', async () => {
    const cms = await identity512.signer.signCms(challenge, { detached: true });
    const signedData = parseDer(cms).children[1]?.children[0];
    const signerInfo = signedData?.children.at(-1)?.children[0];
    const [, , digestAlgorithm, signedAttributes, signatureAlgorithm, signature] = signerInfo?.children ?? [];
    expect(readOid(digestAlgorithm?.children[0])).toBe('1.2.398.3.10.1.3.3');
    expect(readOid(signatureAlgorithm?.children[0])).toBe('1.2.398.3.10.1.1.2.3.2');
    expect(signature?.content).toHaveLength(128);
    const attributes = new Map(signedAttributes?.children.map((a) => [readOid(a.children[0]), a.children[1]]));
    expect([...attributes.keys()].sort()).toEqual(
      ['1.2.840.113549.1.9.16.2.47', '1.2.840.113549.1.9.3', '1.2.840.113549.1.9.4', '1.2.840.113549.1.9.5'].sort(),
    );
    // signingCertificateV2: ESSCertIDv2 with the certificate's SHA-256 hash.
    const certHash = attributes.get('1.2.840.113549.1.9.16.2.47')?.children[0]?.children[0]?.children[0]?.children[0];
    expect(Buffer.from(certHash?.content ?? []).toString('hex')).toBe(
      createHash('sha256').update(identity512.certificateDer).digest('hex'),
    );
    expect(verifyGostCms(cms, challenge).signingTime).toBeInstanceOf(Date);
  });

  it('fails after any changed byte of the signed attributes, the signature or the content', async () => {
    const cms = await identity512.signer.signCms(challenge);
    const text = Buffer.from(cms).toString('latin1');
    const contentAt = text.indexOf(Buffer.from(challenge).toString('latin1'));
    const signatureAt = cms.length - 40;
    for (const bit of [contentAt * 8 + 3, signatureAt * 8 + 1]) {
      expect(() => verifyCms(flipBit(cms, bit)), `bit ${bit}`).toThrow();
    }
    // Every byte of the signed attributes: find them and flip each one in turn.
    const signerInfo = parseDer(cms).children[1]?.children[0]?.children.at(-1)?.children[0];
    const attributes = signerInfo?.children[3];
    const start = attributes ? attributes.bytes.byteOffset - cms.byteOffset : 0;
    expect(attributes).toBeDefined();
    for (let i = start + 2; i < start + (attributes?.bytes.length ?? 0); i += 7) {
      expect(() => verifyCms(flipBit(cms, i * 8)), `signed attribute byte ${i}`).toThrow();
    }
  });

  it('round trip over random content, attached and detached', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 500 }), fc.boolean(), async (data, detached) => {
        const cms = await identity512.signer.signCms(data, { detached });
        const verified = verifyCms(cms, detached ? data : undefined);
        expect(Buffer.from(verified.content).equals(Buffer.from(data))).toBe(true);
      }),
      { numRuns: 10 },
    );
  });

  it('openssl reads the structure (it cannot check GOST signatures without an engine)', async () => {
    const cms = await identity512.signer.signCms(challenge);
    const printed = spawnSync('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER'], {
      input: cms,
      encoding: 'utf8',
    });
    expect(printed.status).toBe(0);
    expect(printed.stdout).toContain('d.signedData');
    expect(printed.stdout).toContain('1.2.398.3.10.1.1.2.3.2');
    expect(printed.stdout).toContain('messageDigest');
  });
});
