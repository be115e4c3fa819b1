/** NCA certificates: fields, signatures (GOST 2015, GOST 2004, RSA) and chains to given roots. */
import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';
import { describe, expect, it, vi } from 'vitest';
import { isSignedBy } from '../../src/gost/certificate.js';
import { buildChain, CertificateError, parseCertificate } from '../../src/index.js';
import { createGostTestKey, issueGostTestCertificate } from '../../src/testing/index.js';
import { flipBit, hex, VECTOR_CERTIFICATE, VECTOR_KEY, VECTOR_TIME, VECTORS } from './helpers.js';

// Key generation, property runs and openssl take seconds each on a loaded, shared 2-core machine.
vi.setConfig({ testTimeout: 60_000 });

const DAY = 24 * 3600_000;
const at = new Date('2030-06-01T00:00:00Z');
const validity = { notBefore: new Date(at.getTime() - 100 * DAY), notAfter: new Date(at.getTime() + 100 * DAY) };

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof CertificateError) return error.problem;
    throw error;
  }
  return undefined;
}

describe('the Kalkan-made test certificate', () => {
  const certificate = parseCertificate(VECTOR_CERTIFICATE);

  it('reads subject, IIN, validity, key and algorithms', () => {
    expect(certificate.subject.commonName).toBe('TEST GOST512');
    expect(certificate.subject.country).toBe('KZ');
    expect(certificate.iin).toBe('000000000000');
    expect(certificate.bin).toBeUndefined();
    expect(certificate.notBefore.toISOString()).toBe('2026-10-01T16:57:08.000Z');
    expect(certificate.notAfter.toISOString()).toBe('2027-10-02T16:57:08.000Z');
    expect(certificate.signatureAlgorithm).toBe(VECTORS.sigalg_oid);
    expect(certificate.publicKey).toMatchObject({ keyType: 'GOST-2015-512', point: VECTOR_KEY.point });
    expect(hex(certificate.tbs)).toBe(VECTORS.cert_tbs);
    expect(hex(certificate.signature)).toBe(VECTORS.cert_sig);
  });

  it('is signed by its own key; a changed bit in the signed part or the signature is not', () => {
    expect(isSignedBy(certificate, certificate)).toBe(true);
    const der = Buffer.from(VECTOR_CERTIFICATE, 'base64');
    const tbsBit = (der.length - 200) * 8; // inside the TBS (the public key)
    expect(isSignedBy(parseCertificate(flipBit(der, tbsBit)), certificate)).toBe(false);
    expect(isSignedBy(parseCertificate(flipBit(der, der.length * 8 - 5)), certificate)).toBe(false);
  });

  it('chains to itself when trusted as a root; otherwise no issuer', () => {
    expect(buildChain(VECTOR_CERTIFICATE, { roots: [VECTOR_CERTIFICATE], at: VECTOR_TIME })).toHaveLength(1);
    expect(codeOf(() => buildChain(VECTOR_CERTIFICATE, { roots: [], at: VECTOR_TIME }))).toBe('NO_ISSUER');
    expect(
      codeOf(() => buildChain(VECTOR_CERTIFICATE, { roots: [VECTOR_CERTIFICATE], at: new Date('2026-01-01') })),
    ).toBe('NOT_YET_VALID');
    expect(
      codeOf(() => buildChain(VECTOR_CERTIFICATE, { roots: [VECTOR_CERTIFICATE], at: new Date('2028-01-01') })),
    ).toBe('EXPIRED');
  });

  it('refuses bytes that are not a certificate, with a typed error', () => {
    expect(codeOf(() => parseCertificate(new Uint8Array([0x30, 0x03, 0x02, 0x01])))).toBe('MALFORMED');
    expect(codeOf(() => parseCertificate('not base64 at all'))).toBe('MALFORMED');
  });
});

describe('holder certificates', () => {
  const key = createGostTestKey();
  it('AUTH: clientAuth, digitalSignature + keyEncipherment; IIN and BIN', () => {
    const c = parseCertificate(
      issueGostTestCertificate(key, { purpose: 'AUTH', iin: '880101300123', bin: '123456789012', ...validity }),
    );
    expect(c.purposes).toEqual(['AUTH']);
    expect(c.keyUsage).toEqual(['digitalSignature', 'keyEncipherment']);
    expect(c.extendedKeyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(c.iin).toBe('880101300123');
    expect(c.bin).toBe('123456789012');
    expect(c.isCa).toBe(false);
  });
  it('SIGN: emailProtection, digitalSignature + nonRepudiation', () => {
    const c = parseCertificate(issueGostTestCertificate(key, { purpose: 'SIGN', ...validity }));
    expect(c.purposes).toEqual(['SIGN']);
    expect(c.keyUsage).toEqual(['digitalSignature', 'nonRepudiation']);
  });
});

describe('chains', () => {
  const rootKey = createGostTestKey('GOST-2015-512');
  const root = issueGostTestCertificate(rootKey, { commonName: 'TEST ROOT (GOST) 2022', ca: true, ...validity });
  const caKey = createGostTestKey('GOST-2015-512');
  const ca = issueGostTestCertificate(caKey, {
    commonName: 'TEST NCA (GOST) 2022',
    ca: true,
    issuer: { certificate: root, key: rootKey },
    ...validity,
  });
  const leaf = issueGostTestCertificate(createGostTestKey('GOST-2015-256'), {
    commonName: 'ТЕСТОВ ТЕСТ',
    iin: '880101300123',
    purpose: 'SIGN',
    issuer: { certificate: ca, key: caKey },
    ...validity,
  });

  it('leaf -> intermediate -> root (GOST 2015, 256-bit leaf under 512-bit CAs)', () => {
    const chain = buildChain(leaf, { roots: [root], intermediates: [ca], at });
    expect(chain.map((c) => c.subject.commonName)).toEqual([
      'ТЕСТОВ ТЕСТ',
      'TEST NCA (GOST) 2022',
      'TEST ROOT (GOST) 2022',
    ]);
  });

  it('fails without the intermediate, with a forged one, or at the wrong time', () => {
    expect(codeOf(() => buildChain(leaf, { roots: [root], at }))).toBe('NO_ISSUER');
    // Same name, another key: the signature does not verify.
    const forged = issueGostTestCertificate(createGostTestKey(), {
      commonName: 'TEST NCA (GOST) 2022',
      ca: true,
      issuer: { certificate: root, key: rootKey },
      ...validity,
    });
    expect(codeOf(() => buildChain(leaf, { roots: [root], intermediates: [forged], at }))).toBe('BAD_SIGNATURE');
    expect(
      codeOf(() => buildChain(leaf, { roots: [root], intermediates: [ca], at: new Date(at.getTime() + 200 * DAY) })),
    ).toBe('EXPIRED');
  });

  it('an intermediate that is not a CA does not issue', () => {
    const holderKey = createGostTestKey();
    const holder = issueGostTestCertificate(holderKey, {
      commonName: 'NOT A CA',
      purpose: 'SIGN',
      issuer: { certificate: root, key: rootKey },
      ...validity,
    });
    const below = issueGostTestCertificate(createGostTestKey(), {
      purpose: 'SIGN',
      issuer: { certificate: holder, key: holderKey },
      ...validity,
    });
    expect(codeOf(() => buildChain(below, { roots: [root], intermediates: [holder], at }))).toBe('NOT_A_CA');
  });

  it('the legacy generation: GOST 34.310-2004 root and CA (GOST 34.311-95 hash, CryptoPro-A curve)', () => {
    const oldRootKey = createGostTestKey('GOST-2004');
    const oldRoot = issueGostTestCertificate(oldRootKey, { commonName: 'TEST ROOT (GOST)', ca: true, ...validity });
    const oldCaKey = createGostTestKey('GOST-2004');
    const oldCa = issueGostTestCertificate(oldCaKey, {
      commonName: 'TEST NCA (GOST)',
      ca: true,
      issuer: { certificate: oldRoot, key: oldRootKey },
      ...validity,
    });
    const holder = issueGostTestCertificate(createGostTestKey('GOST-2004'), {
      purpose: 'AUTH',
      issuer: { certificate: oldCa, key: oldCaKey },
      ...validity,
    });
    const chain = buildChain(holder, { roots: [oldRoot], intermediates: [oldCa], at });
    expect(chain.map((c) => c.signatureAlgorithm)).toEqual(Array(3).fill('1.2.398.3.10.1.1.1.2'));
    expect(chain[0]?.publicKey).toMatchObject({ keyType: 'GOST-2004' });
    // A 2004 CA's key cannot have signed a 2015 signature and the other way round.
    expect(codeOf(() => buildChain(leaf, { roots: [oldRoot], intermediates: [oldCa, ca], at }))).toBe('NO_ISSUER');
  });

  it('RSA: an NCA-style RSA root and holder (signatures checked by node:crypto)', () => {
    const rsaKeys = () => {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      return {
        privateKey: forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string),
        publicKey: forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }) as string),
      };
    };
    const rootKeys = rsaKeys();
    const rsaRoot = forge.pki.createCertificate();
    rsaRoot.publicKey = rootKeys.publicKey;
    rsaRoot.serialNumber = '01';
    rsaRoot.validity.notBefore = validity.notBefore;
    rsaRoot.validity.notAfter = validity.notAfter;
    const rootName = [
      { name: 'commonName', value: 'TEST ROOT (RSA)' },
      { name: 'countryName', value: 'KZ' },
    ];
    rsaRoot.setSubject(rootName);
    rsaRoot.setIssuer(rootName);
    rsaRoot.setExtensions([{ name: 'basicConstraints', cA: true }]);
    rsaRoot.sign(rootKeys.privateKey, forge.md.sha256.create());
    const holderKeys = rsaKeys();
    const holder = forge.pki.createCertificate();
    holder.publicKey = holderKeys.publicKey;
    holder.serialNumber = '02';
    holder.validity.notBefore = validity.notBefore;
    holder.validity.notAfter = validity.notAfter;
    holder.setSubject([
      { name: 'commonName', value: 'HOLDER' },
      { type: '2.5.4.5', value: 'IIN880101300123' },
    ]);
    holder.setIssuer(rootName);
    holder.sign(rootKeys.privateKey, forge.md.sha256.create());
    const toDer = (c: forge.pki.Certificate) =>
      new Uint8Array(Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(c)).getBytes(), 'binary'));
    const chain = buildChain(toDer(holder), { roots: [toDer(rsaRoot)], at });
    expect(chain.map((c) => c.subject.commonName)).toEqual(['HOLDER', 'TEST ROOT (RSA)']);
    expect(chain[0]?.iin).toBe('880101300123');
    // The RSA root did not sign a GOST certificate.
    expect(codeOf(() => buildChain(leaf, { roots: [toDer(rsaRoot)], intermediates: [ca], at }))).toBe('NO_ISSUER');
  });
});
