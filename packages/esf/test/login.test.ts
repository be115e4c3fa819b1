/**
 * The key login over HTTP against the mock (reference-docs/FACTS.md §2): createAuthTicket without
 * WS-Security, the ticket signed (enveloped XML-DSig, inclusive C14N with comments) by a local Signer
 * or by NCANode (its stand-in), createSessionSigned with the cabinet UsernameToken; the flow picked by
 * the key; expired, reused and foreign tickets; the documented refusal codes; sessions closed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ENVELOPED_C14N_WITH_COMMENTS,
  envelopedXmlSigner,
  GOST_2015_512,
  NcaNodeSigner,
  type Signer,
  verifyXmlDocument,
} from '@kz/signing';
import { createTestIdentity, startNcaNodeStandIn } from '@kz/signing/testing';
import { SignatureError, ValidationError, WSSE_NS } from '@kz/soap';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEsfClient, EsfAuthError, EsfBusinessError, type EsfClient } from '../src/index.js';
import { type EsfMock, SEED_USER_LOGIN, SEED_USER_PASSWORD, startEsfMock } from '../src/testing/index.js';

const TIN = '123456789021';
const owner = createTestIdentity({ commonName: 'ТЕСТОВ ТЕСТ', serialNumber: `IIN${SEED_USER_LOGIN}` });
const stranger = createTestIdentity({ commonName: 'ДРУГОЙ', serialNumber: 'IIN999999999999' });

/** A signer naming GOST-2015 URIs (it signs with the RSA key; the mock verifies RSA only). */
function gostLike(signer: Signer): Signer {
  return {
    algorithms: GOST_2015_512,
    certificate: signer.certificate,
    digest: (data: Uint8Array) => signer.digest(data),
    sign: (data: Uint8Array) => signer.sign(data),
  };
}

/** The error a promise rejects with (fails the test when it resolves). */
async function rejection<T>(promise: Promise<unknown>): Promise<T> {
  try {
    await promise;
  } catch (error) {
    return error as T;
  }
  throw new Error('expected the call to fail');
}

let now = Date.now();
let mock: EsfMock;
let esf: EsfClient;

beforeAll(async () => {
  mock = await startEsfMock({ now: () => now });
  esf = createEsfClient({
    checkIdentifiers: false,
    endpoint: mock.endpoint,
    username: SEED_USER_LOGIN,
    password: SEED_USER_PASSWORD,
  });
}, 120_000);
afterAll(async () => {
  await esf[Symbol.asyncDispose]();
  await mock.close();
});

function lastCall(operation: string) {
  return mock.calls.filter((c) => c.operation === operation).at(-1)?.input as Record<string, unknown> | undefined;
}

describe('the ticket login', { timeout: 60_000 }, () => {
  it('createAuthTicket (no WS-Security) -> signed ticket -> createSessionSigned (UsernameToken) -> session', async () => {
    const before = mock.calls.length;
    {
      await using session = await esf.openSession({
        tin: TIN,
        signer: owner.signer,
        login: 'ticket',
        businessProfileType: 'ADMIN_ENTERPRISE',
        sourceType: 'OTHER',
      });
      expect(await session.status()).toBe('OK');
      expect(mock.calls.slice(before).map((c) => c.operation)).toEqual([
        'createAuthTicket',
        'createSessionSigned',
        'currentSessionStatus',
      ]);
      expect(lastCall('createAuthTicket')).toEqual({ iin: SEED_USER_LOGIN });
      const signed = lastCall('createSessionSigned') as { tin: string; signedAuthTicket: string; sourceType: string };
      expect(signed.tin).toBe(TIN);
      expect(signed.sourceType).toBe('OTHER');
      // The ticket as issued, with Kalkan's enveloped signature by the owner's key.
      expect(signed.signedAuthTicket).toMatch(/<authSign><timeMark>.*<iin>123456789011<\/iin>.*<ds:Signature /s);
      const verified = verifyXmlDocument(signed.signedAuthTicket, { trustedCertificates: [owner.certificatePem] }, [
        ENVELOPED_C14N_WITH_COMMENTS,
      ]);
      expect(verified.certificate).toBe(owner.signer.certificate);
    }
    expect(mock.calls.at(-1)?.operation).toBe('closeSession');
  });

  it('sends createAuthTicket without a Security header and createSessionSigned with one', async () => {
    const seen: { operation: string; body: string }[] = [];
    const client = createEsfClient({
      checkIdentifiers: false,
      endpoint: mock.endpoint,
      username: SEED_USER_LOGIN,
      password: SEED_USER_PASSWORD,
      hooks: { onRequest: (event) => seen.push({ operation: event.operation, body: event.body }) },
    });
    const session = await client.openSession({ tin: TIN, signer: owner.signer, login: 'ticket' });
    await session.close();
    client.close();
    const body = (operation: string) => seen.find((s) => s.operation === operation)?.body ?? '';
    expect(body('createAuthTicket')).not.toContain(WSSE_NS);
    expect(body('createAuthTicket')).toMatch(/<\w+:createAuthTicketRequest xmlns:\w+="esf"/);
    expect(body('createSessionSigned')).toContain(WSSE_NS);
    expect(body('createSessionSigned')).toContain('<signedAuthTicket>&lt;?xml');
    for (const event of seen) expect(event.body).not.toContain(SEED_USER_PASSWORD);
  });

  it('picks the flow by the key: an RSA Signer uses createSession, any other key the ticket', async () => {
    let before = mock.calls.length;
    const rsa = await esf.openSession({ tin: TIN, signer: owner.signer });
    expect(mock.calls.slice(before).map((c) => c.operation)).toEqual(['createSession']);
    await rsa.close();

    before = mock.calls.length;
    const service = await esf.openSession({
      tin: TIN,
      signer: envelopedXmlSigner(owner.signer, ENVELOPED_C14N_WITH_COMMENTS),
    });
    expect(mock.calls.slice(before).map((c) => c.operation)).toEqual(['createAuthTicket', 'createSessionSigned']);
    await service.close();

    // A GOST signer: the ticket flow, its URIs in SignedInfo (signed here by an RSA key, so the mock refuses it).
    before = mock.calls.length;
    const error = await esf.openSession({ tin: TIN, signer: gostLike(owner.signer) }).catch((e: unknown) => e);
    expect(mock.calls.slice(before).map((c) => c.operation)).toEqual(['createAuthTicket', 'createSessionSigned']);
    expect(String(error)).toMatch(/The signed auth ticket does not verify/);
    expect(lastCall('createSessionSigned')?.signedAuthTicket).toContain(GOST_2015_512.signature);
  });

  it('signs the ticket through NCANode (its 3.x API, here the local stand-in)', async () => {
    const ncanode = await startNcaNodeStandIn();
    const signer = new NcaNodeSigner({ endpoint: ncanode.url, key: owner.pkcs12, password: owner.pkcs12Password });
    try {
      await using session = await esf.openSession({ tin: TIN, signer });
      expect(await session.status()).toBe('OK');
      expect(ncanode.requests).toEqual(['/xml/sign']);
      expect(lastCall('createSessionSigned')?.signedAuthTicket).toMatch(
        /^<\?xml version="1.0" encoding="UTF-8" standalone="no"\?><authSign>/,
      );
    } finally {
      signer.close();
      await ncanode.close();
    }
  });

  it('refuses, before createSessionSigned, a key whose certificate names another IIN', async () => {
    const before = mock.calls.length;
    const error = await rejection<ValidationError>(
      esf.openSession({ tin: TIN, signer: stranger.signer, login: 'ticket', iin: SEED_USER_LOGIN }),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toMatch(/belongs to IIN 999999999999, but the ticket is for IIN 123456789011/);
    expect(mock.calls.slice(before).map((c) => c.operation)).toEqual([]);
  });

  it('refuses the same with a signing service (the certificate is read from the signature)', async () => {
    const ncanode = await startNcaNodeStandIn();
    const signer = new NcaNodeSigner({
      endpoint: ncanode.url,
      key: stranger.pkcs12,
      password: stranger.pkcs12Password,
    });
    try {
      const before = mock.calls.length;
      const error = await rejection<ValidationError>(esf.openSession({ tin: TIN, signer }));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.message).toMatch(/belongs to IIN 999999999999/);
      expect(mock.calls.slice(before).map((c) => c.operation)).toEqual(['createAuthTicket']);
    } finally {
      signer.close();
      await ncanode.close();
    }
  });

  it('an expired ticket is refused by the server (the mock keeps tickets for ttlInMinutes)', async () => {
    const ticket = await esf.createAuthTicket(SEED_USER_LOGIN, 1);
    expect(ticket.ttlInMinutes).toBe(1);
    const { signXmlDocument } = await import('@kz/signing');
    const signed = await signXmlDocument(ticket.xml, owner.signer, ENVELOPED_C14N_WITH_COMMENTS);
    now += 61_000;
    const error = await esf.operations
      .createSessionSigned({ tin: TIN, signedAuthTicket: signed })
      .catch((e: unknown) => e as Error);
    expect(String(error)).toMatch(/The auth ticket has expired/);
  });

  it('a ticket serves one login', async () => {
    const ticket = await esf.createAuthTicket(SEED_USER_LOGIN);
    const { signXmlDocument } = await import('@kz/signing');
    const signed = await signXmlDocument(ticket.xml, owner.signer, ENVELOPED_C14N_WITH_COMMENTS);
    const { sessionId } = await esf.operations.createSessionSigned({ tin: TIN, signedAuthTicket: signed });
    await esf.closeSession(sessionId);
    await expect(esf.operations.createSessionSigned({ tin: TIN, signedAuthTicket: signed })).rejects.toThrow(
      /already used/,
    );
  });

  it('a tampered ticket does not verify', async () => {
    const ticket = await esf.createAuthTicket(SEED_USER_LOGIN);
    const { signXmlDocument } = await import('@kz/signing');
    const signed = await signXmlDocument(ticket.xml, owner.signer, ENVELOPED_C14N_WITH_COMMENTS);
    const tampered = signed.replace('<ttlInMinutes>30', '<ttlInMinutes>31');
    await expect(esf.operations.createSessionSigned({ tin: TIN, signedAuthTicket: tampered })).rejects.toThrow(
      /does not verify/,
    );
  });

  it('maps the documented codes to EsfAuthError (a BIN the user has no profile for)', async () => {
    const error = await rejection<EsfAuthError>(
      esf.openSession({ tin: '111111111111', signer: owner.signer, login: 'ticket' }),
    );
    expect(error).toBeInstanceOf(EsfAuthError);
    expect(error.authCode).toBe('ENTERPRISE_NOT_FOUND_FOR_USER');
  });

  it('an empty ticket (what the live server answers when WS-Security is sent) is a clear error', async () => {
    // The mock, like the live service, answers an empty authTicketXml to a createAuthTicket with a UsernameToken.
    const { AuthServiceClient } = await import('../src/index.js');
    const { usernameToken } = await import('@kz/soap');
    const withToken = new AuthServiceClient({
      endpoint: esf.endpoints.auth,
      security: usernameToken({ username: SEED_USER_LOGIN, password: SEED_USER_PASSWORD }),
    });
    const answer = await withToken.createAuthTicket({ iin: SEED_USER_LOGIN });
    withToken.soap.close();
    expect(answer.authTicketXml).toBeUndefined();
    const { parseAuthTicket } = await import('../src/index.js');
    expect(() => parseAuthTicket(answer.authTicketXml, { service: 'AuthService', operation: 'x' })).toThrow(
      SignatureError,
    );
  });

  it('checks its inputs before sending: the IIN, the TTL range', async () => {
    await expect(esf.createAuthTicket('12345')).rejects.toThrow(ValidationError);
    await expect(esf.createAuthTicket(SEED_USER_LOGIN, 2000)).rejects.toThrow(/ttlInMinutes/);
  });

  it('by default every BIN/IIN passes the national algorithm (@kz/core) before anything is sent', async () => {
    const sent: string[] = [];
    const strict = createEsfClient({
      endpoint: mock.endpoint,
      username: SEED_USER_LOGIN,
      password: SEED_USER_PASSWORD,
      hooks: { onRequest: (event) => sent.push(event.operation) },
    });
    const { signer } = createTestIdentity({ serialNumber: `IIN${SEED_USER_LOGIN}` });
    // 123456789021 is 12 digits but its check digit is wrong: refused, naming the field, not the number.
    const refused = await strict.openSession({ tin: '123456789021', signer, login: 'ticket' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).issues).toEqual([
      { field: 'tin', message: expect.stringMatching(/^not a valid BIN\/IIN: .*check digit/) },
    ]);
    await expect(strict.createAuthTicket('123456789011')).rejects.toThrow(/iin.*not a valid IIN/s);
    // A BIN is not an IIN: the ticket asks for a person.
    await expect(strict.createAuthTicket('940140000385')).rejects.toThrow(ValidationError);
    expect(sent).toEqual([]);
    strict.close();
  });
});

describe('the certificate login with a GOST-2015 key', { timeout: 60_000 }, () => {
  it('createSession answers METHOD_NOT_SUPPORT_GOST_2015 for a non-RSA certificate: EsfAuthError', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kz-esf-ec-'));
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-keyout',
          path.join(dir, 'key.pem'),
          '-out',
          path.join(dir, 'cert.pem'),
          '-days',
          '2',
          '-subj',
          `/serialNumber=IIN${SEED_USER_LOGIN}/CN=TEST`,
        ],
        { stdio: 'ignore' },
      );
      const error = await rejection<EsfAuthError>(
        esf.openSession({ tin: TIN, x509Certificate: readFileSync(path.join(dir, 'cert.pem'), 'utf8') }),
      );
      expect(error).toBeInstanceOf(EsfAuthError);
      expect(error.authCode).toBe('METHOD_NOT_SUPPORT_GOST_2015');
      expect(error.message).toMatch(/log in with the signed ticket/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('sessions the client opened', { timeout: 60_000 }, () => {
  it('closeSessions / asyncDispose close what is still open, once', async () => {
    const client = createEsfClient({
      checkIdentifiers: false,
      endpoint: mock.endpoint,
      username: SEED_USER_LOGIN,
      password: SEED_USER_PASSWORD,
    });
    const a = await client.openSession({ tin: TIN, signer: owner.signer, login: 'ticket' });
    const b = await client.openSession({ tin: TIN, x509Certificate: owner.certificatePem });
    await a.close();
    const before = mock.calls.length;
    await client[Symbol.asyncDispose]();
    expect(mock.calls.slice(before).map((c) => c.operation)).toEqual(['closeSession']);
    expect(mock.state.sessionStatus(b.sessionId)).toBe('CLOSED');
    expect(mock.state.sessionStatus(a.sessionId)).toBe('CLOSED');
  });

  it('an unfinished login leaves no session behind (nothing opened before the last step)', async () => {
    const open = () => [...mock.state.sessions.values()].filter((s) => !s.closed).length;
    const before = open();
    await esf.openSession({ tin: '111111111111', signer: owner.signer, login: 'ticket' }).catch(() => undefined);
    expect(open()).toBe(before);
  });

  it('other faults keep their class (EsfBusinessError for a certificate that is not X.509)', async () => {
    const error = await esf.openSession({ tin: TIN, x509Certificate: 'MIIB'.repeat(30) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EsfBusinessError);
    expect(error).not.toBeInstanceOf(EsfAuthError);
  });
});
