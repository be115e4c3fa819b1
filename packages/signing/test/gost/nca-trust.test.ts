/**
 * The shipped NCA certificates are real published data: they verify with our GOST 2004
 * (34.11-94, Test S-box), GOST 2015-512 and RSA code, the RSA ones also with OpenSSL, and
 * buildChain reaches them without configuration.
 */
import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSignedBy } from '../../src/gost/certificate.js';
import { buildChain, CertificateError, NCA_CERTIFICATES, NCA_ROOTS, parseCertificate } from '../../src/index.js';

const byName = (name: string) => {
  const entry = NCA_CERTIFICATES.find((c) => c.name === name);
  if (!entry) throw new Error(`no shipped certificate ${name}`);
  return entry.pem;
};

const codeOf = (f: () => unknown) => {
  try {
    f();
    return undefined;
  } catch (error) {
    return error instanceof CertificateError ? error.problem : error;
  }
};

const MID_2024 = new Date('2024-06-01T00:00:00Z');

describe('the shipped NCA certificates', { timeout: 60_000 }, () => {
  it('each is the published file: its DER hashes to the recorded SHA-256', () => {
    expect(NCA_CERTIFICATES.length).toBe(10);
    for (const entry of NCA_CERTIFICATES) {
      const der = new X509Certificate(entry.pem).raw;
      expect(createHash('sha256').update(der).digest('hex'), entry.name).toBe(entry.sha256);
      expect(new Date(new X509Certificate(entry.pem).validTo).toISOString().slice(0, 19)).toBe(
        entry.notAfter.slice(0, 19),
      );
    }
  });

  it('every root is self-signed and its signature verifies (GOST 2004, GOST 2015-512, RSA)', () => {
    for (const pem of NCA_ROOTS) {
      const root = parseCertificate(pem);
      expect(isSignedBy(root, root), root.subject.commonName).toBe(true);
    }
  });

  it('the intermediates chain to their roots by default, each signature checked', () => {
    const chains = Object.fromEntries(
      ['nca_gost_2022', 'nca_rsa_2022', 'nca_gost', 'nca_rsa', 'ucgo_gost'].map((name) => [
        name,
        buildChain(byName(name), { at: MID_2024 }).map((c) => c.subject.commonName),
      ]),
    );
    expect(chains).toEqual({
      nca_gost_2022: ['ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) 2022', 'НЕГІЗГІ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) 2022'],
      nca_rsa_2022: ['ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA) 2022', 'НЕГІЗГІ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA)'],
      nca_gost: ['ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST)', 'НЕГІЗГІ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST)'],
      nca_rsa: ['ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA)', 'НЕГІЗГІ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA)'],
      ucgo_gost: ['Удостоверяющий центр Государственных органов', 'НЕГІЗГІ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST)'],
    });
  });

  it('OpenSSL agrees on the RSA chains', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nca-'));
    const file = (name: string) => {
      const at = path.join(dir, `${name}.pem`);
      writeFileSync(at, byName(name));
      return at;
    };
    const verify = (root: string, leaf: string) =>
      execFileSync(
        'openssl',
        ['verify', '-attime', String(MID_2024.getTime() / 1000), '-CAfile', file(root), file(leaf)],
        {
          encoding: 'utf8',
        },
      );
    expect(verify('root_rsa_2020', 'nca_rsa_2022')).toContain(': OK');
    expect(verify('root_rsa', 'nca_rsa')).toContain(': OK');
  });

  it('a changed signature byte, a time outside validity and another root are refused', () => {
    const der = new Uint8Array(new X509Certificate(byName('nca_gost_2022')).raw);
    const tampered = der.slice();
    tampered[tampered.length - 5] = (tampered[tampered.length - 5] as number) ^ 0x01;
    expect(codeOf(() => buildChain(tampered, { at: MID_2024 }))).toBe('BAD_SIGNATURE');
    expect(codeOf(() => buildChain(byName('nca_gost'), { at: new Date('2026-01-01T00:00:00Z') }))).toBe('EXPIRED');
    expect(codeOf(() => buildChain(byName('nca_gost_2022'), { roots: [byName('root_rsa_2020')], at: MID_2024 }))).toBe(
      'NO_ISSUER',
    );
  });
});
