/**
 * The sample as a user runs it (the built dist/main.js in a child process): flow selection, every
 * flow run even when one fails, exit codes, and a missing or wrong variable named in the output.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGostTestIdentity } from '@kz/signing/testing';
import { describe, expect, it } from 'vitest';
import { optionalRenamed } from '../src/config.js';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
/** Variables that would point a flow at a real service: never inherited from the caller's shell. */
const REAL = /^(ALSECO_|TRUE_API_|ESF_|SHEP_|SONO_|ISGO_|KZ_TLS_)/;

function sample(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !REAL.test(name)));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [MAIN, ...args],
      { env: { ...base, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, out: stdout + stderr });
      },
    );
  });
}

describe('npm run sample', () => {
  it('runs the named flow only, against its mock, and exits 0', async () => {
    const { code, out } = await sample(['alseco']);
    expect(code).toBe(0);
    expect(out).toContain("Alseco: a bank's day (mock at");
    expect(out).not.toContain('True API');
    expect(out).toContain('1 of 1 flow(s) passed');
  }, 60_000);

  it('an unknown flow name lists the flows and exits 2', async () => {
    const { code, out } = await sample(['esf', 'nope']);
    expect(code).toBe(2);
    expect(out).toContain('unknown flow nope; the flows are: alseco, true-api, esf, isgo, sono-fno');
  }, 60_000);

  it('a real endpoint with a credential missing names the variable, and the next flow still runs', async () => {
    const { code, out } = await sample(['sono-fno', 'alseco'], { SHEP_SYNC_ENDPOINT: 'https://127.0.0.1:9/sync' });
    expect(code).toBe(1);
    expect(out).toContain(
      'sono-fno FAILED: SampleConfigError: SHEP_SENDER_ID is not set (needed with SHEP_SYNC_ENDPOINT set)',
    );
    expect(out).toContain('see docs/production/sono-fno.md');
    expect(out).not.toContain('ENOENT');
    expect(out).toContain('bank day confirmed');
    expect(out).toContain('1 of 2 flow(s) passed; failed: sono-fno');
  }, 60_000);

  it('esf with a real endpoint names its first missing variable; isgo without ESF_ISGO_ENDPOINT runs on its mocks', async () => {
    const { code, out } = await sample(['esf', 'isgo'], {
      ESF_SESSION_ENDPOINT: 'http://127.0.0.1:9/esf-web/ws/api1/SessionService',
    });
    expect(code).toBe(1);
    expect(out).toContain(
      'esf FAILED: SampleConfigError: ESF_USERNAME is not set (needed with ESF_SESSION_ENDPOINT set)',
    );
    expect(out).toContain('see docs/production/esf.md');
    expect(out).toContain('ISGO: session, user, profiles, send an invoice to ISGO (mocks at');
    expect(out).toContain('1 of 2 flow(s) passed; failed: esf');
  }, 60_000);

  it('isgo with ESF_ISGO_ENDPOINT needs ESF_SESSION_ENDPOINT and says so', async () => {
    const { code, out } = await sample(['isgo'], {
      ESF_ISGO_ENDPOINT: 'http://127.0.0.1:9/esf-web/ws/api1/IsgoWebService',
    });
    expect(code).toBe(1);
    expect(out).toContain(
      'isgo FAILED: SampleConfigError: ESF_SESSION_ENDPOINT is not set (needed with ESF_ISGO_ENDPOINT set)',
    );
  }, 60_000);

  it('esf takes a GOST key container: with every variable set it gets as far as the network', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'sample-gost-'));
    try {
      // Real stands take numbers with the national check digit (@kz/core validates them before sending).
      const gost = createGostTestIdentity({ commonName: 'ТЕСТОВ ТЕСТ', iin: '850105300126' });
      const p12 = path.join(folder, 'GOST512.p12');
      writeFileSync(p12, gost.pkcs12);
      const { code, out } = await sample(['esf'], {
        ESF_SESSION_ENDPOINT: 'http://127.0.0.1:9/esf-web/ws/api1/SessionService',
        ESF_USERNAME: '850105300126',
        ESF_PASSWORD: 'secret-cabinet-password',
        ESF_TIN: '900712400342',
        ESF_COUNTERPARTY_TIN: '750315400565',
        ESF_SIGNING_P12: p12,
        ESF_SIGNING_P12_PASSWORD: gost.pkcs12Password,
      });
      expect(code).toBe(1);
      expect(out).toContain('esf FAILED: TransportError');
      expect(out).toContain('check: the endpoint URL (ESF_SESSION_ENDPOINT)');
      expect(out).not.toContain('secret-cabinet-password');
      expect(out).not.toContain(gost.pkcs12Password);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }, 60_000);

  it('a key file that does not exist is named with its variable; a password never appears', async () => {
    const { code, out } = await sample(['true-api'], {
      TRUE_API_ENVIRONMENT: 'stage',
      TRUE_API_P12: '/nonexistent/key.p12',
      TRUE_API_P12_PASSWORD: 'secret-p12-password',
    });
    expect(code).toBe(1);
    expect(out).toContain('TRUE_API_P12 points to /nonexistent/key.p12, which does not exist');
    expect(out).not.toContain('secret-p12-password');
  }, 60_000);

  it('a service that cannot be reached says what to check', async () => {
    const { code, out } = await sample(['alseco'], {
      ALSECO_ENDPOINT: 'http://127.0.0.1:9/AlsecoPaymentsService.asmx',
      ALSECO_BANK_CODE: 'ABCD',
      ALSECO_ACCOUNTS: '2429284',
    });
    expect(code).toBe(1);
    expect(out).toContain('alseco FAILED: TransportError');
    expect(out).toMatch(
      /check: the endpoint URL \(ALSECO_ENDPOINT\) and the network path: Alseco identifies the bank by the IP address/,
    );
  }, 60_000);

  it('ESF_ISGO_SYSTEM_CODE wins; ISGO_SYSTEM_CODE, its old name, is still read', () => {
    const saved = { new: process.env.ESF_ISGO_SYSTEM_CODE, old: process.env.ISGO_SYSTEM_CODE };
    try {
      delete process.env.ESF_ISGO_SYSTEM_CODE;
      process.env.ISGO_SYSTEM_CODE = 'OLD';
      expect(optionalRenamed('ESF_ISGO_SYSTEM_CODE', 'ISGO_SYSTEM_CODE')).toBe('OLD');
      process.env.ESF_ISGO_SYSTEM_CODE = 'NEW';
      expect(optionalRenamed('ESF_ISGO_SYSTEM_CODE', 'ISGO_SYSTEM_CODE')).toBe('NEW');
      delete process.env.ISGO_SYSTEM_CODE;
      delete process.env.ESF_ISGO_SYSTEM_CODE;
      expect(optionalRenamed('ESF_ISGO_SYSTEM_CODE', 'ISGO_SYSTEM_CODE')).toBeUndefined();
    } finally {
      for (const [name, value] of [
        ['ESF_ISGO_SYSTEM_CODE', saved.new],
        ['ISGO_SYSTEM_CODE', saved.old],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});
