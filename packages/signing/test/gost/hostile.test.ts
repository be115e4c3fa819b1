/**
 * Hostile inputs to the GOST layer: secrets never show (signer, errors), parsing untrusted DER
 * (certificates, CMS) costs time linear in its size, and malformed bytes get typed errors.
 */
import { inspect } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { bigIntToBytesBE, bigIntToBytesLE } from '../../src/gost/bytes.js';
import { der, parseDer } from '../../src/gost/der.js';
import { CertificateError, GostSigner, parseCertificate, verifyCms, WrongPasswordError } from '../../src/index.js';
import { createGostTestIdentity, createGostTestKey, issueGostTestCertificate } from '../../src/testing/index.js';

// Key generation, property runs and openssl take seconds each on a loaded, shared 2-core machine.
vi.setConfig({ testTimeout: 60_000 });

const identity = createGostTestIdentity();

describe('secrets', () => {
  const secrets = [
    identity.pkcs12Password,
    Buffer.from(bigIntToBytesLE(identity.key.d, 64)).toString('hex'),
    Buffer.from(bigIntToBytesBE(identity.key.d, 64)).toString('hex'),
    Buffer.from(bigIntToBytesLE(identity.key.d, 64)).toString('base64'),
    Buffer.from(bigIntToBytesBE(identity.key.d, 64)).toString('base64'),
    identity.key.d.toString(),
    identity.key.d.toString(16),
  ];
  const leaked = (texts: string[]) =>
    secrets.filter((s) => texts.some((t) => t.toLowerCase().includes(s.toLowerCase())));

  it('a GostSigner shows no key material', () => {
    const signer = GostSigner.fromPkcs12(identity.pkcs12, identity.pkcs12Password);
    expect(leaked([JSON.stringify(signer), inspect(signer, { depth: 8, showHidden: true }), String(signer)])).toEqual(
      [],
    );
  });

  it('errors carry neither the password tried nor the right one', () => {
    const wrong = `${identity.pkcs12Password}-x`;
    let error: Error | undefined;
    try {
      GostSigner.fromPkcs12(identity.pkcs12, wrong);
    } catch (e) {
      error = e as Error;
    }
    expect(error).toBeInstanceOf(WrongPasswordError);
    expect(leaked([`${error?.message}${error?.stack}`])).toEqual([]);
    expect(`${error?.message}${error?.stack}`).not.toContain(wrong);
  });
});

/**
 * CPU time of one `run`, the least of `samples` samples of `repeat` runs each: CPU time rather than
 * wall time, and the least of several, so other work on a shared machine barely moves it.
 */
function cpuTime(run: () => void, repeat: number, samples = 7): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < samples; i++) {
    const started = process.cpuUsage();
    for (let j = 0; j < repeat; j++) run();
    const used = process.cpuUsage(started);
    best = Math.min(best, (used.user + used.system) / 1000 / repeat);
  }
  return best;
}

/**
 * How many times longer `large` (8 times the size) takes than `small`; each sample does the same work.
 * The least of three measurements: a scavenge of V8's young generation landing in the large runs can
 * multiply one measurement (seen at 61 on a loaded machine), while a quadratic cost shows in all three.
 */
function growth(small: () => void, large: () => void): number {
  let least = Number.POSITIVE_INFINITY;
  for (let attempt = 0; attempt < 3; attempt++) least = Math.min(least, cpuTime(large, 1) / cpuTime(small, 8));
  return least;
}

describe('linear cost on hostile sizes (n vs 8n in CPU time; linear gives about 8, quadratic about 64)', () => {
  it('a certificate with n subject attributes', () => {
    const key = createGostTestKey();
    const base = issueGostTestCertificate(key);
    const tbs = parseDer(base).children[0];
    const [version, serial, algorithm, issuer, validity, , spki, extensions] = tbs?.children ?? [];
    const withSubject = (n: number) => {
      const rdns = Array.from({ length: n }, (_, i) =>
        der.set(der.sequence(der.oid('2.5.4.11'), der.utf8(`OU ${i} ТЕСТ`))),
      );
      const parts = [version, serial, algorithm, issuer, validity].map((p) => p?.bytes ?? new Uint8Array());
      const body = der.sequence(
        ...parts,
        der.sequence(...rdns),
        spki?.bytes ?? new Uint8Array(),
        extensions?.bytes ?? new Uint8Array(),
      );
      return der.sequence(
        body,
        parseDer(base).children[1]?.bytes ?? new Uint8Array(),
        parseDer(base).children[2]?.bytes ?? new Uint8Array(),
      );
    };
    const small = withSubject(1_000);
    const large = withSubject(8_000);
    expect(parseCertificate(large).subject.attributes).toHaveLength(8_000);
    expect(
      growth(
        () => parseCertificate(small),
        () => parseCertificate(large),
      ),
    ).toBeLessThan(24);
  }, 60_000);

  it('a CMS with n other certificate entries before the one of its signer', async () => {
    const cms = await identity.signer.signCms(new Uint8Array(16));
    const withNoise = (n: number) => {
      // Re-encode SignedData with n extra junk certificates (SEQUENCE { INTEGER }) before ours.
      const signedData = parseDer(cms).children[1]?.children[0];
      const [version, digests, content, certificates, signers] = signedData?.children ?? [];
      const junk = Array.from({ length: n }, (_, i) => der.sequence(der.integer(i)));
      const set = der.context(0, ...junk, ...(certificates?.children.map((c) => c.bytes) ?? []));
      const rebuilt = der.sequence(
        ...[version, digests, content].map((p) => p?.bytes ?? new Uint8Array()),
        Uint8Array.of(0xa0, ...set.subarray(1)),
        signers?.bytes ?? new Uint8Array(),
      );
      return der.sequence(der.oid('1.2.840.113549.1.7.2'), der.context(0, rebuilt));
    };
    const small = withNoise(2_000);
    const large = withNoise(16_000);
    expect(verifyCms(large).certificate).toBe(identity.certificate);
    // Each run also checks one signature, a constant part: the parse on its own is compared too.
    expect(
      growth(
        () => verifyCms(small),
        () => verifyCms(large),
      ),
    ).toBeLessThan(24);
    expect(
      growth(
        () => parseDer(small),
        () => parseDer(large),
      ),
    ).toBeLessThan(24);
  }, 60_000);
});

describe('malformed input', () => {
  it('truncated, overlong, too deep or trailing DER is a CertificateError, never a crash', () => {
    const good = identity.certificateDer;
    const deep = Uint8Array.from([...Array(200).fill([0x30, 0x80]).flat(), ...Array(400).fill(0)]);
    const inputs = [
      good.subarray(0, good.length - 1),
      Uint8Array.from([...good, 0]),
      Uint8Array.of(0x30, 0x84, 0xff, 0xff, 0xff, 0xff),
      Uint8Array.of(0x30, 0x85, 1, 0, 0, 0, 0),
      deep,
      Uint8Array.of(0x1f, 0x81, 0x01, 0x00),
      new Uint8Array(0),
    ];
    for (const input of inputs) {
      expect(() => parseCertificate(input)).toThrow(CertificateError);
    }
  });
});
