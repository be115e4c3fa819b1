/**
 * NCA key containers: built here from the Kalkan vector key, opened with the password into a
 * signer; wrong passwords and non-GOST files get distinct errors; openssl opens what we write.
 */
import { spawnSync } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ALGORITHMS } from '../../src/gost/algorithms.js';
import { bigIntToBytesLE } from '../../src/gost/bytes.js';
import { TC26_512_A } from '../../src/gost/curves.js';
import { der } from '../../src/gost/der.js';
import { decodeSignature, encodeGostPrivateKeyInfo } from '../../src/gost/encoding.js';
import { verifyDigest } from '../../src/gost/gost3410.js';
import { writePkcs12 } from '../../src/gost/pkcs12.js';
import { streebog512 } from '../../src/gost/streebog.js';
import {
  GostSigner,
  loadSigner,
  RsaSha256Signer,
  SigningKeyError,
  UnsupportedKeyError,
  WrongPasswordError,
} from '../../src/index.js';
import {
  createGostTestIdentity,
  createGostTestKey,
  createTestIdentity,
  gostTestPrivateKeyInfo,
  issueGostTestCertificate,
} from '../../src/testing/index.js';
import { VECTOR_CERTIFICATE, VECTOR_KEY } from './helpers.js';

// Key generation, property runs and openssl take seconds each on a loaded, shared 2-core machine.
vi.setConfig({ testTimeout: 60_000 });

const PASSWORD = 'Test1234';
const vectorKeyInfo = encodeGostPrivateKeyInfo(ALGORITHMS['GOST-2015-512'], TC26_512_A, VECTOR_KEY.d);
const vectorCertificate = new Uint8Array(Buffer.from(VECTOR_CERTIFICATE, 'base64'));
const vectorContainer = writePkcs12({
  privateKeyInfo: vectorKeyInfo,
  certificates: [vectorCertificate],
  password: PASSWORD,
});

function errorOf(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('GostSigner.fromPkcs12', () => {
  it('opens a container with the vector key and signs what the vector public key verifies', async () => {
    const signer = GostSigner.fromPkcs12(vectorContainer, PASSWORD);
    expect(signer.certificate).toBe(VECTOR_CERTIFICATE);
    expect(signer.algorithms.signature).toBe(
      'urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34102015-gostr34112015-512',
    );
    const data = new TextEncoder().encode('ncalayer-rs test message');
    const { signature, certificate } = await signer.sign(data);
    expect(certificate).toBe(VECTOR_CERTIFICATE);
    const value = decodeSignature(64, signature);
    expect(value && verifyDigest(TC26_512_A, VECTOR_KEY.point, streebog512(data), value)).toBe(true);
  });

  it('a wrong password is a WrongPasswordError that does not carry the password', () => {
    const error = errorOf(() => GostSigner.fromPkcs12(vectorContainer, 'Wrong-Passw0rd'));
    expect(error).toBeInstanceOf(WrongPasswordError);
    expect(error).toBeInstanceOf(SigningKeyError);
    expect((error as WrongPasswordError).code).toBe('WRONG_PASSWORD');
    expect(error.message).not.toContain('Wrong-Passw0rd');
    expect(error.message).not.toContain(PASSWORD);
  });

  it('an RSA container is an UnsupportedKeyError, not a password error', () => {
    const rsa = createTestIdentity();
    const error = errorOf(() => GostSigner.fromPkcs12(rsa.pkcs12, rsa.pkcs12Password));
    expect(error).toBeInstanceOf(UnsupportedKeyError);
    expect((error as UnsupportedKeyError).keyAlgorithm).toBe('1.2.840.113549.1.1.1');
    expect(errorOf(() => GostSigner.fromPkcs12(rsa.pkcs12, 'wrong'))).toBeInstanceOf(WrongPasswordError);
  });

  it('a legacy GOST 34.310-2004 key is an UnsupportedKeyError (verification only)', () => {
    const key = createGostTestKey('GOST-2004');
    const container = writePkcs12({
      privateKeyInfo: gostTestPrivateKeyInfo(key),
      certificates: [issueGostTestCertificate(key)],
      password: PASSWORD,
    });
    const error = errorOf(() => GostSigner.fromPkcs12(container, PASSWORD));
    expect(error).toBeInstanceOf(UnsupportedKeyError);
    expect((error as UnsupportedKeyError).keyAlgorithm).toBe('1.2.398.3.10.1.1.1.1');
  });

  it('a file that is not a container is a SigningKeyError of its own', () => {
    const error = errorOf(() => GostSigner.fromPkcs12(new TextEncoder().encode('<xml/>'), PASSWORD));
    expect(error).toBeInstanceOf(SigningKeyError);
    expect(error).not.toBeInstanceOf(WrongPasswordError);
    expect(error).not.toBeInstanceOf(UnsupportedKeyError);
  });

  it('a container whose certificate belongs to another key is refused', () => {
    const container = writePkcs12({
      privateKeyInfo: vectorKeyInfo,
      certificates: [issueGostTestCertificate(createGostTestKey())],
      password: PASSWORD,
    });
    expect(errorOf(() => GostSigner.fromPkcs12(container, PASSWORD)).message).toMatch(
      /no certificate for its private key/,
    );
  });

  it('reads the scalar as Kalkan writes it (OCTET STRING, little-endian), as an INTEGER, and as bare bytes', async () => {
    const algorithmIdentifier = der.sequence(
      der.oid('1.2.398.3.10.1.1.2.2'),
      der.sequence(der.oid('1.2.398.3.10.1.1.2.2.1'), der.oid('1.2.398.3.10.1.3.3')),
    );
    const variants = [der.octets(der.integer(VECTOR_KEY.d)), der.octets(bigIntToBytesLE(VECTOR_KEY.d, 64))];
    for (const privateKey of variants) {
      const privateKeyInfo = der.sequence(der.integer(0), algorithmIdentifier, privateKey);
      const signer = GostSigner.fromPkcs12(
        writePkcs12({ privateKeyInfo, certificates: [vectorCertificate], password: PASSWORD }),
        PASSWORD,
      );
      expect(signer.certificate).toBe(VECTOR_CERTIFICATE);
    }
  });

  it('picks the certificate of the key among chain certificates, in any order', () => {
    const identity = createGostTestIdentity();
    const container = writePkcs12({
      privateKeyInfo: vectorKeyInfo,
      certificates: [identity.certificateDer, vectorCertificate],
      password: PASSWORD,
    });
    expect(GostSigner.fromPkcs12(container, PASSWORD).certificate).toBe(VECTOR_CERTIFICATE);
  });
});

describe('loadSigner', () => {
  it('returns the GOST or the RSA signer by the key inside', () => {
    expect(loadSigner(vectorContainer, PASSWORD)).toBeInstanceOf(GostSigner);
    const rsa = createTestIdentity();
    expect(loadSigner(rsa.pkcs12, rsa.pkcs12Password)).toBeInstanceOf(RsaSha256Signer);
  });

  it('a wrong password is a WrongPasswordError for either kind', () => {
    expect(errorOf(() => loadSigner(vectorContainer, 'nope'))).toBeInstanceOf(WrongPasswordError);
    expect(errorOf(() => loadSigner(createTestIdentity().pkcs12, 'nope'))).toBeInstanceOf(WrongPasswordError);
  });
});

describe('the container envelope, checked by openssl', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kz-gost-p12-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const openssl = (container: Uint8Array, ...args: string[]) => {
    const file = path.join(dir, `${Math.random().toString(36).slice(2)}.p12`);
    writeFileSync(file, container);
    const result = spawnSync('openssl', ['pkcs12', '-legacy', '-info', '-in', file, ...args], { encoding: 'utf8' });
    return { status: result.status, output: result.stdout + result.stderr };
  };

  it('verifies the MAC and decrypts the RC2-40 certificate bag of a GOST container', () => {
    const { status, output } = openssl(vectorContainer, '-passin', `pass:${PASSWORD}`, '-nokeys');
    expect(status).toBe(0);
    expect(output).toContain('MAC: sha1, Iteration 2048');
    expect(output).toMatch(/Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC/);
    expect(output).toMatch(/PKCS7 Encrypted data: pbeWithSHA1And40BitRC2-CBC/);
    const pem = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(output)?.[1];
    expect(pem?.replace(/\s/g, '')).toBe(VECTOR_CERTIFICATE);
    const wrong = openssl(vectorContainer, '-passin', 'pass:wrong', '-nokeys');
    expect(wrong.status).not.toBe(0);
    expect(wrong.output).toMatch(/mac verify error/i);
  });

  it('decrypts the 3DES key bag the writer makes (shown with an RSA key, which openssl can print)', () => {
    const rsa = createTestIdentity();
    const rsaKeyInfo = new Uint8Array(createPrivateKey(rsa.privateKeyPem).export({ type: 'pkcs8', format: 'der' }));
    const container = writePkcs12({
      privateKeyInfo: rsaKeyInfo,
      certificates: [new Uint8Array(Buffer.from(rsa.signer.certificate, 'base64'))],
      password: PASSWORD,
    });
    const { status, output } = openssl(container, '-passin', `pass:${PASSWORD}`, '-noenc');
    expect(status).toBe(0);
    const pem = /-----BEGIN PRIVATE KEY-----[\s\S]*?-----END PRIVATE KEY-----/.exec(output)?.[0];
    expect(pem && Buffer.from(createPrivateKey(pem).export({ type: 'pkcs8', format: 'der' })).equals(rsaKeyInfo)).toBe(
      true,
    );
  });
});
